/**
 * Timeline: how soon the lead wants to sell, normalised to whole days from the message's own
 * date. Conventions (shared with the labelled set, tests/fixtures/seller-conversations/README.md;
 * the classifier's 45/180-day thresholds depend on them):
 * - "ASAP", "right away", "immediately", "lo antes posible" → 14; "this week" → 7. "Need to sell
 *   fast" and "soon" are urgency (motivation strength), not a date: no days.
 * - "next month" → 30; "this month"/"end of the month" → days to the month's last day, at least 7.
 * - Durations count as said: weeks × 7, months × 30, years × 365, ranges → midpoint
 *   ("2-3 months" → 75, "a few weeks" → 21, "a year or so" → 365).
 * - A season is the next 15 Apr / 15 Jul / 15 Oct / 15 Jan after the message ("by the fall"
 *   too); "end of summer" → 31 Aug. A named month is its 15th ("by June", "mid-April"), "end of
 *   June" its last day; a named day is that day ("by Labor Day", "Christmas", "March 31").
 * - "end of the year" → 31 Dec; "next year" → ~1 May next year; "this year" → half-way to 31 Dec.
 * - "no rush", "whenever", "no timeline", "just curious" answer the question without a value:
 *   no days (see `addressesTimeline`), so the bot moves on and the field stays empty.
 * - Spans in the past never count: "I've lived here 10 years", "roof is 20 years old",
 *   "my mom passed in January", "a 30 year mortgage". Nor does a date about something else
 *   ("my job starts in March") unless the sale is tied to it.
 */
import type { Question } from './types';

const DAY_MS = 86_400_000;

export interface TimelineMatch {
  days: number;
  index: number;
  /** The words the value rests on, for notes and tests. */
  text: string;
}

interface Candidate extends TimelineMatch {
  rank: number;
  aboutOther: boolean;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBR: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11,
};
const MONTH_WORD = `(${MONTHS.join('|')}|${Object.keys(MONTH_ABBR).join('|')})`;

const PREP = `(by|before|until|till|til|in|around|about|early|mid|middle of|late|end of|the end of|beginning of|start of|first of|after|sometime in|this|next|of|for|on|at|towards|toward|into|thru|through|para)`;

/** Words that put what follows in the past: "we bought it in March", "mom passed in January". */
const PAST_CONTEXT =
  /\b(?:since|last|ago|back in|was|were|did|bought|purchased|moved in|closed|lost|passed|died|started|retired|happened|built|lived|owned|had|been|living|rented|renting|married|divorced|inherited|got|renovated|remodeled|updated|redid|replaced|fixed|painted|installed|hasnt|havent|hadnt|didnt|ended|expired|cancelled|canceled|paid)\b/;
/** Past markers strong enough to override "in": "hasn't paid in 4 months". */
const PAST_STRONG = /\b(?:hasnt|havent|hadnt|didnt|not been|ago|since|last|ended|expired)\b/;

/**
 * Dates that belong to another event ("my job starts in March", "the listing expires Sept 30")
 * are not the sale's timeline unless the lead ties the sale to them or answers "how soon?".
 */
const TIED_TO_SALE = /\b(?:sell|selling|sold|list it|put it on the market|move|moving|out|close|closing|gone|after that|then|so)\b/;
const OTHER_EVENT = /\b(?:expires?|expiring|ends?|ending|starts?|starting|start date|report|reporting|due|lease|probate|job|contract|school|graduat\w*|semester|baby|surgery|wedding|orders?|call|come|stop by|visit|look at|see it|meet|appointment|talk|available|free)\b/;

/** Words after a span that make it an age or a term, not a deadline. */
const SPAN_NOT_TIMELINE =
  /^\s*(?:ago|old|back|now|here|there|straight|in a row|mortgage|loan|fixed|warranty|lease|contract|tenant|behind|late|overdue|past due|delinquent|left on|remaining|notice|of (?:living|owning|renting|memories|ownership|age|experience|payments|missed payments|mortgage)|in (?:the|this|that|our|my) (?:house|home|place|neighborhood|area|town|city)|running)\b/;

/** Verbs that tie a date to the sale itself (rank the candidate above incidental dates). */
const SELL_CONTEXT = /\b(?:sell|selling|sold|list|listing|move|moving|out|close|closing|done|gone|timeline|market|ready|vacate|relocate|relocating|transfer|leave|leaving|want|hoping|hope|need|plan|planning|target|ideally|goal)\b/;

