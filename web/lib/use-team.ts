'use client';

import { useEffect, useState } from 'react';
import type { User } from './api/types';
import { session } from './session';
import { allowed, useSession } from './use-session';

let cache: Promise<Record<string, User>> | null = null;
/** Whose team the cache holds: signing in to another tenant must not show the previous one. */
let cacheFor: string | null = null;

/** The team by user id, read once per page (names for assigned agents, claimers, authors). */
export function useTeam(): Record<string, User> {
  const { status, me } = useSession();
  const [team, setTeam] = useState<Record<string, User>>({});
  useEffect(() => {
    if (status !== 'signed-in' || !allowed(me, 'GET /users')) return;
    if (cacheFor !== me!.tenant.id) {
      cache = null;
      cacheFor = me!.tenant.id;
    }
    cache ??= session()
      .api.get('/users')
      .then((r) => Object.fromEntries(r.users.filter((u): u is User => !!u).map((u) => [u.id, u])))
      .catch(() => {
        cache = null;
        return {};
      });
    let alive = true;
    void cache.then((t) => alive && setTeam(t));
    return () => {
      alive = false;
    };
  }, [status, me]);
  return team;
}

/** After an admin edits the team, the next reader fetches it again. */
export function forgetTeam() {
  cache = null;
}
