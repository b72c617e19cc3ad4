'use client';

/**
 * The frame of every signed-in screen: top bar (brand, navigation on wide screens, live
 * connection, account), a bottom tab bar on phones, and the gate — signed-out visitors go to
 * sign-in (and come back afterwards), and a role without the permission the screen's API needs
 * sees "Not allowed" instead of a broken page. Navigation only offers what the role may open.
 */
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { OperationKey } from '../lib/api/openapi.gen';
import type { Me } from '../lib/api/types';
import { useInbox } from '../lib/inbox-store';
import type { LiveStatus } from '../lib/live-socket';
import { useDismiss } from '../lib/use-dismiss';
import { allowed, homeFor, useSession } from '../lib/use-session';
import { ChartIcon, CoachIcon, GearIcon, InboxIcon, PulseIcon, UserIcon } from './icons';
import { cx, NotAllowed, Notice, Skeleton } from './ui';

/**
 * Admin sections and the operation each one is built on; the admin tab shows if any is allowed.
 * `withAdmin` sections are read with a permission every read-only role holds (Models: analytics:read, Billing: tenant:read),
 * so they show only to a role that already has a section of its own: a manager sees the models
 * read-only, a viewer has no admin area at all.
 */
export const ADMIN_SECTIONS: Array<{ href: string; label: string; op: OperationKey; withAdmin?: boolean }> = [
  { href: '/admin/users', label: 'Team', op: 'PATCH /users/{id}' },
  { href: '/admin/routing', label: 'Routing', op: 'PUT /routing/rules' },
  { href: '/admin/settings', label: 'Business rules', op: 'PATCH /tenant' },
  { href: '/admin/api-keys', label: 'API keys', op: 'GET /api-keys' },
  { href: '/admin/integrations', label: 'GoHighLevel', op: 'PUT /integrations/ghl' },
  { href: '/admin/webhook', label: 'Outbound webhook', op: 'PUT /integrations/webhook' },
  { href: '/admin/models', label: 'Models', op: 'GET /models', withAdmin: true },
  { href: '/admin/audit', label: 'Audit log', op: 'GET /audit-log' },
  // Every member reads the plan (tenant:read), so it is withAdmin here; agents and viewers open /admin/billing directly.
  { href: '/admin/billing', label: 'Billing', op: 'GET /billing', withAdmin: true },
];

export function canAdmin(me: Me | null): boolean {
  return ADMIN_SECTIONS.some((s) => !s.withAdmin && allowed(me, s.op));
}

/** The admin sections this role may open. */
export function adminSections(me: Me | null): typeof ADMIN_SECTIONS {
  const any = canAdmin(me);
  return ADMIN_SECTIONS.filter((s) => allowed(me, s.op) && (!s.withAdmin || any));
}

export type Requirement = { what: string } & ({ op: OperationKey; withAdmin?: true } | { ops: OperationKey[] } | { permission: string } | { admin: true });

function meets(me: Me | null, r: Requirement): boolean {
  if ('op' in r) return allowed(me, r.op) && (!r.withAdmin || canAdmin(me));
  if ('ops' in r) return r.ops.every((op) => allowed(me, op));
  if ('permission' in r) return !!me?.permissions.includes(r.permission);
  return canAdmin(me);
}

interface NavItem {
  href: string;
  label: string;
  icon: (p: { className?: string }) => ReactNode;
  show: (me: Me | null) => boolean;
  badge?: boolean;
}

const NAV: NavItem[] = [
  { href: '/inbox', label: 'Inbox', icon: InboxIcon, show: (me) => allowed(me, 'GET /alerts'), badge: true },
  { href: '/dashboard', label: 'Dashboard', icon: ChartIcon, show: (me) => allowed(me, 'GET /dashboard') },
  // Whoever may read analytics (viewers too): the impact figures are read-only; editing the assumptions is gated on the screen.
  { href: '/impact', label: 'Impact', icon: ImpactIcon, show: (me) => allowed(me, 'GET /impact') },
  // Managers and up: the team view (analytics:read) and analyzing an agent (leads:write) — viewers and agents have only one of the two.
  { href: '/coaching', label: 'Coaching', icon: CoachIcon, show: (me) => allowed(me, 'GET /coaching/team') && allowed(me, 'POST /coaching/agents/{id}/analyze') },
  { href: '/admin', label: 'Admin', icon: GearIcon, show: canAdmin },
  { href: '/status', label: 'Status', icon: PulseIcon, show: () => true },
];

