/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) with backtracking — exact,
 * deterministic and fast for the few hundred dense-ish features our encoder produces. The
 * intercept is not penalised. Encoded rows are mostly one-hot, so the Hessian is accumulated
 * over each row's non-zero slots only.
 */

import { sigmoid } from './random';

export interface LogisticOptions {
  /** L2 penalty λ on the summed (not averaged) log-loss. */
  l2?: number;
  maxIter?: number;
  tol?: number;
}

export interface LogisticModel {
  intercept: number;
  coef: number[];
  /** Training means of each encoded slot: contributions are measured against the average row. */
  means: number[];
}

function negLogLik(X: Float64Array, n: number, d: number, y: ArrayLike<number>, w: Float64Array, l2: number): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = w[d]!;
    const o = i * d;
    for (let j = 0; j < d; j++) z += X[o + j]! * w[j]!;
    // log(1 + e^z) − y z, computed stably
    loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i]! * z;
  }
  let pen = 0;
  for (let j = 0; j < d; j++) pen += w[j]! * w[j]!;
  return loss + 0.5 * l2 * pen;
}

/** Solves A x = b for symmetric positive-definite A (row-major m×m), in place on copies. */
function choleskySolve(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      if (i === j) L[i * m + i] = Math.sqrt(Math.max(s, 1e-12));
      else L[i * m + j] = s / L[j * m + j]!;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * m + k]! * z[k]!;
    z[i] = s / L[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!;
    x[i] = s / L[i * m + i]!;
  }
  return x;
}

/** X is row-major n×d; y in {0,1}; optional per-row weights. */
export function fitLogistic(
  X: Float64Array,
  n: number,
  d: number,
  y: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIter = options.maxIter ?? 50;
  const tol = options.tol ?? 1e-7;
  const m = d + 1;
  // Non-zero slots per row (the intercept slot d is always present).
  const nzStart = new Int32Array(n + 1);
  const nzIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) if (X[o + j] !== 0) nzIdx.push(j);
    nzIdx.push(d);
    nzStart[i + 1] = nzIdx.length;
  }
  const val = (i: number, j: number) => (j === d ? 1 : X[i * d + j]!);

  const w = new Float64Array(m);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, pos / n));
  w[d] = Math.log(prior / (1 - prior));
  let loss = negLogLik(X, n, d, y, w, l2);

  for (let iter = 0; iter < maxIter; iter++) {
    const g = new Float64Array(m);
    const H = new Float64Array(m * m);
    for (let i = 0; i < n; i++) {
      let z = w[d]!;
      const o = i * d;
      for (let k = nzStart[i]!; k < nzStart[i + 1]! - 1; k++) z += X[o + nzIdx[k]!]! * w[nzIdx[k]!]!;
      const p = sigmoid(z);
      const r = p - y[i]!;
      const h = Math.max(p * (1 - p), 1e-10);
      const s = nzStart[i]!;
      const e = nzStart[i + 1]!;
      for (let a = s; a < e; a++) {
        const ja = nzIdx[a]!;
        const xa = val(i, ja);
        g[ja]! += r * xa;
        const hx = h * xa;
        const row = ja * m;
        for (let b = a; b < e; b++) {
          const jb = nzIdx[b]!;
          H[row + jb]! += hx * val(i, jb);
        }
      }
    }
    for (let j = 0; j < d; j++) {
      g[j]! += l2 * w[j]!;
      H[j * m + j]! += l2;
    }
    H[d * m + d]! += 1e-9;
    // Only the upper triangle was filled (indices ascend within a row): mirror it.
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) H[b * m + a] = H[a * m + b]!;
    const step = choleskySolve(H, g, m);
    let t = 1;
    let next = w;
    let nextLoss = loss;
    for (let tries = 0; tries < 30; tries++) {
      const cand = new Float64Array(m);
      for (let j = 0; j < m; j++) cand[j] = w[j]! - t * step[j]!;
      const candLoss = negLogLik(X, n, d, y, cand, l2);
      if (candLoss <= loss + 1e-12) {
        next = cand;
        nextLoss = candLoss;
        break;
      }
      t /= 2;
    }
    let maxStep = 0;
    for (let j = 0; j < m; j++) maxStep = Math.max(maxStep, Math.abs(next[j]! - w[j]!));
    w.set(next);
    const improved = loss - nextLoss;
    loss = nextLoss;
    if (maxStep < tol || improved < tol * n * 1e-3) break;
  }

  const means = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j]! += X[i * d + j]!;
  for (let j = 0; j < d; j++) means[j]! /= n;
  return { intercept: w[d]!, coef: Array.from(w.subarray(0, d)), means };
}

export function logisticLogit(model: LogisticModel, x: ArrayLike<number>): number {
  let z = model.intercept;
  const c = model.coef;
  for (let j = 0; j < c.length; j++) z += c[j]! * x[j]!;
  return z;
}

/**
 * Log-odds contributions relative to the average training row, summed per source column:
 * base + Σ contributions = logit. `featureColumn[j]` is the source column of slot j.
 */
export function logisticContributions(
  model: LogisticModel,
  x: ArrayLike<number>,
  featureColumn: readonly number[],
  columnCount: number,
): { base: number; contributions: Float64Array } {
  const out = new Float64Array(columnCount);
  let base = model.intercept;
  for (let j = 0; j < model.coef.length; j++) {
    const c = model.coef[j]!;
    base += c * model.means[j]!;
    out[featureColumn[j]!]! += c * (x[j]! - model.means[j]!);
  }
  return { base, contributions: out };
}
