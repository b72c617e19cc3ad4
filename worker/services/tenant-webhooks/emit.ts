/**
 * Emitting an event to the tenant's webhook: the delivery row is written first (unique per
 * tenant and dedupe key, so the same event is never sent twice), then QStash is asked to call
 * /jobs/deliver-webhook, which signs and sends it with QStash's retries and backoff. When the
 * publish fails the row stays pending and the webhook-redrive job publishes it again.
 */
import { Client as QStashClient } from '@upstash/qstash';
import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config';
import { outboundDeliveries } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { planAllows } from '../billing/billing';
import type { Db, ServiceContext, Transaction } from '../context';
import { hasActiveEndpoint } from './endpoint';

export interface TenantEvent {
  /** Dotted, lower case: `alert.created`, `lead.scored`. Sent as `LeadPulse-Event`. */
  type: string;
  /** What the event is about plus its transition (`alert.created:alrt_…`): a repeat is a no-op. */
  dedupeKey: string;
  /** Any JSON value; sent as the body's `data`. */
  data: unknown;
}

export interface EmitResult {
  /** True when the event is stored for delivery (now or earlier: see `duplicate`). */
  queued: boolean;
  deliveryId?: string;
  /** The same dedupe key was emitted before; nothing new is sent. */
  duplicate?: boolean;
}

/** QStash retries a failed delivery this many times (backoff ≈ 12 s, 2.5 min, 30 min, 6 h, 24 h). */
export const DELIVERY_RETRIES = 5;
export const DELIVER_JOB_PATH = '/jobs/deliver-webhook';
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_DATA_CHARS = 256 * 1024;

/**
 * Queues `event` for the tenant's webhook. Without an enabled endpoint it answers
 * `{ queued: false }` from a per-isolate cache. It never throws for a downstream failure (a
 * database or QStash outage is logged and reported as not queued, or as queued when the row is
 * stored and only the publish failed); it throws a TypeError for an event that can never be
 * sent (bad type, empty dedupe key, data that is not JSON or too large) — a bug in the caller.
 *
 * Inside the caller's transaction the row is written in a savepoint, so a failure here cannot
 * abort the caller's work, and the row commits or rolls back with it.
 */
export async function emitTenantEvent(ctx: ServiceContext, event: TenantEvent): Promise<EmitResult> {
  serializableData(event);
  try {
    // A plan without outbound webhooks (dropped to free) keeps its endpoint on file but is sent nothing new.
    if (!(await hasActiveEndpoint(ctx)) || !(await planAllows(ctx, 'tenant_webhooks'))) return { queued: false };
  } catch (error) {
    ctx.logger.warn('tenant webhook endpoint lookup failed; event not queued', { eventType: event.type, error });
    return { queued: false };
  }
  return queueTenantEvent(ctx, event);
}

/** emitTenantEvent without the endpoint check (the caller has just read the endpoint itself). */
export async function queueTenantEvent(ctx: ServiceContext, event: TenantEvent): Promise<EmitResult> {
  const data = serializableData(event);
  const logger = ctx.logger.with({ eventType: event.type });
  let stored: { id: string; duplicate: boolean };
  try {
    stored = ctx.inTransaction ? await (ctx.db as Transaction).transaction((sp) => storeDelivery(sp, ctx.tenantId, event, data)) : await storeDelivery(ctx.db, ctx.tenantId, event, data);
  } catch (error) {
    logger.warn('tenant webhook event not stored', { error });
    return { queued: false };
  }
  if (stored.duplicate) return { queued: true, deliveryId: stored.id, duplicate: true };
  await publishDelivery(ctx.config, stored.id, logger);
  return { queued: true, deliveryId: stored.id };
}

function serializableData(event: TenantEvent): unknown {
  if (typeof event?.type !== 'string' || event.type.length > 64 || !EVENT_TYPE.test(event.type)) {
    throw new TypeError(`emitTenantEvent: type must look like "alert.created" (got ${JSON.stringify(event?.type)})`);
  }
  if (typeof event.dedupeKey !== 'string' || !event.dedupeKey || event.dedupeKey.length > 200) {
    throw new TypeError('emitTenantEvent: dedupeKey must be 1–200 characters');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(event.data ?? null);
  } catch (cause) {
    throw new TypeError('emitTenantEvent: data is not JSON-serialisable', { cause });
  }
  if (json === undefined || json.length > MAX_DATA_CHARS) throw new TypeError(`emitTenantEvent: data must serialise to at most ${MAX_DATA_CHARS} characters of JSON`);
  // Stored as jsonb: what is sent is exactly what JSON would make of it (dates → strings…).
  return JSON.parse(json) as unknown;
}

async function storeDelivery(db: Db, tenantId: string, event: TenantEvent, data: unknown): Promise<{ id: string; duplicate: boolean }> {
  const [inserted] = await db
    .insert(outboundDeliveries)
    .values({ id: newId('outboundDelivery'), tenantId, eventType: event.type, dedupeKey: event.dedupeKey, payload: { data } })
    .onConflictDoNothing()
    .returning({ id: outboundDeliveries.id });
  if (inserted) return { id: inserted.id, duplicate: false };
  const [existing] = await db
    .select({ id: outboundDeliveries.id })
    .from(outboundDeliveries)
    .where(and(eq(outboundDeliveries.tenantId, tenantId), eq(outboundDeliveries.dedupeKey, event.dedupeKey)))
    .limit(1);
  return { id: existing!.id, duplicate: true };
}

/**
 * Asks QStash to run the delivery job for one row. The delivery id is the deduplication id, so
 * publishing the same row again (the redrive, a lost response) within QStash's 10-minute window
 * creates no second message; it is also the message's label, to find it in QStash's logs.
 * Never throws: false means the row stays pending for the redrive.
 */
export async function publishDelivery(config: Config, deliveryId: string, logger: Logger): Promise<boolean> {
  // One quick retry only: the caller (an alert being raised) should not wait out the SDK's
  // default five; the redrive catches what this misses.
  const qstash = new QStashClient({ baseUrl: config.QSTASH_URL, token: config.QSTASH_TOKEN, retry: { retries: 1, backoff: () => 100 } });
  try {
    await qstash.publishJSON({
      url: new URL(DELIVER_JOB_PATH, config.APP_URL).toString(),
      body: { deliveryId },
      deduplicationId: deliveryId,
      retries: DELIVERY_RETRIES,
      label: deliveryId,
    });
    return true;
  } catch (error) {
    logger.warn('tenant webhook not published; the redrive will retry', { deliveryId, error });
    return false;
  }
}
