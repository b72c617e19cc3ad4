/**
 * Tenant webhooks end to end inside the Worker: emitTenantEvent stores the delivery and publishes
 * it to QStash (the local stand-in), the signed QStash call to /jobs/deliver-webhook sends it to
 * the webhook sink, and what the sink received verifies with verifyLeadPulseSignature. Failures,
 * QStash's redeliveries, repeated emits and a lost publish (the redrive) included.
 */
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { outboundDeliveries } from '../../db/schema';
import { openSystemContext } from '../../services/clients';
import type { ServiceContext } from '../../services/context';
import { withTransaction } from '../../services/context';
import { configureWebhookEndpoint } from '../../services/tenant-webhooks/endpoint';
import { emitTenantEvent, type TenantEvent } from '../../services/tenant-webhooks';
import { verifyLeadPulseSignature } from '../../services/tenant-webhooks/signature';
import { call, env, json, withDb } from '../../testing/client';
import { api, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { deliverJob } from '../../testing/qstash';

declare module 'vitest' {
  export interface ProvidedContext {
    webhookSinkUrl: string;
  }
}

const SECRET = 'whsec_delivery_test_0123456789';
const JOB = '/jobs/deliver-webhook';

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** A tenant whose webhook points at its own path on the sink. */
async function webhookTenant(): Promise<TestTenant & { path: string }> {
  const t = await provisionTestTenant();
  const path = `/t/${crypto.randomUUID()}`;
  const res = await api('/v1/integrations/webhook', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { url: `${inject('webhookSinkUrl')}${path}`, secret: SECRET } });
  expect(res.status).toBe(200);
  return { ...t, path };
}

async function received(path: string): Promise<Received[]> {
  const res = await fetch(`${inject('webhookSinkUrl')}/_sink/requests?path=${encodeURIComponent(path)}`);
  return ((await res.json()) as { requests: Received[] }).requests;
}

async function failNext(path: string, status: number, count = 1) {
  const res = await fetch(`${inject('webhookSinkUrl')}/_sink/faults`, { method: 'POST', body: JSON.stringify({ path, status, count }) });
  expect(res.status).toBe(201);
}

