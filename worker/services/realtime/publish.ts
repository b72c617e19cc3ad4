/**
 * Realtime delivery to people's open dashboards: each signed-in person has a RealtimeHub
 * (worker/realtime/hub.ts) named by tenant and user. Publishing is best-effort by design —
 * Postgres holds the alert, lead or notification, and a client that missed a message gets it from
 * its hub's replay on reconnect (or refetches when told there is a gap) — so nothing here ever
 * throws into the business operation that triggered it.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema';
import type { HubMessage, PublishResult } from '../../realtime/hub';
import type { ServiceContext } from '../context';

export type RealtimeMessage = HubMessage;

export interface RealtimeAudience {
  userIds: string[];
  /** Also everyone who manages the team (owner, admin, manager). */
  managers?: boolean;
}

/** A hub's name: the tenant is part of it, so a user id alone never reaches another tenant's feed. */
export function hubName(tenantId: string, userId: string) {
  return `${tenantId}:${userId}`;
}

/** The stub of a person's RealtimeHub, or null where the binding is absent. */
export function hubFor(ctx: ServiceContext, userId: string) {
  if (!ctx.hubs) return null;
  return ctx.hubs.get(ctx.hubs.idFromName(hubName(ctx.tenantId, userId)));
}

const MessageSchema = z.object({
  key: z.string().min(1).max(200),
  type: z.string().regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, 'a dotted event name such as alert.created').max(64),
  id: z.string().min(1).max(128),
  data: z.unknown(),
});

/** A frame is sent to every socket and replayed from SQLite: views, not documents. */
const MAX_DATA_CHARS = 32 * 1024;
/** A stuck hub must not hold up the operation that published; replay covers what was not sent. */
const PUBLISH_TIMEOUT_MS = 3_000;

/**
 * Sends `msg` to the open sockets of `audience` in the caller's tenant, at most once per socket
 * per `msg.key`, and logs it for replay. Answers the user ids that had at least one socket open.
 */
export async function publishRealtime(ctx: ServiceContext, audience: RealtimeAudience, msg: RealtimeMessage): Promise<{ deliveredTo: string[] }> {
  try {
    return await publish(ctx, audience, msg);
  } catch (err) {
    ctx.logger.error('realtime publish failed', { key: String(msg?.key).slice(0, 200), error: err });
    return { deliveredTo: [] };
  }
}

async function publish(ctx: ServiceContext, audience: RealtimeAudience, msg: RealtimeMessage): Promise<{ deliveredTo: string[] }> {
  const parsed = MessageSchema.safeParse(msg);
  let size = 0;
  try {
    size = JSON.stringify(msg.data ?? null).length;
  } catch {
    size = Infinity;
  }
  if (!parsed.success || size > MAX_DATA_CHARS) {
    // A publisher's bug, not a client's input: say so loudly, but never fail the caller's operation.
    ctx.logger.error('realtime message refused', { key: String(msg.key).slice(0, 200), type: String(msg.type).slice(0, 64), dataChars: size, issues: parsed.error?.issues.map((i) => i.path.join('.')) });
    return { deliveredTo: [] };
  }
  if (!ctx.hubs) {
    ctx.logger.warn('realtime hubs binding missing; message not delivered', { key: msg.key });
    return { deliveredTo: [] };
  }
  const recipients = new Set(audience.userIds.filter((id) => typeof id === 'string' && id.length > 0 && id.length <= 64));
  if (audience.managers) for (const id of await managersOf(ctx)) recipients.add(id);

  const message: HubMessage = { key: parsed.data.key, type: parsed.data.type, id: parsed.data.id, data: msg.data ?? null };
  const results = await Promise.allSettled([...recipients].map((userId) => withTimeout(hubFor(ctx, userId)!.publish(message), PUBLISH_TIMEOUT_MS).then((r) => ({ userId, r }))));
  const deliveredTo: string[] = [];
  let failed = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      if (result.value.r.sockets > 0) deliveredTo.push(result.value.userId);
    } else {
      failed++;
      ctx.logger.warn('realtime publish failed; the client will replay it on reconnect', { key: msg.key, error: result.reason });
    }
  }
  ctx.logger.debug('realtime published', { key: msg.key, type: msg.type, recipients: recipients.size, deliveredTo: deliveredTo.length, failed });
  return { deliveredTo };
}

/** Closes a person's sockets (one sign-in's, or all), e.g. on sign-out. Best-effort like publishing. */
export async function disconnectRealtime(ctx: ServiceContext, userId: string, sessionId?: string): Promise<number> {
  try {
    return (await hubFor(ctx, userId)?.disconnect(sessionId)) ?? 0;
  } catch (err) {
    ctx.logger.warn('realtime disconnect failed', { userId, error: err });
    return 0;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ── Who manages a tenant ─────────────────────────────────────────────────────────────────────

const MANAGER_ROLES = ['owner', 'admin', 'manager'] as const;
/** Role changes reach managers' feeds within this long; alerts come in bursts, the list rarely changes. */
const MANAGERS_TTL_MS = 30_000;
const MANAGERS_CACHE_MAX_TENANTS = 1_000;
const managersCache = new Map<string, { expires: number; ids: string[] }>();

/**
 * The tenant's owners, admins and managers, cached per isolate; on a database error, none
 * (logged). Only settled lists are cached: a promise begun by one request must not be awaited
 * by another on Workers.
 */
async function managersOf(ctx: ServiceContext): Promise<string[]> {
  const cached = managersCache.get(ctx.tenantId);
  if (cached && cached.expires > Date.now()) return cached.ids;
  try {
    const rows = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.role, [...MANAGER_ROLES]), isNull(users.deletedAt)));
    const ids = rows.map((r) => r.id);
    managersCache.delete(ctx.tenantId);
    if (managersCache.size >= MANAGERS_CACHE_MAX_TENANTS) managersCache.delete(managersCache.keys().next().value!);
    managersCache.set(ctx.tenantId, { expires: Date.now() + MANAGERS_TTL_MS, ids });
    return ids;
  } catch (err) {
    ctx.logger.warn('realtime: could not resolve the managers; publishing to the listed users only', { error: err });
    return [];
  }
}

export type { PublishResult };
