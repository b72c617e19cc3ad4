/**
 * Model versions of a tenant: every successful training run stores one. At most one version per
 * kind is active; a candidate that ranks the new data clearly worse than the active model does
 * is stored as rejected (the automatic rollback), and any stored version can be reactivated by
 * hand (the manual one). Scoring reads only the active version (active.ts).
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { alerts, MODEL_KINDS, modelTrainings, modelVersions, TRAINABLE_MODEL_KINDS, type TrainableModelKind, type TrainingProgress } from '../../db/schema';
import { auc, compileScorer, loadModel, type CsvRow, type ScoringModel } from '../../intelligence/models';
import { NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit, withTransaction, type ServiceContext } from '../context';
import { invalidateActiveModels } from './active';

/** A candidate may rank the new rows this much worse (AUC) than the active model and still replace it. */
export const AUC_TOLERANCE = 0.005;

/** What a training run measured (cross-validated), stored with the version and shown. */
export interface VersionMetrics {
  auc: number | null;
  brier: number | null;
  ece: number | null;
  accuracy: number | null;
  logLoss: number | null;
  /** Of the rows scored at or above the tenant's alert threshold, the share that converted. */
  precisionAtThreshold: number | null;
  threshold: number;
  folds: number;
  n: number;
  positives: number;
}

type VersionRow = typeof modelVersions.$inferSelect;

/** Everything but the model blob. */
const summaryColumns = {
  id: modelVersions.id,
  kind: modelVersions.kind,
  version: modelVersions.version,
  status: modelVersions.status,
  learner: modelVersions.learner,
  source: modelVersions.source,
  metrics: modelVersions.metrics,
  features: modelVersions.features,
  trainingId: modelVersions.trainingId,
  decision: modelVersions.decision,
  createdBy: modelVersions.createdBy,
  activatedAt: modelVersions.activatedAt,
  createdAt: modelVersions.createdAt,
};

export type VersionSummary = Pick<VersionRow, keyof typeof summaryColumns>;

export function versionView(v: VersionSummary) {
  return {
    id: v.id,
    kind: v.kind,
    version: v.version,
    status: v.status,
    learner: v.learner,
    source: v.source,
    metrics: v.metrics as unknown as VersionMetrics,
    features: v.features,
    trainingId: v.trainingId,
    decision: v.decision,
    createdBy: v.createdBy,
    activatedAt: v.activatedAt,
    createdAt: v.createdAt,
  };
}

/**
 * One writer at a time per tenant and kind (a training finishing while someone reactivates a
 * version): a transaction-scoped advisory lock, released with the transaction.
 */
