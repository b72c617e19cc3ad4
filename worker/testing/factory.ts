import { subscriptions, type Role } from '../db/schema';
import { call, env, json, withDb } from './client';

export const TEST_PASSWORD = 'correct-horse-battery-2026';

/** A fresh client IP per tenant, so rate limits of one test never bleed into another. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function api(path: string, opts: { method?: string; token?: string; body?: unknown; ip?: string; raw?: string } = {}) {
  const headers: Record<string, string> = { 'cf-connecting-ip': opts.ip ?? randomIp() };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  return call(path, { method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'), headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
}

export interface TestTenant {
  id: string;
  slug: string;
  apiKey: string;
  ip: string;
  owner: { id: string; email: string; token: string; refreshToken: string };
}

/**
 * A fresh tenant with its owner signed in. Tests add more people than the free plan's 3 seats, so
 * the tenant starts on a paid plan with room (as a Stripe webhook would leave it); billing tests
 * ask for `{ plan: 'free' }`.
 */
export async function provisionTestTenant(opts: { plan?: 'free' | 'paid' } = {}): Promise<TestTenant> {
  const slug = `t-${crypto.randomUUID().slice(0, 12)}`;
  const ip = randomIp();
  const email = `owner@${slug}.test`;
  const res = await api('/v1/tenants', {
    token: env.PLATFORM_ADMIN_TOKEN,
    ip,
    body: { name: `Team ${slug}`, slug, owner: { email, name: 'Owner Person', password: TEST_PASSWORD } },
  });
  if (res.status !== 201) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
  const body = await json(res);
  if (opts.plan !== 'free') {
    await withDb((db) => db.insert(subscriptions).values({ tenantId: body.tenant.id, plan: 'brokerage', status: 'active', seats: 100 }));
  }
  const session = await login(slug, email, TEST_PASSWORD, ip);
  return { id: body.tenant.id, slug, apiKey: body.apiKey, ip, owner: { id: body.owner.id, email, token: session.accessToken, refreshToken: session.refreshToken } };
}

export async function login(tenant: string, email: string, password: string, ip = randomIp()) {
  const res = await api('/v1/auth/login', { ip, body: { tenant, email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return json<{ accessToken: string; refreshToken: string; user: { id: string; role: Role } }>(res);
}

/** A member with the given role in the tenant, signed in. */
export async function memberWithRole(t: TestTenant, role: Role) {
  const email = `${role}-${crypto.randomUUID().slice(0, 8)}@${t.slug}.test`;
  const res = await api('/v1/users', { token: t.owner.token, ip: t.ip, body: { email, name: `${role} person`, role, password: TEST_PASSWORD } });
  if (res.status !== 201) throw new Error(`creating ${role} failed: ${res.status} ${await res.text()}`);
  const user = await json(res);
  const session = await login(t.slug, email, TEST_PASSWORD, t.ip);
  return { id: user.id as string, email, token: session.accessToken, refreshToken: session.refreshToken };
}
