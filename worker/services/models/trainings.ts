/**
 * Training runs: a tenant's CSV of historical leads with outcomes (or, nightly, the outcomes
 * their alerts and churn episodes recorded) becomes a cross-validated model version. A run is a
 * row in model_trainings that reports progress while it trains and keeps every row it could not
 * use with its line number, so the tenant can fix the file instead of guessing.
 *
 * Runs either inside the request (wait=true) or in a QStash-delivered job (/jobs/train), the
 * same code either way; training is CPU-bound, so it yields between cross-validation folds to
 * let the progress writes through.
 */
import type { Client as QStashClient } from '@upstash/qstash';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { modelTrainings, modelVersions, type TrainableModelKind, type TrainingProgress } from '../../db/schema';
import {
  fitEncoder,
  isProtectedAttribute,
  matchesAny,
  parseCsv,
  parseCsvHeader,
  parseLabel,
  precisionAt,
  ProtectedAttributeError,
  trainModelAsync,
  type CsvRow,
} from '../../intelligence/models';
import { DependencyUnavailable, LimitExceeded, NotFound, ServiceError, ValidationFailed, type FieldIssue } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import { getTenant } from '../tenants/tenant';
import { outcomeRows } from './outcomes';
import { storeTrainedVersion, versionView, type VersionMetrics } from './versions';

/** Uploads above this answer 413 (a Worker holds the text, the parsed rows and the design matrix at once). */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const CV_FOLDS = 5;
/** Fewer examples of an outcome than this make the per-fold estimates noise. */
export const MIN_ROWS_PER_OUTCOME = 10;
/** Bad rows kept on the training row (the count stays exact). */
export const BAD_ROWS_STORED = 200;
/** At most one progress write per this many milliseconds (status changes are always written). */
export const PROGRESS_INTERVAL_MS = 250;
/** A run that has not written anything for this long died with its Worker. */
export const STALLED_AFTER_MS = 15 * 60_000;
/** QStash retries of /jobs/train after the first attempt (a database blip should not lose a run). */
export const TRAIN_JOB_RETRIES = 2;
/** Runs a tenant may have in flight at once: each is seconds of CPU and a stored upload of up to 20 MB. */
export const MAX_RUNNING_TRAININGS = 3;

type TrainingRow = typeof modelTrainings.$inferSelect;
type TrainingStatus = TrainingRow['status'];
export type BadRow = { line: number; message: string };
export type TrainingQueue = Pick<QStashClient, 'publishJSON'>;

const RUNNING: TrainingStatus[] = ['queued', 'parsing', 'training'];

export interface CsvTrainingRequest {
  kind: TrainableModelKind;
  /** The outcome column (1/0, yes/no, true/false). */
  label: string;
  /** Columns (or `Prefix *` globs) never used as features: ids, anything that leaks the outcome. */
  exclude: string[];
  csv: string;
}

