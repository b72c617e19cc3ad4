/**
 * Text helpers shared by the deterministic extractors. Leads text in lower case, without
 * apostrophes, with SMS shorthand and typos; every extractor matches against one normalised
 * form so each pattern is written once ("dont", not "don't|dont|don’t").
 */

/** SMS shorthand → the word the patterns expect. Only whole tokens are rewritten. */
const SHORTHAND: Record<string, string> = {
  nxt: 'next',
  nex: 'next',
  mnth: 'month',
  mnths: 'months',
  mths: 'months',
  mth: 'month',
  wk: 'week',
  wks: 'weeks',
  yr: 'year',
  yrs: 'years',
  u: 'you',
  ur: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
  pleaze: 'please',
  thx: 'thanks',
  ty: 'thanks',
  b4: 'before',
  idk: 'i dont know',
  dunno: 'dont know',
  rn: 'right now',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  wanna: 'want to',
  gotta: 'got to',
  gonna: 'going to',
  cuz: 'because',
  bc: 'because',
  coz: 'because',
  prolly: 'probably',
  prob: 'probably',
  probs: 'probably',
  abt: 'about',
  approx: 'about',
  appx: 'about',
  roughly: 'about',
  approximately: 'about',
  hse: 'house',
  ppl: 'people',
  tho: 'though',
  w: 'with',
  sooner: 'soon',
  asap: 'asap',
  aspa: 'asap',
  fixerupper: 'fixer upper',
  turnkey: 'turn key',
  dyas: 'days',
  dys: 'days',
  dayz: 'days',
  monts: 'months',
  mnts: 'months',
  weks: 'weeks',
  neds: 'needs',
  nees: 'needs',
  ned: 'need',
  wrk: 'work',
  alot: 'a lot',
  relo: 'relocating',
  tryna: 'trying to',
  movin: 'moving',
  sellin: 'selling',
  lookin: 'looking',
  thinkin: 'thinking',
  tryin: 'trying',
  goin: 'going',
  gettin: 'getting',
  nothin: 'nothing',
  somethin: 'something',
  fixin: 'fixing',
  hunnid: 'hundred',
  hunned: 'hundred',
  hundo: 'hundred',
  // Spanish: numbers, time units and the prepositions the timeline patterns use.
  un: 'a',
  una: 'a',
  dos: 'two',
  tres: 'three',
  cuatro: 'four',
  cinco: 'five',
  seis: 'six',
  siete: 'seven',
  ocho: 'eight',
  nueve: 'nine',
  diez: 'ten',
  doce: 'twelve',
  quince: 'fifteen',
  veinte: 'twenty',
  treinta: 'thirty',
  sesenta: 'sixty',
  noventa: 'ninety',
  mes: 'month',
  ano: 'year',
  proximo: 'next',
  proxima: 'next',
  enero: 'january',
  febrero: 'february',
  marzo: 'march',
  abril: 'april',
  mayo: 'may',
  junio: 'june',
  julio: 'july',
  agosto: 'august',
  septiembre: 'september',
  setiembre: 'september',
  octubre: 'october',
  noviembre: 'november',
  diciembre: 'december',
  primavera: 'spring',
  verano: 'summer',
  otono: 'fall',
  invierno: 'winter',
  cien: '100',
  ciento: '100',
  doscientos: '200',
  trescientos: '300',
  cuatrocientos: '400',
  quinientos: '500',
  seiscientos: '600',
  setecientos: '700',
  ochocientos: '800',
  novecientos: '900',
  cuarenta: 'forty',
  cincuenta: 'fifty',
  setenta: 'seventy',
  ochenta: 'eighty',
  meses: 'months',
  semana: 'week',
  semanas: 'weeks',
  dias: 'days',
  anos: 'years',
  en: 'in',
  realator: 'realtor',
  relator: 'realtor',
  reltor: 'realtor',
  remax: 'remax',
  ac: 'ac',
};

/**
 * Words worth correcting when mistyped by one letter or one swapped pair ("relocaitng",
 * "foreclosue"). Long words only, and none with a real-word neighbour one edit away: "there"
 * is one swap from "three", "listen" one letter from "listed", "contact" from "contract",
 * "leaning" from "leaking", "possibly" (a hedge) from "possible", "update" from "updated",
 * "flooding" from "flooring", "lasting" from "listing", "prorate" from "probate", and
 * "unsubscribed" (a past fact) from "unsubscribe" (an opt-out).
 */
