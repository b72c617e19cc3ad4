import { automationAllowed, planAllows } from '../billing/billing';
/**
 * Agent coaching (PRODUCT.md §3.6): per agent, metrics from their real conversations compared
 * with the team, rule-based insights and next-best actions, and — when ANTHROPIC_API_KEY is set —
 * a narrative Claude writes from those figures, kept only when it is grounded in them.
 *
 * Reach: an agent sees only their own coaching (another agent's answers 404, as another agent's
 * lead does in services/leads); managers, owners, admins and viewers see everyone's.
 */
import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Client as QStashClient } from '@upstash/qstash';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { alerts, coachingReports, leads, messages, users } from '../../db/schema';
import { figureTable, ruleCoaching, type Action, type Coaching, type Insight } from '../../intelligence/coaching/insights';
import {
  computeAgentMetrics,
  METRIC_DEFINITIONS,
  teamMetrics,
  threads,
  type AgentMetrics,
  type CoachingRows,
  type TeamMetrics,
} from '../../intelligence/coaching/metrics';
import { groundingProblem, MAX_SNIPPETS, NarratorFailure, type CoachingNarrator, type NarratorInput, type NarratorUsage } from '../../intelligence/coaching/narrator';
import { LimitExceeded, NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { ClaudeCoachNarrator, costMicroUsd } from '../../providers/anthropic/coaching-narrator';
import { resolveRange } from '../analytics/dashboard';
import { openSystemContext } from '../clients';
import type { ServiceContext } from '../context';

/** A busy tenant's month stays far below these; beyond them the figures cover the newest rows only. */
const MAX_LEADS = 20_000;
const MAX_MESSAGES = 200_000;
const MAX_ALERTS = 50_000;
const SNIPPET_CHARS = 280;
const DAY_MS = 86_400_000;
/** One on-demand analysis per agent per minute from callers: each may be a paid Claude call. */
export const ANALYZE_COOLDOWN_MS = 60_000;

export type Trigger = 'on_demand' | 'nightly';

export interface CoachingReport {
  /** Null for a report computed on the fly and not stored. */
  id: string | null;
  agentId: string;
  agentName: string;
  period: { from: Date; to: Date };
  metrics: AgentMetrics;
  team: TeamMetrics;
  insights: Insight[];
  actions: Action[];
  narrative: string | null;
  generatedBy: 'claude' | 'rules';
  /** Why Claude's coaching was not used (error, timeout, ungrounded figure); null when it was, or never asked. */
  fallbackReason: string | null;
  model: string | null;
  tokens: { inputTokens: number; outputTokens: number; cacheReadTokens?: number } | null;
  costMicroUsd: number;
  trigger: Trigger | null;
  createdBy: string | null;
  createdAt: Date;
  stored: boolean;
  definitions: Record<string, string>;
}

export interface Period {
  from?: Date;
  to?: Date;
}

/** Claude when a key is configured; no narrator (the rules alone) otherwise. Chosen by configuration only. */
export function coachNarratorFor(config: Config): CoachingNarrator | null {
  if (!config.ANTHROPIC_API_KEY) return null;
  return new ClaudeCoachNarrator({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.ANTHROPIC_MODEL });
}

/** The person asked about, when the caller may see them: NotFound otherwise (no existence leak). */
async function reachableAgent(ctx: ServiceContext, agentId: string): Promise<{ id: string; name: string }> {
  const p = ctx.principal;
  if (p?.kind === 'user' && p.role === 'agent' && p.userId !== agentId) throw new NotFound('Agent');
  const [agent] = await ctx.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, agentId), isNull(users.deletedAt)));
  if (!agent) throw new NotFound('Agent');
  return agent;
}

