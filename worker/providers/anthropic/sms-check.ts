import type { ComposeInput } from '../../assistant/types';
import { isFirstMessage } from './prompt';

/** Hard limit on what leaves as one reply; the prompt asks for ≤ 300 so there is slack. */
export const MAX_SMS_CHARS = 320;

const OPT_OUT_LINE = /reply\s+stop\s+to\s+opt[\s-]?out/i;
const AI_DISCLOSURE = /\bA\.?I\.?(?![a-z])|artificial intelligence/i;
// "$450k", "450,000", "4.5", "$1.2M", "60": a number with its magnitude suffix, if any.
const NUMBER = /(\$\s*)?(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:\s*(k|K|mm|MM|m|M|mil|million|thousand|grand)\b)?/g;
const MAGNITUDE_WORDS = /\b(hundred|thousand|million|billion|grand)\b/i;
const LINK = /\bhttps?:\/\/[^\s]+|\bwww\.[^\s]+|\b[a-z0-9-]+\.(?:com|net|org|io|co|us|realty|homes)\b[^\s]*/gi;

/**
 * Every number in `text`, as a value: "$450k" → 450000, "1.2M" → 1200000, "60-day" → 60,
 * "555-0100" → 555 and 100. The same reader runs over the inputs and the reply, so a number
 * written the same way on both sides always matches.
 */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const dollar = Boolean(m[1]);
    let value = Number(m[2]!.replace(/,/g, ''));
    if (!Number.isFinite(value)) continue;
    const suffix = m[3];
    if (suffix === 'k' || suffix === 'K' || suffix === 'thousand' || suffix === 'grand') value *= 1_000;
    else if (suffix === 'M' || suffix === 'MM' || suffix === 'mm' || suffix === 'mil' || suffix === 'million') value *= 1_000_000;
    // A lone lower-case "m" is minutes as often as millions; only a price reads it as millions.
    else if (suffix === 'm' && dollar) value *= 1_000_000;
    out.push(value);
  }
  return out;
}

function allowedNumbers(input: ComposeInput): Set<number> {
  const allowed = new Set<number>();
  const add = (v: number) => allowed.add(Math.round(v * 1000) / 1000);
  const texts = [
    ...Object.entries(input.facts).flatMap(([k, v]) => [k, v]),
    ...input.history.map((m) => m.body),
    input.persona.name,
    input.persona.signature,
    input.persona.brand,
    input.leadFirstName ?? '',
    input.qualification.conditionNotes ?? '',
    input.qualification.motivation?.evidence ?? '',
    ...Object.values(input.plan).filter((v): v is string => typeof v === 'string'),
  ];
  for (const text of texts) for (const n of numbersIn(text)) add(n);

  const { timelineDays, priceCents } = input.qualification;
  if (timelineDays !== null) {
    // "60 days", "about 9 weeks", "2 months": the same answer in the units people use.
    add(timelineDays);
    add(Math.round(timelineDays / 7));
    add(Math.round(timelineDays / 30));
  }
  if (priceCents !== null) {
    const dollars = priceCents / 100;
    add(dollars);
    add(dollars / 1_000); // "450" as in "450k" written without its suffix
    add(dollars / 100_000); // "4.5" as the lead may have put it
  }
  return allowed;
}

/**
 * Why an SMS Claude wrote must not be sent, or null when it may be. The checks are the
 * compliance promises of PRODUCT §3.3 that text can be held to mechanically: length, the
 * first-message disclosure, and no number, price or link the inputs did not contain.
 * Reasons name the rule only, never the text (logs carry no message bodies).
 */
export function smsProblem(text: string, input: ComposeInput): string | null {
  if (text.length === 0) return 'empty reply';
  if (text.length > MAX_SMS_CHARS) return `reply longer than ${MAX_SMS_CHARS} characters`;

  if (isFirstMessage(input.plan)) {
    if (!OPT_OUT_LINE.test(text)) return 'first message without "Reply STOP to opt out"';
    if (!AI_DISCLOSURE.test(text)) return 'first message without the AI disclosure';
    if (!text.toLowerCase().includes(input.persona.brand.toLowerCase())) return 'first message without the brand';
  }

  const allowed = allowedNumbers(input);
  for (const n of numbersIn(text)) {
    if (!allowed.has(Math.round(n * 1000) / 1000)) return 'reply states a number that is not in its inputs';
  }

  const inputs = [...Object.values(input.facts), ...input.history.map((m) => m.body), input.persona.signature]
    .join('\n')
    .toLowerCase();
  const magnitude = MAGNITUDE_WORDS.exec(text);
  if (magnitude && !inputs.includes(magnitude[1]!.toLowerCase())) return 'reply states an amount in words that is not in its inputs';
  for (const link of text.match(LINK) ?? []) {
    if (!inputs.includes(link.toLowerCase().replace(/[.,!?)]+$/, ''))) return 'reply contains a link that is not in its inputs';
  }
  return null;
}

/** Models sometimes wrap the SMS in quotes or prefix it; strip only that packaging. */
export function cleanSms(raw: string): string {
  let text = raw.trim();
  const quoted = /^["“](.*)["”]$/s.exec(text);
  if (quoted) text = quoted[1]!.trim();
  return text;
}
