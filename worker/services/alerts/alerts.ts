/**
 * Alerts: raised once per lead, kind and window, routed by the tenant's rules (the why-log is
 * kept on the alert), and moved through new → delivered → acknowledged → claimed →
 * converted | dismissed | expired with every transition timestamped. Agents see the alerts
 * routed to them and unrouted ones; managers see all.
 */
import { and, arrayContains, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alerts, leads, type AlertStatus } from '../../db/schema';
import { Conflict, NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import { decideRoute, routableLead } from '../routing/routing';

type AlertRow = typeof alerts.$inferSelect;

export function alertView(a: AlertRow) {
  return {
    id: a.id,
    leadId: a.leadId,
    kind: a.kind,
    status: a.status,
    probability: a.probability,
    reasons: a.reasons,
    assignedAgentIds: a.assignedAgentIds,
    slaMinutes: a.slaMinutes,
    claimedBy: a.claimedBy,
    converted: a.converted,
    createdAt: a.createdAt,
    deliveredAt: a.deliveredAt,
    acknowledgedAt: a.acknowledgedAt,
    claimedAt: a.claimedAt,
    convertedAt: a.convertedAt,
    dismissedAt: a.dismissedAt,
    expiredAt: a.expiredAt,
  };
}

export interface RaiseAlert {
  leadId: string;
  kind: string;
  probability?: number | null;
  reasons: string[];
  /** One alert per lead and kind within this window. */
  windowHours?: number;
}

export async function raiseAlert(ctx: ServiceContext, input: RaiseAlert): Promise<{ alert: AlertRow; created: boolean }> {
  const windowMs = (input.windowHours ?? 24) * 3_600_000;
  const dedupeKey = `${input.kind}:${input.leadId}:${Math.floor(Date.now() / windowMs)}`;
  const [inserted] = await ctx.db
    .insert(alerts)
    .values({ id: newId('alert'), tenantId: ctx.tenantId, leadId: input.leadId, kind: input.kind, probability: input.probability ?? null, reasons: input.reasons, dedupeKey })
    .onConflictDoNothing()
    .returning();
  if (!inserted) {
    const [existing] = await ctx.db.select().from(alerts).where(and(eq(alerts.tenantId, ctx.tenantId), eq(alerts.dedupeKey, dedupeKey))).limit(1);
    return { alert: existing!, created: false };
  }
  return { alert: await routeStoredAlert(ctx, inserted), created: true };
}

async function routeStoredAlert(ctx: ServiceContext, alert: AlertRow): Promise<AlertRow> {
  const [lead] = await ctx.db.select().from(leads).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, alert.leadId))).limit(1);
  const { decision, decisionMs } = await decideRoute(ctx, { ...routableLead(lead), kind: alert.kind, probability: alert.probability }, 'advance');
  const [routed] = await ctx.db
    .update(alerts)
    .set({
      assignedAgentIds: decision.agentIds,
      slaMinutes: decision.slaMinutes,
      routing: { ruleId: decision.ruleId, strategy: decision.strategy, why: decision.why, decisionMs },
      updatedAt: sql`now()`,
    })
    .where(eq(alerts.id, alert.id))
    .returning();
  return routed!;
}

function visibility(ctx: ServiceContext): SQL | undefined {
  const p = ctx.principal;
  if (p?.kind === 'user' && p.role === 'agent') return or(arrayContains(alerts.assignedAgentIds, [p.userId]), sql`cardinality(${alerts.assignedAgentIds}) = 0`);
  return undefined;
}

export async function listAlerts(ctx: ServiceContext, f: { status?: AlertStatus; kind?: string; agentId?: string; since?: Date; limit: number }) {
  const rows = await ctx.db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.tenantId, ctx.tenantId),
        visibility(ctx),
        f.status ? eq(alerts.status, f.status) : undefined,
        f.kind ? eq(alerts.kind, f.kind) : undefined,
        f.agentId ? arrayContains(alerts.assignedAgentIds, [f.agentId]) : undefined,
        f.since ? gt(alerts.createdAt, f.since) : undefined,
      ),
    )
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(f.limit);
  return rows.map(alertView);
}

async function findAlert(ctx: ServiceContext, id: string): Promise<AlertRow> {
  const [row] = await ctx.db.select().from(alerts).where(and(eq(alerts.tenantId, ctx.tenantId), eq(alerts.id, id), visibility(ctx))).limit(1);
  if (!row) throw new NotFound('Alert');
  return row;
}

export async function alertRouting(ctx: ServiceContext, id: string) {
  const a = await findAlert(ctx, id);
  return { alertId: a.id, assignedAgentIds: a.assignedAgentIds, slaMinutes: a.slaMinutes, ...(a.routing ?? { ruleId: null, strategy: null, why: [] }) };
}

const OPEN: AlertStatus[] = ['new', 'delivered', 'acknowledged', 'claimed'];

function actorUser(ctx: ServiceContext): string | null {
  return ctx.principal?.kind === 'user' ? ctx.principal.userId : null;
}

export async function acknowledgeAlert(ctx: ServiceContext, id: string) {
  const a = await findAlert(ctx, id);
  if (!OPEN.includes(a.status)) throw new Conflict(`This alert is already ${a.status}`);
  const [row] = await ctx.db
    .update(alerts)
    .set({ status: a.status === 'claimed' ? 'claimed' : 'acknowledged', acknowledgedAt: sql`coalesce(${alerts.acknowledgedAt}, now())`, deliveredAt: sql`coalesce(${alerts.deliveredAt}, now())`, updatedAt: sql`now()` })
    .where(eq(alerts.id, a.id))
    .returning();
  return alertView(row!);
}

/** First to claim wins (a broadcast alert goes to whoever takes it); the lead follows the claimer. */
export async function claimAlert(ctx: ServiceContext, id: string) {
  const a = await findAlert(ctx, id);
  const userId = actorUser(ctx);
  if (!OPEN.includes(a.status)) throw new Conflict(`This alert is already ${a.status}`);
  const [row] = await ctx.db
    .update(alerts)
    .set({ status: 'claimed', claimedBy: userId, claimedAt: sql`now()`, acknowledgedAt: sql`coalesce(${alerts.acknowledgedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(alerts.id, a.id), isNull(alerts.claimedBy)))
    .returning();
  if (!row) throw new Conflict('Someone else claimed this alert first');
  if (userId) await ctx.db.update(leads).set({ assignedAgentId: userId, assignedAt: sql`now()`, updatedAt: sql`now()` }).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, a.leadId)));
  return alertView(row);
}

export async function dismissAlert(ctx: ServiceContext, id: string) {
  const a = await findAlert(ctx, id);
  if (!OPEN.includes(a.status)) throw new Conflict(`This alert is already ${a.status}`);
  const [row] = await ctx.db.update(alerts).set({ status: 'dismissed', dismissedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(alerts.id, a.id)).returning();
  return alertView(row!);
}

/** The outcome that trains the models: converted (→ converted) or not (→ dismissed). */
export async function recordAlertOutcome(ctx: ServiceContext, id: string, converted: boolean) {
  const a = await findAlert(ctx, id);
  const [row] = await ctx.db
    .update(alerts)
    .set(converted ? { status: 'converted', converted: true, convertedAt: sql`now()`, updatedAt: sql`now()` } : { status: 'dismissed', converted: false, dismissedAt: sql`coalesce(${alerts.dismissedAt}, now())`, updatedAt: sql`now()` })
    .where(eq(alerts.id, a.id))
    .returning();
  return alertView(row!);
}
