/**
 * The deterministic extractor: one lead message → the answers it gives, what it means, and
 * which earlier answers it corrects. Pure and synchronous, so it runs the same in workerd
 * and Node and can be measured on the labelled set (npm run assistant:evaluate).
 */
import { extractCondition } from './condition';
import { detectIntents, opensAsQuestion } from './intents';
import { detectComplianceKeyword } from './keywords';
import { extractMotivation } from './motivation';
import { extractPrice } from './price';
import { CORRECTION_SIGNAL, afterCorrection, digitize, normalize } from './text';
import { addressesTimeline, extractTimeline } from './timeline';
import { QUESTIONS, type Extraction, type Intent, type Motivation, type Qualification, type Question, type UnderstandInput } from './types';

type Fields = Extraction['fields'];

/** The four answers in one piece of text, without intents. */
function fieldsOf(original: string, norm: string, expecting: Question | null, now: Date, hasMotivation = false): Fields {
  const digits = digitize(norm);
  const fields: Fields = {};
  const timeline = extractTimeline(digits, now, expecting);
  if (timeline) fields.timelineDays = timeline.days;
  const price = extractPrice(digits, expecting);
  if (price) fields.priceCents = price.cents;
  const condition = extractCondition(original, norm, expecting);
  if (condition) {
    fields.condition = condition.condition;
    if (condition.notes) fields.conditionNotes = condition.notes;
  }
  // Any reason counts as the answer to "why sell?" or in an opening message; elsewhere only one
  // the lead frames as the reason (see motivation.ts).
  const askedOrOpen = expecting === 'motivation' || (expecting === null && !hasMotivation);
  const motivation = extractMotivation(original, norm, expecting, timeline?.days ?? null, askedOrOpen);
  if (motivation) {
    const { category, strength, evidence } = motivation;
    fields.motivation = { category, strength, evidence } satisfies Motivation;
  }
  return fields;
}

const FIELD_OF: Record<Question, keyof Qualification> = {
  motivation: 'motivation',
  timeline: 'timelineDays',
  condition: 'condition',
  price: 'priceCents',
};

function sameValue(q: Question, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (q === 'motivation') return (a as Motivation).category === (b as Motivation).category;
  return a === b;
}

/** The first bare number in a correction ("typo, meant 254", "she says 950, not 900"). */
function loneNumber(rest: string): { text: string; value: number; k: boolean } | null {
  for (const m of rest.matchAll(/(?<![\d.,$])\$?(\d+(?:\.\d+)?)\s*(k\b)?(?!\s*(?:days?|weeks?|months?|years?|%|percent|beds?|bedrooms?|baths?|bathrooms?|sq|square|acres?)\b)/g)) {
    if (/\b(?:not|instead of|rather than)\s*$/.test(rest.slice(Math.max(0, m.index - 14), m.index))) continue;
    return { text: m[0], value: Number(m[1]), k: m[2] !== undefined };
  }
  return null;
}

/** How far a bare correction number is from the earlier answer it might replace (0 = same). */
function distanceTo(q: 'timeline' | 'price', n: { value: number; k: boolean }, prior: Qualification): number {
  if (q === 'timeline') {
    if (prior.timelineDays === null || n.k || n.value > 730) return Infinity;
    return Math.abs(n.value - prior.timelineDays) / prior.timelineDays;
  }
  if (prior.priceCents === null) return Infinity;
  const dollars = n.k ? n.value * 1_000 : n.value < 20 ? n.value * 100_000 : n.value < 10_000 ? n.value * 1_000 : n.value;
  return Math.abs(dollars * 100 - prior.priceCents) / prior.priceCents;
}

/**
 * The words after "actually", "I meant", "no wait", "typo", "cancel that" or a leading "*" give
 * the value that stands: "30 days, no wait, 45" is 45. A bare number there belongs to the
 * question being asked when that is still open, else to the earlier answer it is closest to
 * ("typo, meant 254" after a $245k price and a 75-day timeline is the price).
 */
