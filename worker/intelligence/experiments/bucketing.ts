/**
 * Deterministic assignment: SHA-256 of `key:unit`, the first four bytes read as a big-endian
 * uint32, modulo 10 000. The same flag (or experiment) and unit land in the same bucket on every
 * machine and every run, so nothing has to be stored for a unit to keep what it got; the recorded
 * assignment rows are history for support and analysis, not the source of the answer.
 * (2^32 mod 10 000 = 7 296, so the lowest buckets are favoured by at most 1 in 429 496: negligible.)
 */
export const BUCKETS = 10_000;

export async function bucketOf(key: string, unit: string): Promise<number> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${key}:${unit}`));
  return new DataView(digest).getUint32(0, false) % BUCKETS;
}

export interface FlagDefinition {
  enabled: boolean;
  /** 0–10 000: the share of buckets that get the feature (basis points of 100 %). */
  rolloutBasisPoints: number;
}

export type FlagReason = 'kill_switch' | 'in_rollout' | 'outside_rollout';

/** The kill switch wins over any rollout; otherwise the lowest `rolloutBasisPoints` buckets are on. */
export function flagDecision(flag: FlagDefinition, bucket: number): { on: boolean; reason: FlagReason } {
  if (!flag.enabled) return { on: false, reason: 'kill_switch' };
  return bucket < flag.rolloutBasisPoints ? { on: true, reason: 'in_rollout' } : { on: false, reason: 'outside_rollout' };
}

export interface WeightedVariant {
  key: string;
  weight: number;
}

/**
 * The variant whose cumulative-weight band contains the bucket. Bucket b stands for the point
 * b / 10 000 of the total weight, so variant i gets weight_i / Σweights of the buckets; a
 * zero-weight variant gets none. Throws when no weight is positive (creation forbids that).
 */
export function variantFor<V extends WeightedVariant>(variants: readonly V[], bucket: number): V {
  const total = variants.reduce((s, v) => s + Math.max(0, v.weight), 0);
  if (!(total > 0)) throw new Error('variants need a positive total weight');
  const point = (bucket / BUCKETS) * total;
  let cumulative = 0;
  for (const v of variants) {
    cumulative += Math.max(0, v.weight);
    if (point < cumulative) return v;
  }
  // Floating-point rounding at the very top of the range: the last variant with weight owns it.
  return [...variants].reverse().find((v) => v.weight > 0)!;
}
