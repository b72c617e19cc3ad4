/**
 * `npm run model:evaluate -- --train <csv> [--test <csv>] --label <column>
 *    [--exclude "<a>,<b>,Prefix *"] [--kind auto|logistic|gbt] [--cv]
 *    [--calibration platt|isotonic|none] [--protected drop|refuse|allow] [--seed 42] [--folds 5]`
 *
 * Trains a scoring model on one CSV and prints ONE JSON line to stdout:
 * `{ "auc", "brier", "ece", "accuracy", "n", "model", … }` — scored on --test, or, when --test is
 * omitted or --cv is given, the stratified cross-validated metrics of the training file (tune
 * with these; a held-out file is for the final figure only). Progress goes to stderr.
 *
 * Protected attributes (Fair Housing deny-list) default to `drop` here, since evaluation data
 * sets are not ours to reshape; the product's default is `refuse`. Dropped columns are listed.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type ProtectedPolicy,
  type RequestedKind,
  type CalibrationKind,
  compileScorer,
  evaluate,
  parseCsv,
  parseLabel,
  predict,
  trainModel,
} from '../worker/intelligence/models';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run model:evaluate -- --train <csv> [--test <csv>] --label <column> [--exclude "a,b,Prefix *"] [--kind auto|logistic|gbt] [--cv]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'cv') out.set('cv', 'true');
    else {
      const v = argv[++i];
      if (v === undefined) usage(`missing value for ${a}`);
      out.set(key, v);
    }
  }
  return out;
}

function load(path: string) {
  const t0 = performance.now();
  const parsed = parseCsv(readFileSync(path, 'utf8'));
  for (const e of parsed.errors.slice(0, 20)) process.stderr.write(`${path}:${e.line}: ${e.message}\n`);
  if (parsed.errors.length > 20) process.stderr.write(`… and ${parsed.errors.length - 20} more bad rows\n`);
  process.stderr.write(
    `${path}: ${parsed.rows.length} rows parsed, ${parsed.errors.length} bad, ${((performance.now() - t0) / 1000).toFixed(2)} s\n`,
  );
  return parsed;
}

const args = parseArgs(process.argv.slice(2));
const trainPath = args.get('train') ?? usage('--train is required');
const label = args.get('label') ?? usage('--label is required');
const kind = (args.get('kind') ?? 'auto') as RequestedKind;
if (!['auto', 'logistic', 'gbt'].includes(kind)) usage(`unknown --kind ${kind}`);
const calibration = (args.get('calibration') ?? 'platt') as CalibrationKind;
const protectedAttributes = (args.get('protected') ?? 'drop') as ProtectedPolicy;
const exclude = (args.get('exclude') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const seed = Number(args.get('seed') ?? 42);
const folds = Number(args.get('folds') ?? 5);
const testPath = args.get('test');
const useCv = args.has('cv') || testPath === undefined;

const train = load(trainPath);
if (!train.header.includes(label)) usage(`label column "${label}" not in ${trainPath}`);

const t0 = performance.now();
let cvDoneAt = t0;
const result = trainModel(train.rows, {
  label,
  exclude,
  kind,
  folds,
  seed,
  calibration,
  protectedAttributes,
  onProgress: (m) => {
    if (m.startsWith(`fold ${folds}/`)) cvDoneAt = performance.now();
    process.stderr.write(`${m} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  },
});
const trainSeconds = (performance.now() - t0) / 1000;
// What a Worker pays to (re)train the stored model: the final fit, inner calibration folds included.
const finalFitSeconds = (performance.now() - cvDoneAt) / 1000;
const { model, metrics } = result;
if (result.skippedRows.length > 0) process.stderr.write(`${result.skippedRows.length} rows skipped: label not 1/0, yes/no, true/false\n`);
if (model.encoder.dropped.length > 0) process.stderr.write(`protected attributes dropped: ${model.encoder.dropped.join(', ')}\n`);
for (const [cand, m] of Object.entries(metrics.candidates)) {
  process.stderr.write(`cv ${cand}: auc ${m.auc.toFixed(4)} brier ${m.brier.toFixed(4)} ece ${m.ece.toFixed(4)} acc ${m.accuracy.toFixed(4)} logloss ${m.logLoss.toFixed(4)}\n`);
}

// Throughput on the training rows (or test rows): probability only, and with reasons.
const sample = train.rows;
const scorer = compileScorer(model);
let t1 = performance.now();
for (const row of sample) scorer(row);
const scoreRate = sample.length / ((performance.now() - t1) / 1000);
t1 = performance.now();
for (const row of sample) predict(model, row);
const explainRate = sample.length / ((performance.now() - t1) / 1000);
process.stderr.write(
  `training (cv + final) ${trainSeconds.toFixed(2)} s, final fit alone ${finalFitSeconds.toFixed(2)} s; scoring ${Math.round(scoreRate)} rows/s, with reasons ${Math.round(explainRate)} rows/s\n`,
);

const round = (v: number) => Math.round(v * 10000) / 10000;
const extra = {
  model: metrics.model,
  kind,
  trainSeconds: round(trainSeconds),
  finalFitSeconds: round(finalFitSeconds),
  rowsPerSecond: Math.round(scoreRate),
  dropped: model.encoder.dropped,
};
if (useCv) {
  process.stdout.write(
    `${JSON.stringify({ auc: round(metrics.auc), brier: round(metrics.brier), ece: round(metrics.ece), accuracy: round(metrics.accuracy), n: metrics.n, cv: true, folds: metrics.folds, logLoss: round(metrics.logLoss), ...extra })}\n`,
  );
} else {
  const test = load(testPath!);
  const p: number[] = [];
  const y: number[] = [];
  for (const row of test.rows) {
    const v = parseLabel(row[label]);
    if (v === undefined) continue;
    p.push(scorer(row));
    y.push(v);
  }
  const m = evaluate(p, y);
  process.stdout.write(
    `${JSON.stringify({ auc: round(m.auc), brier: round(m.brier), ece: round(m.ece), accuracy: round(m.accuracy), n: m.n, cv: false, logLoss: round(m.logLoss), ...extra })}\n`,
  );
}