/** Whole calendar days from the message's date to the target date. */
function daysBetween(now: Date, target: Date): number {
  const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const to = Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), target.getUTCDate());
  return Math.max(1, Math.round((to - from) / DAY_MS));
}

function utcDate(year: number, month0: number, day: number): Date {
  return new Date(Date.UTC(year, month0, day, 12));
}

function lastDayOfMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function isPast(norm: string, index: number): boolean {
  const before = norm.slice(Math.max(0, index - 40), index);
  const clause = before.split(/[.!?;,]| and | but | so /).pop() ?? '';
  return PAST_CONTEXT.test(clause);
}

function sellRank(norm: string, index: number): number {
  const before = norm.slice(Math.max(0, index - 45), index);
  const clause = before.split(/[.!?;]/).pop() ?? '';
  return SELL_CONTEXT.test(clause) ? 1 : 0;
}

function monthTarget(now: Date, month0: number, modifier: string, day: number | null, year: number | null): Date | null {
  const y = year ?? now.getUTCFullYear();
  const last = lastDayOfMonth(y, month0);
  let d: number;
  if (day !== null) d = Math.min(day, last);
  else if (/^(?:beginning of|start of|first of)$/.test(modifier)) d = 1;
  else if (modifier === 'early') d = 7;
  else if (/^(?:end of|the end of)$/.test(modifier)) d = last;
  else if (modifier === 'late') d = last - 5;
  else if (modifier === 'after') return utcDate(y, month0 + 1, 15);
  else d = 15;
  let target = utcDate(y, month0, d);
  if (target.getTime() < now.getTime()) {
    if (year !== null && year < now.getUTCFullYear()) return null;
    // "by March" said on 2 March means this month, not next year.
    if (month0 === now.getUTCMonth() && year === null) target = utcDate(y, month0, last);
    else if (year === null) target = utcDate(y + 1, month0, d);
    else return null;
  }
  return target;
}

/** Anchors per season: [month0, day]; winter's mid-point is 15 January. */
const SEASONS: Record<string, { start: [number, number]; mid: [number, number]; end: [number, number] }> = {
  spring: { start: [2, 1], mid: [3, 15], end: [4, 31] },
  summer: { start: [5, 1], mid: [6, 15], end: [7, 31] },
  fall: { start: [8, 1], mid: [9, 15], end: [10, 30] },
  autumn: { start: [8, 1], mid: [9, 15], end: [10, 30] },
  winter: { start: [11, 1], mid: [0, 15], end: [1, 28] },
};

/** The next occurrence of the season's anchor after the message ("next spring" in July is next April). */
function seasonTarget(now: Date, season: string, modifier: string): Date {
  const s = SEASONS[season]!;
  const [month0, day] = modifier === 'early' || /^(?:beginning of|start of)$/.test(modifier)
    ? [s.start[0], s.start[1] + 14]
    : /^(?:end of|the end of)$/.test(modifier)
      ? s.end
      : modifier === 'late'
        ? [s.end[0], s.end[1] - 14]
        : modifier === 'after'
          ? [s.end[0] + 1, 15]
          : s.mid;
  const year = now.getUTCFullYear();
  const target = utcDate(year, month0, day);
  return daysBetween(now, target) > 0 && target.getTime() > now.getTime() ? target : utcDate(year + 1, month0, day);
}

/** Named days: the date itself. */
function namedDay(now: Date, name: string): Date {
  const year = now.getUTCFullYear();
  const nthWeekday = (y: number, month0: number, weekday: number, n: number): Date => {
    const first = new Date(Date.UTC(y, month0, 1, 12));
    const offset = (weekday - first.getUTCDay() + 7) % 7;
    if (n > 0) return utcDate(y, month0, 1 + offset + (n - 1) * 7);
    const last = new Date(Date.UTC(y, month0 + 1, 0, 12));
    return utcDate(y, month0, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7));
  };
  const on = (y: number): Date => {
    if (/christmas|xmas/.test(name)) return utcDate(y, 11, 25);
    if (/halloween/.test(name)) return utcDate(y, 9, 31);
    if (/labor day/.test(name)) return nthWeekday(y, 8, 1, 1);
    if (/memorial day/.test(name)) return nthWeekday(y, 4, 1, -1);
    if (/thanksgiving/.test(name)) return nthWeekday(y, 10, 4, 4);
    if (/(?:4th|fourth) of july|july (?:4th|4)|independence day/.test(name)) return utcDate(y, 6, 4);
    if (/new year/.test(name)) return utcDate(y + 1, 0, 1);
    if (/valentine/.test(name)) return utcDate(y, 1, 14);
    return utcDate(y, 11, 31);
  };
  const target = on(year);
  return target.getTime() > now.getTime() ? target : on(year + 1);
}

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };

