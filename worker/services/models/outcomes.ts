/**
 * Training rows from the product's own outcomes, the pairs the nightly retrain learns from:
 * - propensity kinds: every model alert keeps the feature row its probability was computed from
 *   (`alerts.features`), and an agent records whether the lead converted;
 * - churn: every going-cold episode resolves as saved or not_saved (services/churn/outcomes.ts),
 *   and the assessment that detected it keeps its feature row (`churn_assessments.features`).
 *
 * When a tenant has enough of them (the same thresholds for every kind: 200 episodes are a few
 * weeks of a mid-sized brokerage's at-risk leads, and fewer than 20 of an outcome make the AUC
 * that decides between versions noise for churn as much as for alerts):
 * - RETRAIN_MIN_OUTCOMES outcomes of the kind with a feature snapshot,
 * - at least RETRAIN_MIN_PER_OUTCOME of each outcome (precision and AUC from fewer are noise),
 * - RETRAIN_MIN_NEW more such outcomes than the previous outcome-trained run saw (retraining on
 *   the same data would only reshuffle the folds).
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { alerts, churnAssessments, churnEpisodes, MODEL_KINDS, type ModelKind, type TrainableModelKind } from '../../db/schema';
import { CHURN_LABEL, churnTrainingRow } from '../../intelligence/churn/model';
import type { CsvRow } from '../../intelligence/models';
import type { ServiceContext } from '../context';

export const RETRAIN_MIN_OUTCOMES = 200;
export const RETRAIN_MIN_PER_OUTCOME = 20;
export const RETRAIN_MIN_NEW = 50;
/** The newest this many outcomes train a model: bounds a Worker's memory and CPU for one run. */
export const RETRAIN_MAX_ROWS = 50_000;
/** The label column of outcome-trained propensity models. */
export const OUTCOME_LABEL = 'converted';
/**
 * The assessment that detected an episode is written with the episode's own timestamp
 * (services/churn/job.ts); one older than the job's cadence belongs to an earlier run and says
 * nothing about the lead at detection.
 */
const DETECTING_ASSESSMENT_WINDOW_MINUTES = 60;

/** The label column an outcome-trained model of the kind is trained (and its run recorded) with. */
export const outcomeLabel = (kind: TrainableModelKind) => (kind === 'churn' ? CHURN_LABEL : OUTCOME_LABEL);

export interface OutcomeCount {
  tenantId: string;
  kind: TrainableModelKind;
  n: number;
  positives: number;
}

const withOutcome = (tenantId?: string, kind?: ModelKind) =>
  and(
    tenantId ? eq(alerts.tenantId, tenantId) : undefined,
    kind ? eq(alerts.kind, kind) : inArray(alerts.kind, [...MODEL_KINDS]),
    isNotNull(alerts.converted),
    isNotNull(alerts.features),
  );

/** Per tenant and kind, how many usable outcomes exist (only pairs with enough of them). */
export async function outcomeCounts(db: Database): Promise<OutcomeCount[]> {
  const [propensity, churn] = await Promise.all([
    db
      .select({
        tenantId: alerts.tenantId,
        kind: alerts.kind,
        n: sql<number>`count(*)::int`,
        positives: sql<number>`count(*) filter (where ${alerts.converted})::int`,
      })
      .from(alerts)
      .where(withOutcome())
      .groupBy(alerts.tenantId, alerts.kind)
      .having(sql`count(*) >= ${RETRAIN_MIN_OUTCOMES}`),
    churnOutcomeCounts(db),
  ]);
  return [...propensity.map((c) => ({ ...c, kind: c.kind as ModelKind })), ...churn];
}

/** Feature snapshots as training rows (values as the strings a CSV would hold), newest first. */
export async function outcomeRows(ctx: ServiceContext, kind: TrainableModelKind) {
  if (kind === 'churn') return churnOutcomeRows(ctx);
  const found = await ctx.db
    .select({ features: alerts.features, converted: alerts.converted })
    .from(alerts)
    .where(withOutcome(ctx.tenantId, kind))
    .orderBy(desc(alerts.updatedAt), desc(alerts.id))
    .limit(RETRAIN_MAX_ROWS);
  const rows: CsvRow[] = [];
  const labels: number[] = [];
  for (const a of found) {
    const row: CsvRow = {};
    for (const [k, v] of Object.entries(a.features ?? {})) row[k] = v === null || v === undefined ? '' : String(v);
    // Set last: a snapshot can never smuggle its own outcome column in.
    row[OUTCOME_LABEL] = a.converted ? '1' : '0';
    rows.push(row);
    labels.push(a.converted ? 1 : 0);
  }
  return { rows, labels, bad: [], rowsTotal: rows.length };
}

