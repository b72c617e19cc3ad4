/**
 * The feature row a lead is scored from — the same columns for the documented priors, for
 * models trained on recorded outcomes (alerts keep this row as their snapshot) and for CSV
 * imports that want their models used on live leads (name your columns like these).
 *
 * Fair Housing: built only from behaviour, the conversation's qualification answers and
 * property facts. No name, phone, email, address beyond what routing needs (not used here at
 * all), no demographic or household attribute, and nothing that proxies one.
 */
import type { CsvRow } from '../models/csv';
import { SIGNAL_CATEGORIES, type Signal, type SignalType } from '../signals/signals';

export type FeatureValue = string | number | null;
export type FeatureRow = Record<string, FeatureValue>;

export const SIGNAL_TYPES = Object.keys(SIGNAL_CATEGORIES) as SignalType[];

/** Events counted over the last 30 days as their own columns. */
export const COUNTED_EVENTS = ['listing_viewed', 'saved_search', 'home_valuation_requested', 'home_valuation_viewed', 'email_opened', 'email_clicked', 'site_visit', 'mortgage_calculator_used'] as const;

export interface LeadFacts {
  kind: 'seller' | 'prospect';
  stage: string;
  temperature: 'hot' | 'warm' | 'cold' | null;
  timelineDays: number | null;
  motivationCategory: string | null;
  condition: string | null;
  priceCents: number | null;
  estimateCents: number | null;
  lastInboundAt: Date | null;
}

export interface PropertyFeatureFacts {
  purchaseDate?: Date | null;
  estimateCents?: number | null;
  mortgageBalanceCents?: number | null;
  mortgageRatePct?: number | null;
  currentRatePct?: number | null;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function featureRow(input: { now: Date; lead: LeadFacts; signals: Signal[]; eventCounts30d: Record<string, number>; property: PropertyFeatureFacts }): FeatureRow {
  const row: FeatureRow = {};
  const byType = new Map(input.signals.map((s) => [s.type, s]));
  // Strength discounted by confidence: a spike seen on two views counts less than one on twenty.
  for (const type of SIGNAL_TYPES) {
    const s = byType.get(type);
    row[`sig_${type}`] = s ? round(s.strength * s.confidence) : 0;
  }
  let total = 0;
  for (const type of COUNTED_EVENTS) {
    const n = input.eventCounts30d[type] ?? 0;
    row[`ev_${type}_30d`] = n;
    total += n;
  }
  row.events_30d = Object.values(input.eventCounts30d).reduce((a, b) => a + b, 0) || total;

  const l = input.lead;
  row.lead_kind = l.kind;
  row.stage = l.stage;
  row.temperature = l.temperature ?? 'unknown';
  row.timeline_days = l.timelineDays;
  row.motivation = l.motivationCategory ?? 'unknown';
  row.condition = l.condition ?? 'unknown';
  row.has_price = l.priceCents != null ? 1 : 0;
  const estimate = l.estimateCents ?? input.property.estimateCents ?? null;
  row.price_to_estimate = l.priceCents != null && estimate ? round(l.priceCents / estimate, 3) : null;
  row.replied = l.lastInboundAt ? 1 : 0;

  const p = input.property;
  row.years_owned = p.purchaseDate ? round((input.now.getTime() - p.purchaseDate.getTime()) / (365.25 * 86_400_000), 2) : null;
  row.equity_pct = estimate && p.mortgageBalanceCents != null ? round((estimate - p.mortgageBalanceCents) / estimate, 3) : null;
  row.rate_gap_points = p.mortgageRatePct != null && p.currentRatePct != null ? round(p.mortgageRatePct - p.currentRatePct, 2) : null;
  return row;
}

/** The models library reads string cells; a missing value is an empty cell. */
export function toCsvRow(row: FeatureRow): CsvRow {
  const out: CsvRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = v == null ? '' : String(v);
  return out;
}