function add(out: Candidate[], norm: string, index: number, text: string, days: number, rank: number): void {
  if (!Number.isFinite(days) || days <= 0 || days > 3650) return;
  const clause = norm.slice(Math.max(0, index - 45), index).split(/[.!?;,]/).pop() ?? '';
  out.push({ days: Math.round(days), index, text, rank: rank + sellRank(norm, index), aboutOther: OTHER_EVENT.test(clause) && !TIED_TO_SALE.test(clause) });
}

/** "ASAP", "this week", "next month", "end of the year", "Christmas", "Q3", "when school's out". */
function collectRelative(out: Candidate[], t: string, now: Date, expecting: Question | null): void {
  const year = now.getUTCFullYear();
  const month0 = now.getUTCMonth();
  const endOfMonth = utcDate(year, month0, lastDayOfMonth(year, month0));

  // Immediate. ("fast", "quick" and "soon" say how pressed the lead is, not when: no days.)
  for (const m of t.matchAll(/\b(?:asap|as soon as (?:possible|i can|we can|we could|humanly possible)|right away|immediately|(?:like|by) yesterday|lo (?:mas )?antes posible|lo mas pronto posible|cuanto antes|lo antes que se pueda|ya mismo|today|tomorrow|(?:right|like) now|now)\b/g)) {
    const clause = t.slice(0, m.index).split(/[.!?;,]| but /).pop() ?? '';
    if (/\b(?:not|dont|no|isnt|arent|wont|cant|never)\b/.test(clause) || /\bfrom $/.test(clause)) continue;
    // "now", "today" and "tomorrow" usually mean "currently" ("right now it's rented"); they are
    // a timeline only as the answer itself or tied to selling ("need to be out now").
    if (/^(?:now|right now|like now|today|tomorrow)$/.test(m[0])) {
      const shortReply = expecting === 'timeline' && t.replace(/[^a-z ]/g, '').trim().split(' ').length <= 5;
      if (!shortReply && !/\b(?:sell|sold|list|close|closing|out|gone|move|moving)\b/.test(clause)) continue;
    }
    add(out, t, m.index, m[0], m[0] === 'tomorrow' || m[0] === 'today' ? 7 : 14, 2);
  }
  for (const m of t.matchAll(/\b(this week|this weekend|end of (?:the|this) week|within (?:the|a) week|next week|(?:in )?a week or (?:so|two))\b/g)) {
    const d = m[1] === 'next week' ? 10 : m[1]!.includes('or') ? 10 : 7;
    add(out, t, m.index, m[0], d, 2);
  }

  // Month-relative.
  for (const m of t.matchAll(/\b(end of (?:the |this )?month|this month|month end|end of next month|next month|beginning of next month|(?:the )?first of (?:the|next) month|early next month|later this month)\b/g)) {
    let target: Date;
    if (m[1]!.startsWith('end of next')) target = utcDate(year, month0 + 1, lastDayOfMonth(year, month0 + 1));
    else if (m[1] === 'next month') {
      add(out, t, m.index, m[0], 30, 2);
      continue;
    } else if (/first of|beginning of next|early next/.test(m[1]!)) target = utcDate(year, month0 + 1, 1);
    else target = endOfMonth;
    add(out, t, m.index, m[0], Math.max(7, daysBetween(now, target)), 2);
  }

  // Year-relative.
  for (const m of t.matchAll(/\b(?:(?:by |before |until |till |til )?(?:the )?end of (?:the |this )?year|(?:by )?years? end|before the new year|by (?:the )?new year|by december|(?:by |before )?(?:christmas|xmas)|(?:by |before )?(?:the )?holidays|thanksgiving|halloween|labor day|memorial day|(?:the )?(?:4th|fourth) of july|july 4th|valentines(?: day)?)\b/g)) {
    if (isPast(t, m.index)) continue;
    if (/after (?:the )?$/.test(t.slice(Math.max(0, m.index - 10), m.index))) continue;
    const name = m[0];
    let target: Date;
    if (/holidays/.test(name)) target = namedDay(now, 'christmas');
    else if (/december/.test(name)) target = monthTarget(now, 11, 'in', null, null)!;
    else if (/end|new year/.test(name)) target = namedDay(now, 'year end');
    else target = namedDay(now, name);
    add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }
  for (const m of t.matchAll(/\b(?:after (?:the )?(?:holidays|new year|first of the year)|(?:the )?first of (?:the|next) year|beginning of (?:next|the) year|start of (?:next|the) year|early next year|(?:in )?january next year)\b/g)) {
    add(out, t, m.index, m[0], daysBetween(now, utcDate(month0 === 0 ? year : year + 1, 0, 15)), 2);
  }
  for (const m of t.matchAll(/\b(?:(?:sometime |some time |probably |maybe )?next year|late next year|end of next year)\b/g)) {
    if (/\b(?:early|after|first of|beginning of|start of) $/.test(t.slice(Math.max(0, m.index - 12), m.index))) continue;
    const target = /late|end of/.test(m[0]) ? utcDate(year + 1, 10, 1) : utcDate(year + 1, 4, 1);
    add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }
  for (const m of t.matchAll(/\b(?:(?:sometime |some time |later )this year|this year)\b/g)) {
    const end = utcDate(year, 11, 31);
    add(out, t, m.index, m[0], Math.max(30, Math.round(daysBetween(now, end) / 2)), 2);
  }
  for (const m of t.matchAll(/\b(?:within the month|by the (?:1st|first) of (?:the|next) month|by the (?:1st|first)(?! of))\b/g)) {
    const target = /within/.test(m[0]) ? utcDate(year, month0, lastDayOfMonth(year, month0)) : utcDate(year, month0 + 1, 1);
    add(out, t, m.index, m[0], Math.max(7, daysBetween(now, target)), 2);
  }
  for (const m of t.matchAll(/\b(?:(?:end of |by (?:the )?end of |in |by )?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)|mid ?year|middle of (?:the|next) year|tax season|after taxes|before school starts|back to school)\b/g)) {
    const q = m[1] ? Number(m[1]) : m[2] ? ['first', 'second', 'third', 'fourth'].indexOf(m[2].replace(/^1st$/, 'first').replace(/^2nd$/, 'second').replace(/^3rd$/, 'third').replace(/^4th$/, 'fourth')) + 1 : 0;
    let target: Date;
    if (q > 0) target = /end of/.test(m[0]) ? utcDate(year, q * 3, 0) : utcDate(year, q * 3 - 2, 15);
    else if (/tax season/.test(m[0])) target = utcDate(year, 3, 15);
    else if (/after taxes/.test(m[0])) target = utcDate(year, 4, 1);
    else if (/school/.test(m[0])) target = utcDate(year, 7, 15);
    else target = utcDate(/next/.test(m[0]) ? year + 1 : year, 6, 1);
    if (target.getTime() < now.getTime()) target = utcDate(target.getUTCFullYear() + 1, target.getUTCMonth(), target.getUTCDate());
    add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }
  for (const m of t.matchAll(/\b(?:(?:kids|they|the kids) (?:finish|finishes|are done with) (?:school|the school year)|school (?:is done|finishes|lets out)|when school (?:is out|lets out|gets out|ends|is over)|after (?:the )?school year|end of (?:the )?school year|after graduation|summer break|school year ends)\b/g)) {
    let target = utcDate(year, 5, 10);
    if (target < now) target = utcDate(year + 1, 5, 10);
    add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }

}

