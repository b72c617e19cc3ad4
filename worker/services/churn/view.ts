/** Reads: one lead's churn risk and episode, and the tenant's churn outcomes against the holdout. */
import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { churnAssessments, churnEpisodes, churnInterventions, modelVersions } from '../../db/schema';
import { CHURN_PRIOR_VERSION, percentile, wilson } from '../../intelligence/churn/model';
import { ValidationFailed } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { findLead } from '../leads/leads';
import { getTenant } from '../tenants/tenant';

const HISTORY = 30;
/** Below this many resolved episodes in a group, a save rate says nothing; we say so. */
export const MIN_RESOLVED_PER_GROUP = 20;

export async function leadChurn(ctx: ServiceContext, leadId: string) {
  // Visibility first: an agent reaches only their own (and unassigned) leads; anything else is 404.
  await findLead(ctx, leadId);
  const history = await ctx.db
    .select({ risk: churnAssessments.risk, drivers: churnAssessments.drivers, modelVersion: churnAssessments.modelVersion, assessedAt: churnAssessments.assessedAt })
    .from(churnAssessments)
    .where(and(eq(churnAssessments.tenantId, ctx.tenantId), eq(churnAssessments.leadId, leadId)))
    .orderBy(desc(churnAssessments.assessedAt))
    .limit(HISTORY);
  // The steps before the episode: a step commits together with the episode's first action
  // (steps.ts), so an episode read after its steps is never behind them ("step 1 done, no first
  // action yet" was a read that came between two other commits).
  const ofLead = and(eq(churnEpisodes.tenantId, ctx.tenantId), eq(churnEpisodes.leadId, leadId));
  const latestId = ctx.db.select({ id: churnEpisodes.id }).from(churnEpisodes).where(ofLead).orderBy(desc(churnEpisodes.detectedAt)).limit(1);
  const steps = await ctx.db
    .select()
    .from(churnInterventions)
    .where(and(eq(churnInterventions.tenantId, ctx.tenantId), sql`${churnInterventions.episodeId} = (${latestId})`))
    .orderBy(asc(churnInterventions.step));
  const [episode] = await ctx.db.select().from(churnEpisodes).where(ofLead).orderBy(desc(churnEpisodes.detectedAt)).limit(1);
  // A new episode that started between the two reads has no steps yet.
  const interventions = episode ? steps.filter((s) => s.episodeId === episode.id) : [];
  const latest = history[0];
  return {
    leadId,
    risk: latest?.risk ?? null,
    drivers: latest?.drivers ?? [],
    modelVersion: latest?.modelVersion ?? null,
    model: latest ? await assessingModel(ctx, latest.modelVersion) : null,
    assessedAt: latest?.assessedAt ?? null,
    history: history.map((h) => ({ risk: h.risk, assessedAt: h.assessedAt })),
    episode: episode
      ? {
          id: episode.id,
          group: episode.group,
          outcome: episode.outcome,
          riskAtDetection: episode.riskAtDetection,
          stageAtDetection: episode.stageAtDetection,
          detectedAt: episode.detectedAt,
          firstActionAt: episode.firstActionAt,
          resolvedAt: episode.resolvedAt,
          interventions: interventions.map((i) => ({
            id: i.id,
            step: i.step,
            kind: i.kind,
            status: i.status,
            scheduledFor: i.scheduledFor,
            executedAt: i.executedAt,
            detail: i.detail ?? {},
          })),
        }
      : null,
  };
}

/** Which model produced a risk: the documented prior, or a trained churn version with its number and what it learned from. */
async function assessingModel(ctx: ServiceContext, modelVersion: string) {
  if (modelVersion === CHURN_PRIOR_VERSION) return { source: 'prior' as const, id: modelVersion, version: null, trainedOn: null };
  const [v] = await ctx.db
    .select({ version: modelVersions.version, source: modelVersions.source })
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, ctx.tenantId), eq(modelVersions.id, modelVersion)))
    .limit(1);
  return { source: 'trained' as const, id: modelVersion, version: v?.version ?? null, trainedOn: v?.source ?? null };
}

interface GroupFigures {
  episodes: number;
  resolved: number;
  pending: number;
  saved: number;
  rate: number | null;
  ci95: [number, number] | null;
}

function groupFigures(episodes: number, saved: number, notSaved: number): GroupFigures {
  const resolved = saved + notSaved;
  return {
    episodes,
    resolved,
    pending: episodes - resolved,
    saved,
    rate: resolved ? Math.round((saved / resolved) * 10_000) / 10_000 : null,
    ci95: resolved ? wilson(saved, resolved) : null,
  };
}

/** Two-proportion z-test (pooled), two-sided p-value. */
function twoProportionP(k1: number, n1: number, k2: number, n2: number): number {
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = Math.abs(k1 / n1 - k2 / n2) / se;
  // Abramowitz–Stegun 7.1.26 for erfc, enough for a verdict.
  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
  return Math.min(1, Math.max(0, erfc));
}

export const SUMMARY_DEFAULT_DAYS = 30;
export const SUMMARY_MAX_DAYS = 366;

