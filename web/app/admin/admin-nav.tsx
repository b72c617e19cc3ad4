'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { adminSections } from '../../components/app-shell';
import { cx } from '../../components/ui';
import { useSession } from '../../lib/use-session';

/** The admin sections this role may open (a manager sees routing and the audit log only). */
export function AdminNav() {
  const { me } = useSession();
  const pathname = usePathname();
  const sections = adminSections(me);
  const activeRef = useRef<HTMLAnchorElement>(null);
  // On a phone the strip scrolls sideways: bring the open section into view (Billing is last, off-screen at 375 px).
  useEffect(() => {
    activeRef.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [pathname, sections.length]);
  // An agent or viewer reading Billing has no admin area: no empty tab strip.
  if (sections.length === 0) return null;
  return (
    <nav aria-label="Admin sections" className="-mx-3 mb-4 overflow-x-auto px-3 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {sections.map((s) => {
          const active = pathname === s.href;
          return (
            <li key={s.href}>
              <Link
                ref={active ? activeRef : undefined}
                href={s.href}
                aria-current={active ? 'page' : undefined}
                className={cx(
                  '-mb-px inline-flex min-h-11 items-center border-b-2 px-3 text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500',
                  active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900',
                )}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
