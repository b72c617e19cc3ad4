'use client';

import { useEffect, type ReactNode } from 'react';
import { InboxProvider } from '../lib/inbox-store';
import { session } from '../lib/session';
import { useSession } from '../lib/use-session';
import { SignInForm } from './sign-in-form';
import { Button, Dialog } from './ui';

let restoring = false;

/** Everything that lives as long as the page: the session, the live inbox, the expiry dialog. */
export function Providers({ children }: { children: ReactNode }) {
  useEffect(() => {
    if (restoring) return;
    restoring = true;
    void session().restore();
  }, []);
  return (
    <InboxProvider>
      {children}
      <SessionExpired />
    </InboxProvider>
  );
}

/**
 * The session ran out (refresh token refused): the screen underneath stays as it was, with
 * whatever the agent was typing, and the calls that were waiting resume after signing in again.
 */
function SessionExpired() {
  const { status, me, session: s } = useSession();
  const open = status === 'expired';
  const fixed = me?.user ? { tenant: me.tenant.slug, email: me.user.email } : undefined;
  return (
    <Dialog open={open} onClose={() => undefined} title="Your session has expired" dismissable={false}>
      <p className="mb-4 text-sm text-slate-600">Sign in again to carry on where you were. Nothing on this screen is lost.</p>
      {open && <SignInForm fixed={fixed} onSignedIn={() => undefined} />}
      <Button variant="ghost" size="sm" className="mt-3 w-full" onClick={() => void s.signOut()}>
        Sign out instead
      </Button>
    </Dialog>
  );
}
