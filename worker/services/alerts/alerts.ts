/**
 * Alerts: raised once per lead, kind and window, routed by the tenant's rules (the why-log is
 * kept on the alert), and moved through new → delivered → acknowledged → claimed →
 * converted | dismissed | expired with every transition timestamped. Agents see the alerts
 * routed to them and unrouted ones; managers see all.
 */
import { and, arrayContains, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alerts, leads, type AlertStatus } from '../../db/schema';
import { AutomationPaused, Conflict, NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import { decideRoute, routableLead } from '../routing/routing';
import { announceAlert } from './delivery';
import { startSla, stopSla } from './escalation';
import { alertView } from './view';
import { automationAllowed } from '../billing/billing';
import { alertConverted } from '../experiments/levers';
import { openSystemContext } from '../clients';
import type { Database } from '../../db/client';
import type { Logger } from '../../lib/logger';

type AlertRow = typeof alerts.$inferSelect;

export { alertView };

export interface RaiseAlert {
  leadId: string;
  kind: string;
  probability?: number | null;
  reasons: string[];
  /** One alert per lead and kind within this window. */
  windowHours?: number;
  /** Unsettled after this many hours → expired. */
  expireAfterHours?: number;
  /** The feature row and model version behind the probability (what the outcome trains on). */
  features?: Record<string, string | number | null>;
  modelVersion?: string;
}

export async function raiseAlert(ctx: ServiceContext, input: RaiseAlert): Promise<{ alert: AlertRow; created: boolean }> {
  if (!(await automationAllowed(ctx))) throw new AutomationPaused('raising alerts'); // billing (§3.9): nothing is created
  const windowMs = (input.windowHours ?? 24) * 3_600_000;
  const dedupeKey = `${input.kind}:${input.leadId}:${Math.floor(Date.now() / windowMs)}`;
  // Routing reads the lead; that read goes alongside the insert rather than after it.
  const lead = ctx.db.select().from(leads).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, input.leadId))).limit(1).then(([row]) => row);
  lead.catch(() => undefined); // awaited below unless the alert already exists
  const [inserted] = await ctx.db
    .insert(alerts)
    .values({
      id: newId('alert'),
      tenantId: ctx.tenantId,
      leadId: input.leadId,
      kind: input.kind,
      probability: input.probability ?? null,
      reasons: input.reasons,
      dedupeKey,
      features: input.features ?? null,
      modelVersion: input.modelVersion ?? null,
      expiresAt: new Date(Date.now() + (input.expireAfterHours ?? 72) * 3_600_000),
    })
    .onConflictDoNothing()
    .returning();
  if (!inserted) {
    const [existing] = await ctx.db.select().from(alerts).where(and(eq(alerts.tenantId, ctx.tenantId), eq(alerts.dedupeKey, dedupeKey))).limit(1);
    return { alert: existing!, created: false };
  }
  const t0 = performance.now();
  const routed = await routeStoredAlert(ctx, inserted, await lead);
  const t1 = performance.now();
  const announced = await announceAlert(ctx, routed, 'created');
  ctx.logger.info('alert raised', { alertId: routed.id, kind: routed.kind, leadId: routed.leadId, routeMs: Math.round(t1 - t0), announceMs: Math.round(performance.now() - t1) });
  await startSla(ctx, announced).catch((err: Error) => ctx.logger.warn('alert SLA timer not started', { alertId: routed.id, error: err.message }));
  return { alert: announced, created: true };
}

async function routeStoredAlert(ctx: ServiceContext, alert: AlertRow, lead: typeof leads.$inferSelect | undefined): Promise<AlertRow> {
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

export async function listAlerts(ctx: ServiceContext, f: { status?: AlertStatus; kind?: string; agentId?: string; leadId?: string; since?: Date; limit: number }) {
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
        f.leadId ? eq(alerts.leadId, f.leadId) : undefined,
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
  return afterTransition(ctx, row!);
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
  return afterTransition(ctx, row);
}

export async function dismissAlert(ctx: ServiceContext, id: string) {
  const a = await findAlert(ctx, id);
  if (!OPEN.includes(a.status)) throw new Conflict(`This alert is already ${a.status}`);
  const [row] = await ctx.db.update(alerts).set({ status: 'dismissed', dismissedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(alerts.id, a.id)).returning();
  return afterTransition(ctx, row!);
}

/** The outcome that trains the models: converted (→ converted) or not (→ dismissed). */
export async function recordAlertOutcome(ctx: ServiceContext, id: string, converted: boolean) {
  const a = await findAlert(ctx, id);
  const [row] = await ctx.db
    .update(alerts)
    .set(converted ? { status: 'converted', converted: true, convertedAt: sql`now()`, updatedAt: sql`now()` } : { status: 'dismissed', converted: false, dismissedAt: sql`coalesce(${alerts.dismissedAt}, now())`, updatedAt: sql`now()` })
    .where(eq(alerts.id, a.id))
    .returning();
  // A routing experiment's goal: the lead this alert routed was won.
  if (converted) await alertConverted(ctx, a.leadId);
  return afterTransition(ctx, row!);
}

/** After a person acted: the SLA clock stops and everyone watching sees the new state. */
async function afterTransition(ctx: ServiceContext, row: AlertRow) {
  await stopSla(ctx, row.id);
  await announceAlert(ctx, row, 'updated', row.status);
  return alertView(row);
}

/**
 * Open alerts past their expiry become expired (run by the scoring job), and the feeds are told.
 * Works across tenants, so it takes the job's database and opens a context per tenant to announce.
 */
export async function expireAlerts(env: unknown, db: Database, logger: Logger): Promise<number> {
  const expired = await db
    .update(alerts)
    .set({ status: 'expired', expiredAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(inArray(alerts.status, OPEN), lt(alerts.expiresAt, sql`now()`)))
    .returning();
  const byTenant = new Map<string, AlertRow[]>();
  for (const a of expired) byTenant.set(a.tenantId, [...(byTenant.get(a.tenantId) ?? []), a]);
  for (const [tenantId, rows] of byTenant) {
    const { ctx, close } = openSystemContext(env, tenantId, logger);
    try {
      for (const a of rows) await afterTransition(ctx, a);
    } finally {
      await close();
    }
  }
  return expired.length;
}
