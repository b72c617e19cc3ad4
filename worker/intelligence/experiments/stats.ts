/**
 * The statistics behind an experiment report, written out so they can be checked by hand:
 *
 * - Conversion rate per variant: conversions / exposed units.
 * - Lift vs control (the first variant): absolute difference of proportions p_t − p_c and the
 *   relative lift (p_t − p_c) / p_c.
 * - 95 % interval for the difference: Newcombe's hybrid score interval (method 10 in Newcombe
 *   1998, built from the two Wilson intervals). Chosen over Wald because Wald collapses to a
 *   zero-width interval at 0 or 100 % and undercovers at the small samples a young experiment
 *   has; at large samples the two agree.
 * - Significance: pooled two-proportion z-test, two-sided. The verdict uses the z-test p-value
 *   alone (so a verdict and its p-value never disagree); near the 5 % edge the Newcombe interval
 *   may just touch zero while p < 0.05, which is the known slack between score and pooled tests.
 * - Minimum sample: no verdict of significance before every compared arm has MIN_EXPOSURES
 *   exposed units and at least MIN_EVENTS conversions and non-conversions (the normal
 *   approximation behind the z-test is not trustworthy below that).
 * - Sample-ratio mismatch: chi-square goodness of fit of exposures against the configured
 *   weights; p < 0.001 flags a broken assignment or logging path (results are then suspect).
 * - No correction for comparing several treatments against one control: each comparison is
 *   reported at its own 95 %; with many arms, read them as exploratory.
 */
export const Z95 = 1.959963984540054;
export const MIN_EXPOSURES = 100;
export const MIN_EVENTS = 5;
export const SRM_ALPHA = 0.001;

export const VERDICT_SIGNIFICANT = 'significant at 95 %';
export const VERDICT_NOT_YET = 'not significant yet';

export interface ArmCounts {
  key: string;
  weight: number;
  exposures: number;
  conversions: number;
}

export interface Interval {
  low: number;
  high: number;
}

/** erfc with fractional error < 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| ≥ |z|) for a standard normal Z. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Wilson score interval for x successes in n trials. */
export function wilson(x: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return { low: Math.max(0, (centre - half) / denom), high: Math.min(1, (centre + half) / denom) };
}

/** Newcombe's hybrid score interval for p2 − p1 (treatment minus control). */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const d = p2 - p1;
  return {
    low: d - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2),
    high: d + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2),
  };
}

/** Pooled two-proportion z-test; z > 0 when the treatment converts better. */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, pValue: 1 }; // both arms all-or-nothing alike: no evidence either way
  const z = (x2 / n2 - x1 / n1) / se;
  return { z, pValue: twoSidedP(z) };
}

/** ln Γ(x) (Lanczos, as in Numerical Recipes). */
function lnGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

/** Upper regularized incomplete gamma Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = lnGamma(a);
  if (x < a + 1) {
    // Series for P, then complement.
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 500; n++) {
      del *= x / ++ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - gln));
  }
  // Continued fraction for Q (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** Chi-square goodness of fit of the observed exposures against the configured weights. */
export function sampleRatioMismatch(arms: readonly Pick<ArmCounts, 'key' | 'weight' | 'exposures'>[]) {
  const live = arms.filter((a) => a.weight > 0);
  const total = live.reduce((s, a) => s + a.exposures, 0);
  const weights = live.reduce((s, a) => s + a.weight, 0);
  // Arms that should get nothing but did are a mismatch by themselves.
  const strays = arms.filter((a) => !(a.weight > 0) && a.exposures > 0).map((a) => a.key);
  if (live.length < 2 || total === 0) {
    return { chiSquare: 0, degreesOfFreedom: Math.max(0, live.length - 1), pValue: 1, mismatch: strays.length > 0, expected: Object.fromEntries(live.map((a) => [a.key, 0])) };
  }
  let chiSquare = 0;
  const expected: Record<string, number> = {};
  for (const a of live) {
    const e = (total * a.weight) / weights;
    expected[a.key] = e;
    chiSquare += (a.exposures - e) ** 2 / e;
  }
  const degreesOfFreedom = live.length - 1;
  const pValue = gammaQ(degreesOfFreedom / 2, chiSquare / 2);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < SRM_ALPHA || strays.length > 0, expected };
}

export interface ArmReport extends ArmCounts {
  conversionRate: number | null;
  rateInterval: Interval | null;
  /** Null for the control arm. */
  vsControl: {
    absoluteLift: number | null;
    relativeLift: number | null;
    interval95: Interval | null;
    z: number | null;
    pValue: number | null;
    verdict: typeof VERDICT_SIGNIFICANT | typeof VERDICT_NOT_YET;
    note: string | null;
  } | null;
}

function enoughData(a: ArmCounts): boolean {
  return a.exposures >= MIN_EXPOSURES && a.conversions >= MIN_EVENTS && a.exposures - a.conversions >= MIN_EVENTS;
}

/** The whole report: one entry per arm (control first), the SRM check and an overall verdict. */
export function experimentReport(arms: readonly ArmCounts[]) {
  const control = arms[0];
  const perArm: ArmReport[] = arms.map((a, i) => {
    const rate = a.exposures > 0 ? a.conversions / a.exposures : null;
    const base: ArmReport = { ...a, conversionRate: rate, rateInterval: a.exposures > 0 ? wilson(a.conversions, a.exposures) : null, vsControl: null };
    if (i === 0 || !control) return base;
    if (control.exposures === 0 || a.exposures === 0) {
      return { ...base, vsControl: { absoluteLift: null, relativeLift: null, interval95: null, z: null, pValue: null, verdict: VERDICT_NOT_YET, note: 'No exposures yet in this arm or the control.' } };
    }
    const pc = control.conversions / control.exposures;
    const pt = a.conversions / a.exposures;
    const { z, pValue } = twoProportionZ(control.conversions, control.exposures, a.conversions, a.exposures);
    const sampleOk = enoughData(control) && enoughData(a);
    const verdict = sampleOk && pValue < 0.05 ? VERDICT_SIGNIFICANT : VERDICT_NOT_YET;
    const note = sampleOk
      ? null
      : `Too little data for a verdict: each arm needs at least ${MIN_EXPOSURES} exposed units and ${MIN_EVENTS} conversions and non-conversions.`;
    return {
      ...base,
      vsControl: {
        absoluteLift: pt - pc,
        relativeLift: pc > 0 ? (pt - pc) / pc : null,
        interval95: newcombeDifference(control.conversions, control.exposures, a.conversions, a.exposures),
        z,
        pValue,
        verdict,
        note,
      },
    };
  });
  const srm = sampleRatioMismatch(arms);
  const anySignificant = perArm.some((a) => a.vsControl?.verdict === VERDICT_SIGNIFICANT);
  return {
    arms: perArm,
    sampleRatio: {
      ...srm,
      note: srm.mismatch ? 'Exposures do not match the configured weights (p < 0.001): check assignment and logging before trusting the results.' : null,
    },
    verdict: anySignificant ? VERDICT_SIGNIFICANT : VERDICT_NOT_YET,
    minimumSample: `A verdict needs at least ${MIN_EXPOSURES} exposed units and ${MIN_EVENTS} conversions and non-conversions in each arm; p < 0.05 (two-sided, pooled z-test).`,
  };
}
