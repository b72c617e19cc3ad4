/**
 * The conversation policy: what one lead message does to the conversation and what the bot
 * says next. The ConversationRoom Durable Object calls `decideTurn` on every lead message
 * after it has handled opt-out / opt-in / HELP itself; this module decides, the assistant
 * words the reply (`compose`), and the room sends it and bumps `outboundCount`.
 */
import { classifySeller } from './classify';
import type { Condition, Extraction, Motivation, Qualification, Question, ReplyPlan, Temperature } from './types';
import { EMPTY_QUALIFICATION, QUESTIONS } from './types';

export type BotState = 'active' | 'paused' | 'human' | 'done';
export type Stage = 'new' | 'q1' | 'q2' | 'q3' | 'q4' | 'qualified' | 'appointment' | 'contract' | 'closed' | 'lost';

export interface ConversationState {
  qualification: Qualification;
  /**
   * ISO time of the message that last set each field: an older (out-of-order) message never
   * overwrites a newer answer. A question the lead addressed without a value ("no rush", "make
   * me an offer") has a time here and a null field: it is not asked again.
   */
  answeredAt: Partial<Record<Question, string>>;
  expecting: Question | null;
  botState: BotState;
  /** Bot messages already sent (0 → the next one is the first and must disclose AI + brand). The room bumps it when it sends. */
  outboundCount: number;
  stage: Stage;
  temperature: Temperature | null;
  temperatureReasons: string[];
}

export type TurnOutcome =
  | 'continue'
  | 'qualified'
  | 'human_requested'
  | 'not_interested'
  | 'already_listed'
  | 'wrong_number'
  | 'hostile';

export interface TurnDecision {
  state: ConversationState;
  /** Fields whose value changed in this turn. */
  changed: Question[];
  /** null = the bot says nothing. */
  plan: ReplyPlan | null;
  outcome: TurnOutcome;
}

export function initialConversationState(): ConversationState {
  return {
    qualification: { ...EMPTY_QUALIFICATION },
    answeredAt: {},
    expecting: null,
    botState: 'active',
    outboundCount: 0,
    stage: 'new',
    temperature: null,
    temperatureReasons: [],
  };
}

const STAGE_FOR: Record<Question, Stage> = { motivation: 'q1', timeline: 'q2', condition: 'q3', price: 'q4' };
/** Stages the bot's questions may move; later ones (appointment…) belong to people. */
const QUESTION_STAGES: ReadonlySet<Stage> = new Set(['new', 'q1', 'q2', 'q3', 'q4']);

function valueOf(q: Qualification, question: Question): unknown {
  switch (question) {
    case 'motivation':
      return q.motivation;
    case 'timeline':
      return q.timelineDays;
    case 'condition':
      return q.condition;
    case 'price':
      return q.priceCents;
  }
}

function answered(q: Qualification, question: Question): boolean {
  return valueOf(q, question) !== null;
}

const STRENGTH_RANK = { weak: 0, moderate: 1, strong: 2 } as const;

/**
 * Whether a newer mention of an already-answered field replaces it. Timeline, condition and
 * price: the newest statement wins (people refine: "by June" then "the 1st of May at the
 * latest"). Motivation: a passing mention ("we're moving in 2 months" while answering the
 * timeline) must not demote a stated reason, so it changes only on a correction, as the answer
 * to the question being asked, or when it is more specific or stronger than what we had.
 */
function replaces(question: Question, current: Qualification, incoming: Motivation, isCorrection: boolean, isAsked: boolean): boolean {
  if (question !== 'motivation' || isCorrection || isAsked) return true;
  const have = current.motivation;
  if (!have) return true;
  if (have.category === 'other' && incoming.category !== 'other') return true;
  return have.category === incoming.category && STRENGTH_RANK[incoming.strength] > STRENGTH_RANK[have.strength];
}

interface Merge {
  qualification: Qualification;
  answeredAt: Partial<Record<Question, string>>;
  changed: Question[];
}

