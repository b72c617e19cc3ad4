import { seededRandom } from '../intelligence/models';

/** The stored churn feature row (intelligence/churn/model ChurnFeatures), as a test builds it. */
export type ChurnFeatureRow = Record<string, string | number | null>;

export const CHURN_FEATURE_COLUMNS = ['days_silent', 'response_rate_recent', 'response_rate_before', 'response_rate_decay', 'unanswered_outbound', 'stage_days', 'sentiment', 'stage'] as const;

/**
 * Churn feature rows with outcomes from a known rule, so a model trained on them is certain to
 * disagree with the prior where the test looks: `silence: 'saves'` makes a long silence the mark
 * of a saved lead (the opposite of the prior), `'churns'` the mark of a lost one. Every other
 * column is noise; `flip` turns that share of outcomes around.
 */
export function churnOutcomes(n: number, seed: number, opts: { silence: 'saves' | 'churns'; flip?: number }) {
  const rand = seededRandom(seed);
  const rows: Array<{ features: ChurnFeatureRow; churned: 0 | 1 }> = [];
  for (let i = 0; i < n; i++) {
    const daysSilent = Math.round(rand() * 3000) / 100;
    const recent = Math.round(rand() * 1000) / 1000;
    const before = Math.round(rand() * 1000) / 1000;
    const features: ChurnFeatureRow = {
      days_silent: daysSilent,
      response_rate_recent: recent,
      response_rate_before: before,
      response_rate_decay: Math.max(0, Math.round((before - recent) * 1000) / 1000),
      unanswered_outbound: Math.floor(rand() * 6),
      stage_days: Math.round(rand() * 6000) / 100,
      sentiment: Math.round((rand() * 2 - 1) * 1000) / 1000,
      stage: ['new', 'q1', 'q2', 'q3'][Math.floor(rand() * 4)]!,
    };
    const silent = daysSilent >= 10;
    let churned: 0 | 1 = (opts.silence === 'saves' ? !silent : silent) ? 1 : 0;
    if (opts.flip && rand() < opts.flip) churned = churned ? 0 : 1;
    rows.push({ features, churned });
  }
  const header = [...CHURN_FEATURE_COLUMNS, 'churned'];
  const csv = [header.join(','), ...rows.map((r) => [...CHURN_FEATURE_COLUMNS.map((c) => r.features[c]), r.churned].join(','))].join('\n') + '\n';
  return { rows, csv, positives: rows.filter((r) => r.churned).length };
}