async function loadRows(ctx: ServiceContext, from: Date, to: Date): Promise<CoachingRows & { names: Map<string, string | null> }> {
  const leadRows = await ctx.db
    .select({
      id: leads.id,
      name: leads.name,
      assignedAgentId: leads.assignedAgentId,
      assignedAt: leads.assignedAt,
      createdAt: leads.createdAt,
      temperature: leads.temperature,
      speedToLeadMs: leads.speedToLeadMs,
      motivationCategory: leads.motivationCategory,
      timelineDays: leads.timelineDays,
      condition: leads.condition,
      priceCents: leads.priceCents,
    })
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, ctx.tenantId),
        isNull(leads.deletedAt),
        isNotNull(leads.assignedAgentId),
        or(
          and(gte(leads.createdAt, from), lt(leads.createdAt, to)),
          inArray(leads.id, ctx.db.select({ id: messages.leadId }).from(messages).where(and(eq(messages.tenantId, ctx.tenantId), gte(messages.at, from), lt(messages.at, to)))),
        ),
      ),
    )
    .orderBy(desc(leads.createdAt))
    .limit(MAX_LEADS);
  const ids = leadRows.map((l) => l.id);
  const messageRows = ids.length
    ? await ctx.db
        .select({ id: messages.id, leadId: messages.leadId, sender: messages.sender, senderUserId: messages.senderUserId, body: messages.body, at: messages.at })
        .from(messages)
        .where(
          and(
            eq(messages.tenantId, ctx.tenantId),
            inArray(messages.leadId, ids),
            inArray(messages.sender, ['lead', 'agent', 'bot']),
            gte(messages.at, from),
            lt(messages.at, to),
          ),
        )
        .orderBy(desc(messages.at))
        .limit(MAX_MESSAGES)
    : [];
  const alertRows = await ctx.db
    .select({
      id: alerts.id,
      leadId: alerts.leadId,
      kind: alerts.kind,
      assignedAgentIds: alerts.assignedAgentIds,
      slaMissedBy: alerts.slaMissedBy,
      acknowledgedAt: alerts.acknowledgedAt,
      claimedBy: alerts.claimedBy,
      converted: alerts.converted,
    })
    .from(alerts)
    .where(and(eq(alerts.tenantId, ctx.tenantId), gte(alerts.createdAt, from), lt(alerts.createdAt, to)))
    .orderBy(desc(alerts.createdAt))
    .limit(MAX_ALERTS);
  return { leads: leadRows, messages: messageRows, byLead: threads(messageRows), alerts: alertRows, names: new Map(leadRows.map((l) => [l.id, l.name])) };
}

/** Everyone coached: the tenant's agents, plus anyone else leads were assigned to in the period. */
async function teamMembers(ctx: ServiceContext, rows: CoachingRows): Promise<Array<{ id: string; name: string; role: string }>> {
  const people = await ctx.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), isNull(users.deletedAt)));
  const assignees = new Set(rows.leads.map((l) => l.assignedAgentId));
  return people.filter((u) => u.role === 'agent' || assignees.has(u.id));
}

interface Computed {
  from: Date;
  to: Date;
  metrics: AgentMetrics;
  team: TeamMetrics;
  rows: CoachingRows & { names: Map<string, string | null> };
}

interface TeamComputation {
  from: Date;
  to: Date;
  rows: CoachingRows & { names: Map<string, string | null> };
  members: Array<{ id: string; name: string; role: string }>;
  byAgent: Map<string, AgentMetrics>;
  team: TeamMetrics;
  asOf: Date;
}

/** One read of the period's rows, every member's metrics from it, and the team's medians. */
async function computeTeam(ctx: ServiceContext, period: Period, now: Date): Promise<TeamComputation> {
  const { from, to } = resolveRange(period, now);
  const rows = await loadRows(ctx, from, to);
  const members = await teamMembers(ctx, rows);
  // Missed-opportunity windows end at the period's end, or now for a period still running.
  const asOf = new Date(Math.min(to.getTime(), now.getTime()));
  const byAgent = new Map(members.map((m) => [m.id, computeAgentMetrics(m.id, rows, { from, now: asOf })]));
  return { from, to, rows, members, byAgent, team: teamMetrics([...byAgent.values()]), asOf };
}

function forAgent(t: TeamComputation, agentId: string): Computed {
  const metrics = t.byAgent.get(agentId) ?? computeAgentMetrics(agentId, t.rows, { from: t.from, now: t.asOf });
  return { from: t.from, to: t.to, metrics, team: t.team, rows: t.rows };
}

const compute = async (ctx: ServiceContext, agentId: string, period: Period, now: Date) => forAgent(await computeTeam(ctx, period, now), agentId);