// ---------------------------------------------------------------------------------------------
// Churn: resolved episodes and the assessment that detected them
//
// Treated and holdout episodes both train the model, without a group column. The group is a hash
// of tenant and lead (intelligence/churn churnGroup), independent of every feature, so pooling
// them biases no feature's weight: the model learns P(not saved | features) under the process as
// it runs (most at-risk leads get the three steps), which is the risk the threshold acts on. A
// holdout-only model would estimate the untreated risk more purely but from a tenth of the
// episodes, so almost no tenant would ever reach RETRAIN_MIN_OUTCOMES; a `treated` column would
// have to be fed a value at assessment time, before any group exists, and would only move the
// intercept. Known limit: episodes exist only for leads the active model flagged, so the model
// learns which at-risk leads stay cold, and ranks the calmer ones by extrapolation.

/** The resolved episodes of a tenant (or all) that have their detecting assessment. */
const resolvedWithAssessment = (tenantId?: string) => sql`
  ${churnEpisodes.outcome} in ('saved', 'not_saved')
  ${tenantId ? sql`and ${churnEpisodes.tenantId} = ${tenantId}::text` : sql``}`;

const detectingAssessment = sql`
  select ${churnAssessments.features} as features from ${churnAssessments}
  where ${churnAssessments.tenantId} = ${churnEpisodes.tenantId} and ${churnAssessments.leadId} = ${churnEpisodes.leadId}
    and ${churnAssessments.assessedAt} <= ${churnEpisodes.detectedAt}
    and ${churnAssessments.assessedAt} > ${churnEpisodes.detectedAt} - make_interval(mins => ${DETECTING_ASSESSMENT_WINDOW_MINUTES}::int)
  order by ${churnAssessments.assessedAt} desc limit 1`;

async function churnOutcomeCounts(db: Database): Promise<OutcomeCount[]> {
  const { rows } = await db.execute(sql`
    select ${churnEpisodes.tenantId} as "tenantId", count(*)::int as n, (count(*) filter (where ${churnEpisodes.outcome} = 'not_saved'))::int as positives
    from ${churnEpisodes}
    where ${resolvedWithAssessment()} and exists (${detectingAssessment})
    group by ${churnEpisodes.tenantId}
    having count(*) >= ${RETRAIN_MIN_OUTCOMES}`);
  return (rows as Array<{ tenantId: string; n: number | string; positives: number | string }>).map((r) => ({ tenantId: r.tenantId, kind: 'churn' as const, n: Number(r.n), positives: Number(r.positives) }));
}

async function churnOutcomeRows(ctx: ServiceContext) {
  const { rows: found } = await ctx.db.execute(sql`
    select ${churnEpisodes.outcome} as outcome, a.features
    from ${churnEpisodes}
    join lateral (${detectingAssessment}) a on true
    where ${resolvedWithAssessment(ctx.tenantId)}
    order by ${churnEpisodes.resolvedAt} desc nulls last, ${churnEpisodes.id} desc
    limit ${RETRAIN_MAX_ROWS}`);
  const rows: CsvRow[] = [];
  const labels: number[] = [];
  for (const e of found as Array<{ outcome: 'saved' | 'not_saved'; features: Record<string, string | number | null> | string | null }>) {
    // jsonb arrives parsed (WebSocket driver) or as text (raw mode).
    const features = typeof e.features === 'string' ? (JSON.parse(e.features) as Record<string, string | number | null>) : (e.features ?? {});
    const label = e.outcome === 'not_saved' ? 1 : 0;
    rows.push(churnTrainingRow(features, label));
    labels.push(label);
  }
  return { rows, labels, bad: [], rowsTotal: rows.length };
}