/** The messages the QStash stand-in accepted for a delivery (published with label = delivery id). */
async function qstashMessagesFor(deliveryId: string): Promise<Array<{ messageId: string; url: string }>> {
  const res = await fetch(`${env.QSTASH_URL}/v2/events?label=${encodeURIComponent(deliveryId)}&state=CREATED`, { headers: { authorization: `Bearer ${env.QSTASH_TOKEN}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: Array<{ messageId: string; url: string }> }).events;
}

const contexts: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of contexts.splice(0)) await close();
});

function systemContext(tenantId: string): ServiceContext {
  const { ctx, close } = openSystemContext(env, tenantId);
  contexts.push(close);
  return ctx;
}

const emit = (t: { id: string }, event: Partial<TenantEvent> = {}) =>
  emitTenantEvent(systemContext(t.id), { type: 'alert.created', dedupeKey: `alert.created:${crypto.randomUUID()}`, data: { alertId: 'alrt_x', reasons: ['listing views ×4'] }, ...event });

const runDelivery = (deliveryId: string, opts: { messageId?: string; retried?: number } = {}) => deliverJob(JOB, { deliveryId }, opts);

const rowOf = async (id: string) => (await withDb((db) => db.select().from(outboundDeliveries).where(eq(outboundDeliveries.id, id))))[0]!;

describe('emit → QStash → /jobs/deliver-webhook → the tenant', () => {
  it('delivers a signed event that verifyLeadPulseSignature accepts, and a tampered body fails', async () => {
    const t = await webhookTenant();
    const emitted = await emit(t, { type: 'alert.created', dedupeKey: 'alert.created:alrt_1', data: { alertId: 'alrt_1', probability: 0.81 } });
    expect(emitted).toEqual({ queued: true, deliveryId: expect.stringMatching(/^owh_/) });
    const deliveryId = emitted.deliveryId!;

    // One QStash message, addressed to the delivery job, with the delivery id as its body.
    const messages = await qstashMessagesFor(deliveryId);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.url).toBe(new URL(JOB, env.APP_URL).toString());
    const message = await fetch(`${env.QSTASH_URL}/v2/messages/${messages[0]!.messageId}`, { headers: { authorization: `Bearer ${env.QSTASH_TOKEN}` } });
    expect(await message.json()).toMatchObject({ body: JSON.stringify({ deliveryId }), maxRetries: 5, label: deliveryId });
    expect((await received(t.path)).length).toBe(0);

    const res = await runDelivery(deliveryId);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ job: 'deliver-webhook', duplicate: false, outcome: 'delivered', statusCode: 200 });

    const [got] = await received(t.path);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['leadpulse-event']).toBe('alert.created');
    expect(got!.headers['leadpulse-delivery']).toBe(deliveryId);
    expect(got!.headers['leadpulse-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const body = JSON.parse(got!.body);
    expect(body).toEqual({ id: deliveryId, type: 'alert.created', createdAt: expect.any(String), tenantId: t.id, data: { alertId: 'alrt_1', probability: 0.81 } });
    expect(Math.abs(Date.parse(body.createdAt) - Date.now())).toBeLessThan(60_000);

    const signature = got!.headers['leadpulse-signature'];
    expect(await verifyLeadPulseSignature(SECRET, signature, got!.body)).toBe(true);
    expect(await verifyLeadPulseSignature(SECRET, signature, got!.body.replace('0.81', '0.99'))).toBe(false);
    expect(await verifyLeadPulseSignature('whsec_some_other_secret_000', signature, got!.body)).toBe(false);
    // Outside the tolerance window (a replay an hour later).
    expect(await verifyLeadPulseSignature(SECRET, signature, got!.body, 300, Math.floor(Date.now() / 1000) + 3600)).toBe(false);

    expect(await rowOf(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(Date) });
    const view = await json(await api('/v1/integrations/webhook', { token: t.owner.token, ip: t.ip }));
    expect(view).toMatchObject({ lastStatusCode: 200, lastError: null, lastDeliveryAt: expect.any(String) });
    expect(view.recentDeliveries).toMatchObject([{ id: deliveryId, type: 'alert.created', status: 'delivered', attempts: 1, lastStatusCode: 200 }]);
  });

  it("keeps the endpoint's status line on a PUT to the same URL and clears it for a new URL", async () => {
    const t = await webhookTenant();
    const { deliveryId } = await emit(t);
    await runDelivery(deliveryId!);
    const same = await api('/v1/integrations/webhook', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { url: `${inject('webhookSinkUrl')}${t.path}` } });
    expect(await json(same)).toMatchObject({ lastStatusCode: 200, lastDeliveryAt: expect.any(String) });
    const moved = await api('/v1/integrations/webhook', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { url: `${inject('webhookSinkUrl')}${t.path}/v2` } });
    expect(await json(moved)).toMatchObject({ lastStatusCode: null, lastDeliveryAt: null, lastError: null, recentDeliveries: [{ id: deliveryId, status: 'delivered' }] });
  });

  it('sends nothing again when QStash redelivers after success (same message, or a second message for the row)', async () => {
    const t = await webhookTenant();
    const { deliveryId } = await emit(t);
    const messageId = `msg_${crypto.randomUUID()}`;
    expect((await runDelivery(deliveryId!, { messageId })).status).toBe(200);

    const sameMessage = await runDelivery(deliveryId!, { messageId, retried: 1 });
    expect(await json(sameMessage)).toEqual({ job: 'deliver-webhook', duplicate: true });
    const otherMessage = await runDelivery(deliveryId!);
    expect(await json(otherMessage)).toMatchObject({ duplicate: false, outcome: 'already_delivered' });

    expect(await received(t.path)).toHaveLength(1);
    expect((await rowOf(deliveryId!)).attempts).toBe(1);
  });

  it('answers 503 when the receiver fails (so QStash retries), records the attempt, and the retry delivers', async () => {
    const t = await webhookTenant();
    await failNext(t.path, 503);
    const { deliveryId } = await emit(t);
    const messageId = `msg_${crypto.randomUUID()}`;

    const failed = await runDelivery(deliveryId!, { messageId });
    expect(failed.status).toBe(503);
    // No Retry-After: QStash keeps its own exponential backoff for a receiver that is down.
    expect(failed.headers.get('retry-after')).toBeNull();
    expect((await json(failed)).error.code).toBe('dependency_unavailable');
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503, lastError: expect.stringContaining('HTTP 503') });
    const afterFailure = await json(await api('/v1/integrations/webhook', { token: t.owner.token, ip: t.ip }));
    expect(afterFailure).toMatchObject({ lastStatusCode: 503, lastError: expect.stringContaining('injected fault 503') });

    // QStash's retry of the same message.
    const retry = await runDelivery(deliveryId!, { messageId, retried: 1 });
    expect(await json(retry)).toMatchObject({ outcome: 'delivered', statusCode: 200 });
    const requests = await received(t.path);
    expect(requests.map((r) => r.status)).toEqual([503, 200]);
    for (const r of requests) {
      expect(r.headers['leadpulse-delivery']).toBe(deliveryId);
      expect(await verifyLeadPulseSignature(SECRET, r.headers['leadpulse-signature'], r.body)).toBe(true);
    }
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null });
    expect(await json(await api('/v1/integrations/webhook', { token: t.owner.token, ip: t.ip }))).toMatchObject({ lastStatusCode: 200, lastError: null });
  });

  it('treats a 4xx refusal (other than 408/429) as final: failed, answered 200, not retried', async () => {
    const t = await webhookTenant();
    await failNext(t.path, 400);
    const { deliveryId } = await emit(t);
    const res = await runDelivery(deliveryId!);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ outcome: 'rejected', statusCode: 400 });
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 400 });
  });

  it('retries a 429', async () => {
    const t = await webhookTenant();
    await failNext(t.path, 429);
    const { deliveryId } = await emit(t);
    expect((await runDelivery(deliveryId!)).status).toBe(503);
    expect((await rowOf(deliveryId!)).status).toBe('pending');
  });

  it("marks the row failed on QStash's last retry (the message then goes to QStash's DLQ)", async () => {
    const t = await webhookTenant();
    await failNext(t.path, 500);
    const { deliveryId } = await emit(t);
    const res = await runDelivery(deliveryId!, { retried: 5 });
    expect(res.status).toBe(503);
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
  });

  it('records a receiver that does not answer at all', async () => {
    const t = await webhookTenant();
    await failNext(t.path, 0);
    const { deliveryId } = await emit(t);
    expect((await runDelivery(deliveryId!)).status).toBe(503);
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^request failed/) });
  });
});

describe('emitTenantEvent', () => {
  it('stores and publishes a repeated dedupe key once: one row, one QStash message, one delivery', async () => {
    const t = await webhookTenant();
    const event = { type: 'lead.scored', dedupeKey: `lead.scored:lead_1:${crypto.randomUUID()}`, data: { score: 87 } };
    const first = await emit(t, event);
    const second = await emit(t, { ...event, data: { score: 12 } });
    expect(second).toEqual({ queued: true, deliveryId: first.deliveryId, duplicate: true });

    const rows = await withDb((db) => db.select().from(outboundDeliveries).where(eq(outboundDeliveries.dedupeKey, event.dedupeKey)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ data: { score: 87 } });
    expect(await qstashMessagesFor(first.deliveryId!)).toHaveLength(1);

    await runDelivery(first.deliveryId!);
    await runDelivery(second.deliveryId!);
    const got = await received(t.path);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).data).toEqual({ score: 87 });
  });

  it('answers {queued:false} without an endpoint, and sees a new endpoint at once in the same isolate', async () => {
    const t = await provisionTestTenant();
    const ctx = systemContext(t.id);
    const dedupeKey = `alert.created:${crypto.randomUUID()}`;
    expect(await emitTenantEvent(ctx, { type: 'alert.created', dedupeKey, data: {} })).toEqual({ queued: false });
    expect(await withDb((db) => db.select().from(outboundDeliveries).where(eq(outboundDeliveries.tenantId, t.id)))).toEqual([]);

    // The "no endpoint" answer is cached for 30 s; configuring the endpoint here clears it.
    await configureWebhookEndpoint({ ...ctx, actor: { type: 'user', id: t.owner.id } }, { url: `${inject('webhookSinkUrl')}/t/${crypto.randomUUID()}`, secret: SECRET });
    expect(await emitTenantEvent(ctx, { type: 'alert.created', dedupeKey, data: {} })).toMatchObject({ queued: true });
  });

  it('does not queue for a disabled endpoint', async () => {
    const t = await webhookTenant();
    await api('/v1/integrations/webhook', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { url: `${inject('webhookSinkUrl')}${t.path}`, enabled: false } });
    expect(await emit(t)).toEqual({ queued: false });
  });

  it('throws for an event that could never be sent (a caller bug), not for a downstream failure', async () => {
    const t = await webhookTenant();
    await expect(emit(t, { type: 'Alert Created' })).rejects.toThrow(TypeError);
    await expect(emit(t, { dedupeKey: '' })).rejects.toThrow(TypeError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(emit(t, { data: circular })).rejects.toThrow(TypeError);

    // The database is unreachable (the local bridge refuses this address): logged, reported as
    // not queued, never thrown — whether the endpoint lookup or the insert is what fails.
    expect(await emit(t)).toMatchObject({ queued: true }); // the endpoint is now cached as enabled
    const broken = openSystemContext({ ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, t.id);
    contexts.push(broken.close);
    const event = { type: 'alert.created', dedupeKey: `alert.created:${crypto.randomUUID()}`, data: {} };
    expect(await emitTenantEvent(broken.ctx, event)).toEqual({ queued: false });
    expect(await emitTenantEvent({ ...broken.ctx, tenantId: crypto.randomUUID() }, event)).toEqual({ queued: false });
  });

  it("writes inside the caller's transaction: rolled back with it, committed with it", async () => {
    const t = await webhookTenant();
    const ctx = systemContext(t.id);
    const rolledBack = `alert.created:${crypto.randomUUID()}`;
    await expect(
      withTransaction(ctx, async (tx) => {
        await emitTenantEvent(tx, { type: 'alert.created', dedupeKey: rolledBack, data: {} });
        throw new Error('the caller fails after emitting');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await withDb((db) => db.select().from(outboundDeliveries).where(eq(outboundDeliveries.dedupeKey, rolledBack)))).toEqual([]);

    const committed = `alert.created:${crypto.randomUUID()}`;
    const result = await withTransaction(ctx, (tx) => emitTenantEvent(tx, { type: 'alert.created', dedupeKey: committed, data: {} }));
    expect(await rowOf(result.deliveryId!)).toMatchObject({ dedupeKey: committed, status: 'pending' });
  });
});

describe('when QStash cannot be reached', () => {
  it('keeps the row pending, and /jobs/webhook-redrive publishes it once QStash is back', async () => {
    const t = await webhookTenant();
    const ctx = systemContext(t.id);
    const down = { ...ctx, config: { ...ctx.config, QSTASH_URL: 'http://127.0.0.1:1' } };
    const { queued, deliveryId } = await emitTenantEvent(down, { type: 'alert.created', dedupeKey: `alert.created:${crypto.randomUUID()}`, data: { n: 1 } });
    expect(queued).toBe(true);
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await qstashMessagesFor(deliveryId!)).toEqual([]);

    // Too recent for the redrive (QStash may simply not have called yet).
    expect((await json(await deliverJob('/jobs/webhook-redrive'))).job).toBe('webhook-redrive');
    expect(await qstashMessagesFor(deliveryId!)).toEqual([]);

    await withDb((db) =>
      db
        .update(outboundDeliveries)
        .set({ createdAt: sql`now() - interval '2 minutes'`, updatedAt: sql`now() - interval '2 minutes'` })
        .where(eq(outboundDeliveries.id, deliveryId!)),
    );
    const redrive = await deliverJob('/jobs/webhook-redrive');
    expect(redrive.status).toBe(200);
    expect((await json(redrive)).published).toBeGreaterThanOrEqual(1);
    expect(await qstashMessagesFor(deliveryId!)).toHaveLength(1);
    const touched = (await rowOf(deliveryId!)).updatedAt;

    // Republished: left alone for QStash's dedupe window, not republished every minute.
    await deliverJob('/jobs/webhook-redrive');
    expect((await rowOf(deliveryId!)).updatedAt).toEqual(touched);

    expect(await json(await runDelivery(deliveryId!))).toMatchObject({ outcome: 'delivered' });
    expect(await received(t.path)).toHaveLength(1);
  });
});

describe('POST /jobs/deliver-webhook', () => {
  it('refuses a call that QStash did not sign', async () => {
    const res = await call(JOB, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deliveryId: 'owh_1' }) });
    expect(res.status).toBe(401);
  });

  it('asks QStash to come back for a delivery not stored yet, and gives up on it later', async () => {
    const missing = 'owh_1111111111111111111111';
    expect((await runDelivery(missing)).status).toBe(503);
    expect(await json(await runDelivery(missing, { retried: 2 }))).toMatchObject({ outcome: 'missing' });
  });

  it('ends a delivery as failed when the endpoint was removed meanwhile', async () => {
    const t = await webhookTenant();
    const { deliveryId } = await emit(t);
    expect((await api('/v1/integrations/webhook', { method: 'DELETE', token: t.owner.token, ip: t.ip })).status).toBe(204);
    expect(await json(await runDelivery(deliveryId!))).toMatchObject({ outcome: 'no_endpoint' });
    expect(await rowOf(deliveryId!)).toMatchObject({ status: 'failed', lastError: 'no webhook configured' });
    expect(await received(t.path)).toEqual([]);
  });
});

describe('POST /v1/integrations/webhook/test', () => {
  it('queues a signed webhook.test event through the same path', async () => {
    const t = await webhookTenant();
    const res = await api('/v1/integrations/webhook/test', { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(res.status).toBe(202);
    const { deliveryId } = await json(res);
    expect(await qstashMessagesFor(deliveryId)).toHaveLength(1);
    expect(await json(await runDelivery(deliveryId))).toMatchObject({ outcome: 'delivered' });
    const [got] = await received(t.path);
    expect(got!.headers['leadpulse-event']).toBe('webhook.test');
    expect(JSON.parse(got!.body)).toMatchObject({ id: deliveryId, type: 'webhook.test', tenantId: t.id, data: { requestedBy: t.owner.id } });
    expect(await verifyLeadPulseSignature(SECRET, got!.headers['leadpulse-signature'], got!.body)).toBe(true);
  });
});
