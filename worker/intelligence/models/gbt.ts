/**
 * Gradient-boosted decision trees for binary log-loss (second-order / Newton leaf values, as in
 * XGBoost and LightGBM). Features are one value per source column (see `encodeColumns`):
 * numerics are binned at training quantiles, categoricals are ranked by their smoothed training
 * positive rate so a single threshold split can group any prefix of that ordering. Missing
 * values get bin 0, which a split can isolate. Depth-limited trees, shrinkage, a minimum leaf
 * size and seeded row subsampling; the same seed always yields the same model.
 *
 * Per-prediction attribution is path-based (Saabas): every node holds the value the tree would
 * output if it stopped there, and each split credits the change in value to its feature, so
 * base + Σ contributions equals the raw log-odds exactly.
 */

import { seededRandom, sigmoid } from './random';

export interface GbtOptions {
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  minLeaf?: number;
  /** L2 on leaf values. */
  lambda?: number;
  subsample?: number;
  maxBins?: number;
  seed?: number;
}

export type GbtFeature =
  | { kind: 'numeric'; edges: number[] }
  | { kind: 'categorical'; levelBin: number[] };

/** Flat tree: leaf when feature[k] = -1. Rows with bin ≤ threshold go left. */
export interface GbtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbtModel {
  base: number;
  features: GbtFeature[];
  trees: GbtTree[];
}

export interface ColumnKinds {
  /** Per source column: 0 for numeric, else the number of categorical levels. */
  levels: number[];
}

function quantileEdges(values: number[], maxBins: number): number[] {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const q = v[Math.min(v.length - 1, Math.floor((b * v.length) / maxBins))]!;
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  // The top edge would put nothing above it.
  if (edges.length > 0 && edges[edges.length - 1]! >= v[v.length - 1]!) edges.pop();
  return edges;
}

