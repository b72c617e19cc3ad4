'use client';

import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../lib/api/client';
import type { Me } from '../lib/api/types';
import { session } from '../lib/session';
import { Button, Field, Input, Notice } from './ui';

/**
 * Tenant slug + email + password. Used on the sign-in page and, with the tenant and email fixed,
 * in the dialog that appears over the current screen when the session has expired.
 */
export function SignInForm({ onSignedIn, fixed }: { onSignedIn: (me: Me) => void; fixed?: { tenant: string; email: string } }) {
  const last = fixed ?? session().lastLogin;
  const [tenant, setTenant] = useState(last?.tenant ?? '');
  const [email, setEmail] = useState(last?.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await session().signIn({ tenant: tenant.trim(), email: email.trim(), password });
      setPassword('');
      onSignedIn(me);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That team, email and password do not match. Check the team name your admin gave you.'
          : err instanceof ApiError && err.status === 422
            ? 'Enter your team, a valid email address and your password.'
            : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-describedby={error ? 'signin-error' : undefined}>
      <Field label="Team" htmlFor="signin-tenant" hint="Your team's short name, e.g. demo">
        <Input id="signin-tenant" name="tenant" autoComplete="organization" autoCapitalize="none" spellCheck={false} required value={tenant} readOnly={!!fixed} onChange={(e) => setTenant(e.target.value)} aria-describedby="signin-tenant-hint" />
      </Field>
      <Field label="Email" htmlFor="signin-email">
        <Input id="signin-email" name="email" type="email" autoComplete="username" required value={email} readOnly={!!fixed} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Password" htmlFor="signin-password">
        <Input id="signin-password" name="password" type="password" autoComplete="current-password" required autoFocus={!!fixed} value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {error && (
        <div id="signin-error">
          <Notice tone="error">{error}</Notice>
        </div>
      )}
      <Button type="submit" variant="primary" size="lg" className="w-full" busy={busy} disabled={!tenant || !email || !password}>
        Sign in
      </Button>
    </form>
  );
}
