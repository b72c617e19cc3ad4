/**
 * Documented priors: what drives each model's probability before a tenant has trained one
 * (no CSV import, fewer outcomes than /jobs/retrain needs). Each is a small logistic model
 * over the feature row, written by hand from how agents read these signals, deliberately
 * conservative: a single weak signal stays well under the default 0.5 alert threshold, and it
 * takes a strong signal plus corroboration (or a hot conversation) to cross it.
 *
 *   p(kind) = σ(intercept + Σ weight × feature)
 *
 * Signal features are strength × confidence in [0, 1]; the others are 0/1 indicators.
 * Reasons are each term's contribution to the log-odds, largest first.
 */
import type { ModelKind } from '../../db/schema';
import type { FeatureRow } from './features';

export const PRIOR_VERSION = 'prior-v1';

type Cell = FeatureRow[string] | undefined;
type Term = { feature: string; weight: number; when?: (v: Cell) => number };

const sig = (name: string, weight: number): Term => ({ feature: `sig_${name}`, weight });
const indicator = (feature: string, weight: number, test: (v: Cell) => boolean): Term => ({ feature, weight, when: (v) => (test(v) ? 1 : 0) });

export const PRIORS: Record<ModelKind, { intercept: number; terms: Term[]; rationale: string }> = {
  sell: {
    intercept: -3.2,
    rationale: 'valuation requests and life events are the classic pre-listing moves; long tenure and high equity make a sale practical; a hot seller conversation is the strongest evidence of all',
    terms: [
      sig('home_valuation_request', 3.0),
      sig('life_event', 2.5),
      sig('listing_view_spike', 1.2),
      sig('tenure_threshold', 1.2),
      sig('equity_milestone', 1.0),
      sig('nearby_market_activity', 0.8),
      sig('return_visit_frequency', 0.6),
      sig('email_engagement', 0.5),
      sig('saved_search', 0.4),
      indicator('temperature', 2.5, (v) => v === 'hot'),
      indicator('temperature', 1.0, (v) => v === 'warm'),
      indicator('lead_kind', 0.8, (v) => v === 'seller'),
      indicator('timeline_days', 1.0, (v) => typeof v === 'number' && v <= 90),
    ],
  },
  buy: {
    intercept: -3.2,
    rationale: 'saved searches, a spike in listing views and payment calculations are what active buyers do',
    terms: [
      sig('saved_search', 2.2),
      sig('listing_view_spike', 1.8),
      sig('mortgage_calculator_use', 1.5),
      sig('return_visit_frequency', 1.0),
      sig('email_engagement', 0.6),
      sig('life_event', 0.8),
    ],
  },
  refinance: {
    intercept: -3.4,
    rationale: 'a mortgage rate well above today’s is the refinance trigger; calculator use and equity make it actionable',
    terms: [sig('rate_drop_opportunity', 3.5), sig('mortgage_calculator_use', 1.2), sig('equity_milestone', 0.8), sig('tenure_threshold', 0.3)],
  },
  invest: {
    intercept: -3.6,
    rationale: 'equity to deploy plus searching and market activity; investors are rarer, so the intercept is lower',
    terms: [sig('equity_milestone', 1.5), sig('nearby_market_activity', 1.0), sig('saved_search', 0.8), sig('mortgage_calculator_use', 0.6), sig('listing_view_spike', 0.6), sig('life_event', 0.4)],
  },
};

export interface KindScore {
  probability: number;
  reasons: Array<{ feature: string; contribution: number }>;
}

export function scoreWithPrior(kind: ModelKind, row: FeatureRow): KindScore {
  const prior = PRIORS[kind];
  let z = prior.intercept;
  const contributions = new Map<string, number>();
  for (const t of prior.terms) {
    const v = row[t.feature];
    const x = t.when ? t.when(v) : typeof v === 'number' ? v : 0;
    if (!x) continue;
    const c = t.weight * x;
    z += c;
    const name = t.feature.startsWith('sig_') ? t.feature.slice(4) : t.feature;
    contributions.set(name, (contributions.get(name) ?? 0) + c);
  }
  const reasons = [...contributions].map(([feature, contribution]) => ({ feature, contribution: Math.round(contribution * 1000) / 1000 }));
  reasons.sort((a, b) => b.contribution - a.contribution);
  return { probability: 1 / (1 + Math.exp(-z)), reasons: reasons.slice(0, 5) };
}

/** A trained model's prediction in the same shape: the five largest reasons, rounded. */
export function compileReasons(p: { probability: number; reasons: Array<{ feature: string; contribution: number }> }): KindScore {
  return { probability: p.probability, reasons: p.reasons.slice(0, 5).map((r) => ({ feature: r.feature, contribution: Math.round(r.contribution * 1000) / 1000 })) };
}
