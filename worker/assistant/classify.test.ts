import { describe, expect, it } from 'vitest';
import { classifySeller } from './classify';
import type { Qualification } from './types';

const hotLead: Qualification = {
  motivation: { category: 'relocation', strength: 'strong', evidence: 'job starts in March' },
  timelineDays: 30,
  condition: 'needs_some_work',
  conditionNotes: 'roof is 20 years old',
  priceCents: 45_000_000,
};

describe('classifySeller', () => {
  it('is hot with all four answered, a near timeline, strong motivation and a realistic price', () => {
    const c = classifySeller(hotLead, { estimateCents: 43_000_000 });
    expect(c.temperature).toBe('hot');
    expect(c.reasons).toContain('Timeline 30 days (≤ 45)');
    expect(c.reasons).toContain("Strong motivation: relocation — 'job starts in March'");
    expect(c.reasons.some((r) => r.startsWith('Expects $450,000, 105% of the $430,000 estimate'))).toBe(true);
    expect(c.reasons).toContain("Condition: needs some work — 'roof is 20 years old'");
  });

  it('is hot without an estimate to compare against', () => {
    expect(classifySeller(hotLead).temperature).toBe('hot');
    expect(classifySeller(hotLead, { estimateCents: null }).reasons).toContain('Expects $450,000 (no estimate to compare)');
  });

  it('is warm when a hot criterion is missing', () => {
    expect(classifySeller({ ...hotLead, timelineDays: 46 }).temperature).toBe('warm');
    expect(classifySeller({ ...hotLead, motivation: { ...hotLead.motivation!, strength: 'moderate' } }).temperature).toBe('warm');
    expect(classifySeller({ ...hotLead, condition: null }).temperature).toBe('warm');
    expect(classifySeller({ ...hotLead, priceCents: null }).reasons).toContain('Price not given yet');
    // 120 % of the estimate: above realistic, below unrealistic.
    expect(classifySeller(hotLead, { estimateCents: 37_500_000 }).temperature).toBe('warm');
  });

  it('is cold on a far timeline, weak motivation or an unrealistic price', () => {
    expect(classifySeller({ ...hotLead, timelineDays: 181 }).temperature).toBe('cold');
    expect(classifySeller({ ...hotLead, timelineDays: 180 }).temperature).toBe('warm');
    expect(classifySeller({ ...hotLead, motivation: { category: 'other', strength: 'weak', evidence: 'just curious' } }).temperature).toBe('cold');
    const overpriced = classifySeller(hotLead, { estimateCents: 34_000_000 });
    expect(overpriced.temperature).toBe('cold');
    expect(overpriced.reasons.some((r) => r.includes('132%') && r.includes('well above the estimate'))).toBe(true);
  });

  it('is cold on weak motivation even with nothing else answered', () => {
    const c = classifySeller({ motivation: { category: 'other', strength: 'weak', evidence: 'x' }, timelineDays: null, condition: null, conditionNotes: null, priceCents: null });
    expect(c.temperature).toBe('cold');
    expect(c.reasons).toContain('Timeline not given yet');
  });
});
