import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { PBKDF2_ITERATIONS } from '../../../lib/crypto/password';
import { call, env, json, withDb } from '../../../testing/client';
import { api, login, memberWithRole, provisionTestTenant, randomIp, TEST_PASSWORD } from '../../../testing/factory';
import { auditLog, users } from '../../../db/schema';
import { and, eq } from 'drizzle-orm';

describe('provisioning', () => {
  it('creates a tenant, its owner and an API key shown once', async () => {
    const slug = `p-${crypto.randomUUID().slice(0, 10)}`;
    const res = await api('/v1/tenants', {
      token: env.PLATFORM_ADMIN_TOKEN,
      body: { name: 'Hill Country Homes', slug, timezone: 'America/Chicago', owner: { email: 'Boss@Example.com', name: 'Boss', password: TEST_PASSWORD } },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.tenant).toMatchObject({ slug, name: 'Hill Country Homes', timezone: 'America/Chicago' });
    expect(body.tenant.id).toMatch(/^tnt_/);
    expect(body.owner).toMatchObject({ email: 'boss@example.com', role: 'owner' });
    expect(body.apiKey).toMatch(/^lp_live_/);
    const me = await json(await api('/v1/me', { token: body.apiKey }));
    expect(me.tenant.slug).toBe(slug);
    const rows = await withDb((db) => db.select().from(users).where(eq(users.tenantId, body.tenant.id)));
    expect(rows[0]!.passwordHash).toMatch(new RegExp(`^pbkdf2-sha256\\$v1\\$${PBKDF2_ITERATIONS}\\$`));
    expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
  });

  it('refuses a taken slug with 409, a wrong platform token with 401 and a weak password with 422', async () => {
    const t = await provisionTestTenant();
    const owner = { email: 'x@example.com', name: 'X', password: TEST_PASSWORD };
    expect((await api('/v1/tenants', { token: env.PLATFORM_ADMIN_TOKEN, body: { name: 'Again', slug: t.slug, owner } })).status).toBe(409);
    expect((await api('/v1/tenants', { token: 'wrong-token-wrong-token', body: { name: 'Nope', owner } })).status).toBe(401);
    expect((await api('/v1/tenants', { body: { name: 'Nope', owner } })).status).toBe(401);
    const weak = await api('/v1/tenants', { token: env.PLATFORM_ADMIN_TOKEN, body: { name: 'Weak Co', owner: { ...owner, password: 'short' } } });
    expect(weak.status).toBe(422);
    expect((await json(weak)).error.details[0].path).toBe('owner.password');
  });

  it('keeps the PBKDF2 work factor at the deployed-Workers cap or below', () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
  });
});

describe('login', () => {
  it('answers a wrong password and an unknown email identically (no enumeration)', async () => {
    const t = await provisionTestTenant();
    const wrong = await api('/v1/auth/login', { body: { tenant: t.slug, email: t.owner.email, password: 'not-the-password-1' } });
    const unknown = await api('/v1/auth/login', { body: { tenant: t.slug, email: 'nobody@example.com', password: 'not-the-password-1' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json(wrong)).error.message).toBe((await json(unknown)).error.message);
    const failures = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.tenantId, t.id), eq(auditLog.action, 'auth.login_failed'))));
    expect(failures).toHaveLength(1);
  });

  it('stops a brute force on one account with 429 and Retry-After', async () => {
    const t = await provisionTestTenant();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 10; i++) {
      // A new IP each time: the per-account limit must hold on its own.
      last = await api('/v1/auth/login', { ip: randomIp(), body: { tenant: t.slug, email: t.owner.email, password: `guess-number-${i}` } });
      statuses.push(last.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeGreaterThanOrEqual(7);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(last!)).error.code).toBe('rate_limited');
  });
});