function snippetsFor(c: Computed, agentId: string): NarratorInput['snippets'] {
  const mine = new Set(c.rows.leads.filter((l) => l.assignedAgentId === agentId).map((l) => l.id));
  // Newest first from the query; the newest MAX_SNIPPETS of the agent's conversations, told in order.
  return c.rows.messages
    .filter((m) => mine.has(m.leadId) && (m.sender !== 'agent' || m.senderUserId === agentId))
    .slice(0, MAX_SNIPPETS)
    .reverse()
    .map((m) => ({ id: m.id, leadId: m.leadId, sender: m.sender as 'agent' | 'lead' | 'bot', at: m.at.toISOString(), text: m.body.slice(0, SNIPPET_CHARS) }));
}

interface Generated {
  coaching: Coaching;
  generatedBy: 'claude' | 'rules';
  fallbackReason: string | null;
  model: string | null;
  usage: NarratorUsage | null;
}

async function generate(ctx: ServiceContext, c: Computed, agent: { id: string; name: string }, narrator: CoachingNarrator | null): Promise<Generated> {
  const rules = ruleCoaching(c.metrics, c.team, c.rows.names);
  if (!narrator) return { coaching: rules, generatedBy: 'rules', fallbackReason: null, model: null, usage: null };
  const input: NarratorInput = {
    agentName: agent.name,
    period: { from: c.from.toISOString(), to: c.to.toISOString() },
    figures: figureTable(c.metrics, c.team, Math.round((c.to.getTime() - c.from.getTime()) / DAY_MS)),
    snippets: snippetsFor(c, agent.id),
    ruleInsights: rules.insights,
  };
  const fallback = (reason: string, usage: NarratorUsage | null, model: string | null): Generated => {
    ctx.logger.warn('coaching narrator fell back to rules', { agentId: agent.id, reason });
    return { coaching: rules, generatedBy: 'rules', fallbackReason: reason, model, usage };
  };
  try {
    const result = await narrator.narrate(input);
    const problem = groundingProblem(result.coaching, input);
    if (problem) return fallback(problem, result.usage, result.model);
    return { coaching: result.coaching, generatedBy: 'claude', fallbackReason: null, model: result.model, usage: result.usage };
  } catch (err) {
    if (err instanceof NarratorFailure) return fallback(err.reason, err.usage ?? null, err.model ?? null);
    throw err;
  }
}

type ReportRow = typeof coachingReports.$inferSelect;

function fromRow(row: ReportRow, agentName: string): CoachingReport {
  const { generation, ...metrics } = row.metrics as unknown as AgentMetrics & { generation?: { fallbackReason: string | null; model: string | null } };
  return {
    id: row.id,
    agentId: row.agentId,
    agentName,
    period: { from: row.periodStart, to: row.periodEnd },
    metrics: metrics as AgentMetrics,
    team: row.team as TeamMetrics,
    insights: row.insights,
    actions: row.actions,
    narrative: row.narrative,
    generatedBy: row.generatedBy as 'claude' | 'rules',
    fallbackReason: generation?.fallbackReason ?? null,
    model: generation?.model ?? null,
    tokens: row.tokens ?? null,
    costMicroUsd: row.costMicroUsd,
    trigger: row.trigger,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    stored: true,
    definitions: METRIC_DEFINITIONS,
  };
}

async function store(ctx: ServiceContext, agent: { id: string; name: string }, c: Computed, g: Generated, trigger: Trigger): Promise<CoachingReport> {
  const p = ctx.principal;
  const createdBy = p?.kind === 'user' ? p.userId : p?.kind === 'api_key' ? `api_key:${p.apiKeyId}` : null;
  const [row] = await ctx.db
    .insert(coachingReports)
    .values({
      id: newId('coachingReport'),
      tenantId: ctx.tenantId,
      agentId: agent.id,
      periodStart: c.from,
      periodEnd: c.to,
      // The generation facts ride with the metrics: the schema has no column for them.
      metrics: { ...c.metrics, generation: { fallbackReason: g.fallbackReason, model: g.model } },
      team: c.team,
      insights: g.coaching.insights,
      actions: g.coaching.actions,
      narrative: g.coaching.narrative,
      generatedBy: g.generatedBy,
      tokens: g.usage ? { inputTokens: g.usage.inputTokens + g.usage.cacheWriteTokens, outputTokens: g.usage.outputTokens, cacheReadTokens: g.usage.cacheReadTokens } : null,
      costMicroUsd: g.usage && g.model ? costMicroUsd(g.model, g.usage) : 0,
      trigger,
      createdBy,
    })
    .returning();
  return fromRow(row!, agent.name);
}

