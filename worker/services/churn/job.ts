import { automationAllowed, planAllows } from '../billing/billing';
/**
 * The churn job (QStash cron, hourly): resolve finished episodes, then for every tenant whose
 * churn watch is on and due, assess every active lead in pages (one read, one write per page),
 * start an episode for each lead newly at risk, and schedule the treated episodes' three steps.
 * The risk is the tenant's active churn model (services/models) when it has one, loaded once per
 * tenant and run, else the documented prior.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { churnAssessments, churnEpisodes, churnInterventions, leads, messages, tenants } from '../../db/schema';
import { INTERVENTION_STEPS } from '../../db/schema/engagement';
import { assessChurn, churnGroup, RECENT_WINDOW_DAYS, type ChurnInput, type ChurnModel } from '../../intelligence/churn/model';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { openSystemContext } from '../clients';
import type { ServiceContext } from '../context';
import { activeModels } from '../models/active';
import { TenantSettingsSchema, type TenantSettings } from '../tenants/settings';
import { resolveEpisodes } from './outcomes';
import { publishSteps, type ChurnQueue, type StepMessage } from './queue';

type ChurnSettings = TenantSettings['churn'];

/** Leads read per statement: one page is a single query with two lateral aggregates. */
const PAGE = 1000;
/** The cron fires hourly; a run a few minutes early (QStash jitter, a slow previous run) still counts as due. */
const DUE_SLACK_MINUTES = 5;
/** The `leadpulse-churn` schedule's cadence (services/jobs/schedules.ts: hourly). */
const CRON_EVERY_MINUTES = 60;
/**
 * A lead gets at most one episode per 30 days: an episode that ended not saved (the lead is in
 * long-term nurture) is not restarted by the next hourly run, and holdout leads are not counted
 * over and over.
 */
const EPISODE_COOLDOWN_DAYS = 30;
/** Scheduled steps whose QStash message never came (publish failed) are republished after this. */
const STRAGGLER_MINUTES = 15;

export interface ChurnJobResult {
  [key: string]: unknown;
  tenants: number;
  assessed: number;
  atRisk: number;
  episodesStarted: number;
  holdout: number;
  stepsScheduled: number;
  resolved: number;
  republished: number;
  /** Where the assessment time went, summed over tenants: read, write, episodes, publish. */
  phaseMs: Record<string, number>;
}

export interface ChurnJobDeps {
  db: Database;
  config: Config;
  logger: Logger;
  queue: ChurnQueue;
}

export async function runChurnJob(env: unknown, { db, config, logger, queue }: ChurnJobDeps, jobStartedAt: Date): Promise<ChurnJobResult> {
  const result: ChurnJobResult = { tenants: 0, assessed: 0, atRisk: 0, episodesStarted: 0, holdout: 0, stepsScheduled: 0, resolved: 0, republished: 0, phaseMs: {} };
  result.resolved = await resolveEpisodes(db, new Date());

  const rows = await db.execute(sql`
    select t.id, t.settings, (select max(a.assessed_at) from ${churnAssessments} a where a.tenant_id = t.id) as "lastAssessedAt"
    from ${tenants} t`);
  for (const row of rows.rows as Array<{ id: string; settings: unknown; lastAssessedAt: string | Date | null }>) {
    const parsed = TenantSettingsSchema.safeParse(row.settings ?? {});
    if (!parsed.success || !parsed.data.churn.enabled) continue;
    const churn = parsed.data.churn;
    const last = row.lastAssessedAt ? new Date(row.lastAssessedAt).getTime() : 0;
    // The default cadence is the schedule's own (hourly): every run assesses, so the clock that
    // counts is QStash's (compressed locally). A tenant asking for less often is held to it.
    if (churn.everyMinutes > CRON_EVERY_MINUTES && jobStartedAt.getTime() - last < (churn.everyMinutes - DUE_SLACK_MINUTES) * 60_000) continue;
    const { ctx, close } = openSystemContext(env, row.id, logger);
    try {
      // Billing lapsed, or a plan without churn recovery: no assessments, no new rescue episodes (data untouched).
      if (!(await automationAllowed(ctx)) || !(await planAllows(ctx, 'churn_recovery'))) continue;
      const r = await assessTenant(ctx, churn, queue, jobStartedAt);
      result.tenants++;
      result.assessed += r.assessed;
      result.atRisk += r.atRisk;
      result.episodesStarted += r.episodesStarted;
      result.holdout += r.holdout;
      result.stepsScheduled += r.stepsScheduled;
      for (const [k, v] of Object.entries(r.ms)) result.phaseMs[k] = (result.phaseMs[k] ?? 0) + v;
    } finally {
      await close();
    }
  }
  result.republished = await republishStragglers(db, config, queue);
  logger.info('churn job', { ...result, ms: Date.now() - jobStartedAt.getTime() });
  return result;
}

interface LeadFacts extends ChurnInput {
  id: string;
}

const ms = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));