function mergeFields(state: ConversationState, extraction: Extraction, messageAt: Date): Merge {
  const qualification: Qualification = { ...state.qualification };
  const answeredAt = { ...state.answeredAt };
  const changed: Question[] = [];
  const at = messageAt.toISOString();
  const f = extraction.fields;
  const incoming: Record<Question, unknown> = {
    motivation: f.motivation,
    timeline: f.timelineDays,
    condition: f.condition,
    price: f.priceCents,
  };
  for (const question of QUESTIONS) {
    const value = incoming[question];
    if (value === undefined || value === null) continue;
    const setAt = answeredAt[question];
    // Out of order: an answer from a newer message already stands; the older message loses,
    // even when it says "actually" (its correction was itself superseded).
    if (setAt !== undefined && Date.parse(setAt) > messageAt.getTime()) continue;
    const isCorrection = extraction.corrections.includes(question);
    if (answered(qualification, question) && question === 'motivation' && !replaces(question, qualification, value as Motivation, isCorrection, state.expecting === question)) {
      continue;
    }
    const before = JSON.stringify(valueOf(qualification, question));
    switch (question) {
      case 'motivation':
        qualification.motivation = { ...(value as Motivation) };
        break;
      case 'timeline':
        qualification.timelineDays = value as number;
        break;
      case 'condition':
        qualification.condition = value as Condition;
        // Notes belong to the condition they describe; a new condition without notes clears them.
        qualification.conditionNotes = f.conditionNotes ?? (qualification.condition === state.qualification.condition ? qualification.conditionNotes : null);
        break;
      case 'price':
        qualification.priceCents = value as number;
        break;
    }
    answeredAt[question] = at;
    if (JSON.stringify(valueOf(qualification, question)) !== before) changed.push(question);
  }
  return { qualification, answeredAt, changed };
}

function nextQuestion(q: Qualification, answeredAt: Partial<Record<Question, string>>): Question | null {
  return QUESTIONS.find((question) => !answered(q, question) && answeredAt[question] === undefined) ?? null;
}

const DAYS_PHRASE = (days: number): string => {
  if (days <= 14) return 'as soon as possible';
  if (days <= 45) return `in about ${days} days`;
  if (days < 330) return `in about ${Math.round(days / 30)} months`;
  if (days <= 400) return 'in about a year';
  return 'more than a year out';
};

const MOTIVATION_PHRASE: Record<Motivation['category'], string> = {
  relocation: 'relocating',
  downsizing: 'downsizing',
  upsizing: 'needing more space',
  financial: 'financial pressure',
  divorce: 'a divorce or separation',
  inheritance: 'an inherited property',
  retirement: 'retirement',
  tired_landlord: 'being done with landlording',
  other: 'their own reasons',
};

const CONDITION_PHRASE: Record<Condition, string> = {
  move_in_ready: 'move-in ready',
  needs_some_work: 'needs some work',
  needs_major_repairs: 'needs major repairs',
};

