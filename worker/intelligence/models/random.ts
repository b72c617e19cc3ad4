/** Seeded, deterministic helpers shared by the learners (no Math.random: fits must reproduce). */

/** mulberry32: small, fast, good enough for shuffles and row subsampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

/** Fold index (0..k-1) per row, each class dealt round-robin after a seeded shuffle. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(i);
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const group of [shuffleInPlace(pos, rand), shuffleInPlace(neg, rand)]) {
    for (const i of group) {
      fold[i] = next % k;
      next++;
    }
  }
  return fold;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function logit(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}
