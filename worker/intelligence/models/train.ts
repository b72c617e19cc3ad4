/**
 * Training and prediction for the scoring models.
 *
 * `trainModel` reports stratified k-fold cross-validated metrics computed on out-of-fold
 * predictions, where everything that learns from data — encoder (levels, standardisation),
 * learners and the calibrator — is refitted inside each outer training fold. The calibrator is
 * fitted on *inner* out-of-fold scores of that training fold, so no outer-test row ever
 * influences its own prediction. The returned model is then fitted the same way on all rows.
 *
 * `kind: 'auto'` fits logistic regression, boosted trees, and their equal-weight log-odds blend,
 * and keeps the candidate with the lowest cross-validated log-loss (a proper score that rewards
 * both ranking and calibration). Picking one of three on the same folds is a small optimistic
 * bias in the reported metrics; the per-candidate metrics are returned so it stays visible.
 */

import type { CsvRow } from './csv';
import { type CalibrationKind, type Calibrator, calibrate, fitCalibrator } from './calibration';
import {
  type EncoderOptions,
  type EncoderSpec,
  type Encoder,
  compileEncoder,
  fitEncoder,
  parseLabel,
} from './features';
import { type GbtModel, type GbtOptions, fitGbt, gbtContributions, gbtLogit } from './gbt';
import {
  type LogisticModel,
  type LogisticOptions,
  fitLogistic,
  logisticContributions,
  logisticLogit,
} from './logistic';
import { type BinaryMetrics, evaluate } from './metrics';
import { sigmoid, stratifiedFolds } from './random';

export type ModelKind = 'logistic' | 'gbt' | 'blend';
export type RequestedKind = 'logistic' | 'gbt' | 'auto';

export interface TrainOptions extends EncoderOptions {
  label: string;
  kind?: RequestedKind;
  /** Outer folds for the reported metrics (≥ 2). */
  folds?: number;
  /** Inner folds producing the out-of-fold scores the calibrator learns from. */
  calibrationFolds?: number;
  calibration?: CalibrationKind;
  seed?: number;
  logistic?: LogisticOptions;
  gbt?: GbtOptions;
  onProgress?: (message: string) => void;
}

export interface ScoringModel {
  format: 'leadpulse.scoring-model';
  version: 1;
  label: string;
  kind: ModelKind;
  encoder: EncoderSpec;
  logistic?: LogisticModel;
  gbt?: GbtModel;
  /** Weight of the trees' log-odds in a blend (0 = logistic only, 1 = trees only). */
  gbtWeight: number;
  calibrator: Calibrator;
  trainedRows: number;
  positiveRate: number;
}

export interface CvMetrics extends BinaryMetrics {
  folds: number;
  model: ModelKind;
  /** Cross-validated metrics of every candidate considered (one entry unless kind is auto). */
  candidates: Partial<Record<ModelKind, BinaryMetrics>>;
}

export interface TrainResult {
  model: ScoringModel;
  metrics: CvMetrics;
  /** Indices of input rows skipped because their label was not 1/0, yes/no or true/false. */
  skippedRows: number[];
  /**
   * The chosen candidate's cross-validated probabilities and the labels of the rows kept (input
   * order, skipped rows left out): what threshold metrics such as precision are computed from.
   */
  outOfFold: { scores: Float64Array; labels: Uint8Array };
}

export interface Reason {
  feature: string;
  /** Log-odds moved by this column relative to an average training row (+ raises the score). */
  contribution: number;
}

export interface Prediction {
  probability: number;
  reasons: Reason[];
}

interface Design {
  n: number;
  d: number;
  c: number;
  X: Float64Array;
  C: Float64Array;
  levels: number[];
}

function design(encoder: Encoder, rows: readonly CsvRow[]): Design {
  const n = rows.length;
  const d = encoder.dims;
  const c = encoder.spec.columns.length;
  const X = new Float64Array(n * d);
  const C = new Float64Array(n * c);
  rows.forEach((row, i) => {
    encoder.encodeLinear(row, X.subarray(i * d, (i + 1) * d));
    encoder.encodeColumns(row, C.subarray(i * c, (i + 1) * c));
  });
  const levels = encoder.spec.columns.map((col) => (col.type === 'numeric' ? 0 : col.levels.length));
  return { n, d, c, X, C, levels };
}