/** A dollar in a circle: what the features are worth (kept here, next to its only use). */
function ImpactIcon({ className = 'h-5 w-5' }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" className={className}>
      <circle cx="12" cy="12" r="9" />
      <path d="M15 9.5c-.5-1-1.6-1.5-3-1.5-1.7 0-3 .8-3 2s1.3 1.7 3 2 3 .8 3 2-1.3 2-3 2c-1.4 0-2.5-.5-3-1.5M12 6.5v11" />
    </svg>
  );
}

export function AppShell({
  children,
  require,
  wide = false,
  open = false,
}: {
  children: ReactNode;
  /** Also shown to signed-out visitors (the status page). */
  open?: boolean;
  /**
   * What the screen needs (plain data: pages are server components): the permission behind an
   * API operation, a permission by name, or any admin section.
   */
  require?: Requirement;
  wide?: boolean;
}) {
  const { status, me, problem } = useSession();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (status !== 'signed-out' || open) return;
    const next = `${window.location.pathname}${window.location.search}`;
    router.replace(`/?next=${encodeURIComponent(next)}`);
  }, [status, router, open]);

  const ready = status === 'signed-in' || status === 'expired' || (open && status === 'signed-out');
  const permitted = !require || meets(me, require);

  return (
    <div className="min-h-dvh pb-[calc(4rem+env(safe-area-inset-bottom))] sm:pb-0">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <TopBar me={ready ? me : null} pathname={pathname} signedOut={status === 'signed-out'} />
      <main id="main" tabIndex={-1} className={cx('mx-auto px-3 py-4 focus:outline-none sm:px-6 sm:py-6', wide ? 'max-w-7xl' : 'max-w-5xl')}>
        {!ready ? <ShellLoading problem={problem} /> : permitted ? children : <NotAllowed what={require!.what} />}
      </main>
      <BottomBar me={ready ? me : null} pathname={pathname} />
    </div>
  );
}

function ShellLoading({ problem }: { problem?: string | null }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      {problem ? <Notice tone="warning">Cannot reach LeadPulse right now ({problem}). Trying again…</Notice> : <span className="sr-only">Loading…</span>}
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-24 w-full rounded-xl" />
      <Skeleton className="h-24 w-full rounded-xl" />
    </div>
  );
}

function isActive(pathname: string, href: string) {
  return pathname === href || pathname.startsWith(`${href}/`);
}

function UnreadBadge({ className }: { className?: string }) {
  const { unread } = useInbox();
  if (!unread) return null;
  return (
    <span data-testid="unread-badge" aria-label={`${unread} unread`} className={cx('inline-flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1.5 text-[11px] font-bold leading-5 text-white tabular-nums', className)}>
      {unread > 99 ? '99+' : unread}
    </span>
  );
}