/** A plain-English summary of what this turn taught us, for the reply to acknowledge. */
function acknowledgement(q: Qualification, changed: Question[], addressed: Question[]): string | undefined {
  const parts: string[] = [];
  if (addressed.includes('timeline')) parts.push('no fixed timeline yet');
  if (addressed.includes('price')) parts.push('no set price in mind');
  for (const question of changed) {
    if (question === 'motivation' && q.motivation) parts.push(`selling because of ${MOTIVATION_PHRASE[q.motivation.category]}`);
    if (question === 'timeline' && q.timelineDays !== null) parts.push(`hoping to sell ${DAYS_PHRASE(q.timelineDays)}`);
    if (question === 'condition' && q.condition) parts.push(`the house ${q.condition === 'move_in_ready' ? 'is' : ''} ${CONDITION_PHRASE[q.condition]}`.replace(/\s+/g, ' '));
    if (question === 'price' && q.priceCents !== null) parts.push('shared a price in mind');
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

const SILENT_INTENTS = new Set(['opt_out', 'opt_in', 'help']);

export function decideTurn(
  state: ConversationState,
  extraction: Extraction,
  opts: { messageAt: Date; estimateCents?: number | null },
): TurnDecision {
  const merge = mergeFields(state, extraction, opts.messageAt);
  let next: ConversationState = { ...state, qualification: merge.qualification, answeredAt: merge.answeredAt };
  const changed = merge.changed;
  const firstMessage = state.outboundCount === 0;
  const intents = new Set(extraction.intents);

  // Temperature is derived data: once qualified, a late answer (to a human, or after the
  // handoff) re-classifies instead of leaving a stale label.
  if (next.stage === 'qualified' && changed.length > 0) {
    const c = classifySeller(next.qualification, { estimateCents: opts.estimateCents ?? null });
    next = { ...next, temperature: c.temperature, temperatureReasons: c.reasons };
  }

  // The room answers compliance keywords itself (one confirmation, nothing else); a paused,
  // human-held or finished conversation only records what the lead said.
  if (next.botState !== 'active' || extraction.intents.some((i) => SILENT_INTENTS.has(i))) {
    return { state: next, changed, plan: null, outcome: 'continue' };
  }

  if (intents.has('wrong_number')) {
    next = { ...next, botState: 'done', stage: 'lost', expecting: null };
    return { state: next, changed, plan: { kind: 'wrong_number' }, outcome: 'wrong_number' };
  }
  if (intents.has('already_listed')) {
    next = { ...next, botState: 'done', stage: 'lost', expecting: null, temperature: 'cold', temperatureReasons: ['Already listed or sold with someone else'] };
    return { state: next, changed, plan: { kind: 'already_listed' }, outcome: 'already_listed' };
  }
  if (intents.has('not_interested')) {
    next = { ...next, botState: 'done', expecting: null, temperature: 'cold', temperatureReasons: ['Said they are not interested in selling'] };
    return { state: next, changed, plan: { kind: 'not_interested' }, outcome: 'not_interested' };
  }
  if (intents.has('human')) {
    // The bot goes silent until an agent releases it; `expecting` stays so a release resumes cleanly.
    next = { ...next, botState: 'human' };
    return { state: next, changed, plan: { kind: 'human_requested', firstMessage }, outcome: 'human_requested' };
  }
  if (intents.has('hostile')) {
    next = { ...next, botState: 'paused' };
    return { state: next, changed, plan: { kind: 'hostile' }, outcome: 'hostile' };
  }

  // "No rush", "make me an offer": the question is answered without a value; move on.
  const addressed = (extraction.addressedWithoutValue ?? []).filter((q) => q === state.expecting && !answered(next.qualification, q) && next.answeredAt[q] === undefined);
  if (addressed.length > 0) {
    const answeredAt = { ...next.answeredAt };
    for (const q of addressed) answeredAt[q] = opts.messageAt.toISOString();
    next = { ...next, answeredAt };
  }
  const question = nextQuestion(next.qualification, next.answeredAt);
  if (question === null) {
    const c = classifySeller(next.qualification, { estimateCents: opts.estimateCents ?? null });
    next = {
      ...next,
      botState: 'done',
      stage: QUESTION_STAGES.has(next.stage) ? 'qualified' : next.stage,
      expecting: null,
      temperature: c.temperature,
      temperatureReasons: c.reasons,
    };
    return { state: next, changed, plan: { kind: 'handoff', temperature: c.temperature, firstMessage }, outcome: 'qualified' };
  }

  next = { ...next, expecting: question, stage: QUESTION_STAGES.has(next.stage) ? STAGE_FOR[question] : next.stage };
  const plan: Extract<ReplyPlan, { kind: 'ask' }> = { kind: 'ask', question, firstMessage };
  const ack = acknowledgement(next.qualification, changed, addressed);
  if (ack) {
    plan.acknowledge = ack;
    plan.acknowledged = [...addressed, ...changed];
  }
  if (intents.has('question') && extraction.questionText) plan.answerQuestion = extraction.questionText;
  return { state: next, changed, plan, outcome: 'continue' };
}