/** Durations: "in 2 months", "60 days", "2-3 months", "within 90 days"; never a span in the past. */
function collectDurations(out: Candidate[], t: string): void {
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(?:\s*(?:-|to|or|\/)\s*(\d+(?:\.\d+)?))?\s*\+?\s*(day|week|month|year)s?\b/g)) {
    const rest = t.slice(m.index + m[0].length);
    if (SPAN_NOT_TIMELINE.test(rest)) continue;
    const before = t.slice(Math.max(0, m.index - 40), m.index);
    if (/\b(?:per|every|each|a|once|twice)\s*$/.test(before)) continue;
    const lead = before.replace(/\b(?:about|around|like|almost|over|nearly|maybe|only|just|roughly|approximately|another|the|~)\s*$/g, '').trimEnd();
    const future = /\b(?:in|within|next|by|before|under|than|need|needs|give|gives|wait|another|for the next|from now)\s*$/.test(before) ||
      /\b(?:in|within|next|by|before|under|than)$/.test(lead);
    if (!future) {
      if (/\bfor\s*(?:about |around |almost |over |nearly |like |the past |the last )?$/.test(before)) continue;
      if (/\b(?:past|last)\s*$/.test(lead)) continue;
      if (isPast(t, m.index)) continue;
    } else if (/\b(?:in|for|over|during) (?:the )?(?:past|last)\s*$/.test(before) || PAST_STRONG.test(before.split(/[.!?;,]/).pop() ?? '')) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    add(out, t, m.index, m[0], ((a + b) / 2) * UNIT_DAYS[m[3]!]!, 2);
  }

}

