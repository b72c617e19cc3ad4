/**
 * The nightly retrain (/jobs/retrain): finds every tenant and kind (the four propensity models
 * from alert outcomes, churn from resolved episodes) with enough new outcomes (thresholds and
 * the churn training set in outcomes.ts) and queues one training run each on /jobs/train. Each run then
 * gets its own Worker invocation and CPU budget, and goes through the same versioning and
 * rollback as a CSV upload: a model retrained on outcomes that ranks them worse than the
 * active one is stored as rejected.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { modelTrainings, TRAINABLE_MODEL_KINDS, type TrainableModelKind } from '../../db/schema';
import { ServiceError } from '../../lib/errors';
import { outcomeCounts, outcomeLabel, RETRAIN_MIN_NEW, RETRAIN_MIN_PER_OUTCOME } from './outcomes';
import { createTraining, jobContext, publishTraining, runningTrainings, type JobDeps, type TrainingQueue } from './trainings';

export async function planRetraining(deps: JobDeps, queue: TrainingQueue) {
  const counts = await outcomeCounts(deps.db);
  const tally = { candidates: counts.length, queued: 0, tooFewPerOutcome: 0, notEnoughNew: 0, alreadyRunning: 0, failed: 0 };
  const queued: Array<{ tenantId: string; kind: TrainableModelKind; trainingId: string; outcomes: number }> = [];
  for (const c of counts) {
    const kind = c.kind;
    if (!TRAINABLE_MODEL_KINDS.includes(kind)) continue;
    if (c.positives < RETRAIN_MIN_PER_OUTCOME || c.n - c.positives < RETRAIN_MIN_PER_OUTCOME) {
      tally.tooFewPerOutcome++;
      continue;
    }
    if ((await runningTrainings(deps.db, c.tenantId, kind)) > 0) {
      tally.alreadyRunning++;
      continue;
    }
    const seen = await outcomesSeenByLastRun(deps, c.tenantId, kind);
    if (seen !== null && c.n - seen < RETRAIN_MIN_NEW) {
      tally.notEnoughNew++;
      continue;
    }
    const ctx = jobContext(deps, c.tenantId, { kind });
    try {
      // rowsTotal: the outcomes there were (the run overwrites it with the rows it loaded), the next night's "new since".
      const training = await createTraining(ctx, { kind, source: 'outcomes', label: outcomeLabel(kind), exclude: [], csv: null, rowsTotal: c.n });
      await publishTraining(ctx, training.id, queue);
      queued.push({ tenantId: c.tenantId, kind, trainingId: training.id, outcomes: c.n });
      tally.queued++;
    } catch (err) {
      // One tenant's failure (QStash refused the publish) must not stop the others' retraining.
      if (!(err instanceof ServiceError)) throw err;
      ctx.logger.warn('retrain not queued', { error: err });
      tally.failed++;
    }
  }
  return { ...tally, trainings: queued };
}

/** How many outcomes the newest outcome-trained run (that got as far as a model) was planned with. */
async function outcomesSeenByLastRun(deps: JobDeps, tenantId: string, kind: TrainableModelKind): Promise<number | null> {
  const [last] = await deps.db
    .select({ progress: modelTrainings.progress })
    .from(modelTrainings)
    .where(
      and(
        eq(modelTrainings.tenantId, tenantId),
        eq(modelTrainings.kind, kind),
        eq(modelTrainings.source, 'outcomes'),
        inArray(modelTrainings.status, ['succeeded', 'rejected']),
      ),
    )
    .orderBy(desc(modelTrainings.createdAt))
    .limit(1);
  return last ? (last.progress?.rowsTotal ?? 0) : null;
}