const VOCABULARY = [
  'relocating', 'relocation', 'relocate', 'relocated', 'transferred', 'transferring', 'divorce', 'divorced',
  'divorcing', 'separated', 'separating', 'inherited', 'inheritance', 'inheriting', 'retiring', 'retired',
  'retirement', 'downsizing', 'downsize', 'upsizing', 'foreclosure', 'foreclosing', 'bankruptcy', 'payments',
  'mortgage', 'tenants', 'landlord', 'immediately', 'kitchen', 'bathroom', 'bathrooms', 'foundation', 'renovated',
  'remodeled', 'condition', 'repairs', 'plumbing', 'electrical', 'interested', 'realtor',
  'probably', 'january', 'february', 'september', 'october', 'november', 'december', 'tomorrow',
  'christmas', 'military', 'outdated', 'cosmetic', 'financial', 'afford', 'behind',
  'basement', 'windows', 'carpets', 'painting', 'months', 'already',
  'anymore', 'honestly', 'something', 'because', 'question', 'evicted', 'eviction',
];

const VOCAB_SET = new Set(VOCABULARY);

/** Optimal string alignment distance, stopping early once it exceeds 1 (all we need to know). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length <= 1) return true;
    // One swapped pair: "relocaitng" ↔ "relocating".
    return diffs.length === 2 && diffs[1] === diffs[0]! + 1 && a[diffs[0]!] === b[diffs[1]!] && a[diffs[1]!] === b[diffs[0]!];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

function correctToken(token: string): string {
  if (token.length < 6 || VOCAB_SET.has(token)) return token;
  for (const word of VOCABULARY) {
    // Typos rarely hit the first letter; requiring it keeps false corrections down.
    if (word[0] === token[0] && withinOneEdit(token, word)) return word;
  }
  return token;
}

/**
 * Lower case, accents stripped ("no más" → "no mas"), apostrophes dropped ("don't" → "dont"),
 * hyphens between words opened ("move-in" → "move in"), shorthand expanded and typos in the
 * domain vocabulary corrected. Digits, "$", ".", ",", "/", "?" and "!" are kept for the
 * number and question parsers.
 */
export function normalize(text: string): string {
  let t = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  t = t.replace(/[\u2018\u2019\u201b\u0060\u00b4]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/[\u2013\u2014]/g, '-');
  t = t.replace(/([a-z])'([a-z])/g, '$1$2').replace(/'/g, ' ');
  t = t.replace(/([a-z])-(?=[a-z])/g, '$1 ');
  t = t.replace(/\bw\/in\b/g, 'within').replace(/\bb\/c\b/g, 'because').replace(/\bw\/(?=\s|[a-z])/g, 'with ');
  // "30d", "2mo", "6mos" → "30 days", "2 months".
  t = t.replace(/(\d)\s*(?:mos?|mths?|mnths?|months?)\b/g, '$1 months');
  t = t.replace(/(\d)\s*(?:wks?|weeks?)\b/g, '$1 weeks');
  t = t.replace(/(\d)\s*(?:yrs?|years?)\b/g, '$1 years');
  t = t.replace(/(\d)\s*(?:d|days?)\b/g, '$1 days');
  // "3ish months" → "3 months"; "450ish" keeps its "ish" for the price parser.
  t = t.replace(/(\d)\s*ish\s+(?=(?:days?|weeks?|months?|years?)\b)/g, '$1 ').replace(/(\d)ish\b/g, '$1 ish');
  // Spanish phrases the English patterns need whole.
  t = t.replace(/\b(?:el )?mes que viene\b/g, 'next month').replace(/\b(?:el )?ano que viene\b/g, 'next year');
  t = t.replace(/\b(?:a finales de|a fines de|para finales de|para fines de)\b/g, 'end of').replace(/\b(?:a principios de|para principios de)\b/g, 'early');
  t = t.replace(/\ba mediados de\b/g, 'mid').replace(/\bantes de\b/g, 'before').replace(/\bdespues de\b/g, 'after');
  t = t.replace(/[a-z0-9]+/g, (token) => {
    const expanded = SHORTHAND[token];
    if (expanded !== undefined) return expanded;
    return /^[a-z]+$/.test(token) ? correctToken(token) : token;
  });
  // Number-homophones: "need 2 sell", "4 work" (only before words, so "2 baths" stays a count).
  t = t.replace(/\b2 (?=(?:sell|move|buy|get|be|go|do|make|have|list|close|talk|see|leave|find|rent|keep|stay|fix|pay|houston|dallas|texas|florida|the|my|our|a|another)\b)/g, 'to ');
  t = t.replace(/\b4 (?=(?:work|wrk|the|my|our|a|sale|rent|real|sure|you|u|me|us|kids|family|now|it|that|this|job)\b)/g, 'for ');
  return t.replace(/\s+/g, ' ').trim();
}

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const UNIT_WORDS = Object.keys(UNITS).join('|');
const TEN_WORDS = Object.keys(TENS).join('|');
const SMALL = `(?:(?:${TEN_WORDS})(?: (?:${UNIT_WORDS}))?|${UNIT_WORDS})`;

