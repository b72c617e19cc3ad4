'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ADMIN_SECTIONS } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { allowed, useSession } from '../../lib/use-session';

/** /admin opens the first section this role may use. */
export function AdminHome() {
  const { me } = useSession();
  const router = useRouter();
  const first = ADMIN_SECTIONS.find((s) => allowed(me, s.op));
  useEffect(() => {
    if (first) router.replace(first.href);
  }, [first, router]);
  return <Loading rows={2} />;
}
