import type { Redis } from '@upstash/redis';
import type { Actor, Principal } from '../auth/principal';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { auditLog } from '../db/schema';
import { newId } from '../lib/ids';
import type { Logger } from '../lib/logger';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Db = Database | Transaction;

/**
 * What every service verb receives: whose data (tenantId), who acts (actor), and the clients.
 * Services scope every query by ctx.tenantId; routes never touch the database themselves.
 */
export interface ServiceContext {
  tenantId: string;
  actor: Actor;
  principal?: Principal;
  db: Db;
  redis: Redis;
  config: Config;
  logger: Logger;
  ip: string | null;
  /** The ConversationRoom Durable Objects (one per lead conversation). */
  rooms?: DurableObjectNamespace<import('../conversations/room').ConversationRoom>;
  /** The RealtimeHub Durable Objects (one per signed-in person: their sockets and replay log). */
  hubs?: DurableObjectNamespace<import('../realtime/hub').RealtimeHub>;
  /** The AlertDesk Durable Objects (one per tenant: the SLA ladder's timers). */
  desks?: DurableObjectNamespace<import('../sla/desk').AlertDesk>;
  /** Set inside withTransaction so nested calls join the outer transaction. */
  inTransaction?: boolean;
}

export async function withTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return (ctx.db as Database).transaction((tx) => fn({ ...ctx, db: tx, inTransaction: true }));
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Written with ctx.db, so inside withTransaction the audit row commits or rolls back with the change. */
export async function audit(ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  await ctx.db.insert(auditLog).values({
    id: newId('audit'),
    tenantId: ctx.tenantId,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: ctx.ip,
    details: entry.details ?? null,
  });
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err;
  const pg = e as { code?: string; constraint?: string };
  return pg?.code === '23505' && (!constraint || pg.constraint === constraint);
}