function smallValue(words: string): number {
  const parts = words.split(' ');
  let total = 0;
  for (const p of parts) total += TENS[p] ?? UNITS[p] ?? 0;
  return total;
}

/**
 * Number words and idioms → digits, on an already normalised string, for the timeline and
 * price parsers: "a couple months" → "2 months", "four fifty" → "450",
 * "four and a quarter" → "4.25", "half a mil" → "500k", "a year and a half" → "18 months".
 */
export function digitize(norm: string): string {
  let t = ` ${norm} `;
  // Idioms that look numeric but are not durations.
  t = t.replace(/ (?:one|1) of these days /g, ' someday ').replace(/ (?<!in |within )(?:one|1) day(?! or)/g, ' someday');
  t = t.replace(/ (once|twice|per|every|each) (?:a|1|one) (day|week|month|year)/g, ' per $2');
  t = t.replace(/(\d|k) (?:a|per|1) (day|week|month|year)\b/g, '$1 per $2');
  t = t.replace(/ (?:a )?year and a half /g, ' 18 months ').replace(/ half (?:a|1) year /g, ' 6 months ');
  t = t.replace(/ (?:a )?month and a half /g, ' 45 days ');
  t = t.replace(/ half (?:a|1) (?:mil|mill|million) /g, ' 500k ');
  t = t.replace(/ (?:a )?quarter (?:of a )?(?:mil|mill|million) /g, ' 250k ');
  t = t.replace(/ (?:a )?(?:mil|mill|million) and a half /g, ' 1.5 million ');
  t = t.replace(/ (?:a )?couple (?:of )?/g, ' 2 ').replace(/ (?:a )?few /g, ' 3 ').replace(/ several /g, ' 4 ');
  // "four hundred fifty" → 450, "four fifty" → 450, "twenty five" → 25.
  t = t.replace(new RegExp(` (${UNIT_WORDS}) hundred(?: and)?(?: (${SMALL}))?(?= )`, 'g'), (_m, h: string, rest?: string) => {
    return ` ${UNITS[h]! * 100 + (rest ? smallValue(rest) : 0)}`;
  });
  t = t.replace(new RegExp(` (one|two|three|four|five|six|seven|eight|nine) ((?:${TEN_WORDS})(?: (?:one|two|three|four|five|six|seven|eight|nine))?)(?= )`, 'g'), (_m, h: string, rest: string) => {
    return ` ${UNITS[h]! * 100 + smallValue(rest)}`;
  });
  // "4 fifty", "2 seventy five": a digit then tens in words is hundreds.
  t = t.replace(new RegExp(` ([1-9]) ((?:${TEN_WORDS})(?: (?:one|two|three|four|five|six|seven|eight|nine))?)(?= )`, 'g'), (_m, h: string, rest: string) => {
    return ` ${Number(h) * 100 + smallValue(rest)}`;
  });
  t = t.replace(new RegExp(` (${SMALL})(?= )`, 'g'), (_m, words: string) => ` ${smallValue(words)}`);
  t = t.replace(/ (\d+) point (\d+)(?= )/g, ' $1.$2');
  // Spanish hundreds then tens: "trescientos cincuenta (y cinco) mil" → 350(5) mil.
  t = t.replace(/ ([1-9]00) (?:y )?([1-9]0)(?: y ([1-9]))?(?= )/g, (_m, h: string, tens: string, ones?: string) => ` ${Number(h) + Number(tens) + (ones ? Number(ones) : 0)}`);
  t = t.replace(/ (\d+) and (?:a )?half /g, ' $1.5 ').replace(/ (\d+) and (?:a )?quarter /g, ' $1.25 ');
  t = t.replace(/ (\d+) and three quarters /g, ' $1.75 ');
  t = t.replace(/ an? (mil|mill|million|day|days|week|weeks|month|months|year|years)\b/g, ' 1 $1');
  // "1.2 mil" is millions; "300 mil" is Spanish for 300 thousand (nobody means $300 million).
  t = t.replace(/ (\d+(?:\.\d+)?) ?(?:mil|mill|mm)\b/g, (_m, n: string) => (Number(n) >= 50 ? ` ${n}k` : ` ${n} million`));
  // "a month or two" → "1-2 months".
  t = t.replace(/ (\d+) (day|week|month|year)s? or (\d+)\b(?! (?:day|week|month|year))/g, ' $1-$3 $2s');
  return t.replace(/\s+/g, ' ').trim();
}

