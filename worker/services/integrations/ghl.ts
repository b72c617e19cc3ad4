import { Ratelimit } from '@upstash/ratelimit';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { encryptionKey } from '../../auth/keys';
import type { HttpDatabase } from '../../db/client';
import { ghlConnections } from '../../db/schema';
import { decryptSecret, encryptSecret, secretAad } from '../../lib/crypto/secrets';
import { Conflict } from '../../lib/errors';
import { createGhlClient, type GhlClient } from '../../providers/ghl/client';
import { audit, isUniqueViolation, withTransaction, type Db, type ServiceContext } from '../context';

const TOKEN_PURPOSE = 'ghl:api_token';

export interface GhlConnectionInput {
  locationId: string;
  apiToken: string;
  fromNumber?: string | null;
}

/** Connects (or reconnects) the tenant to one GHL location. A location belongs to one tenant only. */
export async function connectGhl(ctx: ServiceContext, input: GhlConnectionInput) {
  const key = await encryptionKey(ctx.config);
  const apiTokenEncrypted = await encryptSecret(key, input.apiToken, secretAad(ctx.tenantId, TOKEN_PURPOSE));
  try {
    return await withTransaction(ctx, async (tx) => {
      const values = { locationId: input.locationId, apiTokenEncrypted, fromNumber: input.fromNumber ?? null, connectedBy: ctx.actor.id };
      const [row] = await tx.db
        .insert(ghlConnections)
        .values({ tenantId: tx.tenantId, ...values })
        .onConflictDoUpdate({ target: ghlConnections.tenantId, set: { ...values, lastError: null, lastErrorAt: null, updatedAt: sql`now()` } })
        .returning();
      await audit(tx, { action: 'integration.ghl.connected', targetType: 'ghl_location', targetId: input.locationId, details: { fromNumber: input.fromNumber ?? null } });
      forgetLocation(input.locationId);
      return connectionView(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('That GHL location is connected to another LeadPulse account');
    throw err;
  }
}

export async function getGhlConnection(ctx: ServiceContext) {
  const [row] = await ctx.db.select().from(ghlConnections).where(eq(ghlConnections.tenantId, ctx.tenantId)).limit(1);
  return row ? connectionView(row) : null;
}

type ConnectionRow = typeof ghlConnections.$inferSelect;

/** What the API shows: never the token. */
function connectionView(row: ConnectionRow) {
  return {
    locationId: row.locationId,
    fromNumber: row.fromNumber,
    connectedAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastWebhookAt: row.lastWebhookAt,
    lastSendAt: row.lastSendAt,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt,
  };
}

// Webhooks arrive for every tenant at one URL and are routed by locationId; at hundreds per
// second the lookup is cached in the isolate for a short time (a reconnect clears it here,
// other isolates see it within the TTL).
const LOCATION_TTL_MS = 30_000;
const locationCache = new Map<string, { tenantId: string | null; until: number }>();

function forgetLocation(locationId: string) {
  locationCache.delete(locationId);
}

export async function tenantForLocation(db: Db | HttpDatabase, locationId: string): Promise<string | null> {
  const hit = locationCache.get(locationId);
  if (hit && hit.until > Date.now()) return hit.tenantId;
  const [row] = await db.select({ tenantId: ghlConnections.tenantId }).from(ghlConnections).where(eq(ghlConnections.locationId, locationId)).limit(1);
  const tenantId = row?.tenantId ?? null;
  if (locationCache.size > 10_000) locationCache.clear();
  locationCache.set(locationId, { tenantId, until: Date.now() + LOCATION_TTL_MS });
  return tenantId;
}

/** Status for the admin screen, written at most once a minute: not one write per delivery on one hot row. */
export async function touchWebhook(db: Db, tenantId: string) {
  await db
    .update(ghlConnections)
    .set({ lastWebhookAt: sql`now()` })
    .where(and(eq(ghlConnections.tenantId, tenantId), or(isNull(ghlConnections.lastWebhookAt), lt(ghlConnections.lastWebhookAt, sql`now() - interval '1 minute'`))));
}

export async function recordGhlSend(ctx: ServiceContext, error: string | null) {
  const set = error ? { lastError: error.slice(0, 500), lastErrorAt: sql`now()` } : { lastSendAt: sql`now()` };
  await ctx.db.update(ghlConnections).set(set).where(eq(ghlConnections.tenantId, ctx.tenantId));
}

/** GHL allows 100 requests / 10 s per location; we stay a little under it. */
const GHL_BURST = { tokens: 90, window: '10 s' } as const;

export interface GhlSender {
  client: GhlClient;
  locationId: string;
  fromNumber: string | null;
}

/** The tenant's outbound GHL client, or null when no location is connected. */
export async function ghlSenderFor(ctx: ServiceContext): Promise<GhlSender | null> {
  const [row] = await ctx.db.select().from(ghlConnections).where(eq(ghlConnections.tenantId, ctx.tenantId)).limit(1);
  if (!row) return null;
  const token = await decryptSecret(await encryptionKey(ctx.config), row.apiTokenEncrypted, secretAad(ctx.tenantId, TOKEN_PURPOSE));
  const limiter = new Ratelimit({ redis: ctx.redis, limiter: Ratelimit.slidingWindow(GHL_BURST.tokens, GHL_BURST.window), prefix: 'rl:ghl', analytics: false });
  const client = createGhlClient({
    baseUrl: ctx.config.GHL_API_BASE_URL,
    token,
    locationId: row.locationId,
    // A conversation turn waits at most this long for GHL; after that the room defers the
    // message and retries on its alarm, so one slow send never holds the lead's turn for long.
    timeoutMs: 6_000,
    maxTotalMs: 8_000,
    // A location out of GHL budget (100 calls / 10 s) is rescheduled, not slept through: the
    // turn holds one of the isolate's few background slots, which other tenants' leads need.
    maxWaitMs: 1_000,
    limiter: async (locationId) => {
      try {
        const r = await limiter.limit(locationId);
        return { allowed: r.success, retryAfterMs: Math.max(0, r.reset - Date.now()) };
      } catch {
        // Redis down: GHL's own 429 + Retry-After still protects the location.
        return { allowed: true, retryAfterMs: 0 };
      }
    },
  });
  return { client, locationId: row.locationId, fromNumber: row.fromNumber };
}
