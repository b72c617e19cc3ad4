/**
 * Probability calibration fitted on out-of-fold scores (never on the scores of rows the model
 * was trained on, which are over-confident).
 * - Platt: p = σ(a · logit(s) + b), two parameters, Platt's smoothed targets; robust on a few
 *   hundred outcomes, which is what a young tenant has.
 * - Isotonic: pool-adjacent-violators step function, linearly interpolated between block
 *   centres; more flexible, needs more data.
 */

import { logit, sigmoid } from './random';

export type Calibrator =
  | { kind: 'none' }
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

export type CalibrationKind = Calibrator['kind'];

export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += labels[i]!;
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (n - nPos + 2);
  const z = Array.from({ length: n }, (_, i) => logit(scores[i]!));
  const loss = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(a * z[i]! + b)));
      const t = labels[i] === 1 ? tPos : tNeg;
      s -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
    }
    return s;
  };
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 1e-9;
    let h01 = 0;
    let h11 = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const t = labels[i] === 1 ? tPos : tNeg;
      const r = p - t;
      const w = p * (1 - p);
      g0 += r * z[i]!;
      g1 += r;
      h00 += w * z[i]! * z[i]!;
      h01 += w * z[i]!;
      h11 += w;
    }
    const det = h00 * h11 - h01 * h01;
    if (Math.abs(det) < 1e-15) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    // Undamped Newton can overshoot on saturated scores: halve the step until the loss drops.
    const current = loss(a, b);
    let t = 1;
    while (t > 1e-6 && loss(a - t * da, b - t * db) > current) t /= 2;
    a -= t * da;
    b -= t * db;
    if (t * (Math.abs(da) + Math.abs(db)) < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((p, q) => scores[p]! - scores[q]!);
  // blocks: [sumX, sumY, weight]
  const sx: number[] = [];
  const sy: number[] = [];
  const w: number[] = [];
  for (const i of order) {
    sx.push(scores[i]!);
    sy.push(labels[i]!);
    w.push(1);
    while (sy.length > 1 && sy[sy.length - 2]! / w[w.length - 2]! >= sy[sy.length - 1]! / w[w.length - 1]!) {
      const x = sx.pop()!;
      const yv = sy.pop()!;
      const ww = w.pop()!;
      sx[sx.length - 1]! += x;
      sy[sy.length - 1]! += yv;
      w[w.length - 1]! += ww;
    }
  }
  return {
    kind: 'isotonic',
    x: sx.map((s, k) => s / w[k]!),
    // Keep probabilities off 0 and 1: a hard 0 would make log-loss infinite on one surprise.
    y: sy.map((s, k) => Math.min(1 - 1e-4, Math.max(1e-4, s / w[k]!))),
  };
}

export function fitCalibrator(kind: CalibrationKind, scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  if (kind === 'platt') return fitPlatt(scores, labels);
  if (kind === 'isotonic') return fitIsotonic(scores, labels);
  return { kind: 'none' };
}

export function calibrate(c: Calibrator, score: number): number {
  if (c.kind === 'none') return score;
  if (c.kind === 'platt') return sigmoid(c.a * logit(score) + c.b);
  const { x, y } = c;
  if (x.length === 0) return score;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - x[lo]!) / (x[hi]! - x[lo]! || 1);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}
