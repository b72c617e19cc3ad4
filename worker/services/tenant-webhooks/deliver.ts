/**
 * Sending one stored event to the tenant's URL (the /jobs/deliver-webhook job), and the redrive
 * that republishes deliveries QStash never got.
 *
 * Outcomes of an attempt:
 * - 2xx → delivered; a later run for the same row (QStash redelivers at least once) sends nothing.
 * - no answer within 10 s, a network error, 408, 429 or 5xx → recorded, and the job answers 503
 *   so QStash retries with its backoff; after the last retry the row is marked failed (QStash
 *   keeps the message in its dead-letter queue, from where an operator can retry it).
 * - any other 4xx, or a redirect (not followed: the signature names no host, and a redirect is
 *   a configuration to fix) → failed at once, the job answers 200. The receiver understood the
 *   request and refused it; repeating the same bytes for a day would not change its mind.
 * Receivers should still dedupe on `LeadPulse-Delivery`: delivery is at-least-once.
 */
import { and, asc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { outboundDeliveries, webhookEndpoints } from '../../db/schema';
import { ServiceError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { DELIVERY_RETRIES, publishDelivery } from './emit';
import { endpointForDelivery, recordEndpointAttempt } from './endpoint';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signLeadPulsePayload } from './signature';

export const DELIVERY_TIMEOUT_MS = 10_000;
const ERROR_SNIPPET_CHARS = 200;

export interface DeliveryDeps {
  db: Database;
  config: Config;
  logger: Logger;
}

export type DeliveryOutcome =
  | { outcome: 'delivered'; statusCode: number; attempts: number }
  | { outcome: 'rejected'; statusCode: number; attempts: number }
  | { outcome: 'already_delivered' }
  | { outcome: 'no_endpoint' }
  | { outcome: 'missing' };

/**
 * The tenant's receiver did not take the delivery (or it cannot be attempted yet). 503 without
 * Retry-After: QStash then retries on its own exponential backoff instead of hammering a
 * receiver that is down.
 */
export class WebhookDeliveryFailed extends ServiceError {
  constructor(deliveryId: string, reason: string) {
    super('dependency_unavailable', `Webhook delivery ${deliveryId} did not succeed (${reason}); QStash retries it`, { details: { deliveryId } });
  }
}

type DeliveryRow = typeof outboundDeliveries.$inferSelect;
type AttemptResult = { statusCode: number | null; error: string | null };

/** One QStash-driven attempt for `deliveryId`; `retried` is QStash's Upstash-Retried. */
export async function deliverTenantWebhook(deps: DeliveryDeps, deliveryId: string, retried: number): Promise<DeliveryOutcome> {
  const { db, config } = deps;
  const [row] = await db.select().from(outboundDeliveries).where(eq(outboundDeliveries.id, deliveryId)).limit(1);
  if (!row) {
    // Emitted inside a transaction that had not committed when QStash called: try again
    // shortly. Still missing after that, it was rolled back and there is nothing to send.
    if (retried < 2) throw new WebhookDeliveryFailed(deliveryId, 'not stored yet');
    return { outcome: 'missing' };
  }
  if (row.status === 'delivered') return { outcome: 'already_delivered' };
  const logger = deps.logger.with({ tenantId: row.tenantId, deliveryId });

  const endpoint = await endpointForDelivery(db, config, row.tenantId);
  if (!endpoint?.enabled) {
    await finishAttempt(db, row.id, 'failed', { statusCode: null, error: endpoint ? 'webhook disabled' : 'no webhook configured' });
    return { outcome: 'no_endpoint' };
  }

  // Counted before sending, so a run that dies mid-request still shows as an attempt (and the
  // redrive, which looks for rows never attempted, leaves the row to QStash's retries).
  const [claimed] = await db
    .update(outboundDeliveries)
    .set({ attempts: sql`${outboundDeliveries.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(outboundDeliveries.id, row.id), ne(outboundDeliveries.status, 'delivered')))
    .returning({ attempts: outboundDeliveries.attempts });
  if (!claimed) return { outcome: 'already_delivered' };

  const result = await postSigned(endpoint, row);
  await recordEndpointAttempt(db, row.tenantId, result);
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) {
    await finishAttempt(db, row.id, 'delivered', result);
    return { outcome: 'delivered', statusCode: status, attempts: claimed.attempts };
  }
  const retryable = status === null || status === 408 || status === 429 || status >= 500;
  if (!retryable) {
    await finishAttempt(db, row.id, 'failed', result);
    logger.warn('tenant webhook refused; not retried', { statusCode: status });
    return { outcome: 'rejected', statusCode: status, attempts: claimed.attempts };
  }
  const last = retried >= DELIVERY_RETRIES;
  await finishAttempt(db, row.id, last ? 'failed' : 'pending', result);
  logger.warn('tenant webhook attempt failed', { statusCode: status, error: result.error, attempt: claimed.attempts, last });
  throw new WebhookDeliveryFailed(row.id, result.error ?? `HTTP ${status}`);
}

async function finishAttempt(db: Database, id: string, status: DeliveryRow['status'], result: AttemptResult) {
  await db
    .update(outboundDeliveries)
    .set({
      status,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      ...(status === 'delivered' ? { deliveredAt: sql`now()` } : {}),
      updatedAt: sql`now()`,
    })
    // A concurrent run that already delivered it wins.
    .where(and(eq(outboundDeliveries.id, id), ne(outboundDeliveries.status, 'delivered')));
}

/** The request itself: a fresh timestamp per attempt, so the receiver's tolerance window holds on retries. */
async function postSigned(endpoint: { url: string; secret: string }, row: DeliveryRow): Promise<AttemptResult> {
  const body = JSON.stringify({ id: row.id, type: row.eventType, createdAt: new Date(row.createdAt).toISOString(), tenantId: row.tenantId, data: row.payload.data ?? null });
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'LeadPulse-Webhooks/1.0',
    [SIGNATURE_HEADER]: await signLeadPulsePayload(endpoint.secret, body),
    [EVENT_HEADER]: row.eventType,
    [DELIVERY_HEADER]: row.id,
  };
  let res: Response;
  try {
    res = await fetch(endpoint.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
  } catch (err) {
    const name = (err as Error)?.name;
    const error = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `request failed: ${(err as Error)?.message ?? String(err)}`;
    return { statusCode: null, error: error.slice(0, 500) };
  }
  if (res.ok) {
    await res.body?.cancel();
    return { statusCode: res.status, error: null };
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    return { statusCode: res.status, error: `HTTP ${res.status} redirect to ${res.headers.get('location') ?? '(no location)'} not followed`.slice(0, 500) };
  }
  const snippet = await bodySnippet(res);
  return { statusCode: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}` };
}

/** The start of an error answer, for the tenant's status screen; the rest is not read. */
async function bodySnippet(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_SNIPPET_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body that breaks off says nothing more than the status does.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
}

/** Republished at most this many per run; the next minute takes the rest. */
const REDRIVE_BATCH = 200;

/**
 * Deliveries that are pending but that QStash is evidently not working on:
 * - never attempted and untouched for a minute: the publish failed (or its answer was lost);
 * - never attempted and republished over 10 minutes ago (QStash's dedupe window has passed, so
 *   a still-queued original cannot be doubled by it);
 * - attempted but untouched for 31 hours: longer than QStash's whole retry ladder, so the run
 *   that last tried it died before recording an outcome.
 * Only for enabled endpoints and events from the last 3 days.
 */
export async function redriveTenantWebhooks(deps: DeliveryDeps): Promise<{ picked: number; published: number }> {
  const { db, config, logger } = deps;
  const d = outboundDeliveries;
  const stale = await db
    .select({ id: d.id })
    .from(d)
    .where(
      and(
        inArray(d.tenantId, db.select({ tenantId: webhookEndpoints.tenantId }).from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true))),
        eq(d.status, 'pending'),
        gt(d.createdAt, sql`now() - interval '3 days'`),
        sql`${d.updatedAt} < now() - case
          when ${d.attempts} > 0 then interval '31 hours'
          when ${d.updatedAt} = ${d.createdAt} then interval '1 minute'
          else interval '10 minutes' end`,
      ),
    )
    .orderBy(asc(d.createdAt))
    .limit(REDRIVE_BATCH);

  let published = 0;
  // A few at a time: quick when QStash is fine, and a handful of failures when it is not.
  for (let i = 0; i < stale.length; i += 10) {
    const batch = stale.slice(i, i + 10);
    const done = await Promise.all(batch.map((r) => publishDelivery(config, r.id, logger)));
    const ids = batch.filter((_, k) => done[k]).map((r) => r.id);
    if (ids.length) await db.update(d).set({ updatedAt: sql`now()` }).where(inArray(d.id, ids));
    published += ids.length;
    if (ids.length === 0) break; // QStash is down: the next run tries again
  }
  return { picked: stale.length, published };
}