/** Calendar words: "by June", "june 15", "by 6/15", "next spring", "summer's end", "in 2027". */
function collectCalendar(out: Candidate[], t: string, now: Date, expecting: Question | null): void {
  const year = now.getUTCFullYear();

  // Months: "by June", "in March", "end of april", "june 15".
  for (const m of t.matchAll(new RegExp(`\\b(?:${PREP} (?:the )?)?${MONTH_WORD}(?: (\\d{1,2})(?:st|nd|rd|th)?\\b)?(?:,? (20\\d\\d))?\\b`, 'g'))) {
    const modifier = m[1] ?? '';
    const word = m[2]!;
    const day = m[3] === undefined ? null : Number(m[3]);
    const yr = m[4] === undefined ? null : Number(m[4]);
    const isAbbr = word in MONTH_ABBR;
    // "may" is mostly a verb and "mar"/"dec" abbreviations mostly something else: need a preposition or a day.
    if ((word === 'may' || isAbbr) && !modifier && day === null) continue;
    if (!modifier && day === null && expecting !== 'timeline' && !/^(?:june|july|august|september|october|november|december|january|february|april|march)$/.test(word)) continue;
    if (!modifier && day === null && expecting !== 'timeline' && t.split(' ').length > 4 && !sellRank(t, m.index)) continue;
    if (isPast(t, m.index) || /^(?:since|last)$/.test(modifier)) continue;
    const month = isAbbr ? MONTH_ABBR[word]! : MONTHS.indexOf(word);
    const mod = modifier === 'next' ? 'in' : modifier === 'para' ? 'by' : modifier;
    const target = monthTarget(now, month, mod, day, yr);
    if (target) add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }
  // Dates: "by 6/15".
  for (const m of t.matchAll(/\b(by|before|until|on|around|till|til) (\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?\b/g)) {
    const mo = Number(m[2]) - 1;
    const d = Number(m[3]);
    if (mo < 0 || mo > 11 || d < 1 || d > 31) continue;
    const yr = m[4] === undefined ? null : Number(m[4].length === 2 ? `20${m[4]}` : m[4]);
    const target = monthTarget(now, mo, 'on', d, yr);
    if (target) add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }

  // Seasons: "spring", "by the fall", "early summer", "next winter".
  for (const m of t.matchAll(/\b(?:(by|before|until|till|til|in|around|early|mid|late|end of|the end of|beginning of|start of|after|this|next|sometime in|over|para)(?: (?:the|el|la))? )?(spring|summer|fall|autumn|winter)(?: (?:next|que viene))?\b/g)) {
    const modifier = m[1] === 'para' ? 'by' : (m[1] ?? '');
    // "fall" is also a verb ("the ceiling might fall"): without a preposition only as the answer itself.
    if (!modifier && !(expecting === 'timeline' || t.split(' ').length <= 3)) {
      if (m[2] === 'fall' || !/\b(?:the|this|next|by|in)\s*$/.test(t.slice(0, m.index))) continue;
    }
    if (/\b(?:last|past)\s*(?:the )?$/.test(t.slice(Math.max(0, m.index - 10), m.index + (modifier ? modifier.length + 1 : 0)))) continue;
    if (isPast(t, m.index)) continue;
    add(out, t, m.index, m[0], daysBetween(now, seasonTarget(now, m[2]!, modifier)), 2);
  }

  for (const m of t.matchAll(/\b(spring|summer|fall|autumn|winter)s? end\b/g)) {
    add(out, t, m.index, m[0], daysBetween(now, seasonTarget(now, m[1]!, 'end of')), 2);
  }

  // Years: "in 2027", "by 2027".
  for (const m of t.matchAll(/\b(in|by|before|until|sometime in|around|end of|early|late|mid) (20\d\d)\b/g)) {
    const y = Number(m[2]);
    if (y < year || isPast(t, m.index)) continue;
    const target = m[1] === 'by' || m[1] === 'before' || m[1] === 'until'
      ? utcDate(y, 0, 1)
      : m[1] === 'end of' || m[1] === 'late'
        ? utcDate(y, 10, 15)
        : m[1] === 'early'
          ? utcDate(y, 1, 15)
          : utcDate(y, 6, 1);
    if (y === year && m[1] !== 'end of' && m[1] !== 'late') {
      add(out, t, m.index, m[0], Math.max(30, Math.round(daysBetween(now, utcDate(y, 11, 31)) / 2)), 2);
    } else add(out, t, m.index, m[0], daysBetween(now, target), 2);
  }
}

function collect(t: string, now: Date, expecting: Question | null): Candidate[] {
  const out: Candidate[] = [];
  collectRelative(out, t, now, expecting);
  collectDurations(out, t);
  collectCalendar(out, t, now, expecting);
  return out;
}

/** A bare number read against the timeline question: "60" → 60 days, "6" → 6 months, "30-60" → 45. */
function shortAnswer(t: string): TimelineMatch | null {
  const core = t
    .replace(/[?!.~]/g, ' ')
    .replace(/\b(?:about|around|like|maybe|probably|prob|roughly|approximately|ish|or so|hopefully|i think|i guess|days?|at least|at most|within|in|under|less than|lets say|say|ideally|no more than)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const m = /^(\d+)(?:\s*(?:-|to|or|\/)\s*(\d+))?$/.exec(core);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  const mid = (a + b) / 2;
  if (mid <= 0 || mid > 1000) return null;
  // People answer "how soon?" in months with small numbers and in days with larger ones.
  const days = mid <= 12 ? mid * 30 : mid;
  return { days: Math.round(days), index: 0, text: m[0] };
}

/**
 * The lead's timeline in this message (`t` is normalised and digitised), or null. When it
 * mentions several, a date tied to selling beats an incidental one and a later mention beats
 * an earlier one (people refine as they type).
 */
export function extractTimeline(t: string, now: Date, expecting: Question | null): TimelineMatch | null {
  if (expecting === 'timeline') {
    const short = shortAnswer(t);
    if (short) return short;
  }
  const candidates = collect(t, now, expecting).filter((c) => expecting === 'timeline' || !c.aboutOther);
  if (candidates.length === 0) return null;
  // Overlapping matches ("next month" inside "end of next month"): keep the longest.
  const kept = candidates.filter(
    (c) => !candidates.some((o) => o !== c && o.index <= c.index && o.index + o.text.length >= c.index + c.text.length && o.text.length > c.text.length),
  );
  kept.sort((a, b) => b.rank - a.rank || b.index - a.index);
  const best = kept[0]!;
  return { days: best.days, index: best.index, text: best.text };
}

/**
 * Whether the message answers "how soon?" without a date: "no rush", "whenever", "no set
 * timeline", "just curious", "not sure yet". The bot moves on; the timeline stays empty.
 */
export function addressesTimeline(t: string): boolean {
  return /\b(?:no (?:big |real )?rush|no hurry|not in (?:a|any) (?:big |huge |real )?(?:rush|hurry)|not (?:really )?rushing|whenever|eventually|someday|some day|down the (?:road|line)|in the future|long term|not (?:any ?time|anytime) soon|not for (?:a|another) while|no (?:set |real |specific |particular )?(?:time ?frame|timeline|deadline|date)|flexible|just (?:curious|looking|wondering|seeing|checking|exploring)|testing the (?:market|waters)|not sure(?: yet)?|dont know(?: yet)?|no idea|depends|(?:as soon as|once|when|after) (?:we|i) (?:find|close on|buy|get) (?:a|the|our|another|something)|sin prisa|no hay prisa|cuando sea)\b/.test(t);
}
