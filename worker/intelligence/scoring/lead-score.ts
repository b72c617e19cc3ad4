/**
 * The 0–100 lead score (PRODUCT.md §3.4: "from conversation + behaviour + fit"):
 *
 *   score = 100 × (0.5 × behaviour + 0.35 × conversation + 0.15 × fit)
 *
 * - behaviour: the highest of the four model probabilities (how likely this person is to move
 *   at all);
 * - conversation: qualification progress (answers to Q1–Q4, 1/4 each) scaled by the assistant's
 *   temperature (hot 1, warm 0.6, cold 0.25, not yet rated 0.4) — 0 when they never replied;
 * - fit: can the team act on it — reachable (a phone, not opted out, not do-not-disturb) is 1,
 *   otherwise 0.3.
 */
export interface LeadScoreInput {
  probabilities: readonly number[];
  answered: number;
  temperature: 'hot' | 'warm' | 'cold' | null;
  replied: boolean;
  reachable: boolean;
}

const TEMPERATURE_FACTOR = { hot: 1, warm: 0.6, cold: 0.25 } as const;

export function leadScore(input: LeadScoreInput): number {
  const behaviour = Math.max(0, ...input.probabilities);
  const progress = Math.min(Math.max(input.answered, 0), 4) / 4;
  const temperature = input.temperature ? TEMPERATURE_FACTOR[input.temperature] : 0.4;
  const conversation = input.replied ? Math.max(progress, 0.25) * temperature : 0;
  const fit = input.reachable ? 1 : 0.3;
  return Math.round(100 * (0.5 * behaviour + 0.35 * conversation + 0.15 * fit));
}