function applyMarkedCorrection(original: string, norm: string, input: UnderstandInput, fields: Fields): void {
  const marker = afterCorrection(norm) ?? (/^\s*\*/.test(original) ? { marker: '*', rest: norm.replace(/^\s*\*+/, ''), index: 0 } : null);
  if (!marker || marker.rest.trim().length === 0) return;
  const at = original.toLowerCase().lastIndexOf(marker.marker);
  const restOriginal = at >= 0 ? original.slice(at + marker.marker.length) : original;
  const hasMotivation = input.qualification.motivation !== null;
  const rest = fieldsOf(restOriginal, marker.rest, input.expecting, input.now, hasMotivation);
  const n = rest.timelineDays === undefined && rest.priceCents === undefined ? loneNumber(marker.rest) : null;
  if (n) {
    const open = input.expecting === 'timeline' || input.expecting === 'price' ? input.expecting : null;
    const target: 'timeline' | 'price' | null =
      open && input.qualification[FIELD_OF[open]] === null
        ? open
        : (['timeline', 'price'] as const)
            .map((q) => ({ q, d: distanceTo(q, n, input.qualification) }))
            .filter((c) => Number.isFinite(c.d))
            .sort((a, b) => a.d - b.d)[0]?.q ?? null;
    if (target) {
      const reread = fieldsOf(n.text, n.text, target, input.now, hasMotivation);
      const key = FIELD_OF[target] as 'timelineDays' | 'priceCents';
      if (reread[key] !== undefined) {
        rest[key] = reread[key];
        // The number was read against the wrong question ("actually 60" while asked the price).
        if (input.expecting && input.expecting !== target) delete fields[FIELD_OF[input.expecting] as keyof Fields];
      }
    }
  }
  for (const q of QUESTIONS) {
    const key = FIELD_OF[q] as keyof Fields;
    if (rest[key] === undefined) continue;
    (fields as Record<string, unknown>)[key] = rest[key];
    if (q === 'condition' && rest.conditionNotes) fields.conditionNotes = rest.conditionNotes;
  }
}

/**
 * Corrections are answers that replace a different one from an earlier message, said as such
 * ("actually more like 60 days", "the bigger reason is money", "real talk, we're splitting up").
 * A repeat of the same answer is not one, nor a change of mind inside one message ("30 days,
 * no wait, 45"), nor a different reading of a passing remark.
 */
function correctionsOf(input: UnderstandInput, norm: string, fields: Fields): Question[] {
  if (!CORRECTION_SIGNAL.test(norm)) return [];
  const out: Question[] = [];
  for (const q of QUESTIONS) {
    const key = FIELD_OF[q] as keyof Fields;
    const value = fields[key];
    const prior = input.qualification[FIELD_OF[q]];
    if (value === undefined || prior === null) continue;
    if (!sameValue(q, prior, value)) out.push(q);
  }
  return out;
}

/** "whatever is fair", "make me an offer", "no rush": the question is answered, with no value. */
function addressedWithoutValue(digits: string, expecting: Question | null, fields: Fields): Question[] {
  if (expecting === 'timeline' && fields.timelineDays === undefined && addressesTimeline(digits)) return ['timeline'];
  if (expecting === 'price' && fields.priceCents === undefined &&
    /\b(?:whatever(?: is| its)? (?:fair|reasonable|its worth|it is worth|the market|you think)|make (?:me|us) an offer|(?:fair|market) (?:price|value)|what(?:ever)? (?:its|it is) worth|you tell me|not sure|no idea|dont know|depends|open to offers|best offer|whatever you can|top dollar|as much as (?:possible|i can))\b/.test(digits)) {
    return ['price'];
  }
  return [];
}

export function extractDeterministic(input: UnderstandInput): Extraction {
  const original = typeof input.text === 'string' ? input.text.slice(0, 2000) : '';
  const norm = normalize(original);
  const fields = fieldsOf(original, norm, input.expecting, input.now, input.qualification.motivation !== null);
  applyMarkedCorrection(original, norm, input, fields);
  const corrections = correctionsOf(input, norm, fields);

  const understood = detectIntents(original, norm);
  // "June?", "maybe 310k?", "needs some work?": a tentative answer, not a question back. A
  // question mark counts only with a question's opening or without an answer in it.
  const questions = understood.questions.filter(
    (q) => opensAsQuestion(q) || Object.keys(fieldsOf(q, normalize(q), input.expecting, input.now, true)).length === 0,
  );
  const found = questions.length > 0 ? understood.intents : understood.intents.filter((i) => i !== 'question');
  const intents: Intent[] = [];
  const keyword = detectComplianceKeyword(original);
  if (keyword) intents.push(keyword);
  for (const intent of found) {
    // A greeting that also answers something is an answer.
    if (intent === 'greeting' && (Object.keys(fields).length > 0 || keyword)) continue;
    if (!intents.includes(intent)) intents.push(intent);
  }
  const extraction: Extraction = { fields, intents, corrections };
  if (questions.length > 0 && intents.includes('question')) extraction.questionText = questions.join(' ');
  const addressed = addressedWithoutValue(digitize(norm), input.expecting, fields);
  if (addressed.length > 0) extraction.addressedWithoutValue = addressed;
  return extraction;
}