describe('tokens', () => {
  it('rotates refresh tokens, and reusing one revokes the whole family', async () => {
    const t = await provisionTestTenant();
    const first = await login(t.slug, t.owner.email, TEST_PASSWORD);
    const second = await json(await api('/v1/auth/refresh', { body: { refreshToken: first.refreshToken } }));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = await json(await api('/v1/auth/refresh', { body: { refreshToken: second.refreshToken } }));
    expect(third.accessToken).toBeTruthy();

    // An attacker replays the first (already used) token: refused, and the family dies.
    expect((await api('/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(401);
    expect((await api('/v1/auth/refresh', { body: { refreshToken: third.refreshToken } })).status).toBe(401);
    const audit = await json(await api('/v1/audit-log?action=auth.refresh_reuse_detected', { token: t.owner.token }));
    expect(audit.entries).toHaveLength(1);
    // The revoked family's access tokens stop working at once, not after 15 minutes.
    expect((await api('/v1/me', { token: third.accessToken })).status).toBe(401);
    // Other sign-ins of the same user are untouched.
    expect((await api('/v1/auth/refresh', { body: { refreshToken: t.owner.refreshToken } })).status).toBe(200);
  });

  it('cookie mode: the refresh token is only an HttpOnly cookie for /v1/auth, rotates through it, and logout clears it', async () => {
    const t = await provisionTestTenant();
    const ip = randomIp();
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(path, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, ...headers }, body: JSON.stringify(body) });
    const cookieOf = (res: Response) => {
      const set = res.headers.get('set-cookie') ?? '';
      return { set, value: /lp_refresh=([^;]*)/.exec(set)?.[1] ?? '' };
    };

    const signedIn = await post('/v1/auth/login', { tenant: t.slug, email: t.owner.email, password: TEST_PASSWORD, session: 'cookie' });
    expect(signedIn.status).toBe(200);
    const body = await json(signedIn);
    expect(body.accessToken).toBeTruthy();
    expect(body).not.toHaveProperty('refreshToken');
    const first = cookieOf(signedIn);
    expect(first.value).toMatch(/.{20,}/);
    expect(first.set).toMatch(/HttpOnly/i);
    expect(first.set).toMatch(/SameSite=Strict/i);
    expect(first.set).toMatch(/Path=\/v1\/auth/);
    expect(first.set).toMatch(/Max-Age=2592000/);
    // Plain HTTP here; a request over HTTPS also gets Secure.
    expect(first.set).not.toMatch(/Secure/i);

    // Refresh with an empty body: the cookie carries the token, and a new one comes back the same way.
    const refreshed = await post('/v1/auth/refresh', {}, { cookie: `lp_refresh=${first.value}` });
    expect(refreshed.status).toBe(200);
    expect(await json(refreshed)).not.toHaveProperty('refreshToken');
    const second = cookieOf(refreshed);
    expect(second.value).toBeTruthy();
    expect(second.value).not.toBe(first.value);
    // The old cookie is spent: presenting it again is reuse, and the whole sign-in ends.
    expect((await post('/v1/auth/refresh', {}, { cookie: `lp_refresh=${first.value}` })).status).toBe(401);
    expect((await post('/v1/auth/refresh', {}, { cookie: `lp_refresh=${second.value}` })).status).toBe(401);

    // A new cookie sign-in; logout revokes it and clears the cookie.
    const again = await post('/v1/auth/login', { tenant: t.slug, email: t.owner.email, password: TEST_PASSWORD, session: 'cookie' });
    const token = (await json(again)).accessToken as string;
    const cookie = cookieOf(again).value;
    const out = await post('/v1/auth/logout', {}, { cookie: `lp_refresh=${cookie}`, authorization: `Bearer ${token}` });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/lp_refresh=;.*Max-Age=0/i);
    expect((await post('/v1/auth/refresh', {}, { cookie: `lp_refresh=${cookie}` })).status).toBe(401);

    // Neither a body token nor a cookie: a clear 401, not a 500.
    const none = await post('/v1/auth/refresh', {});
    expect(none.status).toBe(401);
    expect((await json(none)).error.message).toMatch(/no refresh token/i);
    // The body mode (integrators) is unchanged and sets no cookie.
    const plain = await post('/v1/auth/login', { tenant: t.slug, email: t.owner.email, password: TEST_PASSWORD });
    expect((await json(plain)).refreshToken).toBeTruthy();
    expect(plain.headers.get('set-cookie')).toBeNull();
    expect((await post('/v1/auth/login', { tenant: t.slug, email: t.owner.email, password: TEST_PASSWORD, session: 'jar' })).status).toBe(422);
  });

  it('logout ends the sign-in', async () => {
    const t = await provisionTestTenant();
    const s = await login(t.slug, t.owner.email, TEST_PASSWORD);
    expect((await api('/v1/auth/logout', { token: s.accessToken, body: { refreshToken: s.refreshToken } })).status).toBe(204);
    expect((await api('/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    expect((await api('/v1/me', { token: s.accessToken })).status).toBe(401);
  });

  const [kid, secret] = env.JWT_SIGNING_KEYS.split(',')[0]!.split(':') as [string, string];
  const sign = (claims: Record<string, unknown>, opts: { aud?: string; exp?: number; alg?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'HS256', kid, typ: 'JWT' })
      .setIssuer(new URL(env.APP_URL).origin)
      .setAudience(opts.aud ?? 'leadpulse-api')
      .setIssuedAt(now - 10)
      .setExpirationTime(opts.exp ?? now + 600)
      .setJti(crypto.randomUUID())
      .setSubject(claims.sub as string)
      .sign(new TextEncoder().encode(secret));
  };

  it('accepts a well-formed token and rejects expired, wrong-audience and alg:none tokens', async () => {
    const t = await provisionTestTenant();
    const claims = { sub: t.owner.id, tid: t.id, role: 'owner' };
    expect((await api('/v1/me', { token: await sign(claims) })).status).toBe(200);
    expect((await api('/v1/me', { token: await sign(claims, { exp: Math.floor(Date.now() / 1000) - 60 }) })).status).toBe(401);
    expect((await api('/v1/me', { token: await sign(claims, { aud: 'someone-else' }) })).status).toBe(401);
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const none = `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64({ ...claims, iss: new URL(env.APP_URL).origin, aud: 'leadpulse-api', exp: 9e9, iat: Math.floor(Date.now() / 1000), jti: 'x' })}.`;
    expect((await api('/v1/me', { token: none })).status).toBe(401);
  });

  it('refuses a token of a deleted user and a revoked API key', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    expect((await api('/v1/me', { token: agent.token })).status).toBe(200);
    expect((await api(`/v1/users/${agent.id}`, { method: 'DELETE', token: t.owner.token })).status).toBe(204);
    expect((await api('/v1/me', { token: agent.token })).status).toBe(401);

    const created = await json(await api('/v1/api-keys', { token: t.owner.token, body: { name: 'ingest', scopes: ['events:write'] } }));
    expect(created.key).toMatch(/^lp_live_/);
    const listed = await json(await api('/v1/api-keys', { token: t.owner.token }));
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await api(`/v1/api-keys/${created.id}`, { method: 'DELETE', token: t.owner.token })).status).toBe(200);
    expect((await api('/v1/me', { token: created.key })).status).toBe(401);
  });
});

