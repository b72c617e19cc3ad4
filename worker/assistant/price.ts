/**
 * Expected price, in integer cents. Reads "$450k", "450,000", "1.2m", "half a mil",
 * "four fifty", "hoping for 4 and a quarter", "low 400s", ranges (midpoint) and, as the answer
 * to the price question, bare numbers: below 20 they are hundreds of thousands ("4.5" →
 * $450,000), from 50 to 9,999 thousands ("450" → $450,000), above that dollars.
 *
 * What is not an asking price: what they owe or paid ("we owe 200k"), repair costs, rent,
 * taxes, offers received, bedrooms, square feet, years ("built in 1985"), ages, times ("call
 * me at 5"), percentages, phone numbers and street numbers.
 */
import type { Question } from './types';

export interface PriceMatch {
  cents: number;
  index: number;
  text: string;
}

interface Candidate extends PriceMatch {
  tier: number;
}

const MIN_DOLLARS = 10_000;
const MAX_DOLLARS = 100_000_000;

/** Units after a number that make it something other than money. */
const NOT_MONEY_AFTER =
  /^\s*(?:-\s*)?(?:figures?|digits?|bed|beds|bedroom|bedrooms|bd|bds|br|brs|bath|baths|bathroom|bathrooms|ba|half bath|sq|sqft|square|sf|ft|feet|foot|acre|acres|year|years|yr|month|months|week|weeks|day|days|hour|hours|hr|hrs|min|mins|minute|minutes|percent|%|car|cars|story|stories|level|levels|unit|units|door|doors|kid|kids|child|children|people|dog|dogs|cat|cats|times|am|pm|oclock|th|st|nd|rd|mile|miles|mi|x|room|rooms|floor|floors|person|of us|of them|offers?|showings?|families|family|apartment|apartments|plex|lot|lots|windows|tenants?|renters?|baths?|degrees|pounds|lbs|points?|credit|score|main|street|st|ave|avenue|rd|road|dr|drive|ln|lane|blvd|ct|court|way|pl|cir|circle|hwy|highway)\b/;

/** Per-period amounts are rent, payments or taxes, never the sale price. */
const PER_PERIOD_AFTER = /^\s*(?:per|a|\/|each|every|monthly|yearly|annually)\s*(?:month|mo|year|yr|week|mth)?\b|^\s*(?:monthly|yearly|annually|in rent|rent|a month|in taxes|in repairs|of repairs|in work|of work|worth of (?:work|repairs)|to fix|to repair|to replace|for repairs|for the roof|down|deposit|in equity|of equity|equity|in debt|of debt|debt|left on|owed|remaining|balance|in back taxes|into (?:it|the house|the place|the home|repairs|updates)|in to it|on (?:repairs|updates|the roof|improvements|renovations))\b/;

/** Before a number: amounts that are owed, paid, offered, spent or estimated by someone else. */
const NOT_ASKING_BEFORE =
  /\b(?:owe|owes|owed|owing|mortgage|balance|loan|payoff|pay off|paid|bought (?:it )?(?:for|at)|purchased (?:it )?(?:for|at)|put in|put into|(?:we|i|they) put|spent|invested|repairs?|fix|fixing|taxes|tax|hoa|rent|rents|rented|income|insurance|payment|payments|behind|offered|offer of|offers? (?:of|for|at|around)|lowball|lowballed|cost|costs|costing|quoted|quote|estimate for|bill|bills|debt|lien|down payment|deposit|worth of|salary|(?:i|we|he|she|they) (?:make|makes|earn|earns)|saved|save|equity|heloc|closing costs|commission|fee|fees)\b[^.!?,;]{0,18}$/;

/** Before a number: what the lead wants, the strongest sign it is their price. */
const WANT_BEFORE =
  /\b(?:want|wanting|wants|hoping|hope|asking|ask|get|getting|take|list|listing|price|priced|sell (?:it |the house |for )?(?:for|at)|sell for|looking (?:for|at|to get)|at least|no less than|minimum|bottom line|net|walk away with|expect|expecting|need|needs|shooting for|aiming for|thinking|think|would be happy with|happy with|accept|settle for|somewhere|ballpark|range|number is|price is|goal)\b[^.!?,;]{0,24}$/;

