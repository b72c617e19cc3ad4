/**
 * PUT|GET|DELETE /v1/integrations/webhook: who may configure it, what a URL and a secret must
 * look like, that the secret never comes back (and is stored encrypted), tenant isolation, audit.
 * Delivery itself is tested beside the job (routes/jobs/deliver-webhook.test.ts).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { webhookEndpoints } from '../../../db/schema';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

const SECRET = 'whsec_route_test_0123456789';
const PATH = '/v1/integrations/webhook';

const put = (t: TestTenant, body: unknown, token = t.owner.token) => api(PATH, { method: 'PUT', token, ip: t.ip, body });
const get = (t: TestTenant, token = t.owner.token) => api(PATH, { token, ip: t.ip });

async function issuesOf(res: Response): Promise<Array<{ path: string; message: string }>> {
  expect(res.status).toBe(422);
  const body = await json(res);
  expect(body.error.code).toBe('validation_failed');
  return body.error.details;
}

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await provisionTestTenant();
});

describe('PUT /v1/integrations/webhook', () => {
  it.each([
    ['plain http to a public host', 'http://hooks.example.com/in'],
    ['http to a private address', 'http://10.0.0.5/in'],
    ['another scheme', 'ftp://hooks.example.com/in'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/in'],
    ['a fragment', 'https://hooks.example.com/in#x'],
    ['not a URL', 'hooks.example.com/in'],
  ])('refuses %s', async (_label, url) => {
    const issues = await issuesOf(await put(tenant, { url, secret: SECRET }));
    expect(issues.map((i) => i.path)).toEqual(['url']);
  });

  it.each([
    ['shorter than 16 characters', 'too-short-secret'.slice(0, 15)],
    ['longer than 256 characters', 'x'.repeat(257)],
    ['padded with white space', ` ${SECRET} `],
  ])('refuses a secret %s', async (_label, secret) => {
    const issues = await issuesOf(await put(tenant, { url: 'https://hooks.example.com/in', secret }));
    expect(issues.map((i) => i.path)).toEqual(['secret']);
  });

  it('needs a secret the first time', async () => {
    const fresh = await provisionTestTenant();
    const issues = await issuesOf(await put(fresh, { url: 'https://hooks.example.com/in' }));
    expect(issues).toEqual([{ path: 'secret', message: 'required when no webhook is configured yet' }]);
    expect((await get(fresh)).status).toBe(404);
  });

  it.each(['http://localhost:8788/hooks', 'http://127.0.0.1:9999/in', 'http://[::1]:3000/in'])('accepts plain http on loopback for local development: %s', async (url) => {
    const t = await provisionTestTenant();
    const res = await put(t, { url, secret: SECRET });
    expect(res.status).toBe(200);
    expect((await json(res)).url).toBe(new URL(url).toString());
  });

  it('answers the endpoint view and never the secret; the secret is stored encrypted', async () => {
    const t = await provisionTestTenant();
    const res = await put(t, { url: 'https://hooks.example.com/leadpulse?team=7', secret: SECRET });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    const view = JSON.parse(text);
    expect(view).toEqual({
      url: 'https://hooks.example.com/leadpulse?team=7',
      enabled: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastDeliveryAt: null,
      lastStatusCode: null,
      lastError: null,
      recentDeliveries: [],
    });

    const again = await get(t);
    expect(again.status).toBe(200);
    const againText = await again.text();
    expect(againText).not.toContain(SECRET);
    expect(againText).not.toMatch(/secret/i);

    const [row] = await withDb((db) => db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, t.id)));
    expect(row!.secretEncrypted).toMatch(/^v1\./);
    expect(row!.secretEncrypted).not.toContain(SECRET);
  });

  it('changes the URL or the enabled flag without resending the secret, and keeps the secret', async () => {
    const t = await provisionTestTenant();
    await put(t, { url: 'https://hooks.example.com/a', secret: SECRET });
    const [before] = await withDb((db) => db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, t.id)));
    const res = await put(t, { url: 'https://hooks.example.com/b', enabled: false });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ url: 'https://hooks.example.com/b', enabled: false });
    const [after] = await withDb((db) => db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, t.id)));
    expect(after!.secretEncrypted).toBe(before!.secretEncrypted);
  });

  it('is audited with the host only (a hook URL path can hold the receiver’s token)', async () => {
    const t = await provisionTestTenant();
    await put(t, { url: 'https://hooks.zapier.example/hooks/catch/123/secret-path-token/', secret: SECRET });
    const res = await api('/v1/audit-log?action=integration.webhook.configured', { token: t.owner.token, ip: t.ip });
    const { entries } = await json(res);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: t.owner.id, targetType: 'webhook_endpoint', details: { host: 'hooks.zapier.example', enabled: true, secretChanged: true } });
    expect(JSON.stringify(entries[0])).not.toContain('secret-path-token');
    expect(JSON.stringify(entries[0])).not.toContain(SECRET);
  });
});

describe('access', () => {
  it.each(['manager', 'agent', 'viewer'] as const)('a %s can neither set nor read the webhook (403)', async (role) => {
    const t = await provisionTestTenant();
    await put(t, { url: 'https://hooks.example.com/in', secret: SECRET });
    const member = await memberWithRole(t, role);
    const res = await put(t, { url: 'https://evil.example.com/in', secret: 'attacker-secret-0000' }, member.token);
    expect(res.status).toBe(403);
    expect((await get(t, member.token)).status).toBe(403);
    expect((await api(PATH, { method: 'DELETE', token: member.token, ip: t.ip })).status).toBe(403);
    expect((await json(await get(t))).url).toBe('https://hooks.example.com/in');
  });

  it('an admin can', async () => {
    const t = await provisionTestTenant();
    const admin = await memberWithRole(t, 'admin');
    expect((await put(t, { url: 'https://hooks.example.com/in', secret: SECRET }, admin.token)).status).toBe(200);
  });

  it("another tenant's endpoint is invisible and untouched", async () => {
    const [mine, theirs] = await Promise.all([provisionTestTenant(), provisionTestTenant()]);
    await put(theirs, { url: 'https://theirs.example.com/in', secret: SECRET });
    expect((await get(mine)).status).toBe(404);
    expect((await api(PATH, { method: 'DELETE', token: mine.owner.token, ip: mine.ip })).status).toBe(404);
    expect((await api(`${PATH}/test`, { method: 'POST', token: mine.owner.token, ip: mine.ip })).status).toBe(404);

    await put(mine, { url: 'https://mine.example.com/in', secret: 'a-different-secret-123' });
    expect((await json(await get(theirs))).url).toBe('https://theirs.example.com/in');
    expect((await json(await get(mine))).url).toBe('https://mine.example.com/in');
  });
});

describe('DELETE /v1/integrations/webhook', () => {
  it('removes the endpoint (audited); a second delete is a 404', async () => {
    const t = await provisionTestTenant();
    await put(t, { url: 'https://hooks.example.com/in', secret: SECRET });
    expect((await api(PATH, { method: 'DELETE', token: t.owner.token, ip: t.ip })).status).toBe(204);
    expect((await get(t)).status).toBe(404);
    expect((await api(PATH, { method: 'DELETE', token: t.owner.token, ip: t.ip })).status).toBe(404);
    const { entries } = await json(await api('/v1/audit-log?action=integration.webhook.removed', { token: t.owner.token, ip: t.ip }));
    expect(entries).toMatchObject([{ details: { host: 'hooks.example.com' } }]);
  });
});

describe('POST /v1/integrations/webhook/test', () => {
  it('refuses a disabled endpoint with 409', async () => {
    const t = await provisionTestTenant();
    await put(t, { url: 'https://hooks.example.com/in', secret: SECRET, enabled: false });
    const res = await api(`${PATH}/test`, { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(res.status).toBe(409);
  });
});