/**
 * Best effort (two racing requests can both pass): enough to stop a double click or a script
 * from turning into a stream of paid calls.
 */
async function enforceCooldown(ctx: ServiceContext, agentId: string): Promise<void> {
  const [last] = await ctx.db
    .select({ createdAt: coachingReports.createdAt })
    .from(coachingReports)
    .where(
      and(
        eq(coachingReports.tenantId, ctx.tenantId),
        eq(coachingReports.agentId, agentId),
        eq(coachingReports.trigger, 'on_demand'),
        gte(coachingReports.createdAt, new Date(Date.now() - ANALYZE_COOLDOWN_MS)),
      ),
    )
    .orderBy(desc(coachingReports.createdAt))
    .limit(1);
  if (!last) return;
  const retryAfter = Math.max(1, Math.ceil((last.createdAt.getTime() + ANALYZE_COOLDOWN_MS - Date.now()) / 1000));
  throw new LimitExceeded(`This agent was analyzed moments ago; try again in ${retryAfter} s or read the report`, retryAfter);
}

/**
 * A fresh analysis of one agent over the period (default: the 30 days before now), stored.
 * `narrator` defaults to the configured one (Claude with a key, none without).
 */
export async function analyzeAgent(
  ctx: ServiceContext,
  agentId: string,
  period: Period,
  opts: { trigger?: Trigger; narrator?: CoachingNarrator | null; now?: Date } = {},
): Promise<CoachingReport> {
  const agent = await reachableAgent(ctx, agentId);
  if (ctx.principal) await enforceCooldown(ctx, agent.id);
  const computed = await compute(ctx, agent.id, period, opts.now ?? new Date());
  const narrator = opts.narrator === undefined ? coachNarratorFor(ctx.config) : opts.narrator;
  const generated = await generate(ctx, computed, agent, narrator);
  return store(ctx, agent, computed, generated, opts.trigger ?? 'on_demand');
}

/**
 * The newest stored report, or — when there is none, or a period was asked for — one computed
 * now from the rules (no AI cost on a read) and not stored.
 */
export async function getAgentCoaching(ctx: ServiceContext, agentId: string, period: Period): Promise<CoachingReport> {
  const agent = await reachableAgent(ctx, agentId);
  if (!period.from && !period.to) {
    const [latest] = await ctx.db
      .select()
      .from(coachingReports)
      .where(and(eq(coachingReports.tenantId, ctx.tenantId), eq(coachingReports.agentId, agent.id)))
      .orderBy(desc(coachingReports.createdAt), desc(coachingReports.id))
      .limit(1);
    if (latest) return fromRow(latest, agent.name);
  }
  const now = new Date();
  const c = await compute(ctx, agent.id, period, now);
  const coaching = ruleCoaching(c.metrics, c.team, c.rows.names);
  return {
    id: null,
    agentId: agent.id,
    agentName: agent.name,
    period: { from: c.from, to: c.to },
    metrics: c.metrics,
    team: c.team,
    ...coaching,
    generatedBy: 'rules',
    fallbackReason: null,
    model: null,
    tokens: null,
    costMicroUsd: 0,
    trigger: null,
    createdBy: null,
    createdAt: now,
    stored: false,
    definitions: METRIC_DEFINITIONS,
  };
}

export interface TeamView {
  period: { from: Date; to: Date };
  team: TeamMetrics;
  agents: Array<{ agentId: string; name: string; role: string; metrics: AgentMetrics; insights: number; topInsight: string }>;
  definitions: Record<string, string>;
}

