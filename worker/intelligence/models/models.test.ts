import { describe, expect, it } from 'vitest';
import type { CsvRow } from './csv';
import { calibrate, fitIsotonic, fitPlatt } from './calibration';
import { ProtectedAttributeError, fitEncoder, isProtectedAttribute } from './features';
import { fitGbt, gbtLogit } from './gbt';
import { fitLogistic } from './logistic';
import { auc, ece, precisionAt } from './metrics';
import { seededRandom, sigmoid } from './random';
import { loadModel, predict, trainModel, trainModelAsync, type TrainStep } from './train';

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

describe('logistic regression', () => {
  it('recovers known coefficients on synthetic data', () => {
    const rand = seededRandom(7);
    const n = 20_000;
    const d = 3;
    const truth = [1.5, -2, 0.5];
    const bias = -0.7;
    const X = new Float64Array(n * d);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let z = bias;
      for (let j = 0; j < d; j++) {
        const v = gaussian(rand);
        X[i * d + j] = v;
        z += truth[j]! * v;
      }
      y[i] = rand() < sigmoid(z) ? 1 : 0;
    }
    const m = fitLogistic(X, n, d, y, { l2: 1e-3 });
    m.coef.forEach((c, j) => expect(Math.abs(c - truth[j]!)).toBeLessThan(0.08));
    expect(Math.abs(m.intercept - bias)).toBeLessThan(0.08);
  });
});

describe('boosted trees', () => {
  it('beats logistic regression on an XOR-like interaction', () => {
    const rand = seededRandom(11);
    const make = (n: number) => {
      const X = new Float64Array(n * 2);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const a = rand() * 2 - 1;
        const b = rand() * 2 - 1;
        X[i * 2] = a;
        X[i * 2 + 1] = b;
        y[i] = rand() < (a * b > 0 ? 0.9 : 0.1) ? 1 : 0;
      }
      return { X, y, n };
    };
    const tr = make(3000);
    const te = make(2000);
    const lr = fitLogistic(tr.X, tr.n, 2, tr.y);
    const gbt = fitGbt(tr.X, tr.n, 2, tr.y, { levels: [0, 0] }, { rounds: 100, seed: 3 });
    const pLr: number[] = [];
    const pGbt: number[] = [];
    for (let i = 0; i < te.n; i++) {
      const x = te.X.subarray(i * 2, i * 2 + 2);
      pLr.push(lr.intercept + lr.coef[0]! * x[0]! + lr.coef[1]! * x[1]!);
      pGbt.push(gbtLogit(gbt, x));
    }
    const aucLr = auc(pLr, te.y);
    const aucGbt = auc(pGbt, te.y);
    expect(aucLr).toBeLessThan(0.6);
    expect(aucGbt).toBeGreaterThan(0.85);
  });
});

describe('calibration', () => {
  it('Platt and isotonic reduce ECE of a deliberately over-confident score', () => {
    const rand = seededRandom(5);
    const fit = { s: [] as number[], y: [] as number[] };
    const test = { s: [] as number[], y: [] as number[] };
    for (let i = 0; i < 8000; i++) {
      const z = gaussian(rand);
      const y = rand() < sigmoid(z) ? 1 : 0;
      const miscalibrated = sigmoid(3 * z + 1); // too extreme and shifted
      const target = i % 2 === 0 ? fit : test;
      target.s.push(miscalibrated);
      target.y.push(y);
    }
    const before = ece(test.s, test.y);
    const platt = fitPlatt(fit.s, fit.y);
    const iso = fitIsotonic(fit.s, fit.y);
    const afterPlatt = ece(test.s.map((s) => calibrate(platt, s)), test.y);
    const afterIso = ece(test.s.map((s) => calibrate(iso, s)), test.y);
    expect(before).toBeGreaterThan(0.1);
    expect(afterPlatt).toBeLessThan(0.03);
    expect(afterIso).toBeLessThan(0.03);
  });
});

function syntheticLeads(n: number, seed: number): CsvRow[] {
  const rand = seededRandom(seed);
  const sources = ['Google', 'Referral', 'Zillow', 'Facebook', 'Rare'];
  const rows: CsvRow[] = [];
  for (let i = 0; i < n; i++) {
    const visits = Math.floor(rand() * 20);
    const source = sources[Math.min(4, Math.floor(rand() * 4.1))]!;
    const timeOnSite = rand() < 0.1 ? '' : String(Math.round(rand() * 1500));
    const stage = rand() < 0.2 ? 'Select' : rand() < 0.5 ? 'Buyer' : 'Seller';
    const z =
      -1.5 +
      0.15 * visits +
      (source === 'Referral' ? 1.2 : 0) +
      (timeOnSite === '' ? 0 : Number(timeOnSite) / 800) +
      (stage === 'Seller' && visits > 10 ? 1 : 0);
    rows.push({
      'Lead Id': `lead_${i}`,
      Visits: String(visits),
      Source: source,
      'Time On Site': timeOnSite,
      Stage: stage,
      Converted: rand() < sigmoid(z) ? (i % 2 ? 'Yes' : '1') : i % 2 ? 'No' : '0',
    });
  }
  return rows;
}