function subset(D: Design, idx: readonly number[]): Design {
  const X = new Float64Array(idx.length * D.d);
  const C = new Float64Array(idx.length * D.c);
  idx.forEach((i, k) => {
    X.set(D.X.subarray(i * D.d, (i + 1) * D.d), k * D.d);
    C.set(D.C.subarray(i * D.c, (i + 1) * D.c), k * D.c);
  });
  return { ...D, n: idx.length, X, C };
}

interface Learners {
  logistic?: LogisticModel;
  gbt?: GbtModel;
}

function fitLearners(D: Design, y: ArrayLike<number>, kinds: readonly ('logistic' | 'gbt')[], opts: TrainOptions): Learners {
  const out: Learners = {};
  if (kinds.includes('logistic')) out.logistic = fitLogistic(D.X, D.n, D.d, y, opts.logistic);
  if (kinds.includes('gbt')) out.gbt = fitGbt(D.C, D.n, D.c, y, { levels: D.levels }, { seed: opts.seed ?? 1, ...opts.gbt });
  return out;
}

/** Raw log-odds of each learner for rows 0..n-1 of D. */
function rawLogits(L: Learners, D: Design): { logistic?: Float64Array; gbt?: Float64Array } {
  const out: { logistic?: Float64Array; gbt?: Float64Array } = {};
  if (L.logistic) {
    const z = new Float64Array(D.n);
    for (let i = 0; i < D.n; i++) z[i] = logisticLogit(L.logistic, D.X.subarray(i * D.d, (i + 1) * D.d));
    out.logistic = z;
  }
  if (L.gbt) {
    const z = new Float64Array(D.n);
    const scratch = new Int32Array(D.c);
    for (let i = 0; i < D.n; i++) z[i] = gbtLogit(L.gbt, D.C.subarray(i * D.c, (i + 1) * D.c), scratch);
    out.gbt = z;
  }
  return out;
}

const GBT_WEIGHT: Record<ModelKind, number> = { logistic: 0, gbt: 1, blend: 0.5 };

function combine(z: { logistic?: Float64Array; gbt?: Float64Array }, kind: ModelKind, i: number): number {
  const w = GBT_WEIGHT[kind];
  return (w < 1 ? (1 - w) * z.logistic![i]! : 0) + (w > 0 ? w * z.gbt![i]! : 0);
}

function candidatesFor(kind: RequestedKind): ModelKind[] {
  if (kind === 'logistic') return ['logistic'];
  if (kind === 'gbt') return ['gbt'];
  return ['logistic', 'gbt', 'blend'];
}

function learnersFor(cands: readonly ModelKind[]): ('logistic' | 'gbt')[] {
  const out = new Set<'logistic' | 'gbt'>();
  for (const k of cands) {
    if (k !== 'gbt') out.add('logistic');
    if (k !== 'logistic') out.add('gbt');
  }
  return [...out];
}

/**
 * Fits encoder, learners and one calibrator per candidate on `rows`; the calibrators learn from
 * inner out-of-fold scores. Yields (null) after each learner fit: a point where an async caller
 * may let other work run.
 */
