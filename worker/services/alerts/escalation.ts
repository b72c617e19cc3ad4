/**
 * The SLA ladder (PRODUCT.md §3.4): an alert nobody acknowledges within its rule's SLA goes to
 * the next agent the rules would pick (without the ones who let it lapse); still nothing after
 * another SLA, it goes to the managers. Clocks run in business time. Timers live in the
 * tenant's AlertDesk Durable Object (worker/sla/desk.ts); the decisions are made here.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alerts, leads, users, type AlertStatus } from '../../db/schema';
import { addBusinessMinutes } from '../../sla/business-time';
import { planAllows } from '../billing/billing';
import type { ServiceContext } from '../context';
import { decideRoute, routableLead } from '../routing/routing';
import { getTenant } from '../tenants/tenant';
import { announceAlert } from './delivery';

type AlertRow = typeof alerts.$inferSelect;

/** Still waiting for a person: the SLA clock only runs on these. */
const UNACKNOWLEDGED: AlertStatus[] = ['new', 'delivered'];
export const LEVEL = { firstAgent: 0, nextAgent: 1, managers: 2 } as const;

export function deskFor(ctx: ServiceContext) {
  return ctx.desks ? ctx.desks.get(ctx.desks.idFromName(ctx.tenantId)) : null;
}

/** Starts the ladder for a freshly routed alert (no SLA on its rule, or nobody to page → no ladder). */
export async function startSla(ctx: ServiceContext, alert: AlertRow): Promise<void> {
  if (!alert.slaMinutes || !alert.assignedAgentIds.length) return;
  if (!(await planAllows(ctx, 'sla_escalation'))) return; // below brokerage: alerts reach their agents, without the ladder
  const desk = deskFor(ctx);
  if (!desk) return;
  const due = await slaDue(ctx, new Date(), alert.slaMinutes);
  await desk.watch(ctx.tenantId, alert.id, LEVEL.firstAgent, due.getTime());
}

/** The alert was acknowledged or settled: stop its clock (best effort; a stale timer finds it settled). */
export async function stopSla(ctx: ServiceContext, alertId: string): Promise<void> {
  try {
    await deskFor(ctx)?.settle(alertId);
  } catch (err) {
    ctx.logger.warn('could not stop an alert SLA timer', { alertId, error: (err as Error).message });
  }
}

async function slaDue(ctx: ServiceContext, from: Date, minutes: number): Promise<Date> {
  const tenant = await getTenant(ctx);
  return addBusinessMinutes(from, minutes, tenant.timezone, tenant.settings.businessHours);
}

/** One rung of the ladder. Returns the next timer, or null when the ladder ends here. */
export async function escalateAlert(ctx: ServiceContext, alertId: string, fromLevel: number): Promise<{ level: number; due: Date } | null> {
  if (!(await planAllows(ctx, 'sla_escalation'))) return null; // the plan changed since the timer started: the ladder ends here
  const [alert] = await ctx.db.select().from(alerts).where(and(eq(alerts.tenantId, ctx.tenantId), eq(alerts.id, alertId))).limit(1);
  // Acknowledged, claimed or settled since: the SLA was met. A level already passed: a stale timer.
  if (!alert || !UNACKNOWLEDGED.includes(alert.status) || alert.escalationLevel > fromLevel) return null;
  const sla = alert.slaMinutes ?? 0;

  if (fromLevel === LEVEL.firstAgent) {
    const [lead] = await ctx.db.select().from(leads).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, alert.leadId))).limit(1);
    const { decision } = await decideRoute(ctx, { ...routableLead(lead), kind: alert.kind, probability: alert.probability }, 'advance', alert.assignedAgentIds);
    if (decision.agentIds.length) {
      const moved = await reassign(ctx, alert, LEVEL.nextAgent, decision.agentIds, [`not acknowledged within ${sla} min → next agent`, ...decision.why]);
      if (!moved) return null;
      return { level: LEVEL.nextAgent, due: await slaDue(ctx, new Date(), sla) };
    }
  }

  const managers = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.role, ['owner', 'admin', 'manager']), isNull(users.deletedAt)));
  const ids = [...new Set([...alert.assignedAgentIds, ...managers.map((m) => m.id)])];
  await reassign(ctx, alert, LEVEL.managers, ids, [`not acknowledged within ${sla} min → escalated to the managers`]);
  return null;
}

async function reassign(ctx: ServiceContext, alert: AlertRow, level: number, agentIds: string[], why: string[]): Promise<AlertRow | null> {
  const routing = alert.routing ?? { ruleId: 'none', strategy: 'none', why: [] };
  const [moved] = await ctx.db
    .update(alerts)
    .set({
      assignedAgentIds: agentIds,
      escalationLevel: level,
      escalatedAt: sql`now()`,
      // The ones holding it now let it lapse (the update only applies if nobody moved it meanwhile).
      slaMissedBy: [...new Set([...alert.slaMissedBy, ...alert.assignedAgentIds])],
      routing: { ...routing, why: [...routing.why, ...why] },
      updatedAt: sql`now()`,
    })
    // Only if nobody acknowledged it in the meantime.
    .where(and(eq(alerts.id, alert.id), inArray(alerts.status, UNACKNOWLEDGED), eq(alerts.escalationLevel, alert.escalationLevel)))
    .returning();
  if (moved) {
    ctx.logger.info('alert escalated', { alertId: alert.id, level, to: agentIds });
    await announceAlert(ctx, moved, 'updated', `escalated-${level}`);
  }
  return moved ?? null;
}