/** One page of active leads with their message aggregates (epoch milliseconds: no driver-specific timestamp parsing). */
async function readPage(ctx: ServiceContext, after: string, now: Date): Promise<LeadFacts[]> {
  const recentSince = new Date(now.getTime() - RECENT_WINDOW_DAYS * 86_400_000).toISOString();
  const { rows } = await ctx.db.execute(sql`
    select l.id, l.stage,
      extract(epoch from l.created_at) * 1000 as created_ms,
      extract(epoch from l.qualified_at) * 1000 as qualified_ms,
      extract(epoch from l.last_inbound_at) * 1000 as last_in_ms,
      extract(epoch from l.last_outbound_at) * 1000 as last_out_ms,
      extract(epoch from l.first_outbound_at) * 1000 as first_out_ms,
      coalesce(c.out_recent, 0) as out_recent, coalesce(c.in_recent, 0) as in_recent,
      coalesce(c.out_before, 0) as out_before, coalesce(c.in_before, 0) as in_before,
      coalesce(c.unanswered, 0) as unanswered, coalesce(r.bodies, '{}') as bodies
    from ${leads} l
    left join lateral (
      select
        count(*) filter (where m.direction = 'outbound' and m.at >= ${recentSince}::timestamptz)::int as out_recent,
        count(*) filter (where m.direction = 'inbound' and m.at >= ${recentSince}::timestamptz)::int as in_recent,
        count(*) filter (where m.direction = 'outbound' and m.at < ${recentSince}::timestamptz)::int as out_before,
        count(*) filter (where m.direction = 'inbound' and m.at < ${recentSince}::timestamptz)::int as in_before,
        count(*) filter (where m.direction = 'outbound' and (l.last_inbound_at is null or m.at > l.last_inbound_at))::int as unanswered
      from ${messages} m
      where m.tenant_id = l.tenant_id and m.lead_id = l.id
        and ((m.direction = 'outbound' and m.status = 'sent') or m.direction = 'inbound')
    ) c on true
    left join lateral (
      select array_agg(x.body order by x.at desc) as bodies
      from (select m2.body, m2.at from ${messages} m2
            where m2.tenant_id = l.tenant_id and m2.lead_id = l.id and m2.direction = 'inbound'
            order by m2.at desc limit 3) x
    ) r on true
    where l.tenant_id = ${ctx.tenantId}::text and l.deleted_at is null and l.opted_out = false
      and l.stage not in ('closed', 'lost') and l.id > ${after}::text
    order by l.id
    limit ${PAGE}`);
  return (rows as Array<Record<string, unknown>>).map((r) => ({
    id: r.id as string,
    stage: r.stage as string,
    createdAt: ms(r.created_ms)!,
    qualifiedAt: ms(r.qualified_ms),
    lastInboundAt: ms(r.last_in_ms),
    lastOutboundAt: ms(r.last_out_ms),
    firstOutboundAt: ms(r.first_out_ms),
    outboundRecent: Number(r.out_recent),
    inboundRecent: Number(r.in_recent),
    outboundBefore: Number(r.out_before),
    inboundBefore: Number(r.in_before),
    unansweredOutbound: Number(r.unanswered),
    recentInbound: parseTextArray(r.bodies),
  }));
}

