import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { ServiceContext } from '../context';

export interface AuditQuery {
  actor?: string;
  action?: string;
  since?: Date;
  before?: Date;
  limit: number;
}

/** Newest first; page with `before` = the last row's `at`. */
export async function listAudit(ctx: ServiceContext, q: AuditQuery) {
  const where: SQL[] = [eq(auditLog.tenantId, ctx.tenantId)];
  if (q.actor) where.push(eq(auditLog.actorId, q.actor));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.since) where.push(gte(auditLog.at, q.since));
  if (q.before) where.push(lt(auditLog.at, q.before));
  return ctx.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at))
    .limit(q.limit);
}
