/**
 * Measuring the deterministic assistant on the labelled seller conversations
 * (tests/fixtures/seller-conversations, format in its README). Pure: the fixtures come in as
 * parsed JSON and a report goes out; scripts/assistant-evaluate.ts reads files and prints.
 * Not exported from index.ts, so it never ships in the Worker bundle.
 */
import { z } from 'zod';
import { extractDeterministic } from './extract';
import { decideTurn, initialConversationState, type ConversationState } from './policy';
import {
  CONDITIONS,
  INTENTS,
  MOTIVATION_CATEGORIES,
  MOTIVATION_STRENGTHS,
  QUESTIONS,
  type Extraction,
  type Intent,
  type Question,
  type TranscriptMessage,
} from './types';

const isoWithOffset = z.iso.datetime({ offset: true });

const ExpectedFields = z.strictObject({
  motivation: z.strictObject({ category: z.enum(MOTIVATION_CATEGORIES), strength: z.enum(MOTIVATION_STRENGTHS) }).optional(),
  timelineDays: z.number().int().nonnegative().optional(),
  condition: z.enum(CONDITIONS).optional(),
  priceCents: z.number().int().positive().optional(),
});

const Turn = z.object({
  expecting: z.enum(QUESTIONS).nullable(),
  text: z.string().min(1),
  at: isoWithOffset.optional(),
  expect: z.object({
    fields: ExpectedFields,
    intents: z.array(z.enum(INTENTS)),
    corrections: z.array(z.enum(QUESTIONS)),
  }),
});

export const Conversation = z.object({
  id: z.string().min(1),
  tags: z.array(z.string()).default([]),
  startedAt: isoWithOffset,
  turns: z.array(Turn).min(1),
  final: z.object({
    motivation: z.enum(MOTIVATION_CATEGORIES).nullable(),
    timelineDays: z.number().int().nonnegative().nullable(),
    condition: z.enum(CONDITIONS).nullable(),
    priceCents: z.number().int().positive().nullable(),
    optedOut: z.boolean(),
  }),
});
export type Conversation = z.infer<typeof Conversation>;
type FixtureTurn = z.infer<typeof Turn>;

