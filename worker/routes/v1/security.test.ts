/**
 * The shared security suite. It reads the route table from the OpenAPI document — every
 * operation declares its permission as `x-permission` through defineRoute — so a new route is
 * covered the moment it exists: no token → 401, a role without the permission → 403, another
 * tenant's id → 404 (no existence leak), a malformed body → 422 with field paths.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Permission } from '../../auth/permissions';
import { ROLES, type Role } from '../../db/schema';
import { alerts, modelTrainings, notifications } from '../../db/schema';
import { json, withDb } from '../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { connectGhl, createTestLead, type GhlTenant } from '../../testing/ghl';

/** One alert in the other tenant, raised on its lead. */
let foreignAlert: Promise<string> | undefined;
const alertOf = (other: TestTenant) =>
  (foreignAlert ??= leadOf(other).then(async (leadId) => {
    const id = `alrt_${crypto.randomUUID().replace(/-/g, '').slice(0, 22).replace(/[0OIl]/g, 'x')}`;
    await withDb((db) => db.insert(alerts).values({ id, tenantId: other.id, leadId, kind: 'sell', probability: 0.8, reasons: ['test'], dedupeKey: id }));
    return id;
  }));

/** One lead in the other tenant, created through its GHL webhook as production does. */
let foreignLead: Promise<string> | undefined;
const leadOf = (other: TestTenant) => (foreignLead ??= connectGhl(other).then((g: GhlTenant) => createTestLead(g)).then((l) => l.id as string));

/** One draft experiment in the other tenant, created through its API. */
let foreignExperiment: Promise<string> | undefined;
const experimentOf = (other: TestTenant) =>
  (foreignExperiment ??= api('/v1/experiments', {
    token: other.owner.token,
    body: { key: 'theirs', name: 'Theirs', lever: 'assistant_script', variants: [{ key: 'a', weight: 1, config: { scriptVariant: 'standard' } }, { key: 'b', weight: 1, config: { scriptVariant: 'direct' } }] },
  }).then(async (res) => (await json(res)).experiment.id as string));

interface Operation {
  method: string;
  path: string;
  access: Permission | 'public' | 'platform';
  hasBody: boolean;
}

/** How to get an id of another tenant's resource, per path template. A route with {id} needs one here. */
const foreignIds: Record<string, (other: TestTenant) => Promise<string>> = {
  '/users/{id}': async (other) => (await memberWithRole(other, 'agent')).id,
  '/api-keys/{id}': async (other) => (await json(await api('/v1/api-keys', { token: other.owner.token, body: { name: 'theirs', scopes: ['read'] } }))).id,
  '/leads/{id}': leadOf,
  '/leads/{id}/messages': leadOf,
  '/leads/{id}/takeover': leadOf,
  '/leads/{id}/release': leadOf,
  '/leads/{id}/consent': leadOf,
  '/leads/{id}/scores': leadOf,
  '/leads/{id}/churn': leadOf,
  '/alerts/{id}/routing': alertOf,
  '/alerts/{id}/ack': alertOf,
  '/alerts/{id}/claim': alertOf,
  '/alerts/{id}/dismiss': alertOf,
  '/alerts/{id}/outcome': alertOf,
  '/experiments/{id}': experimentOf,
  '/experiments/{id}/start': experimentOf,
  '/experiments/{id}/stop': experimentOf,
  '/experiments/{id}/exposures': experimentOf,
  '/experiments/{id}/conversions': experimentOf,
  '/coaching/agents/{id}': async (other) => (await memberWithRole(other, 'agent')).id,
  '/coaching/agents/{id}/analyze': async (other) => (await memberWithRole(other, 'agent')).id,
  '/notifications/{id}/read': async (other) => {
    // A hot-lead style notification for the other tenant's owner, as the assistant would store it.
    const id = `ntf_${crypto.randomUUID().replace(/-/g, '').slice(0, 22).replace(/[0OIl]/g, 'x')}`;
    await withDb((db) => db.insert(notifications).values({ id, tenantId: other.id, userId: other.owner.id, kind: 'hot_lead', title: 'Hot seller', body: 'Call now', dedupeKey: id }));
    return id;
  },
  '/models/trainings/{id}': async (other) => {
    // A queued training run of the other tenant, as POST /v1/models/{kind}/train?wait=false stores it.
    const id = `trn_${crypto.randomUUID().replace(/-/g, '').slice(0, 22).replace(/[0OIl]/g, 'x')}`;
    await withDb((db) => db.insert(modelTrainings).values({ id, tenantId: other.id, kind: 'sell', source: 'csv', label: 'Converted', csv: 'a,Converted\n1,1\n' }));
    return id;
  },
};

