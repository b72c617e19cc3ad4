'use client';

import { useSyncExternalStore } from 'react';
import { OPERATIONS, type OperationKey } from './api/openapi.gen';
import type { Me } from './api/types';
import { session, type SessionSnapshot } from './session';

const SERVER: SessionSnapshot = { status: 'loading', me: null };

export function useSession() {
  const s = session();
  const snapshot = useSyncExternalStore(s.subscribe, s.getSnapshot, () => SERVER);
  return { ...snapshot, session: s, api: s.api, can: (op: OperationKey) => allowed(snapshot.me, op) };
}

/** Whether the signed-in user holds the permission the API declares for this operation. */
export function allowed(me: Me | null, op: OperationKey): boolean {
  const needed = OPERATIONS[op];
  if (needed === 'public') return true;
  return !!me?.permissions.includes(needed);
}

/** Where a user lands after signing in: managers and viewers on the dashboard, agents in the inbox. */
export function homeFor(me: Me | null): string {
  if (!me) return '/';
  const role = me.user?.role;
  if (role !== 'agent' && allowed(me, 'GET /dashboard')) return '/dashboard';
  return '/inbox';
}