describe('roles', () => {
  it('lets an admin manage users but not grant owner; keeps the last owner', async () => {
    const t = await provisionTestTenant();
    const admin = await memberWithRole(t, 'admin');
    const res = await api('/v1/users', { token: admin.token, body: { email: 'x@x.test', name: 'X', role: 'owner', password: TEST_PASSWORD } });
    expect(res.status).toBe(403);
    expect((await api(`/v1/users/${t.owner.id}`, { method: 'PATCH', token: t.owner.token, body: { role: 'admin' } })).status).toBe(409);
    const patched = await api(`/v1/users/${admin.id}`, { method: 'PATCH', token: t.owner.token, body: { territories: ['78701'], capacity: 5, paused: true } });
    expect(await json(patched)).toMatchObject({ territories: ['78701'], capacity: 5, paused: true });
  });

  it('tenant settings merge deeply and are validated with field paths', async () => {
    const t = await provisionTestTenant();
    const ok = await json(await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, body: { settings: { quietHours: { start: '09:00' } } } }));
    expect(ok.settings.quietHours).toEqual({ start: '09:00', end: '21:00', stateRules: true });
    const bad = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, body: { settings: { businessRules: { commissionRate: 3 } } } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).error.details[0].path).toBe('settings.businessRules.commissionRate');
  });
});
