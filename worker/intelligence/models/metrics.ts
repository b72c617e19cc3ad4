/**
 * Classification metrics for probability scores against 0/1 labels.
 *
 * - AUC: rank-based (Mann–Whitney U); tied scores get their average rank, so a tie between a
 *   positive and a negative counts one half. NaN when one class is absent.
 * - Brier: mean squared error of the probability.
 * - ECE: expected calibration error over 10 equal-width bins [0,0.1), [0.1,0.2) … [0.9,1.0]
 *   (1.0 falls in the last bin): Σ_b (n_b / N) · |mean(p in b) − mean(y in b)|. Empty bins count 0.
 * - accuracy: predicted class is 1 when p ≥ 0.5.
 * - logLoss: mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15].
 * - precisionAt(t): of the rows scored p ≥ t (the ones that would raise an alert), the share
 *   that are positive. NaN when no row reaches t.
 */

export interface BinaryMetrics {
  auc: number;
  brier: number;
  ece: number;
  accuracy: number;
  logLoss: number;
  n: number;
}

export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function brier(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / p.length;
}

export const ECE_BINS = 10;

export function ece(p: ArrayLike<number>, y: ArrayLike<number>, bins = ECE_BINS): number {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    e += Math.abs(sumP[b]! - sumY[b]!) / p.length;
  }
  return e;
}

export function accuracy(p: ArrayLike<number>, y: ArrayLike<number>, threshold = 0.5): number {
  let ok = 0;
  for (let i = 0; i < p.length; i++) if ((p[i]! >= threshold ? 1 : 0) === y[i]) ok++;
  return ok / p.length;
}

export function precisionAt(p: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number {
  let flagged = 0;
  let hits = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < threshold) continue;
    flagged++;
    hits += y[i] === 1 ? 1 : 0;
  }
  return flagged === 0 ? Number.NaN : hits / flagged;
}

export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

export function evaluate(p: ArrayLike<number>, y: ArrayLike<number>): BinaryMetrics {
  return {
    auc: auc(p, y),
    brier: brier(p, y),
    ece: ece(p, y),
    accuracy: accuracy(p, y),
    logLoss: logLoss(p, y),
    n: p.length,
  };
}