async function lockKind(ctx: ServiceContext, kind: TrainableModelKind): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`model_versions:${ctx.tenantId}:${kind}`}))`);
}

async function activeRow(ctx: ServiceContext, kind: TrainableModelKind): Promise<VersionRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, ctx.tenantId), eq(modelVersions.kind, kind), eq(modelVersions.status, 'active')))
    .limit(1);
  return row;
}

export interface TrainedCandidate {
  kind: TrainableModelKind;
  source: 'csv' | 'outcomes';
  trainingId: string;
  model: ScoringModel;
  learner: string;
  metrics: VersionMetrics;
  /** The rows the candidate was cross-validated on and their labels: the active model is scored on the same. */
  rows: readonly CsvRow[];
  labels: ArrayLike<number>;
  /** Written on the training row in the same transaction as the version. */
  training: { badRows: Array<{ line: number; message: string }>; badRowCount: number; progress: TrainingProgress };
}

const fmt = (v: number | null) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(3));

/**
 * Stores the candidate as the next version and decides whether it becomes active. The active
 * model is scored on the very rows the candidate was cross-validated on, so both numbers
 * describe the same data. When the active model was itself trained on these rows its AUC is
 * in-sample and flattering; the comparison then leans towards keeping it, the safe direction.
 */
export async function storeTrainedVersion(ctx: ServiceContext, c: TrainedCandidate) {
  const result = await withTransaction(ctx, async (tx) => {
    await lockKind(tx, c.kind);
    const active = await activeRow(tx, c.kind);
    const [{ next } = { next: 1 }] = await tx.db
      .select({ next: sql<number>`coalesce(max(${modelVersions.version}), 0)::int + 1` })
      .from(modelVersions)
      .where(and(eq(modelVersions.tenantId, tx.tenantId), eq(modelVersions.kind, c.kind)));
    const candidateAuc = c.metrics.auc;
    let accepted = true;
    let decision: string;
    if (!active) {
      decision = `First ${c.kind} model: cross-validated AUC ${fmt(candidateAuc)} on ${c.metrics.n} rows; active.`;
    } else {
      const activeAuc = scoreAuc(active, c.rows, c.labels);
      const worse = candidateAuc === null || (activeAuc !== null && candidateAuc < activeAuc - AUC_TOLERANCE);
      accepted = !worse;
      decision = accepted
        ? `Cross-validated AUC ${fmt(candidateAuc)} vs ${fmt(activeAuc)} for active v${active.version} on the same ${c.metrics.n} rows: replaces v${active.version}.`
        : `Cross-validated AUC ${fmt(candidateAuc)} vs ${fmt(activeAuc)} for active v${active.version} on the same ${c.metrics.n} rows (worse by more than ${AUC_TOLERANCE}): rejected, v${active.version} stays active.`;
    }
    if (accepted && active) {
      await tx.db
        .update(modelVersions)
        .set({ status: 'retired', updatedAt: sql`now()` })
        .where(eq(modelVersions.id, active.id));
    }
    const [row] = await tx.db
      .insert(modelVersions)
      .values({
        id: newId('modelVersion'),
        tenantId: tx.tenantId,
        kind: c.kind,
        version: next,
        status: accepted ? 'active' : 'rejected',
        learner: c.learner,
        source: c.source,
        metrics: c.metrics as unknown as Record<string, unknown>,
        model: c.model as unknown as Record<string, unknown>,
        features: c.model.encoder.columns.map((col) => col.name),
        trainingId: c.trainingId,
        decision,
        createdBy: tx.actor.id,
        activatedAt: accepted ? sql`now()` : null,
      })
      .returning(summaryColumns);
    await tx.db
      .update(modelTrainings)
      .set({
        status: accepted ? 'succeeded' : 'rejected',
        modelVersionId: row!.id,
        badRows: c.training.badRows,
        badRowCount: c.training.badRowCount,
        progress: c.training.progress,
        csv: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(modelTrainings.tenantId, tx.tenantId), eq(modelTrainings.id, c.trainingId)));
    await audit(tx, {
      action: accepted ? 'model.version_activated' : 'model.version_rejected',
      targetType: 'model_version',
      targetId: row!.id,
      details: { kind: c.kind, version: next, source: c.source, auc: candidateAuc, replaced: accepted && active ? active.version : null },
    });
    return { version: row!, accepted };
  });
  if (result.accepted) invalidateActiveModels(ctx.tenantId);
  return result;
}

/** AUC of a stored version on rows it may never have seen; null when it cannot be scored. */
function scoreAuc(version: VersionRow, rows: readonly CsvRow[], labels: ArrayLike<number>): number | null {
  let scorer: (row: CsvRow) => number;
  try {
    scorer = compileScorer(loadModel(version.model));
  } catch {
    // A stored model that no longer loads cannot defend its place.
    return null;
  }
  const value = auc(Float64Array.from(rows, (r) => scorer(r)), labels);
  return Number.isNaN(value) ? null : value;
}

/** Manual rollback (or roll-forward): makes a stored version the active one, audited. */
export async function activateVersion(ctx: ServiceContext, kind: TrainableModelKind, version: number) {
  const result = await withTransaction(ctx, async (tx) => {
    await lockKind(tx, kind);
    const [target] = await tx.db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.tenantId, tx.tenantId), eq(modelVersions.kind, kind), eq(modelVersions.version, version)))
      .limit(1);
    if (!target) throw new NotFound('Model version');
    if (target.status === 'active') return { version: target, changed: false, previous: null as number | null };
    const active = await activeRow(tx, kind);
    if (active) {
      await tx.db
        .update(modelVersions)
        .set({ status: 'retired', updatedAt: sql`now()` })
        .where(eq(modelVersions.id, active.id));
    }
    const note = active ? `Reactivated manually, replacing v${active.version}.` : 'Activated manually.';
    const [row] = await tx.db
      .update(modelVersions)
      .set({ status: 'active', activatedAt: sql`now()`, decision: target.decision ? `${target.decision} ${note}` : note, updatedAt: sql`now()` })
      .where(eq(modelVersions.id, target.id))
      .returning();
    await audit(tx, {
      action: 'model.version_reactivated',
      targetType: 'model_version',
      targetId: target.id,
      details: { kind, version, previousStatus: target.status, replaced: active?.version ?? null },
    });
    return { version: row!, changed: true, previous: active?.version ?? null };
  });
  if (result.changed) invalidateActiveModels(ctx.tenantId);
  return { version: versionView(result.version), changed: result.changed, replaced: result.previous };
}

/**
 * Per kind: the active version (or the priors), recent versions newest first, and how the
 * alerts it raised turned out (precision measured live, from recorded outcomes). Churn raises no
 * alerts of its own kind (its zeros are true); its outcomes are the episodes of /v1/churn/summary.
 */
export async function listModels(ctx: ServiceContext, opts: { versionsPerKind: number }) {
  const ranked = ctx.db
    .select({ ...summaryColumns, rank: sql<number>`row_number() over (partition by ${modelVersions.kind} order by ${modelVersions.version} desc)`.as('rank') })
    .from(modelVersions)
    .where(eq(modelVersions.tenantId, ctx.tenantId))
    .as('ranked');
  const [versions, outcomes] = await Promise.all([
    ctx.db
      .select()
      .from(ranked)
      .where(sql`${ranked.rank} <= ${opts.versionsPerKind} or ${ranked.status} = 'active'`)
      .orderBy(ranked.kind, desc(ranked.version)),
    ctx.db
      .select({
        kind: alerts.kind,
        withOutcome: sql<number>`count(*)::int`,
        converted: sql<number>`count(*) filter (where ${alerts.converted})::int`,
      })
      .from(alerts)
      .where(and(eq(alerts.tenantId, ctx.tenantId), inArray(alerts.kind, [...MODEL_KINDS]), isNotNull(alerts.converted)))
      .groupBy(alerts.kind),
  ]);
  return TRAINABLE_MODEL_KINDS.map((kind) => {
    const mine = versions.filter((v) => v.kind === kind).map(versionView);
    const active = mine.find((v) => v.status === 'active') ?? null;
    const live = outcomes.find((o) => o.kind === kind);
    const alertsWithOutcome = live?.withOutcome ?? 0;
    const converted = live?.converted ?? 0;
    return {
      kind,
      active: active && {
        id: active.id,
        version: active.version,
        learner: active.learner,
        source: active.source,
        metrics: active.metrics,
        features: active.features,
        activatedAt: active.activatedAt,
      },
      prior: active === null,
      versions: mine.slice(0, opts.versionsPerKind),
      alerts: { alertsWithOutcome, converted, precision: alertsWithOutcome > 0 ? converted / alertsWithOutcome : null },
    };
  });
}
