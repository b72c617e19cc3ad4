import { describe, expect, it } from 'vitest';
import { bucketOf, flagDecision, variantFor } from './bucketing';
import { experimentReport, newcombeDifference, sampleRatioMismatch, twoProportionZ, VERDICT_NOT_YET, VERDICT_SIGNIFICANT, wilson } from './stats';

describe('bucketing', () => {
  it('is stable across runs and machines (vectors computed with Node crypto, not with this code)', async () => {
    expect(await bucketOf('new_inbox', 'lead_1')).toBe(5561);
    expect(await bucketOf('new_inbox', 'lead_2')).toBe(1691);
    expect(await bucketOf('checkout', 'usr_abc')).toBe(4485);
    expect(await bucketOf('cadence-test', 'lead_42')).toBe(6369);
  });

  it('matches the rollout percentage within ±2 % over 10 000 units', async () => {
    const buckets = await Promise.all(Array.from({ length: 10_000 }, (_, i) => bucketOf('rollout-check', `lead_${i}`)));
    for (const pct of [10, 25, 50, 12.5]) {
      const on = buckets.filter((b) => flagDecision({ enabled: true, rolloutBasisPoints: pct * 100 }, b).on).length;
      expect(Math.abs(on / 100 - pct), `${pct} %`).toBeLessThanOrEqual(2);
    }
    expect(buckets.filter((b) => flagDecision({ enabled: true, rolloutBasisPoints: 10_000 }, b).on)).toHaveLength(10_000);
    expect(buckets.filter((b) => flagDecision({ enabled: true, rolloutBasisPoints: 0 }, b).on)).toHaveLength(0);
  });

  it('turns everyone off with the kill switch, whatever the rollout', async () => {
    for (let i = 0; i < 200; i++) {
      const d = flagDecision({ enabled: false, rolloutBasisPoints: 10_000 }, await bucketOf('f', `u${i}`));
      expect(d).toEqual({ on: false, reason: 'kill_switch' });
    }
  });

  it('splits variants by cumulative weight, never picking a zero-weight variant', async () => {
    const variants = [{ key: 'a', weight: 1 }, { key: 'none', weight: 0 }, { key: 'b', weight: 3 }];
    expect(variantFor(variants, 0).key).toBe('a');
    expect(variantFor(variants, 2499).key).toBe('a');
    expect(variantFor(variants, 2500).key).toBe('b');
    expect(variantFor(variants, 9999).key).toBe('b');
    const counts: Record<string, number> = { a: 0, b: 0, none: 0 };
    for (let i = 0; i < 10_000; i++) counts[variantFor(variants, await bucketOf('exp', `lead_${i}`)).key]!++;
    expect(counts.none).toBe(0);
    expect(Math.abs(counts.a! / 10_000 - 0.25)).toBeLessThan(0.02);
    expect(() => variantFor([{ key: 'x', weight: 0 }], 5)).toThrow();
  });
});

