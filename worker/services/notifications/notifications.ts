/**
 * The signed-in user's stored notifications (hot lead assigned, a lead asked for a person, an
 * angry reply). The intelligence engine's alerts supersede them with live delivery.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { notifications } from '../../db/schema';
import { NotFound } from '../../lib/errors';
import type { ServiceContext } from '../context';

function recipient(ctx: ServiceContext): string | null {
  return ctx.principal?.kind === 'user' ? ctx.principal.userId : null;
}

export async function listMyNotifications(ctx: ServiceContext, opts: { unreadOnly: boolean; limit: number }) {
  const userId = recipient(ctx);
  if (!userId) return [];
  return ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, ctx.tenantId), eq(notifications.userId, userId), opts.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit);
}

export async function markNotificationRead(ctx: ServiceContext, id: string) {
  const userId = recipient(ctx);
  const [row] = userId
    ? await ctx.db
        .update(notifications)
        .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
        .where(and(eq(notifications.tenantId, ctx.tenantId), eq(notifications.userId, userId), eq(notifications.id, id)))
        .returning()
    : [];
  if (!row) throw new NotFound('Notification');
  return row;
}