/** Before a number: someone else's figure, used only when nothing better is said. */
const ESTIMATE_BEFORE = /\b(?:zillow|zestimate|redfin|estimate|estimated|appraised|appraisal|assessed|assessment|comps?|neighbou?r|next door|down the street|sold for|went for|valued)\b[^.!?,;]{0,30}$/;

const NUMBER = String.raw`\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const SUFFIX = String.raw`(?:\s*(k|grand|thousand|m|million|mil|mill|mm)\b)?(?:\s*ish\b)?`;
const AMOUNT = new RegExp(
  String.raw`(${NUMBER})${SUFFIX}(?:\s*(-|to|or|\/)\s*(${NUMBER})${SUFFIX})?`,
  'g',
);

function suffixMultiplier(suffix: string | undefined): number | null {
  if (!suffix) return null;
  if (suffix === 'k' || suffix === 'grand' || suffix === 'thousand') return 1_000;
  return 1_000_000;
}

/**
 * One number in dollars. `hint` is the multiplier another number in the same range carried
 * ("400-450k"), `contextual` whether a bare number may be read as shorthand.
 */
function toDollars(raw: string, mult: number | null, hint: number | null, contextual: boolean): number | null {
  const hasDollar = raw.includes('$');
  const digits = raw.replace(/[$\s]/g, '');
  const hasComma = digits.includes(',');
  const value = Number(digits.replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  const m = mult ?? hint;
  if (m !== null) return value * m;
  if (hasComma || value >= MIN_DOLLARS) return value;
  if (!hasDollar && !contextual) return null;
  if (value < 20) return value * 100_000;
  if (value >= 50 && value < 10_000) return value * 1_000;
  return null;
}

const FLOOR_IS_OWED = /^\S*\s*(?:k\b)?[^.!?]{0,30}\b(?:at least (?:that|what (?:i|we) owe|it)|(?:need|want) to (?:cover|clear) (?:that|it|what (?:i|we) owe)|no less than that|thats (?:my|our) (?:minimum|floor|bottom)|(?:need|want) (?:to get )?(?:at least )?that (?:back|much))/;

/** "if someone offered 600 we'd go": a hypothetical offer is the lead's own number. */
const HYPOTHETICAL_OFFER = /\bif (?:someone|somebody|anyone|they|you|a buyer|an investor|we got|i got|we get|i get)(?: [a-z]+)? (?:offered|offers|paid|pays|gave|gives|came in at|comes in at|offer)\s*(?:me |us )?(?:about |around |like )?$/;

function rangeTier(norm: string, index: number): number {
  const before = norm.slice(Math.max(0, index - 60), index);
  // "475, not 450": the number after "not" is the one being replaced.
  if (/\b(?:not|instead of|rather than)\s*\$?$/.test(before)) return -2;
  if (HYPOTHETICAL_OFFER.test(before)) return 2;
  if (NOT_ASKING_BEFORE.test(before)) return -2;
  if (WANT_BEFORE.test(before)) return 2;
  if (ESTIMATE_BEFORE.test(before)) return 0;
  return 1;
}

function collect(t: string, expecting: Question | null): Candidate[] {
  // Phone numbers and times are never prices; blank them so their digits are not read.
  const text = t
    .replace(/\(?\b\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}\b/g, (s) => ' '.repeat(s.length))
    .replace(/\b\d{1,2}:\d{2}\b/g, (s) => ' '.repeat(s.length))
    // "between 400 and 450" is a range; elsewhere "and" joins separate facts ("450k and 3 beds").
    .replace(/\bbetween (\$?[\d.,]+\s*(?:k|grand|thousand|million|m)?) and /g, 'between $1 to ');
  const out: Candidate[] = [];

  // "low 400s", "mid 300s", "the 500s", "high 4s".
  for (const m of text.matchAll(/\b(?:(low|lower|mid|middle|high|upper)\s*)?(?:the\s+)?\$?(\d{1,4})(?:,000)?'?s\b/g)) {
    const base = Number(m[2]);
    const scale = base < 10 ? 100_000 : base < 10_000 ? 1_000 : 1;
    const dollars = base * scale;
    // "the 400s" spans 100k, "the 230s" 10k: the width is set by the trailing zeros.
    const zeros = base < 10 ? 0 : Math.min(2, /0*$/.exec(String(base))![0].length);
    const width = 10 ** zeros * scale;
    if (base < 10 && !m[1]) continue;
    const frac = !m[1] ? 0.5 : /low/.test(m[1]) ? 0.2 : /mid/.test(m[1]) ? 0.5 : 0.8;
    const price = dollars + frac * width;
    if (price < MIN_DOLLARS || price > MAX_DOLLARS) continue;
    if (!m[1] && !(expecting === 'price' || WANT_BEFORE.test(text.slice(Math.max(0, m.index - 60), m.index)))) continue;
    out.push({ cents: Math.round(price * 100), index: m.index, text: m[0], tier: rangeTier(text, m.index) });
  }

  for (const m of text.matchAll(AMOUNT)) {
    const [whole, rawA, sufA, , rawB, sufB] = m;
    const index = m.index;
    const after = text.slice(index + whole.length);
    if (NOT_MONEY_AFTER.test(after) || PER_PERIOD_AFTER.test(after)) continue;
    const before = text.slice(Math.max(0, index - 60), index);
    // Overlaps a "400s" reading.
    if (/^'?s\b/.test(after)) continue;
    const hasExplicit = /\$/.test(whole) || sufA !== undefined || sufB !== undefined || /,\d{3}/.test(whole);
    let tier = rangeTier(text, index);
    // "I owe 250 so at least that": the amount owed is the floor they ask for.
    if (tier === -2 && /\b(?:owe|owed|owing|payoff|mortgage|balance|paid|bought)\b/.test(before) && FLOOR_IS_OWED.test(text.slice(index))) tier = 2;
    // A number standing alone as a sentence in a message that answers ("needs paint. 350ish").
    const sentence = (text.slice(0, index).split(/[.!?;\n]/).pop() ?? '') + (text.slice(index).split(/[.!?;\n]/)[0] ?? '');
    const standalone = /^\s*(?:(?:around|about|maybe|like|prob|probably|hoping|~)\s+)?\$?[\d.,]+\s*(?:k|ish|grand)?\s*$/.test(sentence.replace(/ ish\b/, 'ish'));
    const contextual = expecting === 'price' || tier === 2 || (standalone && tier >= 1);
    // A bare year or a "2019" is not a price; nor a small time after "at"/"by".
    const first = Number(rawA!.replace(/[$,\s]/g, ''));
    if (!hasExplicit && first >= 1900 && first <= 2100 && !rawB) continue;
    if (!hasExplicit && /\b(?:at|by|after|before|on|until|from|since|in|the|number|#|no|unit|apt|lot|suite|zip|code|age|aged)\s*$/.test(before) && first < 100) continue;
    // "by July 1", "June 15th": a date.
    if (!hasExplicit && /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$/.test(before) && first <= 31) continue;
    if (!hasExplicit && /\b(?:since|in|from|built|year)\s*$/.test(before)) continue;
    const multA = suffixMultiplier(sufA);
    const multB = suffixMultiplier(sufB);
    let a: number | null;
    let b: number | null = null;
    if (rawB !== undefined) {
      const rawBValue = Number(rawB.replace(/[$,\s]/g, ''));
      // "1-1.2m" and "400-450k" share the suffix; "400k-1m" do not.
      const hintA = multA ?? (multB !== null && first <= rawBValue ? multB : null);
      a = toDollars(rawA!, multA, hintA, contextual || hasExplicit);
      b = toDollars(rawB, multB, multA, contextual || hasExplicit);
      if (b !== null && a !== null && (b < a / 3 || b > a * 3)) b = null;
    } else {
      a = toDollars(rawA!, multA, null, contextual);
    }
    if (a === null) continue;
    const dollars = b === null ? a : (a + b) / 2;
    if (dollars < MIN_DOLLARS || dollars > MAX_DOLLARS) continue;
    // Without a $, a suffix or the price question, a bare figure needs a "want" word to count.
    if (!hasExplicit && !contextual) continue;
    out.push({ cents: Math.round(dollars * 100), index, text: whole.trim(), tier });
  }
  return out.filter((c) => c.tier > -2);
}

/**
 * The lead's expected price in this message (`t` normalised and digitised), or null. Their own
 * "want" figure beats a neutral one, which beats someone else's estimate; among equals the last
 * mention wins ("500? no, 525").
 */
export function extractPrice(t: string, expecting: Question | null): PriceMatch | null {
  const candidates = collect(t, expecting);
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => b.tier - a.tier || b.index - a.index);
  const best = candidates[0]!;
  return { cents: best.cents, index: best.index, text: best.text };
}