export async function churnSummary(ctx: ServiceContext, input: { from?: Date; to?: Date }) {
  const to = input.to ?? new Date();
  const range = { from: input.from ?? new Date(to.getTime() - SUMMARY_DEFAULT_DAYS * 86_400_000), to };
  if (range.to.getTime() <= range.from.getTime()) throw new ValidationFailed('The range is not valid', [{ path: 'to', message: 'must be after from' }]);
  if (range.to.getTime() - range.from.getTime() > SUMMARY_MAX_DAYS * 86_400_000) {
    throw new ValidationFailed('The range is not valid', [{ path: 'from', message: `the range may span at most ${SUMMARY_MAX_DAYS} days` }]);
  }
  const threshold = (await getTenant(ctx)).settings.churn.riskThreshold;
  const inRange = and(eq(churnEpisodes.tenantId, ctx.tenantId), gte(churnEpisodes.detectedAt, range.from), lt(churnEpisodes.detectedAt, range.to));

  const [atRisk, steps, outcomes, latencies] = await Promise.all([
    // Each lead's newest assessment in the period, at or over the tenant's threshold, by the lead's current stage.
    ctx.db.execute(sql`
      select l.stage, count(*)::int as n
      from (
        select distinct on (a.lead_id) a.lead_id, a.risk
        from ${churnAssessments} a
        where a.tenant_id = ${ctx.tenantId}::text and a.assessed_at >= ${range.from.toISOString()}::timestamptz and a.assessed_at < ${range.to.toISOString()}::timestamptz
        order by a.lead_id, a.assessed_at desc
      ) x
      join leads l on l.id = x.lead_id and l.tenant_id = ${ctx.tenantId}::text
      where x.risk >= ${threshold}::real
      group by l.stage`),
    ctx.db
      .select({ step: churnInterventions.step, kind: churnInterventions.kind, status: churnInterventions.status, n: sql<number>`count(*)::int` })
      .from(churnInterventions)
      .innerJoin(churnEpisodes, eq(churnEpisodes.id, churnInterventions.episodeId))
      .where(inRange)
      .groupBy(churnInterventions.step, churnInterventions.kind, churnInterventions.status),
    ctx.db
      .select({ group: churnEpisodes.group, outcome: churnEpisodes.outcome, n: sql<number>`count(*)::int` })
      .from(churnEpisodes)
      .where(inRange)
      .groupBy(churnEpisodes.group, churnEpisodes.outcome),
    ctx.db
      .select({ ms: sql<number>`(extract(epoch from ${churnEpisodes.firstActionAt} - ${churnEpisodes.jobStartedAt}) * 1000)::float8` })
      .from(churnEpisodes)
      .where(and(inRange, sql`${churnEpisodes.firstActionAt} is not null and ${churnEpisodes.jobStartedAt} is not null`)),
  ]);

  const count = (group: string, outcome?: string) => outcomes.filter((o) => o.group === group && (!outcome || o.outcome === outcome)).reduce((s, o) => s + Number(o.n), 0);
  const treated = groupFigures(count('treated'), count('treated', 'saved'), count('treated', 'not_saved'));
  const holdout = groupFigures(count('holdout'), count('holdout', 'saved'), count('holdout', 'not_saved'));
  const enough = treated.resolved >= MIN_RESOLVED_PER_GROUP && holdout.resolved >= MIN_RESOLVED_PER_GROUP;
  const lift = treated.rate !== null && holdout.rate !== null ? Math.round((treated.rate - holdout.rate) * 10_000) / 10_000 : null;
  const p = enough ? twoProportionP(treated.saved, treated.resolved, holdout.saved, holdout.resolved) : null;
  const sorted = latencies.map((l) => Number(l.ms)).filter(Number.isFinite).sort((a, b) => a - b);
  const byStep = new Map<number, { step: number; kind: string; statuses: Record<string, number>; total: number }>();
  for (const s of steps) {
    const entry = byStep.get(s.step) ?? { step: s.step, kind: s.kind, statuses: {}, total: 0 };
    entry.statuses[s.status] = Number(s.n);
    entry.total += Number(s.n);
    byStep.set(s.step, entry);
  }

  return {
    from: range.from,
    to: range.to,
    riskThreshold: threshold,
    atRiskByStage: Object.fromEntries((atRisk.rows as Array<{ stage: string; n: number }>).map((r) => [r.stage, Number(r.n)])),
    interventions: [...byStep.values()].sort((a, b) => a.step - b.step),
    outcomes: {
      pending: count('treated', 'pending') + count('holdout', 'pending'),
      saved: treated.saved + holdout.saved,
      notSaved: count('treated', 'not_saved') + count('holdout', 'not_saved'),
    },
    treated,
    holdout,
    lift,
    pValue: p === null ? null : Math.round(p * 10_000) / 10_000,
    verdict: !enough
      ? `not enough data: fewer than ${MIN_RESOLVED_PER_GROUP} resolved episodes in the ${treated.resolved < MIN_RESOLVED_PER_GROUP ? 'treated' : 'holdout'} group, so the save rates cannot be compared yet`
      : p! < 0.05
        ? `significant: treated leads were saved ${lift! >= 0 ? 'more' : 'less'} often than the holdout (p = ${p!.toFixed(3)})`
        : `not significant: the difference from the holdout could be chance (p = ${p!.toFixed(3)})`,
    detectionToActionMs: { n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) },
  };
}
