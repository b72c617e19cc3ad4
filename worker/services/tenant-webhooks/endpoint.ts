/**
 * The tenant's outbound webhook endpoint (PRODUCT.md §3.4 "Delivery"): one URL per tenant and
 * the secret its deliveries are signed with. The secret is stored encrypted (AES-GCM, bound to
 * the tenant and this purpose) and never shown again.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { encryptionKey } from '../../auth/keys';
import type { Config } from '../../config';
import { outboundDeliveries, webhookEndpoints } from '../../db/schema';
import { decryptSecret, encryptSecret, secretAad } from '../../lib/crypto/secrets';
import { NotFound, ValidationFailed } from '../../lib/errors';
import { audit, withTransaction, type Db, type ServiceContext } from '../context';

const SECRET_PURPOSE = 'webhook:signing_secret';
export const WEBHOOK_SECRET_LENGTH = { min: 16, max: 256 } as const;
export const WEBHOOK_URL_MAX = 2048;
const RECENT_DELIVERIES = 20;

/**
 * Plain http is allowed only on these hosts, so a developer can point a local receiver at a
 * Worker running under `wrangler dev`. A deployed Worker cannot reach them at all.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `raw` cannot be a webhook URL, or null when it can. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return loopback ? 'must be an http(s) URL' : 'must use https (plain http only for localhost, 127.0.0.1 or [::1])';
  }
  // fetch() refuses URLs with credentials; a fragment is never sent.
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a #fragment';
  return null;
}

export interface WebhookEndpointInput {
  url: string;
  /** Required the first time; omitted on a later PUT, the current secret is kept. */
  secret?: string;
  enabled?: boolean;
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof outboundDeliveries.$inferSelect;

function deliveryView(d: DeliveryRow) {
  return {
    id: d.id,
    type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}

/** What the API shows: never the secret. */
function endpointView(row: EndpointRow, recent: DeliveryRow[]) {
  return {
    url: row.url,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastDeliveryAt: row.lastDeliveryAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    recentDeliveries: recent.map(deliveryView),
  };
}

export type WebhookEndpointView = ReturnType<typeof endpointView>;

/** Sets the tenant's endpoint (creating it, or changing URL, secret or enabled). Audited. */
export async function configureWebhookEndpoint(ctx: ServiceContext, input: WebhookEndpointInput): Promise<WebhookEndpointView> {
  const problem = webhookUrlProblem(input.url);
  if (problem) throw new ValidationFailed('The webhook URL is not valid', [{ path: 'url', message: problem }]);
  const url = new URL(input.url).toString();
  const enabled = input.enabled ?? true;
  const secretEncrypted = input.secret === undefined ? undefined : await encryptSecret(await encryptionKey(ctx.config), input.secret, secretAad(ctx.tenantId, SECRET_PURPOSE));

  const row = await withTransaction(ctx, async (tx) => {
    // The last attempt's status describes the old URL; a new URL starts with a clean slate.
    const sameUrl = (col: typeof webhookEndpoints.lastError | typeof webhookEndpoints.lastStatusCode | typeof webhookEndpoints.lastDeliveryAt) =>
      sql`case when ${webhookEndpoints.url} = ${url} then ${col} else null end`;
    const set = {
      url,
      enabled,
      ...(secretEncrypted ? { secretEncrypted } : {}),
      lastDeliveryAt: sameUrl(webhookEndpoints.lastDeliveryAt),
      lastStatusCode: sameUrl(webhookEndpoints.lastStatusCode),
      lastError: sameUrl(webhookEndpoints.lastError),
      updatedAt: sql`now()`,
    };
    // With a secret this is an upsert (two first PUTs racing both succeed); without one there
    // must already be an endpoint whose secret is kept.
    const [saved] = secretEncrypted
      ? await tx.db.insert(webhookEndpoints).values({ tenantId: tx.tenantId, url, enabled, secretEncrypted }).onConflictDoUpdate({ target: webhookEndpoints.tenantId, set }).returning()
      : await tx.db.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.tenantId, tx.tenantId)).returning();
    if (!saved) throw new ValidationFailed('A signing secret is required', [{ path: 'secret', message: 'required when no webhook is configured yet' }]);
    await audit(tx, {
      action: 'integration.webhook.configured',
      targetType: 'webhook_endpoint',
      targetId: tx.tenantId,
      // The host only: a path can carry the receiver's own token (Zapier-style hook URLs).
      details: { host: new URL(url).host, enabled, secretChanged: secretEncrypted !== undefined },
    });
    return saved;
  });
  forgetEndpoint(ctx.tenantId);
  return endpointView(row, await recentDeliveries(ctx));
}

