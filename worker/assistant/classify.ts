/**
 * Seller temperature from the four answers, with reasons an agent can read on a phone.
 * - hot: all four answered, timeline ≤ 45 days, strong motivation, and a realistic price
 *   (≤ 115 % of the estimate when one is known).
 * - cold: timeline > 180 days, weak motivation, or a price > 130 % of the estimate.
 * - warm: everything else (including "not enough answers yet").
 * Only these four answers and the estimate count: nothing about who the lead is (Fair Housing).
 */
import type { Qualification, Temperature } from './types';

export const HOT_MAX_TIMELINE_DAYS = 45;
export const COLD_MIN_TIMELINE_DAYS = 180;
export const HOT_MAX_PRICE_RATIO = 1.15;
export const COLD_MIN_PRICE_RATIO = 1.3;

export interface Classification {
  temperature: Temperature;
  reasons: string[];
}

/** "$450,000" from integer cents. */
export function formatDollars(cents: number): string {
  const dollars = Math.round(cents / 100);
  return `$${dollars.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

const CATEGORY_LABEL: Record<string, string> = {
  relocation: 'relocation',
  downsizing: 'downsizing',
  upsizing: 'upsizing',
  financial: 'financial pressure',
  divorce: 'divorce/separation',
  inheritance: 'inheritance/probate',
  retirement: 'retirement',
  tired_landlord: 'tired landlord',
  other: 'other',
};

const CONDITION_LABEL: Record<string, string> = {
  move_in_ready: 'move-in ready',
  needs_some_work: 'needs some work',
  needs_major_repairs: 'needs major repairs',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function shortQuote(s: string): string {
  const clean = s.replace(/\s+/g, ' ').trim();
  return clean.length <= 60 ? clean : `${clean.slice(0, 59).trimEnd()}…`;
}

export function classifySeller(q: Qualification, opts: { estimateCents?: number | null } = {}): Classification {
  const estimate = opts.estimateCents && opts.estimateCents > 0 ? opts.estimateCents : null;
  const reasons: string[] = [];
  const cold: boolean[] = [];
  const hot: boolean[] = [];

  // Timeline.
  if (q.timelineDays === null) {
    reasons.push('Timeline not given yet');
    hot.push(false);
  } else {
    const d = q.timelineDays;
    if (d <= HOT_MAX_TIMELINE_DAYS) reasons.push(`Timeline ${d} days (≤ ${HOT_MAX_TIMELINE_DAYS})`);
    else if (d > COLD_MIN_TIMELINE_DAYS) reasons.push(`Timeline ${d} days (> ${COLD_MIN_TIMELINE_DAYS})`);
    else reasons.push(`Timeline ${d} days (over ${HOT_MAX_TIMELINE_DAYS})`);
    hot.push(d <= HOT_MAX_TIMELINE_DAYS);
    cold.push(d > COLD_MIN_TIMELINE_DAYS);
  }

  // Motivation.
  if (q.motivation === null) {
    reasons.push('Motivation not given yet');
    hot.push(false);
  } else {
    const m = q.motivation;
    const evidence = m.evidence ? ` — '${shortQuote(m.evidence)}'` : '';
    reasons.push(`${capitalise(m.strength)} motivation: ${CATEGORY_LABEL[m.category] ?? m.category}${evidence}`);
    hot.push(m.strength === 'strong');
    cold.push(m.strength === 'weak');
  }

  // Price against the estimate.
  if (q.priceCents === null) {
    reasons.push('Price not given yet');
    hot.push(false);
  } else if (estimate === null) {
    reasons.push(`Expects ${formatDollars(q.priceCents)} (no estimate to compare)`);
  } else {
    const ratio = q.priceCents / estimate;
    const pct = Math.round(ratio * 100);
    const verdict = ratio <= HOT_MAX_PRICE_RATIO ? 'realistic' : ratio > COLD_MIN_PRICE_RATIO ? 'well above the estimate' : 'above the estimate';
    reasons.push(`Expects ${formatDollars(q.priceCents)}, ${pct}% of the ${formatDollars(estimate)} estimate (${verdict})`);
    hot.push(ratio <= HOT_MAX_PRICE_RATIO);
    cold.push(ratio > COLD_MIN_PRICE_RATIO);
  }

  // Condition does not move the temperature, but the agent wants it in the same glance.
  if (q.condition === null) {
    reasons.push('Condition not given yet');
    hot.push(false);
  } else {
    const notes = q.conditionNotes ? ` — '${shortQuote(q.conditionNotes)}'` : '';
    reasons.push(`Condition: ${CONDITION_LABEL[q.condition] ?? q.condition}${notes}`);
  }

  const temperature: Temperature = cold.some(Boolean) ? 'cold' : hot.every(Boolean) ? 'hot' : 'warm';
  return { temperature, reasons };
}
