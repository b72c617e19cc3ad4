import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSignals, SIGNAL_CATEGORIES, type SignalEvent } from './signals';

const now = new Date('2026-06-15T12:00:00Z');
const daysAgo = (d: number, type: string, properties?: Record<string, unknown>): SignalEvent => ({ type, occurredAt: new Date(now.getTime() - d * 86_400_000), properties });
const byType = (signals: ReturnType<typeof computeSignals>) => Object.fromEntries(signals.map((s) => [s.type, s]));

describe('computeSignals', () => {
  it('has 11 signals in the three categories of the product spec', () => {
    const counts = Object.values(SIGNAL_CATEGORIES).reduce<Record<string, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {});
    expect(counts).toEqual({ engagement: 5, financial: 3, life_property: 3 });
  });

  it('finds a listing-view spike against the lead’s own baseline, not a steady browser', () => {
    const spike = [...Array.from({ length: 8 }, (_, i) => daysAgo(i % 6, 'listing_viewed')), daysAgo(20, 'listing_viewed')];
    const steady = Array.from({ length: 40 }, (_, i) => daysAgo(i % 36, 'listing_viewed'));
    expect(byType(computeSignals({ now, events: spike })).listing_view_spike).toMatchObject({ category: 'engagement' });
    expect(byType(computeSignals({ now, events: steady })).listing_view_spike).toBeUndefined();
  });

  it('reads valuation requests, saved searches, email, return visits and calculator use from events', () => {
    const events = [
      daysAgo(1, 'home_valuation_requested'),
      daysAgo(2, 'saved_search'),
      ...['email_opened', 'email_opened', 'email_clicked'].map((t, i) => daysAgo(i, t)),
      ...[0, 2, 5, 9].map((d) => daysAgo(d, 'site_visit')),
      daysAgo(3, 'mortgage_calculator_used'),
      daysAgo(60, 'saved_search'), // too old to count
    ];
    const s = byType(computeSignals({ now, events }));
    expect(s.home_valuation_request!.strength).toBeGreaterThanOrEqual(0.8);
    expect(s.saved_search!.evidence).toBe('1 saved search in 30 days');
    expect(s.email_engagement!.evidence).toContain('1 clicks');
    expect(s.return_visit_frequency!.evidence).toContain('4 different days');
    expect(s.mortgage_calculator_use).toBeDefined();
  });

  it('computes equity, rate-drop and tenure from property facts, with tenant thresholds', () => {
    const property = { purchaseDate: new Date('2015-03-01'), estimateCents: 600_000_00, mortgageBalanceCents: 150_000_00, mortgageRatePct: 7.25 };
    const s = byType(computeSignals({ now, events: [], property, market: { currentRatePct: 6.1, nearbySales30d: 4 } }));
    expect(s.equity_milestone!.evidence).toBe('about 75 % equity');
    expect(s.rate_drop_opportunity!.evidence).toContain('−1.15 points');
    expect(s.tenure_threshold!.evidence).toBe('owned for 11 years');
    expect(s.nearby_market_activity).toBeDefined();
    const stricter = byType(computeSignals({ now, events: [], property, thresholds: { tenureYears: 15, equityMilestonePct: 0.8 } }));
    expect(stricter.tenure_threshold).toBeUndefined();
    expect(stricter.equity_milestone).toBeUndefined();
  });

  it('counts only property and plan life events — never familial or marital status', () => {
    const allowed = byType(computeSignals({ now, events: [daysAgo(10, 'life_event', { kind: 'job_relocation' })] }));
    expect(allowed.life_event!.evidence).toBe('life event: job relocation');
    for (const kind of ['new_baby', 'marriage', 'divorce', 'pregnancy', 'retirement_age']) {
      expect(byType(computeSignals({ now, events: [daysAgo(10, 'life_event', { kind })] })).life_event, kind).toBeUndefined();
    }
  });

  it('keeps strength and confidence in [0, 1] and ignores future-dated events, whatever arrives', () => {
    const types = ['listing_viewed', 'saved_search', 'home_valuation_viewed', 'email_opened', 'email_clicked', 'site_visit', 'mortgage_calculator_used', 'life_event'];
    fc.assert(
      fc.property(fc.array(fc.record({ t: fc.constantFrom(...types), d: fc.double({ min: -30, max: 200, noNaN: true }) }), { maxLength: 300 }), (raw) => {
        const events = raw.map(({ t, d }) => daysAgo(d, t, { kind: 'probate' }));
        for (const s of computeSignals({ now, events })) {
          expect(s.strength).toBeGreaterThanOrEqual(0);
          expect(s.strength).toBeLessThanOrEqual(1);
          expect(s.confidence).toBeGreaterThanOrEqual(0);
          expect(s.confidence).toBeLessThanOrEqual(1);
        }
        const future = computeSignals({ now, events: raw.filter((r) => r.d < -0.001).map(({ t, d }) => daysAgo(d, t)) });
        expect(future).toEqual([]);
      }),
    );
  });
});
