/**
 * The narrator seam: Claude writes the narrative and next-best actions when a key is configured;
 * whatever it writes must stand on the figures and messages it was given, or the rule-based
 * coaching is stored instead, with the reason.
 */
import { type Coaching, type Figure, type Insight, ungroundedNumbers } from './insights';

export interface Snippet {
  id: string;
  leadId: string;
  sender: 'agent' | 'lead' | 'bot';
  at: string;
  text: string;
}

export interface NarratorInput {
  agentName: string;
  period: { from: string; to: string };
  figures: Figure[];
  /** At most MAX_SNIPPETS, newest conversations first. */
  snippets: Snippet[];
  /** What the rules already found: the narrator may reword, reorder or drop them. */
  ruleInsights: Insight[];
}

export interface NarratorUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface NarratorResult {
  coaching: Coaching;
  usage: NarratorUsage;
  model: string;
}

export interface CoachingNarrator {
  readonly name: 'claude';
  narrate(input: NarratorInput): Promise<NarratorResult>;
}

/** Why a narration was not used; `usage` is set when the call was made (and billed) anyway. */
export class NarratorFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly usage?: NarratorUsage,
    readonly model?: string,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
    this.name = 'NarratorFailure';
  }
}

export const MAX_SNIPPETS = 20;

/**
 * Null when every number the narration writes is one of the figures and every id it cites was
 * provided; otherwise a short reason (`ungrounded_number:45`, `unknown_evidence:msg_…`).
 */
export function groundingProblem(coaching: Coaching, input: NarratorInput): string | null {
  const texts = [coaching.narrative, ...coaching.insights.flatMap((i) => [i.title, i.detail]), ...coaching.actions.flatMap((a) => [a.action, a.why])];
  const numbers = ungroundedNumbers(texts.join('\n'), input.figures);
  if (numbers.length) return `ungrounded_number:${numbers.slice(0, 5).join(',')}`;
  const known = new Set([...input.snippets.flatMap((s) => [s.id, s.leadId]), ...input.ruleInsights.flatMap((i) => i.evidence ?? [])]);
  const unknown = coaching.insights.flatMap((i) => i.evidence ?? []).filter((id) => !known.has(id));
  if (unknown.length) return `unknown_evidence:${unknown.slice(0, 3).join(',')}`;
  return null;
}