function* fitPipeline(
  rows: readonly CsvRow[],
  y: Uint8Array,
  cands: readonly ModelKind[],
  opts: TrainOptions,
  seed: number,
): Generator<null, Record<string, ScoringModel>, void> {
  const spec = fitEncoder(rows, opts.label, opts);
  const encoder = compileEncoder(spec);
  const D = design(encoder, rows);
  const kinds = learnersFor(cands);
  const learners = fitLearners(D, y, kinds, opts);
  yield null;
  const calKind = opts.calibration ?? 'platt';

  const calibrators: Partial<Record<ModelKind, Calibrator>> = {};
  if (calKind === 'none') {
    for (const k of cands) calibrators[k] = { kind: 'none' };
  } else {
    const k = opts.calibrationFolds ?? 3;
    const fold = stratifiedFolds(y, k, seed + 7919);
    const oof = { logistic: new Float64Array(D.n), gbt: new Float64Array(D.n) };
    for (let f = 0; f < k; f++) {
      const tr: number[] = [];
      const te: number[] = [];
      for (let i = 0; i < D.n; i++) (fold[i] === f ? te : tr).push(i);
      const inner = fitLearners(subset(D, tr), Uint8Array.from(tr, (i) => y[i]!), kinds, opts);
      yield null;
      const z = rawLogits(inner, subset(D, te));
      te.forEach((i, j) => {
        if (z.logistic) oof.logistic[i] = z.logistic[j]!;
        if (z.gbt) oof.gbt[i] = z.gbt[j]!;
      });
    }
    for (const cand of cands) {
      const p = Float64Array.from({ length: D.n }, (_, i) => sigmoid(combine(oof, cand, i)));
      calibrators[cand] = fitCalibrator(calKind, p, y);
    }
  }

  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i]!;
  const out: Record<string, ScoringModel> = {};
  for (const cand of cands) {
    const model: ScoringModel = {
      format: 'leadpulse.scoring-model',
      version: 1,
      label: opts.label,
      kind: cand,
      encoder: spec,
      gbtWeight: GBT_WEIGHT[cand],
      calibrator: calibrators[cand]!,
      trainedRows: rows.length,
      positiveRate: pos / rows.length,
    };
    if (cand !== 'gbt') model.logistic = learners.logistic!;
    if (cand !== 'logistic') model.gbt = learners.gbt!;
    out[cand] = model;
  }
  return out;
}

/** Where a training run is, reported after each outer fold and after the final fit. */
export interface TrainStep {
  foldsDone: number;
  foldsTotal: number;
  phase: 'cross-validation' | 'final-fit' | 'done';
  /** The same line `onProgress` receives. */
  message: string;
}

/**
 * The training run as a sequence of steps (one per outer fold, then the final fit), so a caller
 * that must report progress while it runs — a Worker writing it to Postgres — can yield to I/O
 * between steps. It also yields null after every learner fit (several per fold), where nothing
 * new is reported but other work may run. `trainModel` drives it in one go.
 */
export function* trainSteps(rows: readonly CsvRow[], opts: TrainOptions): Generator<TrainStep | null, TrainResult, void> {
  const k = opts.folds ?? 5;
  const seed = opts.seed ?? 42;
  const kept: CsvRow[] = [];
  const labels: number[] = [];
  const skippedRows: number[] = [];
  rows.forEach((row, i) => {
    const v = parseLabel(row[opts.label]);
    if (v === undefined) skippedRows.push(i);
    else {
      kept.push(row);
      labels.push(v);
    }
  });
  const y = Uint8Array.from(labels);
  const nPos = labels.reduce((s, v) => s + v, 0);
  if (nPos < k || kept.length - nPos < k) {
    throw new Error(`need at least ${k} rows of each outcome for ${k}-fold cross-validation (have ${nPos} positive, ${kept.length - nPos} negative)`);
  }
  const cands = candidatesFor(opts.kind ?? 'auto');

  const fold = stratifiedFolds(y, k, seed);
  const oof: Record<string, Float64Array> = {};
  for (const cand of cands) oof[cand] = new Float64Array(kept.length);
  for (let f = 0; f < k; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < kept.length; i++) (fold[i] === f ? te : tr).push(i);
    const models = yield* fitPipeline(
      tr.map((i) => kept[i]!),
      Uint8Array.from(tr, (i) => y[i]!),
      cands,
      opts,
      seed + f + 1,
    );
    for (const cand of cands) {
      const scorer = compileScorer(models[cand]!);
      for (const i of te) oof[cand]![i] = scorer(kept[i]!);
    }
    yield { foldsDone: f + 1, foldsTotal: k, phase: f + 1 < k ? 'cross-validation' : 'final-fit', message: `fold ${f + 1}/${k} done` };
  }
  const candidates: Partial<Record<ModelKind, BinaryMetrics>> = {};
  let best: ModelKind = cands[0]!;
  for (const cand of cands) {
    candidates[cand] = evaluate(oof[cand]!, y);
    if (candidates[cand]!.logLoss < candidates[best]!.logLoss) best = cand;
  }
  const final = yield* fitPipeline(kept, y, [best], opts, seed);
  yield { foldsDone: k, foldsTotal: k, phase: 'done', message: `final ${best} model fitted on ${kept.length} rows` };
  return {
    model: final[best]!,
    metrics: { ...candidates[best]!, folds: k, model: best, candidates },
    skippedRows,
    outOfFold: { scores: oof[best]!, labels: y },
  };
}