/** A body that passes validation, for operations where `{}` does not. */
const validBodies: Record<string, unknown> = {
  'POST /leads/{id}/messages': { body: 'Hello from another tenant' },
  'POST /leads/{id}/consent': { action: 'granted', method: 'form' },
  'POST /alerts/{id}/outcome': { converted: true },
  'POST /billing/checkout': { plan: 'team', seats: 5 },
  'POST /experiments/{id}/exposures': { unit: 'lead_x' },
  'POST /experiments/{id}/conversions': { unit: 'lead_x' },
};

let operations: Operation[] = [];
let mine: TestTenant;
let theirs: TestTenant;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  const doc = await json(await api('/v1/openapi.json'));
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      operations.push({ method: method.toUpperCase(), path, access: op['x-permission'], hasBody: Boolean(op.requestBody) });
    }
  }
  [mine, theirs] = await Promise.all([provisionTestTenant(), provisionTestTenant()]);
  tokens.owner = mine.owner.token;
  for (const role of ROLES.filter((r) => r !== 'owner')) tokens[role] = (await memberWithRole(mine, role)).token;
}, 60_000);

const url = (path: string, id = 'usr_1111111111111111111111') => `/v1${path.replace('{id}', id)}`;

describe('the route table', () => {
  it('is published as a valid OpenAPI 3.1 document with an access rule on every operation', async () => {
    const doc = await json(await api('/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.length).toBeGreaterThanOrEqual(16);
    for (const op of operations) expect(op.access, `${op.method} ${op.path}`).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('has a cross-tenant factory for every route that takes an id', () => {
    const missing = operations.filter((o) => o.path.includes('{id}') && !foreignIds[o.path]).map((o) => `${o.method} ${o.path}`);
    expect(missing).toEqual([]);
  });
});

describe('every protected route', () => {
  it('answers 401 without credentials and with a garbage token', async () => {
    for (const op of operations.filter((o) => o.access !== 'public')) {
      for (const token of [undefined, 'not-a-token', 'lp_live_1111111111111111111111111111111111111111111']) {
        const res = await api(url(op.path), { method: op.method, token, raw: op.hasBody ? '{}' : undefined });
        expect(res.status, `${op.method} ${op.path} with ${token ?? 'no token'}`).toBe(401);
        expect((await json(res)).error.code).toBe('unauthorized');
      }
    }
  });

  it('answers 403 to every role that lacks the permission', async () => {
    let checked = 0;
    for (const op of operations.filter((o) => o.access !== 'public' && o.access !== 'platform')) {
      for (const role of ROLES.filter((r) => !ROLE_PERMISSIONS[r].has(op.access as Permission))) {
        const res = await api(url(op.path), { method: op.method, token: tokens[role], raw: op.hasBody ? '{}' : undefined });
        expect(res.status, `${role} → ${op.method} ${op.path}`).toBe(403);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("answers 404 to another tenant's resource id, and leaves it unchanged", async () => {
    for (const op of operations.filter((o) => o.path.includes('{id}'))) {
      const foreignId = await foreignIds[op.path]!(theirs);
      const body = op.hasBody ? JSON.stringify(validBodies[`${op.method} ${op.path}`] ?? {}) : undefined;
      const res = await api(url(op.path, foreignId), { method: op.method, token: tokens.owner, raw: body });
      expect(res.status, `${op.method} ${op.path}`).toBe(404);
      // Still there for its owner.
      const get = operations.find((o) => o.method === 'GET' && o.path === op.path);
      if (get) expect((await api(url(op.path, foreignId), { token: theirs.owner.token })).status).toBe(200);
    }
  });

  it('answers 422 with field paths to a malformed body, and 400 to broken JSON', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      const token = op.access === 'platform' ? undefined : tokens.owner;
      if (op.access === 'platform') continue; // covered in the provisioning tests (needs the platform token)
      const res = await api(url(op.path, 'usr_1111111111111111111111'), { method: op.method, token, raw: '[1,2,3]' });
      expect([400, 422], `${op.method} ${op.path}`).toContain(res.status);
      const body = await json(res);
      if (res.status === 422) expect(body.error.details[0].path, `${op.method} ${op.path}`).toBeTruthy();
      const broken = await api(url(op.path), { method: op.method, token, raw: '{"unterminated' });
      expect([400, 422], `${op.method} ${op.path} broken JSON`).toContain(broken.status);
    }
  });
});

describe('fuzzed bodies', () => {
  it('never produce a 5xx on any JSON route', async () => {
    const targets = operations.filter((o) => o.hasBody);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), async (op, raw) => {
        const res = await api(url(op.path), { method: op.method, token: op.access === 'public' ? undefined : tokens.owner, raw });
        expect(res.status, `${op.method} ${op.path} ← ${raw.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