describe('statistics', () => {
  it('reports lift, interval and significance for control 100/1000 vs treatment 150/1000', () => {
    const r = experimentReport([
      { key: 'control', weight: 50, exposures: 1000, conversions: 100 },
      { key: 'treatment', weight: 50, exposures: 1000, conversions: 150 },
    ]);
    const t = r.arms[1]!.vsControl!;
    expect(r.arms[0]!.conversionRate).toBeCloseTo(0.1, 10);
    expect(r.arms[1]!.conversionRate).toBeCloseTo(0.15, 10);
    expect(t.absoluteLift).toBeCloseTo(0.05, 10);
    expect(t.relativeLift).toBeCloseTo(0.5, 10);
    // Pooled p = 0.125, SE = sqrt(0.125·0.875·2/1000) = 0.014790, z = 3.3806, p ≈ 0.000723.
    expect(t.z).toBeCloseTo(3.3806, 3);
    expect(t.pValue).toBeCloseTo(0.000723, 5);
    // Newcombe hybrid score interval (published value for these counts ≈ [0.0207, 0.0792]); Wald gives [0.0211, 0.0789].
    expect(t.interval95!.low).toBeGreaterThan(0.019);
    expect(t.interval95!.low).toBeLessThan(0.022);
    expect(t.interval95!.high).toBeGreaterThan(0.078);
    expect(t.interval95!.high).toBeLessThan(0.081);
    expect(t.verdict).toBe(VERDICT_SIGNIFICANT);
    expect(r.verdict).toBe(VERDICT_SIGNIFICANT);
    expect(r.sampleRatio.mismatch).toBe(false);
  });

  it('says "not significant yet" on small samples, even with a big observed lift', () => {
    const r = experimentReport([
      { key: 'control', weight: 1, exposures: 20, conversions: 2 },
      { key: 'treatment', weight: 1, exposures: 20, conversions: 6 },
    ]);
    expect(r.arms[1]!.vsControl!.absoluteLift).toBeCloseTo(0.2, 10);
    expect(r.arms[1]!.vsControl!.verdict).toBe(VERDICT_NOT_YET);
    expect(r.arms[1]!.vsControl!.note).toMatch(/at least 100/);
    expect(r.verdict).toBe(VERDICT_NOT_YET);
  });

  it('says "not significant yet" on a large sample with no real difference', () => {
    const r = experimentReport([
      { key: 'control', weight: 1, exposures: 2000, conversions: 200 },
      { key: 'treatment', weight: 1, exposures: 2000, conversions: 210 },
    ]);
    expect(r.arms[1]!.vsControl!.pValue!).toBeGreaterThan(0.05);
    expect(r.arms[1]!.vsControl!.interval95!.low).toBeLessThan(0);
    expect(r.arms[1]!.vsControl!.verdict).toBe(VERDICT_NOT_YET);
    expect(r.arms[1]!.vsControl!.note).toBeNull();
  });

  it('detects a sample-ratio mismatch of 600/400 at 50/50 weights, and not a fair 510/490', () => {
    const skewed = sampleRatioMismatch([{ key: 'a', weight: 50, exposures: 600 }, { key: 'b', weight: 50, exposures: 400 }]);
    expect(skewed.chiSquare).toBeCloseTo(40, 10);
    // χ²(1) = 40 → p = erfc(√20) ≈ 2.54e-10.
    expect(skewed.pValue).toBeLessThan(1e-9);
    expect(skewed.pValue).toBeGreaterThan(1e-11);
    expect(skewed.mismatch).toBe(true);
    const fair = sampleRatioMismatch([{ key: 'a', weight: 50, exposures: 510 }, { key: 'b', weight: 50, exposures: 490 }]);
    expect(fair.pValue).toBeCloseTo(0.5271, 3);
    expect(fair.mismatch).toBe(false);
    // Three arms, 2 degrees of freedom: χ² = 6 → p = e^-3.
    const three = sampleRatioMismatch([{ key: 'a', weight: 1, exposures: 130 }, { key: 'b', weight: 1, exposures: 100 }, { key: 'c', weight: 1, exposures: 70 }]);
    expect(three.chiSquare).toBeCloseTo(18, 10);
    expect(three.pValue).toBeCloseTo(Math.exp(-9), 8);
  });

  it('computes the building blocks to textbook values', () => {
    // Wilson 95 % for 10/100: [0.0552, 0.1744] (Newcombe 1998, table I style).
    const w = wilson(10, 100);
    expect(w.low).toBeCloseTo(0.0552, 3);
    expect(w.high).toBeCloseTo(0.1744, 3);
    // Newcombe 1998 example 56/70 vs 48/80: difference 0.2, interval [0.0524, 0.3339] (p1 − p2 there; ours is treatment − control).
    const d = newcombeDifference(48, 80, 56, 70);
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
    expect(twoProportionZ(0, 100, 0, 100)).toEqual({ z: 0, pValue: 1 });
  });
});
