/**
 * The signed-in session, outside React so the API client and the sockets share one.
 *
 * - The access token (15 min) lives in memory only; it is refreshed a minute before it expires
 *   and after any 401.
 * - The refresh token is an HttpOnly cookie for /v1/auth (signed in with `session: "cookie"`):
 *   no script on the page can read it, so an injected one cannot carry the sign-in away.
 *   localStorage only holds a marker that a sign-in exists (so a reload knows to refresh, and
 *   other tabs see a sign-out). Each refresh token works once and a reused one revokes the whole
 *   sign-in, and the tabs share the one cookie, so refreshes are serialised across tabs with a
 *   Web Lock (the next tab then sends the cookie the previous one just rotated).
 * - When the refresh token is refused the session becomes `expired`, not `signed-out`: the
 *   screen stays, a sign-in dialog appears over it, and calls waiting on a token resume once the
 *   same user signs in again.
 */
import { ApiError, createApiClient, type ApiClient, type TokenSource } from './api/client';
import type { Me } from './api/types';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in' | 'expired';

export interface SessionSnapshot {
  status: SessionStatus;
  me: Me | null;
  /** Why the session could not be resumed yet (LeadPulse unreachable); it keeps trying. */
  problem?: string | null;
}

const SESSION_KEY = 'leadpulse.session';
/** Where versions before cookie sessions kept the refresh token itself: removed on load. */
const LEGACY_REFRESH_KEY = 'leadpulse.refresh';
const LAST_LOGIN_KEY = 'leadpulse.lastLogin';
const LOCK = 'leadpulse.refresh';
/** Refresh this long before the access token expires. */
const EARLY_MS = 60_000;

type SessionAnswer = { accessToken: string; expiresIn: number };

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // Storage disabled (private mode policies): the session lasts for this page.
  }
}

async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? (locks.request(LOCK, fn) as Promise<T>) : fn();
}

export class Session implements TokenSource {
  readonly api: ApiClient;
  private snapshot: SessionSnapshot = { status: 'loading', me: null };
  private listeners = new Set<() => void>();
  private access: { token: string; expiresAt: number } | null = null;
  /** Used only when localStorage is unavailable. */
  private memorySession = false;
  private refreshing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<(token: string | null) => void> = [];

  constructor() {
    this.api = createApiClient(this);
  }

  // ── state for React (useSyncExternalStore) ───────────────────────────────────────────────
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = () => this.snapshot;
  private set(next: Partial<SessionSnapshot>) {
    this.snapshot = { ...this.snapshot, ...next };
    for (const fn of this.listeners) fn();
  }

  can(permission: string): boolean {
    return !!this.snapshot.me?.permissions.includes(permission as never);
  }

