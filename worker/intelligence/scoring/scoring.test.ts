import { describe, expect, it } from 'vitest';
import { computeSignals, type SignalEvent } from '../signals/signals';
import { featureRow, type LeadFacts } from './features';
import { leadScore } from './lead-score';
import { PRIORS, scoreWithPrior } from './priors';

const NOW = new Date('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const PROSPECT: LeadFacts = { kind: 'prospect', stage: 'new', temperature: null, timelineDays: null, motivationCategory: null, condition: null, priceCents: null, estimateCents: null, lastInboundAt: null };

function rowFor(events: SignalEvent[], property = {}, lead: LeadFacts = PROSPECT) {
  const signals = computeSignals({ now: NOW, events, property });
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return featureRow({ now: NOW, lead, signals, eventCounts30d: counts, property });
}

const burst = (type: string, n: number, spreadDays = 5) => Array.from({ length: n }, (_, i) => ({ type, occurredAt: daysAgo((i % spreadDays) + 0.1) }));

describe('priors', () => {
  it('keep a homeowner with no behaviour far below the default threshold on every model', () => {
    const row = rowFor([]);
    for (const kind of Object.keys(PRIORS) as Array<keyof typeof PRIORS>) expect(scoreWithPrior(kind, row).probability).toBeLessThan(0.1);
  });

  it('keep one weak signal under the threshold', () => {
    const row = rowFor(burst('email_opened', 3));
    expect(scoreWithPrior('sell', row).probability).toBeLessThan(0.5);
    expect(scoreWithPrior('buy', row).probability).toBeLessThan(0.5);
  });

  it('put a seller-shaped burst over the threshold for sell, with the valuation request as the top reason', () => {
    const events = [...burst('home_valuation_requested', 2), ...burst('listing_viewed', 12, 6), ...burst('site_visit', 5, 5)];
    const row = rowFor(events, { purchaseDate: new Date('2012-05-01'), estimateCents: 500_000_00, mortgageBalanceCents: 150_000_00 });
    const sell = scoreWithPrior('sell', row);
    expect(sell.probability).toBeGreaterThan(0.5);
    expect(sell.reasons[0]!.feature).toBe('home_valuation_request');
    expect(sell.reasons.every((r, i, all) => i === 0 || all[i - 1]!.contribution >= r.contribution)).toBe(true);
    // The same person is not flagged as a refinancer: no rate signal.
    expect(scoreWithPrior('refinance', row).probability).toBeLessThan(0.5);
  });

  it('rank a mortgage far above today’s rate as a refinance opportunity', () => {
    const signals = computeSignals({ now: NOW, events: burst('mortgage_calculator_used', 3), property: { mortgageRatePct: 7.5 }, market: { currentRatePct: 5.9 } });
    const row = featureRow({ now: NOW, lead: PROSPECT, signals, eventCounts30d: { mortgage_calculator_used: 3 }, property: { mortgageRatePct: 7.5, currentRatePct: 5.9 } });
    expect(row.rate_gap_points).toBe(1.6);
    expect(scoreWithPrior('refinance', row).probability).toBeGreaterThan(scoreWithPrior('sell', row).probability);
    expect(scoreWithPrior('refinance', row).reasons[0]!.feature).toBe('rate_drop_opportunity');
  });

  it('count a hot seller conversation', () => {
    const cold = scoreWithPrior('sell', rowFor([], {}, { ...PROSPECT, kind: 'seller' }));
    const hot = scoreWithPrior('sell', rowFor([], {}, { ...PROSPECT, kind: 'seller', temperature: 'hot', timelineDays: 30 }));
    expect(hot.probability).toBeGreaterThan(0.5);
    expect(hot.probability).toBeGreaterThan(cold.probability);
    expect(hot.reasons.map((r) => r.feature)).toContain('temperature');
  });
});

describe('featureRow', () => {
  it('has the same columns for every lead, with missing facts as null', () => {
    const a = rowFor([]);
    const b = rowFor(burst('listing_viewed', 20), { purchaseDate: new Date('2010-01-01') });
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(a.years_owned).toBeNull();
    expect(b.years_owned).toBeGreaterThan(16);
  });

  it('reads no personal attribute (Fair Housing): only behaviour, qualification and property columns', () => {
    const cols = Object.keys(rowFor([]));
    const words = new Set(cols.flatMap((c) => c.split('_')));
    for (const banned of ['name', 'phone', 'address', 'street', 'city', 'state', 'postal', 'zip', 'age', 'gender', 'race', 'religion', 'familial', 'marital', 'children', 'disability', 'origin']) {
      expect(words.has(banned), banned).toBe(false);
    }
  });
});

describe('leadScore', () => {
  it('is 0–100 and rises with behaviour, conversation and reachability', () => {
    const base = { probabilities: [0.1, 0.05, 0.02, 0.01], answered: 0, temperature: null, replied: false, reachable: false } as const;
    const s0 = leadScore(base);
    const s1 = leadScore({ ...base, probabilities: [0.8, 0, 0, 0] });
    const s2 = leadScore({ ...base, probabilities: [0.8, 0, 0, 0], replied: true, answered: 4, temperature: 'hot' });
    const s3 = leadScore({ ...base, probabilities: [0.8, 0, 0, 0], replied: true, answered: 4, temperature: 'hot', reachable: true });
    expect(s0).toBeGreaterThanOrEqual(0);
    expect(s0).toBeLessThan(s1);
    expect(s1).toBeLessThan(s2);
    expect(s2).toBeLessThan(s3);
    expect(leadScore({ probabilities: [1, 1, 1, 1], answered: 4, temperature: 'hot', replied: true, reachable: true })).toBe(100);
    expect(s0).toBe(Math.round(100 * (0.5 * 0.1 + 0 + 0.15 * 0.3)));
  });
});