export interface TrainingOutcome {
  trainingId: string;
  modelVersion: string;
  version: number;
  status: 'active' | 'rejected';
  metrics: VersionMetrics;
  decision: string;
  badRows: BadRow[];
  badRowCount: number;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Trains in this request and answers with the stored version (wait=true). */
export async function trainFromCsv(ctx: ServiceContext, input: CsvTrainingRequest): Promise<TrainingOutcome> {
  checkCsvHeader(input);
  await checkRoomForAnotherRun(ctx);
  const training = await createTraining(ctx, { kind: input.kind, source: 'csv', label: input.label, exclude: input.exclude, csv: null });
  try {
    return await runTraining(ctx, training, { source: 'csv', csv: input.csv });
  } catch (err) {
    if (!(err instanceof ServiceError)) await markFailed(ctx, training.id, UNEXPECTED);
    throw err;
  }
}

/** Stores the upload and hands the run to /jobs/train (wait=false). */
export async function enqueueCsvTraining(ctx: ServiceContext, input: CsvTrainingRequest, queue: TrainingQueue) {
  checkCsvHeader(input);
  await checkRoomForAnotherRun(ctx);
  const training = await createTraining(ctx, { kind: input.kind, source: 'csv', label: input.label, exclude: input.exclude, csv: input.csv });
  await publishTraining(ctx, training.id, queue);
  return { trainingId: training.id, status: 'queued' as const };
}

async function checkRoomForAnotherRun(ctx: ServiceContext): Promise<void> {
  const running = await runningTrainings(ctx.db, ctx.tenantId);
  if (running >= MAX_RUNNING_TRAININGS) {
    throw new LimitExceeded(`${running} training runs are still in progress; at most ${MAX_RUNNING_TRAININGS} run at once. Follow them with GET /v1/models/trainings/{id}.`, 30);
  }
}

export async function createTraining(
  ctx: ServiceContext,
  t: { kind: TrainableModelKind; source: 'csv' | 'outcomes'; label: string; exclude: string[]; csv: string | null; rowsTotal?: number },
): Promise<TrainingRow> {
  const [row] = await ctx.db
    .insert(modelTrainings)
    .values({
      id: newId('training'),
      tenantId: ctx.tenantId,
      kind: t.kind,
      source: t.source,
      status: 'queued',
      label: t.label,
      exclude: t.exclude,
      csv: t.csv,
      progress: { rowsParsed: 0, rowsTotal: t.rowsTotal ?? null, foldsDone: 0, foldsTotal: CV_FOLDS, phase: 'queued' },
      createdBy: ctx.actor.id,
    })
    .returning();
  return row!;
}

export async function publishTraining(ctx: ServiceContext, trainingId: string, queue: TrainingQueue): Promise<void> {
  try {
    await queue.publishJSON({
      url: new URL('/jobs/train', ctx.config.APP_URL).toString(),
      body: { trainingId },
      // A repeated publish of the same run (a retried request) must not train twice.
      deduplicationId: trainingId,
      retries: TRAIN_JOB_RETRIES,
    });
  } catch (err) {
    await markFailed(ctx, trainingId, 'The run could not be queued (QStash unavailable); start it again.');
    throw new DependencyUnavailable('QStash', err);
  }
}

export interface JobDeps {
  db: Database;
  redis: ServiceContext['redis'];
  config: ServiceContext['config'];
  logger: ServiceContext['logger'];
}

/** A tenant's context for a job: the system acts, on the job's own clients. */
export function jobContext(deps: JobDeps, tenantId: string, logFields: Record<string, unknown> = {}): ServiceContext {
  return { tenantId, actor: { type: 'system', id: null }, db: deps.db, redis: deps.redis, config: deps.config, logger: deps.logger.with({ tenantId, ...logFields }), ip: null };
}

/**
 * /jobs/train: runs a queued training. A redelivery of a finished run does nothing; an
 * unexpected failure (Postgres gone mid-run) puts the run back in the queue for QStash's next
 * attempt, and the last attempt records it as failed.
 */
export async function runQueuedTraining(deps: JobDeps, trainingId: string, attempt: number) {
  const [t] = await deps.db.select().from(modelTrainings).where(eq(modelTrainings.id, trainingId)).limit(1);
  if (!t) return { trainingId, status: 'missing' as const };
  if (!RUNNING.includes(t.status)) return { trainingId, status: t.status, alreadyFinished: true };
  const ctx = jobContext(deps, t.tenantId, { trainingId });
  if (t.source === 'csv' && t.csv === null) {
    await markFailed(ctx, trainingId, 'The uploaded CSV is no longer stored; upload it again.');
    return { trainingId, status: 'failed' as const };
  }
  try {
    const outcome = await runTraining(ctx, t, t.source === 'csv' ? { source: 'csv', csv: t.csv! } : { source: 'outcomes' });
    return { trainingId, status: outcome.status === 'active' ? ('succeeded' as const) : ('rejected' as const) };
  } catch (err) {
    if (err instanceof ServiceError) return { trainingId, status: 'failed' as const };
    if (attempt >= TRAIN_JOB_RETRIES) await markFailed(ctx, trainingId, UNEXPECTED);
    else {
      await deps.db
        .update(modelTrainings)
        .set({ status: 'queued', error: `attempt ${attempt + 1} stopped on an internal error; retrying`, updatedAt: sql`now()` })
        .where(eq(modelTrainings.id, trainingId))
        .catch(() => {});
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The run

const UNEXPECTED = 'The run stopped on an internal error; start it again (the training id identifies it in our logs).';

type TrainingData = { source: 'csv'; csv: string } | { source: 'outcomes' };

interface UsableRows {
  rows: CsvRow[];
  labels: number[];
  bad: BadRow[];
  rowsTotal: number;
}

async function runTraining(ctx: ServiceContext, training: TrainingRow, data: TrainingData): Promise<TrainingOutcome> {
  const kind = training.kind;
  const progress = new ProgressWriter(ctx, training.id, { rowsParsed: 0, rowsTotal: training.progress?.rowsTotal ?? null, foldsDone: 0, foldsTotal: CV_FOLDS, phase: 'parsing' });
  let bad: BadRow[] = [];
  try {
    await progress.write({}, 'parsing');
    const usable = data.source === 'csv' ? usableCsvRows(data.csv, training.label) : await outcomeRows(ctx, kind);
    bad = usable.bad;
    checkUsable(usable, training.label, training.exclude);
    await progress.write({ rowsParsed: usable.rows.length + bad.length, rowsTotal: usable.rowsTotal, phase: 'cross-validation' }, 'training');

    const result = await trainModelAsync(usable.rows, { label: training.label, exclude: training.exclude, kind: 'auto', folds: CV_FOLDS }, (step) =>
      progress.write({ foldsDone: step.foldsDone, foldsTotal: step.foldsTotal, phase: step.phase }),
    ).catch((err: unknown) => {
      throw err instanceof ProtectedAttributeError ? fairHousing(err.columns) : err;
    });

    const { settings } = await getTenant(ctx);
    // Precision where the model acts: the alert threshold, or for churn the risk that starts an episode.
    const threshold = kind === 'churn' ? settings.churn.riskThreshold : settings.alertThreshold;
    const m = result.metrics;
    const positives = usable.labels.reduce((s, v) => s + v, 0);
    const metrics: VersionMetrics = {
      auc: finite(m.auc),
      brier: finite(m.brier),
      ece: finite(m.ece),
      accuracy: finite(m.accuracy),
      logLoss: finite(m.logLoss),
      precisionAtThreshold: finite(precisionAt(result.outOfFold.scores, result.outOfFold.labels, threshold)),
      threshold,
      folds: m.folds,
      n: m.n,
      positives,
    };
    await progress.write({ phase: 'comparing' });
    const stored = await storeTrainedVersion(ctx, {
      kind,
      source: training.source,
      trainingId: training.id,
      model: result.model,
      learner: m.model,
      metrics,
      rows: usable.rows,
      labels: usable.labels,
      training: { badRows: bad.slice(0, BAD_ROWS_STORED), badRowCount: bad.length, progress: progress.final('done') },
    });
    ctx.logger.info('model trained', { kind, version: stored.version.version, accepted: stored.accepted, n: m.n, auc: metrics.auc, badRows: bad.length });
    return {
      trainingId: training.id,
      modelVersion: stored.version.id,
      version: stored.version.version,
      status: stored.accepted ? 'active' : 'rejected',
      metrics,
      decision: stored.version.decision ?? '',
      badRows: bad.slice(0, BAD_ROWS_STORED),
      badRowCount: bad.length,
    };
  } catch (err) {
    // A problem with the data ends the run here; anything else is the caller's to judge (retry or fail).
    if (err instanceof ServiceError) await markFailed(ctx, training.id, err.message, { bad, progress: progress.final('failed') });
    throw err;
  }
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

function usableCsvRows(csv: string, label: string): UsableRows {
  const parsed = parseCsv(csv);
  if (parsed.header.length === 0) throw csvHeaderProblem(parsed.errors);
  const bad: BadRow[] = [...parsed.errors];
  const rows: CsvRow[] = [];
  const labels: number[] = [];
  parsed.rows.forEach((row, i) => {
    const raw = row[label] ?? '';
    const v = parseLabel(raw);
    if (v === undefined) {
      bad.push({ line: parsed.lines[i]!, message: raw.trim() === '' ? `"${label}" is empty` : `"${label}" is ${JSON.stringify(clip(raw))}, not 1/0, yes/no or true/false` });
    } else {
      rows.push(row);
      labels.push(v);
    }
  });
  bad.sort((a, b) => a.line - b.line);
  return { rows, labels, bad, rowsTotal: parsed.rows.length + parsed.errors.length };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** The checks that need the rows: enough of each outcome, and something to learn from. */
function checkUsable(u: UsableRows, label: string, exclude: string[]): void {
  const positives = u.labels.reduce((s, v) => s + v, 0);
  const negatives = u.labels.length - positives;
  if (u.rows.length === 0) {
    throw new ValidationFailed(
      u.bad.length ? `No usable rows: all ${u.bad.length} data rows are bad (see badRows)` : 'The CSV has a header but no data rows',
      [{ path: 'body', message: 'no usable rows' }],
    );
  }
  if (positives === 0 || negatives === 0) {
    throw new ValidationFailed(`Every usable row has the same outcome (${label} = ${positives ? 1 : 0}); a model needs examples of both outcomes`, [
      { path: 'label', message: `${u.rows.length} rows, all ${positives ? 'positive' : 'negative'}` },
    ]);
  }
  if (positives < MIN_ROWS_PER_OUTCOME || negatives < MIN_ROWS_PER_OUTCOME) {
    throw new ValidationFailed(
      `Too few examples: ${CV_FOLDS}-fold cross-validation needs at least ${MIN_ROWS_PER_OUTCOME} rows of each outcome (have ${positives} with ${label} = 1, ${negatives} with 0)`,
      [{ path: 'label', message: `${positives} positive, ${negatives} negative` }],
    );
  }
  let columns: number;
  try {
    columns = fitEncoder(u.rows, label, { exclude }).columns.length;
  } catch (err) {
    if (err instanceof ProtectedAttributeError) throw fairHousing(err.columns);
    throw err;
  }
  if (columns === 0) {
    throw new ValidationFailed('No usable feature columns: every column besides the label is excluded, empty or constant', [
      { path: 'exclude', message: 'nothing left to learn from' },
    ]);
  }
}

/** What can be told from the header alone, before anything is stored or parsed in full. */
export function checkCsvHeader(input: Pick<CsvTrainingRequest, 'csv' | 'label' | 'exclude'>): void {
  // Postgres text and jsonb cannot hold NUL, and no CSV export contains one: this is a binary file.
  if (input.csv.includes('\u0000')) throw new ValidationFailed('The upload contains NUL bytes: send a CSV text file', [{ path: 'body', message: 'binary content' }]);
  const { header, errors } = parseCsvHeader(input.csv);
  if (header.length === 0 && errors.length === 0) {
    throw new ValidationFailed('The CSV is empty: send a header line naming the columns, then one row per lead', [{ path: 'body', message: 'empty' }]);
  }
  if (errors.length > 0) throw csvHeaderProblem(errors);
  if (!header.includes(input.label)) {
    throw new ValidationFailed(`The label column "${input.label}" is not in the CSV header`, [
      { path: 'label', message: `not one of the ${header.length} columns: ${header.slice(0, 20).map((h) => `"${h}"`).join(', ')}${header.length > 20 ? ', …' : ''}` },
    ]);
  }
  const unknown = input.exclude.filter((p) => !p.includes('*') && !header.includes(p.trim()));
  if (unknown.length > 0) {
    // A typo here would quietly train on the column meant to be left out (an id, a leaking field).
    throw new ValidationFailed(`exclude names column(s) the CSV does not have: ${unknown.join(', ')}`, unknown.map((c) => ({ path: 'exclude', message: `no column "${c}"` })));
  }
  const protectedColumns = header.filter((h) => h !== input.label && !matchesAny(h, input.exclude) && isProtectedAttribute(h));
  if (protectedColumns.length > 0) throw fairHousing(protectedColumns);
}

function csvHeaderProblem(errors: ReadonlyArray<{ line: number; message: string }>): ValidationFailed {
  return new ValidationFailed('The CSV header line cannot be used', errors.map((e) => ({ path: `line ${e.line}`, message: e.message })));
}

function fairHousing(columns: string[]): ValidationFailed {
  const issues: FieldIssue[] = columns.map((c) => ({ path: c, message: 'names a protected class (Fair Housing)' }));
  return new ValidationFailed(
    `Fair Housing: ${columns.map((c) => `"${c}"`).join(', ')} name${columns.length === 1 ? 's' : ''} a protected class (race, color, religion, national origin, sex, familial status, disability; age as a proxy). ` +
      'Lead scores must not depend on them: remove the column(s) from the file or list them in exclude.',
    issues,
  );
}

// ---------------------------------------------------------------------------------------------
// Progress and terminal states

class ProgressWriter {
  private lastWrite = 0;
  constructor(
    private readonly ctx: ServiceContext,
    private readonly trainingId: string,
    private readonly state: TrainingProgress,
  ) {}

  /** Throttled; a status change is always written (and its failure is not swallowed). */
  async write(patch: Partial<TrainingProgress>, status?: TrainingStatus): Promise<void> {
    Object.assign(this.state, patch);
    const now = Date.now();
    if (!status && now - this.lastWrite < PROGRESS_INTERVAL_MS) return;
    this.lastWrite = now;
    const update = this.ctx.db
      .update(modelTrainings)
      .set({
        progress: { ...this.state },
        updatedAt: sql`now()`,
        ...(status ? { status, ...(status === 'parsing' ? { startedAt: sql`coalesce(${modelTrainings.startedAt}, now())`, error: null } : {}) } : {}),
      })
      .where(eq(modelTrainings.id, this.trainingId));
    if (status) {
      await update;
      return;
    }
    // Progress is for people watching; a lost update must not cost the run.
    await update.catch((err: unknown) => this.ctx.logger.warn('training progress not written', { trainingId: this.trainingId, error: err }));
  }

  final(phase: string): TrainingProgress {
    return { ...this.state, phase };
  }
}

async function markFailed(ctx: ServiceContext, trainingId: string, message: string, extra: { bad?: BadRow[]; progress?: TrainingProgress } = {}) {
  await ctx.db
    .update(modelTrainings)
    .set({
      status: 'failed',
      error: message,
      csv: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
      ...(extra.bad ? { badRows: extra.bad.slice(0, BAD_ROWS_STORED), badRowCount: extra.bad.length } : {}),
      ...(extra.progress ? { progress: extra.progress } : {}),
    })
    .where(eq(modelTrainings.id, trainingId))
    .catch((err: unknown) => ctx.logger.error('training failure not recorded', { trainingId, error: err }));
}

// ---------------------------------------------------------------------------------------------
// Reading

const trainingColumns = {
  id: modelTrainings.id,
  kind: modelTrainings.kind,
  source: modelTrainings.source,
  status: modelTrainings.status,
  label: modelTrainings.label,
  exclude: modelTrainings.exclude,
  progress: modelTrainings.progress,
  badRows: modelTrainings.badRows,
  badRowCount: modelTrainings.badRowCount,
  modelVersionId: modelTrainings.modelVersionId,
  error: modelTrainings.error,
  createdBy: modelTrainings.createdBy,
  createdAt: modelTrainings.createdAt,
  updatedAt: modelTrainings.updatedAt,
  startedAt: modelTrainings.startedAt,
  finishedAt: modelTrainings.finishedAt,
};

export async function getTraining(ctx: ServiceContext, id: string) {
  const [t] = await ctx.db
    .select(trainingColumns)
    .from(modelTrainings)
    .where(and(eq(modelTrainings.tenantId, ctx.tenantId), eq(modelTrainings.id, id)))
    .limit(1);
  if (!t) throw new NotFound('Training');
  const [version] = t.modelVersionId
    ? await ctx.db
        .select()
        .from(modelVersions)
        .where(and(eq(modelVersions.tenantId, ctx.tenantId), eq(modelVersions.id, t.modelVersionId)))
        .limit(1)
    : [];
  // A run whose Worker died (CPU limit, deploy) never writes again; say so instead of "training" forever.
  const stalled = (t.status === 'parsing' || t.status === 'training') && Date.now() - t.updatedAt.getTime() > STALLED_AFTER_MS;
  const v = version && versionView(version);
  return {
    id: t.id,
    kind: t.kind,
    source: t.source,
    status: stalled ? ('failed' as const) : t.status,
    label: t.label,
    exclude: t.exclude,
    progress: t.progress,
    badRows: t.badRows,
    badRowCount: t.badRowCount,
    error: stalled ? `The run stopped without finishing (no progress since ${t.updatedAt.toISOString()}); start it again.` : t.error,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    result: v ? { modelVersion: v.id, version: v.version, status: v.status, metrics: v.metrics, decision: v.decision } : null,
  };
}

/** Runs (of a kind, or all) still in flight and not stalled. */
export async function runningTrainings(db: Database | ServiceContext['db'], tenantId: string, kind?: TrainableModelKind): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(modelTrainings)
    .where(
      and(
        eq(modelTrainings.tenantId, tenantId),
        kind ? eq(modelTrainings.kind, kind) : undefined,
        inArray(modelTrainings.status, RUNNING),
        sql`${modelTrainings.updatedAt} > now() - make_interval(secs => ${STALLED_AFTER_MS / 1000})`,
      ),
    );
  return row?.n ?? 0;
}
