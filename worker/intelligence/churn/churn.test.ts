import { describe, expect, it } from 'vitest';
import { churnOutcomes } from '../../testing/churn';
import { trainModel } from '../models';
import { assessChurn, churnGroup, churnTrainingRow, sentimentOf, wilson, type ChurnInput } from './model';

const now = new Date('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

function lead(over: Partial<ChurnInput> = {}): ChurnInput {
  return {
    stage: 'q2',
    createdAt: daysAgo(3),
    qualifiedAt: null,
    lastInboundAt: daysAgo(0.1),
    lastOutboundAt: daysAgo(0.09),
    firstOutboundAt: daysAgo(3),
    outboundRecent: 4,
    inboundRecent: 4,
    outboundBefore: 0,
    inboundBefore: 0,
    unansweredOutbound: 1,
    recentInbound: ['We need to sell by spring'],
    ...over,
  };
}

describe('churn risk (documented prior)', () => {
  it('a lead who answered today is at low risk', () => {
    const a = assessChurn(lead(), now);
    expect(a.risk).toBeLessThan(0.2);
    expect(a.modelVersion).toBe('churn-prior-v1');
  });

  it('rises with silence and with every unanswered text', () => {
    const risks = [0, 3, 7, 14].map((days) => assessChurn(lead({ lastInboundAt: daysAgo(days), unansweredOutbound: 1 }), now).risk);
    for (let i = 1; i < risks.length; i++) expect(risks[i]).toBeGreaterThan(risks[i - 1]!);
    const byTexts = [0, 1, 2, 3, 4].map((n) => assessChurn(lead({ lastInboundAt: daysAgo(5), unansweredOutbound: n }), now).risk);
    for (let i = 1; i < byTexts.length; i++) expect(byTexts[i]).toBeGreaterThan(byTexts[i - 1]!);
    const cold = assessChurn(lead({ lastInboundAt: daysAgo(14), unansweredOutbound: 4, createdAt: daysAgo(30) }), now);
    expect(cold.risk).toBeGreaterThan(0.6);
    expect(cold.drivers[0]!.driver).toMatch(/unanswered_outbound|reply_recency/);
    expect(cold.drivers.find((d) => d.driver === 'unanswered_outbound')!.evidence).toBe('4 texts unanswered since the last reply');
  });

  it('falls after the lead replies', () => {
    const before = assessChurn(lead({ lastInboundAt: daysAgo(10), unansweredOutbound: 4, createdAt: daysAgo(20) }), now);
    const after = assessChurn(lead({ lastInboundAt: daysAgo(0), unansweredOutbound: 0, createdAt: daysAgo(20), recentInbound: ['Yes, still interested, call me'] }), now);
    expect(after.risk).toBeLessThan(before.risk - 0.4);
  });

  it('a falling response rate and negative replies raise the risk, with evidence', () => {
    const steady = assessChurn(lead({ outboundBefore: 5, inboundBefore: 5, outboundRecent: 5, inboundRecent: 5 }), now);
    const decaying = assessChurn(lead({ outboundBefore: 5, inboundBefore: 5, outboundRecent: 5, inboundRecent: 1 }), now);
    expect(decaying.risk).toBeGreaterThan(steady.risk);
    expect(decaying.drivers.find((d) => d.driver === 'response_rate_decay')!.evidence).toBe('answered 20% of texts in the last 14 days vs 100% before');
    const negative = assessChurn(lead({ recentInbound: ['not interested, stop bugging me'] }), now);
    expect(negative.risk).toBeGreaterThan(steady.risk);
    expect(negative.drivers[0]!.driver).toBe('sentiment_trend');
    expect(negative.drivers[0]!.evidence).toMatch(/negative/);
  });

  it('stage stagnation counts from qualification once qualified', () => {
    const fresh = assessChurn(lead({ stage: 'qualified', createdAt: daysAgo(50), qualifiedAt: daysAgo(1) }), now);
    const stale = assessChurn(lead({ stage: 'q3', createdAt: daysAgo(50) }), now);
    expect(fresh.features.stage_days).toBeLessThan(1.1);
    expect(stale.features.stage_days).toBeCloseTo(50, 0);
    expect(stale.risk).toBeGreaterThan(fresh.risk);
  });

  it('the lexicon reads "not interested" as negative, not as "interested"', () => {
    expect(sentimentOf(['not interested']).sentiment).toBeLessThan(0);
    expect(sentimentOf(['yes interested']).sentiment).toBeGreaterThan(0);
    expect(sentimentOf([]).sentiment).toBe(0);
  });

  it('drivers add up to the log-odds above the intercept', () => {
    const a = assessChurn(lead({ lastInboundAt: daysAgo(9), unansweredOutbound: 3 }), now);
    const z = -2.4 + a.drivers.reduce((s, d) => s + d.contribution, 0);
    expect(1 / (1 + Math.exp(-z))).toBeCloseTo(a.risk, 2);
  });
});

describe('holdout assignment', () => {
  it('is deterministic and close to holdoutPct over many leads', async () => {
    const groups = await Promise.all(Array.from({ length: 4000 }, (_, i) => churnGroup('ten_a', `lead_${i}`, 0.1)));
    const held = groups.filter((g) => g === 'holdout').length / groups.length;
    expect(held).toBeGreaterThan(0.085);
    expect(held).toBeLessThan(0.115);
    expect(await churnGroup('ten_a', 'lead_7', 0.1)).toBe(groups[7]);
    expect(await churnGroup('ten_a', 'lead_7', 0)).toBe('treated');
  });
});

describe('statistics', () => {
  it('Wilson interval matches the textbook value', () => {
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
});

describe('trainable on recorded outcomes', () => {
  it('the feature rows train with the shared model library', () => {
    const rows = Array.from({ length: 80 }, (_, i) => {
      const silent = i % 20;
      const a = assessChurn(lead({ lastInboundAt: daysAgo(silent), unansweredOutbound: i % 5 }), now);
      return churnTrainingRow(a.features, silent > 9 ? 1 : 0);
    });
    const trained = trainModel(rows, { label: 'churned', kind: 'logistic', folds: 3, seed: 1 });
    expect(trained.metrics.auc).toBeGreaterThan(0.8);
  });
});

describe('a tenant-trained churn model', () => {
  // Trained where a long silence means the lead was saved: the opposite of the prior.
  const rows = churnOutcomes(400, 3, { silence: 'saves', flip: 0.05 }).rows.map((r) => churnTrainingRow(r.features, r.churned));
  const model = { versionId: 'mdl_test', model: trainModel(rows, { label: 'churned', kind: 'logistic', folds: 3, seed: 1 }).model };

  it("gives the model's probability on the same feature row, its version, and the prior's drivers and evidence", () => {
    const cold = lead({ lastInboundAt: daysAgo(20), unansweredOutbound: 3, createdAt: daysAgo(30) });
    const prior = assessChurn(cold, now);
    const trained = assessChurn(cold, now, model);
    expect(prior.risk).toBeGreaterThan(0.6);
    expect(trained.risk).toBeLessThan(0.2);
    expect(trained.modelVersion).toBe('mdl_test');
    expect(trained.features).toEqual(prior.features);
    const recency = trained.drivers.find((d) => d.driver === 'reply_recency')!;
    expect(recency.contribution).toBeLessThan(0);
    expect(recency.evidence).toBe('no reply for 20 days');
    // The three response-rate columns and the two stage columns each speak as one driver.
    const names = trained.drivers.map((d) => d.driver);
    expect(new Set(names).size).toBe(names.length);
    expect(['reply_recency', 'response_rate_decay', 'unanswered_outbound', 'stage_stagnation', 'sentiment_trend']).toEqual(expect.arrayContaining(names));
    expect(assessChurn(lead({ lastInboundAt: daysAgo(0.5) }), now, model).risk).toBeGreaterThan(0.8);
  });
});