/** A text[] arrives parsed (WebSocket driver) or as its Postgres literal (raw text mode). */
function parseTextArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || v === '{}') return [];
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,{}]+)/g;
  for (const m of v.slice(1, -1).matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export async function assessTenant(ctx: ServiceContext, churn: ChurnSettings, queue: ChurnQueue, jobStartedAt: Date) {
  const out = { assessed: 0, atRisk: 0, episodesStarted: 0, holdout: 0, stepsScheduled: 0 };
  // Where a run's time goes (logged per tenant): reading, writing assessments, starting episodes, publishing.
  const phaseMs = { read: 0, write: 0, episodes: 0, publish: 0 };
  let mark = performance.now();
  const lap = (k: keyof typeof phaseMs) => {
    const t = performance.now();
    phaseMs[k] += t - mark;
    mark = t;
  };
  const model = await churnModel(ctx);
  let after = '';
  for (;;) {
    const now = new Date();
    const page = await readPage(ctx, after, now);
    lap('read');
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    const assessed = page.map((lead) => ({ lead, a: assessChurn(lead, now, model) }));
    await ctx.db.execute(sql`
      insert into ${churnAssessments} (id, tenant_id, lead_id, risk, drivers, model_version, features, assessed_at)
      select v.id, ${ctx.tenantId}::text, v.lead_id, v.risk, v.drivers, v.model_version, v.features, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(
        assessed.map(({ lead, a }) => ({ id: newId('churnAssessment'), lead_id: lead.id, risk: a.risk, drivers: a.drivers, model_version: a.modelVersion, features: a.features })),
      )}::jsonb) as v(id text, lead_id text, risk real, drivers jsonb, model_version text, features jsonb)`);
    out.assessed += page.length;
    lap('write');

    const atRisk = assessed.filter(({ a }) => a.risk >= churn.riskThreshold);
    out.atRisk += atRisk.length;
    if (atRisk.length) {
      const started = await startEpisodes(ctx, churn, atRisk.map(({ lead, a }) => ({ leadId: lead.id, risk: a.risk, stage: lead.stage })), now, jobStartedAt);
      out.episodesStarted += started.episodes;
      out.holdout += started.holdout;
      out.stepsScheduled += started.steps.length;
      lap('episodes');
      if (started.steps.length) await publishSteps(ctx.config, queue, started.steps);
      lap('publish');
    }
    if (page.length < PAGE) break;
  }
  const ms = Object.fromEntries(Object.entries(phaseMs).map(([k, v]) => [k, Math.round(v)])) as typeof phaseMs;
  ctx.logger.info('churn tenant assessed', { ...out, modelVersion: model?.versionId ?? null, ms });
  return { ...out, ms };
}

/**
 * The tenant's active churn model, or undefined for the prior. A version that does not load is
 * already left out (and logged) by activeModels; a failed read of the versions must not stop the
 * watch either: the prior assesses this run, the next run tries again.
 */
async function churnModel(ctx: ServiceContext): Promise<ChurnModel | undefined> {
  try {
    const active = (await activeModels(ctx)).churn;
    return active && { versionId: active.versionId, model: active.model };
  } catch (err) {
    ctx.logger.error('churn: active model not loaded; assessing with the prior', { error: err });
    return undefined;
  }
}

/**
 * Starts an episode for each at-risk lead without an open (or recent) one, in one statement:
 * the NOT EXISTS makes a second run, or a redelivered run, start nothing new. Treated episodes
 * get their three interventions, due at detection + stepDelaysMinutes.
 */
async function startEpisodes(ctx: ServiceContext, churn: ChurnSettings, candidates: Array<{ leadId: string; risk: number; stage: string }>, now: Date, jobStartedAt: Date) {
  const rows = await Promise.all(
    candidates.map(async (c) => ({ id: newId('churnEpisode'), lead_id: c.leadId, grp: await churnGroup(ctx.tenantId, c.leadId, churn.holdoutPct), risk: c.risk, stage: c.stage })),
  );
  const cooldownSince = new Date(now.getTime() - EPISODE_COOLDOWN_DAYS * 86_400_000).toISOString();
  const { rows: inserted } = await ctx.db.execute(sql`
    insert into ${churnEpisodes} (id, tenant_id, lead_id, "group", risk_at_detection, stage_at_detection, detected_at, job_started_at)
    select v.id, ${ctx.tenantId}::text, v.lead_id, v.grp, v.risk, v.stage, ${now.toISOString()}::timestamptz, ${jobStartedAt.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id text, lead_id text, grp text, risk real, stage text)
    where not exists (
      select 1 from ${churnEpisodes} e
      where e.tenant_id = ${ctx.tenantId}::text and e.lead_id = v.lead_id
        and (e.outcome = 'pending' or e.detected_at > ${cooldownSince}::timestamptz))
    -- Two runs racing for the same lead: the partial unique index lets only one episode be open.
    on conflict do nothing
    returning id, lead_id, "group"`);
  const started = inserted as Array<{ id: string; lead_id: string; group: 'treated' | 'holdout' }>;
  const treated = started.filter((e) => e.group === 'treated');
  const steps: StepMessage[] = [];
  const interventions = treated.flatMap((e) =>
    INTERVENTION_STEPS.map((kind, i) => {
      const scheduledFor = new Date(now.getTime() + churn.stepDelaysMinutes[i]! * 60_000);
      const id = newId('churnIntervention');
      steps.push({ interventionId: id, notBefore: scheduledFor });
      return { id, episode_id: e.id, lead_id: e.lead_id, step: i + 1, kind, scheduled_for: scheduledFor.toISOString() };
    }),
  );
  if (interventions.length) {
    await ctx.db.execute(sql`
      insert into ${churnInterventions} (id, tenant_id, episode_id, lead_id, step, kind, status, scheduled_for)
      select v.id, ${ctx.tenantId}::text, v.episode_id, v.lead_id, v.step, v.kind, 'scheduled', v.scheduled_for
      from jsonb_to_recordset(${JSON.stringify(interventions)}::jsonb) as v(id text, episode_id text, lead_id text, step int, kind text, scheduled_for timestamptz)
      on conflict (episode_id, step) do nothing`);
  }
  return { episodes: started.length, holdout: started.length - treated.length, steps };
}

/** Steps still `scheduled` well past their time: their QStash message was never published (or was lost). */
async function republishStragglers(db: Database, config: Config, queue: ChurnQueue): Promise<number> {
  const { rows } = await db.execute(sql`
    select i.id, i.tenant_id from ${churnInterventions} i
    where i.status = 'scheduled' and i.scheduled_for < now() - make_interval(mins => ${STRAGGLER_MINUTES}::int)
    order by i.scheduled_for limit 500`);
  const due = rows as Array<{ id: string }>;
  if (!due.length) return 0;
  // A fresh deduplication id: the original one may still be inside QStash's window; the step
  // itself refuses to act twice.
  await publishSteps(config, queue, due.map((r) => ({ interventionId: r.id, notBefore: null, deduplicationId: `${r.id}:redrive:${Math.floor(Date.now() / 3_600_000)}` })));
  return due.length;
}
