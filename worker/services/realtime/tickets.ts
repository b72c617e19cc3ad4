/**
 * Realtime tickets: for clients that cannot put an access token in the WebSocket subprotocol
 * (or should not leave it in proxies' logs of the handshake), `POST /v1/realtime/ticket` hands
 * out a random single-use credential valid for 60 s, bound to the caller's tenant, user and
 * sign-in. Only its SHA-256 is stored (in Redis, with the TTL); redeeming is one GETDEL, so two
 * connections racing with the same ticket cannot both win.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, users, type Role } from '../../db/schema';
import { base64UrlEncode, randomBytes, sha256Hex } from '../../lib/crypto/bytes';
import { DependencyUnavailable, Forbidden } from '../../lib/errors';
import type { ServiceContext } from '../context';

export const TICKET_TTL_SECONDS = 60;
const TICKET_PREFIX = 'lpws_';
const TICKET_RE = /^lpws_[A-Za-z0-9_-]{43}$/;

const StoredTicket = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  sessionId: z.string().nullable(),
  expiresAt: z.number().int(),
});
export type StoredTicket = z.infer<typeof StoredTicket>;

export interface TicketHolder {
  tenantId: string;
  userId: string;
  role: Role;
  sessionId: string | null;
}

/** Where a ticket lives in Redis: by hash, so a Redis dump holds nothing a client could present. */
export async function ticketKey(ticket: string): Promise<string> {
  return `realtime:ticket:${await sha256Hex(ticket)}`;
}

/** A ticket for the signed-in caller. API keys get none: sockets are for people. */
export async function issueRealtimeTicket(ctx: ServiceContext): Promise<{ ticket: string; expiresAt: Date }> {
  const principal = ctx.principal;
  if (principal?.kind !== 'user') throw new Forbidden('Realtime sockets are for signed-in people; API keys cannot open one');
  const ticket = TICKET_PREFIX + base64UrlEncode(randomBytes(32));
  const expiresAt = Date.now() + TICKET_TTL_SECONDS * 1000;
  const stored: StoredTicket = { tenantId: principal.tenantId, userId: principal.userId, sessionId: principal.familyId ?? null, expiresAt };
  try {
    await ctx.redis.set(await ticketKey(ticket), stored, { ex: TICKET_TTL_SECONDS });
  } catch (err) {
    throw new DependencyUnavailable('Redis', err);
  }
  return { ticket, expiresAt: new Date(expiresAt) };
}

/**
 * Consumes a ticket and answers whom it was issued to, or null when it is malformed, unknown,
 * already used, expired, or its user has since been removed. The role is read now, not when
 * the ticket was issued.
 */
export async function redeemRealtimeTicket(ctx: Pick<ServiceContext, 'redis' | 'db'>, ticket: string): Promise<TicketHolder | null> {
  if (!TICKET_RE.test(ticket)) return null;
  let raw: unknown;
  try {
    raw = await ctx.redis.getdel(await ticketKey(ticket));
  } catch (err) {
    throw new DependencyUnavailable('Redis', err);
  }
  const parsed = StoredTicket.safeParse(raw);
  // Redis expires the key; the stored deadline also holds if a key outlives its TTL (e.g. restored).
  if (!parsed.success || parsed.data.expiresAt <= Date.now()) return null;
  const { tenantId, userId, sessionId } = parsed.data;
  const [user] = await ctx.db
    .select({ role: users.role })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId), isNull(users.deletedAt)))
    .limit(1);
  if (!user || !ROLES.includes(user.role as Role)) return null;
  return { tenantId, userId, role: user.role as Role, sessionId };
}