function TopBar({ me, pathname, signedOut }: { me: Me | null; pathname: string; signedOut: boolean }) {
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-3 sm:px-6">
        <Link href={me ? homeFor(me) : '/'} className="flex items-center gap-2 rounded font-bold text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
          <span aria-hidden className="inline-flex h-7 w-7 items-center justify-center rounded-lg bg-indigo-600 text-white">
            <PulseIcon className="h-4 w-4" />
          </span>
          <span>LeadPulse</span>
          {me && <span className="hidden truncate text-sm font-medium text-slate-500 md:inline">· {me.tenant.name}</span>}
        </Link>
        <nav aria-label="Main" className="ml-4 hidden items-center gap-1 sm:flex">
          {me &&
            NAV.filter((n) => n.show(me)).map((n) => (
              <Link
                key={n.href}
                href={n.href}
                aria-current={isActive(pathname, n.href) ? 'page' : undefined}
                className={cx(
                  'inline-flex h-9 items-center gap-1.5 rounded-lg px-3 text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500',
                  isActive(pathname, n.href) ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100',
                )}
              >
                {n.label}
                {n.badge && <UnreadBadge />}
              </Link>
            ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {me && <ConnectionIndicator />}
          {me ? (
            <AccountMenu me={me} />
          ) : !signedOut ? (
            <span aria-hidden className="h-9 w-9" />
          ) : (
            <Link href="/" className="inline-flex h-9 items-center rounded-lg px-3 text-sm font-semibold text-indigo-700 hover:bg-indigo-50">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

function BottomBar({ me, pathname }: { me: Me | null; pathname: string }) {
  if (!me) return null;
  const items = NAV.filter((n) => n.show(me));
  return (
    <nav aria-label="Main" className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] sm:hidden">
      <ul className="flex">
        {items.map((n) => (
          <li key={n.href} className="flex-1">
            <Link
              href={n.href}
              aria-current={isActive(pathname, n.href) ? 'page' : undefined}
              className={cx('relative flex h-16 flex-col items-center justify-center gap-0.5 text-xs font-semibold focus:outline-none focus-visible:bg-indigo-50', isActive(pathname, n.href) ? 'text-indigo-700' : 'text-slate-600')}
            >
              <n.icon className="h-6 w-6" />
              {n.label}
              {n.badge && <UnreadBadge className="absolute left-1/2 top-1.5 ml-1.5" />}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const LIVE_LABEL: Record<LiveStatus, { text: string; dot: string; title: string }> = {
  live: { text: 'Live', dot: 'bg-emerald-500', title: 'Connected: new alerts appear instantly' },
  connecting: { text: 'Connecting', dot: 'bg-slate-400 animate-pulse', title: 'Connecting to live updates' },
  reconnecting: { text: 'Reconnecting', dot: 'bg-amber-500 animate-pulse', title: 'Connection lost; reconnecting (missed alerts are replayed)' },
  offline: { text: 'Offline', dot: 'bg-red-500', title: 'No live connection; the inbox refreshes every 30 s until it is back' },
};

export function ConnectionIndicator() {
  const { live, retryInMs, status } = useInbox();
  if (status === 'idle') return null;
  const l = LIVE_LABEL[live];
  return (
    <span role="status" data-testid="connection" data-state={live} title={l.title} className="inline-flex w-[7.5rem] items-center justify-end gap-1.5 text-xs font-semibold text-slate-700">
      <span aria-hidden className={cx('h-2.5 w-2.5 rounded-full', l.dot)} />
      <span>{l.text}</span>
      <span className="sr-only">
        {l.title}
        {retryInMs ? `, next try in ${Math.ceil(retryInMs / 1000)} seconds` : ''}
      </span>
    </span>
  );
}

function AccountMenu({ me }: { me: Me }) {
  const { session } = useSession();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, useCallback(() => setOpen(false), []));
  const name = me.user?.name ?? 'API key';
  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-9 items-center gap-1.5 rounded-lg px-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        <UserIcon />
        <span className="hidden max-w-32 truncate lg:inline">{name}</span>
        <span className="sr-only lg:hidden">Account</span>
      </button>
      {open && (
        <div role="menu" className="absolute right-0 top-full z-30 mt-1 w-60 rounded-xl border border-slate-200 bg-white p-2 shadow-lg">
          <div className="px-2 py-1.5">
            <p className="truncate text-sm font-semibold text-slate-900">{name}</p>
            <p className="truncate text-xs text-slate-600">{me.user?.email}</p>
            <p className="mt-1 text-xs text-slate-600">
              {me.user?.role ?? 'api key'} · {me.tenant.name}
            </p>
          </div>
          {/* Every member may read the plan; agents and viewers have no admin tab to find it under. */}
          {allowed(me, 'GET /billing') && (
            <Link
              href="/admin/billing"
              role="menuitem"
              onClick={() => setOpen(false)}
              className="mt-1 flex min-h-11 w-full items-center rounded-lg px-2 text-left text-sm font-semibold text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              Plan and billing
            </Link>
          )}
          <button
            type="button"
            role="menuitem"
            onClick={async () => {
              setOpen(false);
              await session.signOut();
              router.replace('/');
            }}
            className="mt-1 flex min-h-11 w-full items-center rounded-lg px-2 text-left text-sm font-semibold text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