/** Clauses of the original message, for quoting the lead's own words back as evidence. */
export function clauses(original: string): string[] {
  return original
    .split(/[.!?;\n]+|,\s+|\s+-\s+/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/**
 * The lead's own words around a match: the first clause of `original` whose normalised form
 * contains `needle` (normalised), trimmed to `max` characters around it.
 */
export function quoteAround(original: string, needle: string, max = 80): string {
  const all = clauses(original);
  const hit = all.find((c) => normalize(c).includes(needle)) ?? all.find((c) => needle.split(' ').some((w) => w.length > 3 && normalize(c).includes(w)));
  const clause = hit ?? original.trim();
  if (clause.length <= max) return clause;
  const at = Math.max(0, normalize(clause).indexOf(needle));
  const start = Math.max(0, Math.min(at - 20, clause.length - max));
  return `${start > 0 ? '…' : ''}${clause.slice(start, start + max - 1).trim()}…`;
}

const NEGATORS = /\b(?:no|not|never|without|dont|doesnt|isnt|arent|wasnt|werent|didnt|zero|nothing|none|nor|hasnt|havent)\b/;

/** True when one of the `words` words before `index` negates what follows ("no foundation issues"). */
export function negatedBefore(norm: string, index: number, words = 3): boolean {
  const before = norm.slice(0, index).split(/[.!?;,]/).pop() ?? '';
  const tail = before.trim().split(' ').slice(-words).join(' ');
  return NEGATORS.test(tail);
}

/** A stable small hash, for deterministic wording variation. */
export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Words that mark the rest of the message as replacing an earlier answer. */
export const CORRECTION_MARKER =
  /\b(?:actually|correction|i meant|meant|i mean|scratch that|cancel that|wait|make (?:that|it)|on second thought|more like|change (?:that|it) to|let me correct|oops|my bad|typo|instead|rather|i forgot|forgot to (?:mention|say)|(?:the )?(?:bigger|real|main|actual|biggest) reason)\b/g;

/**
 * Anything that says "this replaces what I told you": the markers above plus softer ones
 * ("I should mention", "I take that back", "update:", "real talk"). A changed answer without
 * one is usually a misreading or a passing remark, not a correction.
 */
export const CORRECTION_SIGNAL = new RegExp(
  `${CORRECTION_MARKER.source}|\\b(?:should (?:say|mention|have said|add|clarify)|take (?:that|it) back|update|updated|real talk|truth is|to be honest|honestly|wasnt ready to say|never ?mind|nvm|turns out|just (?:found out|realized|learned)|changed (?:my|our) (?:mind|plans)|change of plans|plans changed|revise|let me rephrase|come to think of it|thinking about it more|on reflection|not \\S+ (?:but|its|it is)|now (?:its|it is|were|we are|i think)|sorry)\\b|^\\s*\\*`,
);

/** The text after the last correction marker, or null when there is none. */
export function afterCorrection(norm: string): { marker: string; rest: string; index: number } | null {
  let last: RegExpExecArray | null = null;
  for (const m of norm.matchAll(CORRECTION_MARKER)) last = m as RegExpExecArray;
  if (!last) return null;
  return { marker: last[0], rest: norm.slice(last.index + last[0].length), index: last.index };
}