describe('trainModel / predict', () => {
  const rows = syntheticLeads(1500, 99);

  it('cross-validates, picks a model and explains predictions by source column', () => {
    const { model, metrics, skippedRows } = trainModel(rows, { label: 'Converted', exclude: ['Lead *'], kind: 'auto', folds: 5, seed: 1 });
    expect(skippedRows).toEqual([]);
    expect(metrics.folds).toBe(5);
    expect(metrics.n).toBe(1500);
    expect(metrics.auc).toBeGreaterThan(0.75);
    expect(Object.keys(metrics.candidates).sort()).toEqual(['blend', 'gbt', 'logistic']);
    expect(model.encoder.columns.map((c) => c.name)).not.toContain('Lead Id');
    const stage = model.encoder.columns.find((c) => c.name === 'Stage');
    expect(stage).toMatchObject({ type: 'categorical' });
    expect(stage?.type === 'categorical' && stage.levels).toContain('(missing)'); // "Select" is missing
    const p = predict(model, { Visits: '19', Source: 'Referral', 'Time On Site': '1400', Stage: 'Seller' });
    const q = predict(model, { Visits: '0', Source: 'Google', 'Time On Site': '10', Stage: 'Buyer' });
    expect(p.probability).toBeGreaterThan(q.probability);
    expect(p.reasons.map((r) => r.feature)).toEqual(expect.arrayContaining(['Visits', 'Source']));
    expect(p.reasons.find((r) => r.feature === 'Visits')!.contribution).toBeGreaterThan(0);
  });

  for (const kind of ['logistic', 'gbt'] as const) {
    it(`${kind}: JSON round-trip gives identical predictions`, () => {
      const { model } = trainModel(rows, { label: 'Converted', exclude: ['Lead Id'], kind, folds: 3, seed: 2 });
      const restored = loadModel(JSON.stringify(model));
      for (const row of rows.slice(0, 50)) expect(predict(restored, row)).toEqual(predict(model, row));
    });
  }

  it('async training reports every fold, yields between them, and matches the synchronous run', async () => {
    const opts = { label: 'Converted', exclude: ['Lead Id'], kind: 'logistic' as const, folds: 4, seed: 5 };
    const steps: TrainStep[] = [];
    let ticks = 0;
    // Counts event-loop turns other work got while training ran.
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const async = await trainModelAsync(rows, opts, async (step) => {
      steps.push(step);
      await Promise.resolve();
      ticks++;
    });
    clearInterval(timer);
    expect(turns).toBeGreaterThan(5);
    expect(steps.map((s) => `${s.foldsDone}/${s.foldsTotal} ${s.phase}`)).toEqual(['1/4 cross-validation', '2/4 cross-validation', '3/4 cross-validation', '4/4 final-fit', '4/4 done']);
    expect(ticks).toBe(5);
    const sync = trainModel(rows, opts);
    expect(JSON.stringify(async.model)).toBe(JSON.stringify(sync.model));
    // The out-of-fold scores are the ones the reported metrics were computed from.
    expect(auc(async.outOfFold.scores, async.outOfFold.labels)).toBe(async.metrics.auc);
    expect(async.outOfFold.scores).toHaveLength(rows.length);
    expect(precisionAt(async.outOfFold.scores, async.outOfFold.labels, 0.5)).toBeGreaterThan(0.5);
  });

  it('is deterministic for a given seed', () => {
    const a = trainModel(rows, { label: 'Converted', exclude: ['Lead Id'], kind: 'gbt', folds: 3, seed: 4 });
    const b = trainModel(rows, { label: 'Converted', exclude: ['Lead Id'], kind: 'gbt', folds: 3, seed: 4 });
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    expect(a.metrics.auc).toBe(b.metrics.auc);
  });
});

describe('Fair Housing guard', () => {
  const rows = syntheticLeads(200, 3).map((r, i) => ({ ...r, race: i % 2 ? 'A' : 'B', 'Page Views': '3' }));

  it('refuses a race column by default', () => {
    expect(() => fitEncoder(rows, 'Converted', { exclude: ['Lead Id'] })).toThrow(ProtectedAttributeError);
    expect(() => trainModel(rows, { label: 'Converted', exclude: ['Lead Id'] })).toThrow(/race/);
  });

  it('trains once the column is excluded, or drops it when asked, and never matches inside words', () => {
    expect(fitEncoder(rows, 'Converted', { exclude: ['Lead Id', 'race'] }).columns.map((c) => c.name)).not.toContain('race');
    const dropped = fitEncoder(rows, 'Converted', { exclude: ['Lead Id'], protectedAttributes: 'drop' });
    expect(dropped.dropped).toEqual(['race']);
    expect(isProtectedAttribute('Page Views')).toBe(false); // "age" inside a word
    expect(isProtectedAttribute('SeniorCitizen')).toBe(true);
    expect(isProtectedAttribute('Applicant Gender')).toBe(true);
  });
});