  get lastLogin(): { tenant: string; email: string } | null {
    try {
      return JSON.parse(storage()?.getItem(LAST_LOGIN_KEY) ?? 'null');
    } catch {
      return null;
    }
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────
  /**
   * On page load: resume the stored sign-in, if any. When LeadPulse cannot be reached the
   * screen says so and this tries again (the refresh token is kept: it may still be good).
   */
  async restore(): Promise<void> {
    if (typeof window !== 'undefined') window.addEventListener('storage', this.onStorage);
    storage()?.removeItem(LEGACY_REFRESH_KEY);
    if (!this.hasSession()) return this.set({ status: 'signed-out', me: null });
    try {
      const token = await this.refresh();
      if (!token) return this.set({ status: 'signed-out', me: null, problem: null });
      await this.loadMe();
      this.set({ problem: null });
    } catch (err) {
      this.set({ problem: (err as Error).message || 'LeadPulse cannot be reached' });
      setTimeout(() => void this.restore(), 3_000);
    }
  }

  async signIn(input: { tenant: string; email: string; password: string }): Promise<Me> {
    const previous = this.snapshot.me;
    const answer = await this.api.post('/auth/login', { body: { ...input, session: 'cookie' } });
    this.accept(answer);
    storage()?.setItem(LAST_LOGIN_KEY, JSON.stringify({ tenant: input.tenant, email: input.email }));
    const me = await this.loadMe();
    // Signed in again after expiry as somebody else: nothing on this screen is theirs.
    if (previous?.user && (me.user?.id !== previous.user.id || me.tenant.id !== previous.tenant.id)) {
      window.location.reload();
      return me;
    }
    this.release(answer.accessToken);
    return me;
  }

  async signOut(): Promise<void> {
    if (this.hasSession() && this.access) {
      // Best effort: the local sign-out happens whether or not the server hears about it. The
      // cookie names the sign-in to end, and the answer clears it.
      await this.api.post('/auth/logout', { body: {} }).catch(() => undefined);
    }
    this.clear();
    this.set({ status: 'signed-out', me: null });
    this.release(null);
  }

  // ── TokenSource ────────────────────────────────────────────────────────────────────────────
  async accessToken(): Promise<string | null> {
    if (this.access && this.access.expiresAt - Date.now() > 5_000) return this.access.token;
    if (this.snapshot.status === 'expired') return this.waitForSignIn();
    if (!this.hasSession()) return null;
    return this.refresh();
  }

  async renewAfterUnauthorized(rejected: string): Promise<string | null> {
    if (this.access && this.access.token !== rejected) return this.access.token;
    const token = await this.refresh();
    return token ?? (this.snapshot.me ? this.waitForSignIn() : null);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────
  private hasSession(): boolean {
    const s = storage();
    return s ? s.getItem(SESSION_KEY) !== null : this.memorySession;
  }

  private forgetSession() {
    storage()?.removeItem(SESSION_KEY);
    this.memorySession = false;
  }

  private accept(answer: SessionAnswer) {
    // The refresh cookie is shared by the tabs; if another tab signed in as somebody else,
    // this page must not carry on showing the previous user's screen with the new user's token.
    const me = this.snapshot.me?.user;
    if (me && subjectOf(answer.accessToken) !== me.id) {
      window.location.reload();
    }
    this.access = { token: answer.accessToken, expiresAt: Date.now() + answer.expiresIn * 1000 };
    const s = storage();
    if (s) s.setItem(SESSION_KEY, 'cookie');
    else this.memorySession = true;
    clearTimeout(this.timer);
    const wait = Math.max(5_000, answer.expiresIn * 1000 - EARLY_MS);
    this.timer = setTimeout(() => void this.refresh(), wait);
  }

  private clear() {
    this.access = null;
    clearTimeout(this.timer);
    this.forgetSession();
  }

  /** One refresh at a time in this tab, and across tabs through the lock. */
  private refresh(): Promise<string | null> {
    this.refreshing ??= withRefreshLock(async () => {
      if (!this.hasSession()) return this.expire();
      try {
        const answer = await this.api.post('/auth/refresh', { body: {} });
        this.accept(answer);
        return answer.accessToken;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 422)) {
          this.forgetSession();
          return this.expire();
        }
        // Offline or a server hiccup: the cookie may still be good; try again on the next call.
        this.access = null;
        throw err;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private expire(): null {
    this.access = null;
    clearTimeout(this.timer);
    if (this.snapshot.me) this.set({ status: 'expired' });
    return null;
  }

  private async loadMe(): Promise<Me> {
    const me = await this.api.get('/me');
    this.set({ status: 'signed-in', me });
    return me;
  }

  private waitForSignIn(): Promise<string | null> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(token: string | null) {
    const waiting = this.waiters.splice(0);
    for (const resolve of waiting) resolve(token);
  }

  /** Another tab signed out (or in as someone else): follow it. */
  private onStorage = (e: StorageEvent) => {
    if (e.key !== SESSION_KEY) return;
    if (e.newValue === null && this.snapshot.status === 'signed-in') {
      this.access = null;
      clearTimeout(this.timer);
      this.set({ status: 'signed-out', me: null });
    }
  };
}

/** The `sub` claim of a JWT, read without verifying it (the server verifies; this only compares). */
function subjectOf(jwt: string): string | null {
  try {
    const payload = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(payload)) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}

let shared: Session | null = null;
/** The page's one session (created in the browser on first use). */
export function session(): Session {
  shared ??= new Session();
  return shared;
}