/** A readable problem per invalid conversation: "straightforward.json › dev-004 › turns.2.expect.intents.0: …". */
export function parseFixtureFile(file: string, json: unknown): { conversations: Conversation[]; problems: string[] } {
  if (!Array.isArray(json)) return { conversations: [], problems: [`${file}: expected a JSON array of conversations`] };
  const conversations: Conversation[] = [];
  const problems: string[] = [];
  json.forEach((raw, i) => {
    const parsed = Conversation.safeParse(raw);
    if (parsed.success) {
      conversations.push(parsed.data);
      return;
    }
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : `conversation #${i + 1}`;
    for (const issue of parsed.error.issues) {
      problems.push(`${file} › ${id} › ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
  });
  return { conversations, problems };
}

export const FIELDS = ['motivation', 'timelineDays', 'condition', 'priceCents'] as const;
export type FieldName = (typeof FIELDS)[number];

export interface FieldScore {
  /** Messages labelled with a value for the field. */
  expected: number;
  /** Messages the extractor gave a value for. */
  predicted: number;
  /** Both, and the values agree (within tolerance). */
  correct: number;
  /** A value where the label has none. */
  falsePositives: number;
  /** No value where the label has one. */
  misses: number;
  /** Both, and the values disagree. */
  wrong: number;
  /** Messages where neither has a value. */
  trueNegatives: number;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Report {
  conversations: number;
  messages: number;
  fields: Record<FieldName, FieldScore>;
  /** Strength, scored on messages whose category was right. */
  motivationStrength: { scored: number; correct: number };
  intents: Record<Intent, Counts>;
  corrections: Counts & { messages: number; exact: number };
  final: {
    conversations: number;
    allCorrect: number;
    fields: Record<FieldName | 'optedOut', number>;
  };
}

export interface Failure {
  id: string;
  turn: number;
  text: string;
  expecting: Question | null;
  problems: string[];
}

function emptyField(): FieldScore {
  return { expected: 0, predicted: 0, correct: 0, falsePositives: 0, misses: 0, wrong: 0, trueNegatives: 0 };
}

export function emptyReport(): Report {
  return {
    conversations: 0,
    messages: 0,
    fields: { motivation: emptyField(), timelineDays: emptyField(), condition: emptyField(), priceCents: emptyField() },
    motivationStrength: { scored: 0, correct: 0 },
    intents: Object.fromEntries(INTENTS.map((i) => [i, { tp: 0, fp: 0, fn: 0 }])) as Record<Intent, Counts>,
    corrections: { tp: 0, fp: 0, fn: 0, messages: 0, exact: 0 },
    final: { conversations: 0, allCorrect: 0, fields: { motivation: 0, timelineDays: 0, condition: 0, priceCents: 0, optedOut: 0 } },
  };
}

/** timelineDays within max(7 days, 20 %); priceCents within 2 %. */
export function timelineMatches(expected: number, actual: number): boolean {
  return Math.abs(expected - actual) <= Math.max(7, 0.2 * expected);
}
export function priceMatches(expected: number, actual: number): boolean {
  return Math.abs(expected - actual) <= 0.02 * expected;
}

function fieldAgrees(field: FieldName, expected: unknown, actual: unknown): boolean {
  switch (field) {
    case 'motivation':
      return (expected as { category: string }).category === (actual as { category: string }).category;
    case 'timelineDays':
      return timelineMatches(expected as number, actual as number);
    case 'priceCents':
      return priceMatches(expected as number, actual as number);
    case 'condition':
      return expected === actual;
  }
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'object' && value !== null && 'category' in value) {
    const m = value as { category: string; strength: string };
    return `${m.category}/${m.strength}`;
  }
  return String(value);
}

function scoreMessage(report: Report, turn: FixtureTurn, got: Extraction): string[] {
  const problems: string[] = [];
  const want = turn.expect.fields;
  for (const field of FIELDS) {
    const e = want[field];
    const a = got.fields[field] ?? undefined;
    const s = report.fields[field];
    if (e !== undefined) s.expected++;
    if (a !== undefined) s.predicted++;
    if (e === undefined && a === undefined) s.trueNegatives++;
    else if (e === undefined) {
      s.falsePositives++;
      problems.push(`${field}: extracted ${show(a)}, label has none`);
    } else if (a === undefined) {
      s.misses++;
      problems.push(`${field}: missed ${show(e)}`);
    } else if (fieldAgrees(field, e, a)) {
      s.correct++;
    } else {
      s.wrong++;
      problems.push(`${field}: got ${show(a)}, want ${show(e)}`);
    }
  }
  if (want.motivation && got.fields.motivation && want.motivation.category === got.fields.motivation.category) {
    report.motivationStrength.scored++;
    if (want.motivation.strength === got.fields.motivation.strength) report.motivationStrength.correct++;
    else problems.push(`motivation strength: got ${got.fields.motivation.strength}, want ${want.motivation.strength}`);
  }
  for (const intent of INTENTS) {
    const e = turn.expect.intents.includes(intent);
    const a = got.intents.includes(intent);
    const c = report.intents[intent];
    if (e && a) c.tp++;
    else if (a) {
      c.fp++;
      problems.push(`intent ${intent}: extra`);
    } else if (e) {
      c.fn++;
      problems.push(`intent ${intent}: missed`);
    }
  }
  const ec = new Set(turn.expect.corrections);
  const ac = new Set(got.corrections);
  report.corrections.messages++;
  let exact = ec.size === ac.size;
  for (const q of QUESTIONS) {
    if (ec.has(q) && ac.has(q)) report.corrections.tp++;
    else if (ac.has(q)) {
      report.corrections.fp++;
      exact = false;
      problems.push(`correction ${q}: extra`);
    } else if (ec.has(q)) {
      report.corrections.fn++;
      exact = false;
      problems.push(`correction ${q}: missed`);
    }
  }
  if (exact) report.corrections.exact++;
  return problems;
}

/**
 * Replays one conversation the way the ConversationRoom would: extract each message against
 * the qualification so far, let the policy merge it (compliance keywords are the room's: they
 * only flip the opt-out flag), and compare the end state with `final`.
 */
export function evaluateConversation(report: Report, c: Conversation, failures?: Failure[]): void {
  report.conversations++;
  let state: ConversationState = initialConversationState();
  let optedOut = false;
  const history: TranscriptMessage[] = [];
  c.turns.forEach((turn, k) => {
    const at = turn.at ?? c.startedAt;
    const now = new Date(at);
    const extraction = extractDeterministic({ text: turn.text, expecting: turn.expecting, qualification: state.qualification, history, now });
    report.messages++;
    const problems = scoreMessage(report, turn, extraction);
    if (failures && problems.length > 0) failures.push({ id: c.id, turn: k + 1, text: turn.text, expecting: turn.expecting, problems });
    if (extraction.intents.includes('opt_out')) optedOut = true;
    else if (extraction.intents.includes('opt_in')) optedOut = false;
    const decision = decideTurn({ ...state, expecting: turn.expecting }, extraction, { messageAt: now });
    state = { ...decision.state, outboundCount: state.outboundCount + (decision.plan ? 1 : 0) };
    history.push({ sender: 'lead', body: turn.text, at });
  });

  const q = state.qualification;
  const f = report.final;
  f.conversations++;
  const checks: Record<FieldName | 'optedOut', boolean> = {
    motivation: (q.motivation?.category ?? null) === c.final.motivation,
    timelineDays: c.final.timelineDays === null ? q.timelineDays === null : q.timelineDays !== null && timelineMatches(c.final.timelineDays, q.timelineDays),
    condition: q.condition === c.final.condition,
    priceCents: c.final.priceCents === null ? q.priceCents === null : q.priceCents !== null && priceMatches(c.final.priceCents, q.priceCents),
    optedOut: optedOut === c.final.optedOut,
  };
  for (const [k, ok] of Object.entries(checks)) if (ok) f.fields[k as FieldName | 'optedOut']++;
  if (Object.values(checks).every(Boolean)) f.allCorrect++;
  else if (failures) {
    const wrong = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
    failures.push({ id: c.id, turn: 0, text: '(final state)', expecting: null, problems: wrong.map((k) => `final ${k}: got ${show(k === 'motivation' ? q.motivation?.category : k === 'optedOut' ? optedOut : q[k as keyof typeof q])}, want ${show(c.final[k as keyof typeof c.final])}`) });
  }
}

export function evaluate(conversations: readonly Conversation[], failures?: Failure[]): Report {
  const report = emptyReport();
  for (const c of conversations) evaluateConversation(report, c, failures);
  return report;
}

export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

export function precisionRecall(c: Counts): { precision: number | null; recall: number | null; f1: number | null } {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Field figures: precision over values given, recall over values labelled, accuracy over all messages. */
export function fieldFigures(s: FieldScore): { precision: number | null; recall: number | null; f1: number | null; accuracy: number | null } {
  const pr = precisionRecall({ tp: s.correct, fp: s.predicted - s.correct, fn: s.expected - s.correct });
  const total = s.correct + s.wrong + s.misses + s.falsePositives + s.trueNegatives;
  return { ...pr, accuracy: ratio(s.correct + s.trueNegatives, total) };
}