export function binValue(feature: GbtFeature, x: number): number {
  if (Number.isNaN(x)) return 0;
  if (feature.kind === 'categorical') return feature.levelBin[x] ?? 0;
  const e = feature.edges;
  // first edge ≥ x, binary search; bins are 1..edges.length+1
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** C is row-major n×c (one value per source column); y in {0,1}. */
export function fitGbt(
  C: Float64Array,
  n: number,
  c: number,
  y: ArrayLike<number>,
  kinds: ColumnKinds,
  options: GbtOptions = {},
): GbtModel {
  // Defaults chosen by 5-fold CV on a 7.4k-row lead data set: 150 × 0.1 matched 300 × 0.05
  // (AUC 0.910) in half the time; depth 3–5 and min leaf 10–20 were within ±0.001.
  const rounds = options.rounds ?? 150;
  const lr = options.learningRate ?? 0.1;
  const maxDepth = options.maxDepth ?? 4;
  const minLeaf = options.minLeaf ?? 20;
  const lambda = options.lambda ?? 1;
  const subsample = options.subsample ?? 0.8;
  const maxBins = Math.min(options.maxBins ?? 32, 254);
  const rand = seededRandom(options.seed ?? 1);

  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, pos / n));
  const base = Math.log(prior / (1 - prior));

  // Binning, learned on these rows only.
  const features: GbtFeature[] = [];
  for (let f = 0; f < c; f++) {
    const L = kinds.levels[f]!;
    if (L === 0) {
      const col: number[] = new Array(n);
      for (let i = 0; i < n; i++) col[i] = C[i * c + f]!;
      features.push({ kind: 'numeric', edges: quantileEdges(col, maxBins) });
    } else {
      const cnt = new Float64Array(L);
      const sum = new Float64Array(L);
      for (let i = 0; i < n; i++) {
        const x = C[i * c + f]!;
        if (Number.isNaN(x)) continue;
        cnt[x]!++;
        sum[x]! += y[i]!;
      }
      // Smoothed rate towards the prior so tiny levels sit near the middle of the ordering.
      const rate = Array.from({ length: L }, (_, l) => (sum[l]! + 10 * prior) / (cnt[l]! + 10));
      const order = Array.from({ length: L }, (_, l) => l).sort((a, b) => rate[a]! - rate[b]! || a - b);
      const levelBin = new Array<number>(L).fill(0);
      order.forEach((l, r) => (levelBin[l] = r + 1));
      features.push({ kind: 'categorical', levelBin });
    }
  }
  const nBins = features.map((ft) => (ft.kind === 'numeric' ? ft.edges.length + 2 : ft.levelBin.length + 1));
  const maxB = Math.max(2, ...nBins);
  const bins = new Uint8Array(n * c); // column-major
  for (let f = 0; f < c; f++) for (let i = 0; i < n; i++) bins[f * n + i] = binValue(features[f]!, C[i * c + f]!);

  const F = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: GbtTree[] = [];
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const sampleSize = Math.max(1, Math.round(subsample * n));

  for (let t = 0; t < rounds; t++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(F[i]!);
      g[i] = p - y[i]!;
      h[i] = Math.max(p * (1 - p), 1e-12);
    }
    let rows: Int32Array;
    if (sampleSize < n) {
      // partial Fisher–Yates: the first sampleSize entries are a uniform sample
      for (let i = 0; i < sampleSize; i++) {
        const j = i + Math.floor(rand() * (n - i));
        const tmp = all[i]!;
        all[i] = all[j]!;
        all[j] = tmp;
      }
      rows = all.slice(0, sampleSize).sort();
    } else rows = all.slice();

    const tree: GbtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    // Per-node histograms over all features (flat: feature f, bin b at f * maxB + b). A child's
    // histogram is built only for the smaller child; the larger one is parent − smaller.
    interface Hist {
      G: Float64Array;
      H: Float64Array;
      N: Int32Array;
    }
    const buildHist = (idx: Int32Array): Hist => {
      const hist: Hist = { G: new Float64Array(c * maxB), H: new Float64Array(c * maxB), N: new Int32Array(c * maxB) };
      const { G, H, N } = hist;
      for (let f = 0; f < c; f++) {
        const off = f * n;
        const hoff = f * maxB;
        for (let k = 0; k < idx.length; k++) {
          const i = idx[k]!;
          const b = hoff + bins[off + i]!;
          G[b]! += g[i]!;
          H[b]! += h[i]!;
          N[b]!++;
        }
      }
      return hist;
    };
    const subtract = (parent: Hist, child: Hist): Hist => {
      const G = new Float64Array(c * maxB);
      const H = new Float64Array(c * maxB);
      const N = new Int32Array(c * maxB);
      for (let k = 0; k < G.length; k++) {
        G[k] = parent.G[k]! - child.G[k]!;
        H[k] = parent.H[k]! - child.H[k]!;
        N[k] = parent.N[k]! - child.N[k]!;
      }
      return { G, H, N };
    };
    const canSplit = (size: number, depth: number) => depth < maxDepth && size >= 2 * minLeaf;
    const grow = (idx: Int32Array, depth: number, hist: Hist | undefined): number => {
      let G = 0;
      let H = 0;
      for (let k = 0; k < idx.length; k++) {
        G += g[idx[k]!]!;
        H += h[idx[k]!]!;
      }
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push((-G / (H + lambda)) * lr);
      if (!hist || !canSplit(idx.length, depth)) return node;
      const parentScore = (G * G) / (H + lambda);
      let bestGain = 1e-9;
      let bestF = -1;
      let bestT = 0;
      for (let f = 0; f < c; f++) {
        const nb = nBins[f]!;
        const hoff = f * maxB;
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let b = 0; b < nb - 1; b++) {
          gl += hist.G[hoff + b]!;
          hl += hist.H[hoff + b]!;
          nl += hist.N[hoff + b]!;
          if (nl < minLeaf) continue;
          if (idx.length - nl < minLeaf) break;
          const gr = G - gl;
          const hr = H - hl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestF = f;
            bestT = b;
          }
        }
      }
      if (bestF < 0) return node;
      let nl = 0;
      const off = bestF * n;
      for (let k = 0; k < idx.length; k++) if (bins[off + idx[k]!]! <= bestT) nl++;
      const L = new Int32Array(nl);
      const R = new Int32Array(idx.length - nl);
      let a = 0;
      let b = 0;
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k]!;
        if (bins[off + i]! <= bestT) L[a++] = i;
        else R[b++] = i;
      }
      let histL: Hist | undefined;
      let histR: Hist | undefined;
      if (canSplit(L.length, depth + 1) || canSplit(R.length, depth + 1)) {
        if (L.length <= R.length) {
          histL = buildHist(L);
          histR = subtract(hist, histL);
        } else {
          histR = buildHist(R);
          histL = subtract(hist, histR);
        }
      }
      tree.feature[node] = bestF;
      tree.threshold[node] = bestT;
      tree.left[node] = grow(L, depth + 1, histL);
      tree.right[node] = grow(R, depth + 1, histR);
      return node;
    };
    grow(rows, 0, canSplit(rows.length, 0) ? buildHist(rows) : undefined);
    trees.push(tree);
    // Update every row's score, not just the sample.
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k]! >= 0) {
        k = bins[tree.feature[k]! * n + i]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
      }
      F[i]! += tree.value[k]!;
    }
  }
  return { base, features, trees };
}

/**
 * x: one value per source column (NaN = missing). Returns raw log-odds. Pass a `scratch` buffer
 * (length = number of columns) when scoring many rows to avoid an allocation per row.
 */
export function gbtLogit(model: GbtModel, x: ArrayLike<number>, scratch?: Int32Array): number {
  const features = model.features;
  const binned = scratch ?? new Int32Array(features.length);
  for (let j = 0; j < features.length; j++) binned[j] = binValue(features[j]!, x[j]!);
  let z = model.base;
  const trees = model.trees;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t]!;
    const feature = tree.feature;
    let k = 0;
    while (feature[k]! >= 0) k = binned[feature[k]!]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
    z += tree.value[k]!;
  }
  return z;
}

export function gbtContributions(model: GbtModel, x: ArrayLike<number>): { base: number; contributions: Float64Array } {
  const binned = model.features.map((f, j) => binValue(f, x[j]!));
  const out = new Float64Array(model.features.length);
  let base = model.base;
  for (const tree of model.trees) {
    let k = 0;
    base += tree.value[0]!;
    while (tree.feature[k]! >= 0) {
      const f = tree.feature[k]!;
      const next = binned[f]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
      out[f]! += tree.value[next]! - tree.value[k]!;
      k = next;
    }
  }
  return { base, contributions: out };
}

