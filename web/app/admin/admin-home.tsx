'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { adminSections } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { useSession } from '../../lib/use-session';

/** /admin opens the first section this role may use. */
export function AdminHome() {
  const { me } = useSession();
  const router = useRouter();
  const first = adminSections(me)[0];
  useEffect(() => {
    if (first) router.replace(first.href);
  }, [first, router]);
  return <Loading rows={2} />;
}
