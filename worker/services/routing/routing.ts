/**
 * Routing rules as tenant settings, and the decision with its why-log for a given alert. The
 * preview never moves the round-robin cursor nor records an experiment exposure; routing a real
 * alert (the alert path) does both.
 */
import { and, count, eq, inArray, isNotNull, isNull, notInArray } from 'drizzle-orm';
import { leads, users } from '../../db/schema';
import { ValidationFailed } from '../../lib/errors';
import { routeAlert, ruleFor, type AgentState, type RoutableAlert } from '../../intelligence/routing/route';
import type { RoutingRule } from '../../intelligence/routing/rules';
import { audit, withTransaction, type ServiceContext } from '../context';
import { routingStrategyFor } from '../experiments/levers';
import { getTenant, updateTenant } from '../tenants/tenant';

export async function getRoutingRules(ctx: ServiceContext): Promise<RoutingRule[]> {
  return (await getTenant(ctx)).settings.routing.rules;
}

export async function putRoutingRules(ctx: ServiceContext, rules: RoutingRule[]): Promise<RoutingRule[]> {
  const named = [...new Set(rules.flatMap((r) => r.pool.agentIds ?? []))];
  if (named.length) {
    const found = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.id, named), isNull(users.deletedAt)));
    const known = new Set(found.map((u) => u.id));
    const issues = rules.flatMap((r, i) => (r.pool.agentIds ?? []).flatMap((id, j) => (known.has(id) ? [] : [{ path: `rules[${i}].pool.agentIds[${j}]`, message: 'no such team member' }])));
    if (issues.length) throw new ValidationFailed('Some rules name people who are not on the team', issues);
  }
  return withTransaction(ctx, async (tx) => {
    const tenant = await updateTenant(tx, { settings: { routing: { rules } } });
    await audit(tx, { action: 'routing.rules.updated', targetType: 'tenant', targetId: tx.tenantId, details: { rules: rules.length } });
    return tenant.settings.routing.rules;
  });
}

/** Agents with their live load: open (not closed/lost) leads assigned to them. */
export async function agentStates(ctx: ServiceContext): Promise<AgentState[]> {
  // The load is its own grouped query: a correlated subquery written with ${users.id} inside sql``
  // renders the column unqualified, which binds to the inner leads table and counted 0 for everyone.
  const [rows, loads] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: users.name, territories: users.territories, skills: users.skills, capacity: users.capacity, paused: users.paused, workingHours: users.workingHours })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenantId), eq(users.role, 'agent'), isNull(users.deletedAt))),
    ctx.db
      .select({ agentId: leads.assignedAgentId, open: count() })
      .from(leads)
      .where(and(eq(leads.tenantId, ctx.tenantId), isNotNull(leads.assignedAgentId), notInArray(leads.stage, ['closed', 'lost']), isNull(leads.deletedAt)))
      .groupBy(leads.assignedAgentId),
  ]);
  const open = new Map(loads.map((l) => [l.agentId, Number(l.open)]));
  return rows.map((r) => ({ ...r, open: open.get(r.id) ?? 0 }));
}

/** What routing reads from a lead: who it is (for a routing experiment), its temperature and where the property is. */
export function routableLead(lead: { id: string; temperature: 'hot' | 'warm' | 'cold' | null; postalCode: string | null; city: string | null; state: string | null } | undefined) {
  return { leadId: lead?.id ?? null, temperature: lead?.temperature ?? null, postalCode: lead?.postalCode ?? null, city: lead?.city ?? null, state: lead?.state ?? null };
}

export const cursorKey = (tenantId: string, ruleId: string) => `lp:rr:${tenantId}:${ruleId}`;

/**
 * The routing decision for an alert against the tenant's rules and its agents' live load.
 * `advance` claims round-robin turns atomically (INCR), so concurrent alerts never share a
 * position; `peek` reads the cursors without moving them (previews). Redis down: round robin
 * starts from the first agent and the decision still stands.
 *
 * With a running routing_strategy experiment, the lead's variant picks the strategy of whichever
 * rule matches (the why-log says so). `advance` exposes the lead — once: the SLA ladder's second
 * decision for the same alert and any later alert reuse the lead's sticky exposure; `peek` writes
 * nothing, neither a cursor nor an exposure.
 */
export async function decideRoute(ctx: ServiceContext, alert: RoutableAlert, cursorMode: 'advance' | 'peek', exclude: readonly string[] = []) {
  const [tenant, everyone, experiment] = await Promise.all([
    getTenant(ctx),
    agentStates(ctx),
    alert.leadId ? routingStrategyFor(ctx, alert.leadId, { record: cursorMode === 'advance' }) : null,
  ]);
  const rules = tenant.settings.routing.rules;
  // The SLA ladder's "next agent" is the same decision without the people who let it lapse.
  const agents = exclude.length ? everyone.filter((a) => !exclude.includes(a.id)) : everyone;
  const cursors: Record<string, number> = {};
  const ids = rules.filter((r) => r.strategy === 'round_robin').map((r) => r.id);
  // A round-robin variant turns the matched rule's own cursor, even when the rule is not round robin.
  const matched = ruleFor(rules, alert);
  if (experiment?.strategy === 'round_robin' && !ids.includes(matched.id)) ids.push(matched.id);
  try {
    if (cursorMode === 'advance') for (const id of ids) cursors[id] = Number(await ctx.redis.incr(cursorKey(ctx.tenantId, id))) - 1;
    else if (ids.length) {
      const values = await ctx.redis.mget<Array<number | null>>(...ids.map((id) => cursorKey(ctx.tenantId, id)));
      ids.forEach((id, i) => (cursors[id] = Number(values[i] ?? 0)));
    }
  } catch {
    for (const id of ids) cursors[id] ??= 0;
  }
  const started = performance.now();
  const decision = routeAlert({ alert, rules, agents, cursors, now: new Date(), timeZone: tenant.timezone, experiment });
  return { decision, agents, decisionMs: Math.round((performance.now() - started) * 1000) / 1000 };
}

export async function previewRoute(ctx: ServiceContext, alert: RoutableAlert) {
  const { decision, agents, decisionMs } = await decideRoute(ctx, alert, 'peek');
  const names = new Map(agents.map((a) => [a.id, a.name]));
  return { ...decision, agents: decision.agentIds.map((id) => ({ id, name: names.get(id) ?? id })), decisionMs };
}
