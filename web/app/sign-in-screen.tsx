'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { SignInForm } from '../components/sign-in-form';
import { Notice, Skeleton } from '../components/ui';
import type { Me } from '../lib/api/types';
import { homeFor, useSession } from '../lib/use-session';

/** Only same-site paths are followed after sign-in (never an absolute URL from the query string). */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function SignInScreen() {
  const { status, me, problem } = useSession();
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const go = (who: Me) => router.replace(next ?? homeFor(who));

  useEffect(() => {
    if (status === 'signed-in' && me) router.replace(next ?? homeFor(me));
  }, [status, me, next, router]);

  if (status === 'loading' || status === 'signed-in') {
    return (
      <div role="status" aria-live="polite" className="h-80 space-y-4">
        {problem ? <Notice tone="warning">Cannot reach LeadPulse right now ({problem}). Trying again…</Notice> : <span className="sr-only">Checking your session…</span>}
        <Skeleton className="h-16 w-full" />
        <Skeleton className="h-16 w-full" />
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  return <SignInForm onSignedIn={go} />;
}