/** Every coached person's metrics beside the team's medians, for the manager's team view. */
export async function teamCoaching(ctx: ServiceContext, period: Period): Promise<TeamView> {
  const t = await computeTeam(ctx, period, new Date());
  return {
    period: { from: t.from, to: t.to },
    team: t.team,
    agents: t.members
      .map((member) => {
        const metrics = t.byAgent.get(member.id)!;
        const { insights } = ruleCoaching(metrics, t.team, t.rows.names);
        return { agentId: member.id, name: member.name, role: member.role, metrics, insights: insights.length, topInsight: insights[0]!.title };
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.agentId.localeCompare(b.agentId)),
    definitions: METRIC_DEFINITIONS,
  };
}

/** Where the nightly plan sends one message per tenant. */
export const COACHING_TENANT_PATH = '/jobs/coaching-tenant';
/** QStash retries a tenant's run this many times (backoff e^(2.5·n) s) before dead-lettering it. */
const TENANT_RETRIES = 3;
/** QStash accepts at most 100 messages per batch call. */
const BATCH = 100;
const NIGHTLY_DAYS = 30;

export type CoachingQueue = Pick<QStashClient, 'batchJSON'>;

/** The night's period: the 30 days up to midnight UTC, so every message and retry of one night agrees on it. */
export function nightlyPeriodEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/**
 * The nightly plan: one QStash message per tenant with agents, so a slow tenant (Claude calls
 * for many agents) neither blocks the others nor outlives one delivery, and a failure is retried
 * for that tenant alone. The deduplication id makes a re-planned night publish nothing twice.
 */
export async function planNightlyCoaching(db: Database, config: Config, queue: CoachingQueue, now = new Date()) {
  const periodEnd = nightlyPeriodEnd(now).toISOString();
  const rows = await db.selectDistinct({ tenantId: users.tenantId }).from(users).where(and(eq(users.role, 'agent'), isNull(users.deletedAt)));
  const url = new URL(COACHING_TENANT_PATH, config.APP_URL).toString();
  for (let i = 0; i < rows.length; i += BATCH) {
    await queue.batchJSON(
      rows.slice(i, i + BATCH).map((r) => ({ url, body: { tenantId: r.tenantId, periodEnd }, deduplicationId: `coaching:${r.tenantId}:${periodEnd}`, retries: TENANT_RETRIES })),
    );
  }
  return { periodEnd, tenants: rows.length };
}

/**
 * One tenant's night: every agent over the 30 days up to `periodEnd`. An agent who already has
 * that night's report is skipped, so a retried or repeated message never stores a second one;
 * an agent with nothing in the period gets no report and costs nothing.
 */
export async function runTenantCoaching(env: unknown, logger: Logger, tenantId: string, periodEnd: Date, now = new Date()) {
  const from = new Date(periodEnd.getTime() - NIGHTLY_DAYS * DAY_MS);
  let analyzed = 0;
  let skipped = 0;
  let claude = 0;
  let costMicroUsdTotal = 0;
  const { ctx, close } = openSystemContext(env, tenantId, logger);
  try {
    // Billing lapsed, or a plan without coaching: the nightly (possibly paid) analyses stop; reports already made stay readable.
    if (!(await automationAllowed(ctx)) || !(await planAllows(ctx, 'coaching'))) return { tenantId, periodEnd: periodEnd.toISOString(), analyzed, skipped, claude, costMicroUsd: costMicroUsdTotal, paused: true };
    const done = new Set(
      (
        await ctx.db
          .select({ agentId: coachingReports.agentId })
          .from(coachingReports)
          .where(and(eq(coachingReports.tenantId, tenantId), eq(coachingReports.trigger, 'nightly'), eq(coachingReports.periodEnd, periodEnd)))
      ).map((r) => r.agentId),
    );
    const narrator = coachNarratorFor(ctx.config);
    const computed = await computeTeam(ctx, { from, to: periodEnd }, now);
    for (const agent of computed.members.filter((m) => m.role === 'agent')) {
      const c = forAgent(computed, agent.id);
      const m = c.metrics;
      if (done.has(agent.id) || (m.leads === 0 && m.agentMessages === 0 && m.alerts.routed === 0)) {
        skipped++;
        continue;
      }
      const report = await store(ctx, agent, c, await generate(ctx, c, agent, narrator), 'nightly');
      analyzed++;
      if (report.generatedBy === 'claude') claude++;
      costMicroUsdTotal += report.costMicroUsd;
    }
  } finally {
    await close();
  }
  logger.info('coaching job', { tenantId, analyzed, skipped, claude, costMicroUsd: costMicroUsdTotal });
  return { tenantId, periodEnd: periodEnd.toISOString(), analyzed, skipped, claude, costMicroUsd: costMicroUsdTotal };
}