export function trainModel(rows: readonly CsvRow[], opts: TrainOptions): TrainResult {
  const progress = opts.onProgress ?? (() => {});
  const steps = trainSteps(rows, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value) progress(step.value.message);
  }
}

/**
 * trainModel that awaits `onStep` after every fold, and yields to the event loop after every
 * learner fit: training is seconds of CPU, and a Worker isolate serves other requests (and
 * keeps its sockets alive) only when the loop gets a turn.
 */
export async function trainModelAsync(
  rows: readonly CsvRow[],
  opts: TrainOptions,
  onStep: (step: TrainStep) => void | Promise<void>,
): Promise<TrainResult> {
  const steps = trainSteps(rows, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value === null) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      continue;
    }
    opts.onProgress?.(step.value.message);
    await onStep(step.value);
  }
}

// Compiled encoders are cached per model object: predict() is called per lead in a tight loop.
const compiled = new WeakMap<ScoringModel, Encoder>();
function encoderOf(model: ScoringModel): Encoder {
  let e = compiled.get(model);
  if (!e) {
    e = compileEncoder(model.encoder);
    compiled.set(model, e);
  }
  return e;
}

/** Fast probability-only scorer (no reasons), reusing buffers. */
export function compileScorer(model: ScoringModel): (row: CsvRow) => number {
  const enc = encoderOf(model);
  const x = new Float64Array(enc.dims);
  const c = new Float64Array(model.encoder.columns.length);
  const scratch = new Int32Array(model.encoder.columns.length);
  const w = model.gbtWeight;
  return (row) => {
    let z = 0;
    if (w < 1) z += (1 - w) * logisticLogit(model.logistic!, enc.encodeLinear(row, x));
    if (w > 0) z += w * gbtLogit(model.gbt!, enc.encodeColumns(row, c), scratch);
    return calibrate(model.calibrator, sigmoid(z));
  };
}

export function predict(model: ScoringModel, row: CsvRow, options: { topReasons?: number } = {}): Prediction {
  const enc = encoderOf(model);
  const spec = model.encoder;
  const cols = spec.columns.length;
  const w = model.gbtWeight;
  const total = new Float64Array(cols);
  let z = 0;
  if (w < 1) {
    const x = enc.encodeLinear(row);
    const { base, contributions } = logisticContributions(model.logistic!, x, spec.featureColumn, cols);
    z += (1 - w) * base;
    for (let j = 0; j < cols; j++) {
      total[j]! += (1 - w) * contributions[j]!;
      z += (1 - w) * contributions[j]!;
    }
  }
  if (w > 0) {
    const { base, contributions } = gbtContributions(model.gbt!, enc.encodeColumns(row));
    z += w * base;
    for (let j = 0; j < cols; j++) {
      total[j]! += w * contributions[j]!;
      z += w * contributions[j]!;
    }
  }
  const reasons: Reason[] = [];
  for (let j = 0; j < cols; j++) {
    if (total[j] !== 0) reasons.push({ feature: spec.columns[j]!.name, contribution: total[j]! });
  }
  reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return {
    probability: calibrate(model.calibrator, sigmoid(z)),
    reasons: options.topReasons === undefined ? reasons : reasons.slice(0, options.topReasons),
  };
}

/** Validates the envelope of a stored model (JSON.parse output) before use. */
export function loadModel(json: string | unknown): ScoringModel {
  const m = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<ScoringModel> | null;
  if (!m || m.format !== 'leadpulse.scoring-model' || m.version !== 1) throw new Error('not a LeadPulse scoring model (format/version)');
  if (!m.encoder || !m.calibrator) throw new Error('scoring model lacks encoder or calibrator');
  if ((m.gbtWeight ?? 0) < 1 && !m.logistic) throw new Error('scoring model lacks its logistic part');
  if ((m.gbtWeight ?? 0) > 0 && !m.gbt) throw new Error('scoring model lacks its tree part');
  return m as ScoringModel;
}