export async function getWebhookEndpoint(ctx: ServiceContext): Promise<WebhookEndpointView> {
  const [row] = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, ctx.tenantId)).limit(1);
  if (!row) throw new NotFound('Webhook endpoint');
  return endpointView(row, await recentDeliveries(ctx));
}

/** Removes the endpoint. Deliveries still queued for it end as failed when their turn comes. Audited. */
export async function removeWebhookEndpoint(ctx: ServiceContext): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [removed] = await tx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tx.tenantId)).returning({ url: webhookEndpoints.url });
    if (!removed) throw new NotFound('Webhook endpoint');
    await audit(tx, { action: 'integration.webhook.removed', targetType: 'webhook_endpoint', targetId: tx.tenantId, details: { host: new URL(removed.url).host } });
  });
  forgetEndpoint(ctx.tenantId);
}

async function recentDeliveries(ctx: ServiceContext): Promise<DeliveryRow[]> {
  return ctx.db
    .select()
    .from(outboundDeliveries)
    .where(eq(outboundDeliveries.tenantId, ctx.tenantId))
    .orderBy(desc(outboundDeliveries.createdAt), desc(outboundDeliveries.id))
    .limit(RECENT_DELIVERIES);
}

// Every alert and score change asks "does this tenant have a webhook?"; most tenants do not, so
// the answer is cached in the isolate for a short time. A change made in this isolate clears it
// at once; other isolates see it within the TTL.
const ENDPOINT_TTL_MS = 30_000;
const endpointCache = new Map<string, { enabled: boolean; until: number }>();

function forgetEndpoint(tenantId: string) {
  endpointCache.delete(tenantId);
}

/** True when the tenant has an enabled endpoint (cached per isolate, see above). */
export async function hasActiveEndpoint(ctx: ServiceContext): Promise<boolean> {
  const hit = endpointCache.get(ctx.tenantId);
  if (hit && hit.until > Date.now()) return hit.enabled;
  const [row] = await ctx.db.select({ enabled: webhookEndpoints.enabled }).from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, ctx.tenantId)).limit(1);
  const enabled = row?.enabled ?? false;
  if (endpointCache.size > 10_000) endpointCache.clear();
  endpointCache.set(ctx.tenantId, { enabled, until: Date.now() + ENDPOINT_TTL_MS });
  return enabled;
}

/** The endpoint with its secret decrypted, for the delivery job; null when none is configured. */
export async function endpointForDelivery(db: Db, config: Config, tenantId: string): Promise<{ url: string; secret: string; enabled: boolean } | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).limit(1);
  if (!row) return null;
  const secret = await decryptSecret(await encryptionKey(config), row.secretEncrypted, secretAad(tenantId, SECRET_PURPOSE));
  return { url: row.url, secret, enabled: row.enabled };
}

/**
 * The endpoint's status line after an attempt. A success only writes when something changed or
 * a minute has passed, so a busy tenant's deliveries do not all queue on this one row.
 */
export async function recordEndpointAttempt(db: Db, tenantId: string, result: { statusCode: number | null; error: string | null }) {
  const quiet = result.error === null;
  await db
    .update(webhookEndpoints)
    .set({ lastDeliveryAt: sql`now()`, lastStatusCode: result.statusCode, lastError: result.error })
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        quiet
          ? sql`(${webhookEndpoints.lastError} is not null or ${webhookEndpoints.lastStatusCode} is distinct from ${result.statusCode} or ${webhookEndpoints.lastDeliveryAt} is null or ${webhookEndpoints.lastDeliveryAt} < now() - interval '1 minute')`
          : undefined,
      ),
    );
}
