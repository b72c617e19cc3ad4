/**
 * Compliance keywords (US SMS rules, 2025): the carrier keywords, plain-language opt-outs a
 * reasonable person would read as one, START/UNSTOP and HELP. Every automated path calls this
 * before anything else, so it errs towards precision on ambiguous text ("can you stop by
 * Tuesday?" is not an opt-out) while catching every clear request to stop.
 */
import { normalize } from './text';

export type ComplianceKeyword = 'opt_out' | 'opt_in' | 'help';

/** Words around a keyword that do not change its meaning ("STOP pls", "please stop now"). */
const LEADING_FILLER = /^(?:(?:please|pls|ok|okay|just|i said|i said to|hey|um|uh|omg|seriously|again|plz|and|so|now)\s+)+/;
const TRAILING_FILLER =
  /(?:\s+(?:please|now|thanks|thank you|already|it|immediately|right now|ok|okay|asap|again|this|all|texting|texts|messages|messaging|lol|thx|for real|seriously|me|us))+$/;

/** Carrier keywords, honoured when they are the whole message (after filler). */
const OPT_OUT_WHOLE = new Set([
  'stop', 'stopall', 'stop all', 'quit', 'end', 'revoke', 'opt out', 'optout', 'cancel', 'unsubscribe', 'unsub',
  'stop stop', 'remove', 'remove me', 'leave me alone', 'go away', 'no more', 'dont text me', 'do not text',
  'do not text me', 'dont text', 'do not contact', 'do not contact me', 'dont contact me', 'dont message me',
  // Spanish carrier and plain-language forms (accents already stripped by normalize).
  'alto', 'parar', 'para', 'detener', 'cancelar', 'basta', 'baja', 'no mas', 'no mas mensajes',
]);

/** Keywords that opt out even as one sentence among others ("Who is this? STOP"). */
const OPT_OUT_SENTENCE = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'unsub', 'opt out', 'optout', 'revoke', 'no mas']);

/**
 * Plain-language opt-outs, anywhere in the message. Each is specific enough that a reasonable
 * person reads it as "stop contacting me" whatever surrounds it.
 */
const OPT_OUT_PHRASES: RegExp[] = [
  /(?<!\b(?:wont|will not|doesnt|does not|dont|cant|wouldnt|never|not|didnt|to) )\bleave (?:me|us) alone\b/,
  /\b(?:take|remove|delete|drop|get|scratch) (?:me|us|my (?:number|name|info|phone number|phone)|this number) (?:off|from|out of)(?: (?:of )?(?:your|the|this|ur|all|these|any|ya|yall|that))? ?(?:list|lists|contact list|mailing list|call list|texting list|texts?|database|system|records|contacts?|calls?|messages?|thing)\b/,
  /\b(?:take|remove|delete) (?:me|us|my number|this number) off\s*(?:[.!]|$)/,
  /\bremove (?:me|us|my number|this number)\b(?! from (?:the )?(?:title|deed|loan|mortgage|lease|account))/,
  /\b(?:lose|delete|forget|erase) (?:my|this) (?:number|contact|info|information)\b/,
  /(?<!\b(?:dont|do not|never|not|didnt|why did you|why dont you|wont|will not|cant|cannot|doesnt|does not|wouldnt|couldnt|never|to) )\b(?:stop|quit|cease) (?:texting|messaging|contacting|calling|bothering|harassing|spamming|sending|emailing|hitting me up|blowing up)\b/,
  /\bno more (?:texts|text messages|text|messages|texting|contact|calls)\b/,
  // Imperatives only: "the tenants don't call me anymore" is not a request.
  /(?<!\b(?:they|he|she|it|tenants?|people|who|that|which|agents?|realtors?|buyers?|renters?|kids|you|ex|bank|lender|i|we) )\b(?:dont|do not|never) (?:ever )?(?:text|message|contact|call|email|bother) (?:me|us|this number|my (?:phone|number))? ?(?:again|anymore|any more|ever)\b/,
  /(?<!\b(?:they|he|she|it|tenants?|people|who|that|which|agents?|realtors?|buyers?|renters?|kids|you|ex|bank|lender|i|we) )\b(?:dont|do not|never) (?:ever )?(?:text|message|contact) (?:me|us|this number)\s*(?:[.!]|$)/,
  /\b(?:opt|take) me out\b/,
  /\bopt(?:ing)? ?out\b/,
  /\bunsubscribe\b/,
  /\b(?:fuck off|f off|piss off|buzz off|bugger off|eff off|f\W*ck off)\b/,
  /(?:^|[.!?,] )(?:please |just |pls |now )?(?:go away|get lost)\b/,
  /\b(?:i said|i told you|told you to|i asked you to) (?:to )?stop\b/,
  /\bdo not (?:call|contact) list\b/,
  /\bdnc\b/,
  /\bnot (?:to|going to) (?:text|contact|message) me\b/,
  // Spanish.
  /\bno me (?:escribas|escriban|escriba|mandes|manden|mande|envies|envien|contactes|contacten|llames|llamen|molestes|molesten|moleste)\b/,
  /\b(?:dejame|dejenme|dejeme|dejanos) (?:en|in) paz\b/, // normalize reads Spanish "en" as "in"
  /\b(?:borra|borre|borren|quita|quiten|quitame|elimina|eliminen) (?:mi|el) (?:numero|nombre)\b/,
  /\bno (?:quiero|queremos) (?:mas )?(?:recibir )?(?:mas )?(?:mensajes|textos)\b/,
  /\bno mas (?:mensajes|textos|por favor)\b/,
  /\bya no (?:me )?(?:escribas|escriba|escriban|manden|mandes|contacten)\b/,
];

/** What may sit before a message-final "stop" without turning it into a place or an action. */
const STOP_NOT_KEYWORD_BEFORE = /\b(?:bus|the|a|next|pit|truck|first|last|one|full|to|dont|no|never|non|cant|wont|will it|gonna|cant it|doesnt|didnt|wouldnt|couldnt|shouldnt|not|will|would|must|should|cannot|wanna|gotta|door|rest|quick|short|final|one|tour|its)\s*$/;
/** "make the leak stop", "how do I stop": stop as an ordinary verb with its own subject. */
const STOP_AS_VERB_BEFORE = /\b(?:make|let|help|how|when|where|why|does|did|can|could|just won|leak|it|water|rain|dripping|noise|bleeding)\b(?:\s+\w+){0,2}\s*$/;

const OPT_IN_WHOLE = new Set(['start', 'unstop', 'opt in', 'optin', 'start again', 'resubscribe', 'subscribe', 'resume']);
const HELP_WHOLE = new Set(['help', 'info', 'help me', 'information', 'help info']);

function bare(text: string): string {
  return normalize(text)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function stripFiller(s: string): string {
  let out = s.replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').trim();
  // "STOP STOP STOP" → "stop".
  out = out.replace(/\b(\w+)(?: \1\b)+/g, '$1');
  return out;
}

function isOptOut(text: string): boolean {
  const whole = stripFiller(bare(text));
  if (OPT_OUT_WHOLE.has(whole)) return true;
  const norm = normalize(text);
  const plain = norm.replace(/[^a-z0-9 .!?]+/g, ' ').replace(/\s+/g, ' ');
  if (OPT_OUT_PHRASES.some((re) => re.test(plain))) return true;
  for (const sentence of text.split(/[.!?\n,;:]+/)) {
    if (OPT_OUT_SENTENCE.has(stripFiller(bare(sentence)))) return true;
  }
  // "not interested stop", "who is this stop": a trailing STOP is the keyword unless it
  // names a place or is negated ("the bus stop", "don't stop").
  const words = bare(text).replace(TRAILING_FILLER, '');
  if (/\bstop$/.test(words) && !STOP_NOT_KEYWORD_BEFORE.test(words.slice(0, -4)) && !STOP_AS_VERB_BEFORE.test(words.slice(0, -4))) return true;
  return false;
}

/**
 * The compliance keyword a message carries, if any. Opt-out wins over everything: a message
 * that says both "START" and "leave me alone" is an opt-out.
 */
export function detectComplianceKeyword(text: string): ComplianceKeyword | null {
  if (isOptOut(text)) return 'opt_out';
  const whole = stripFiller(bare(text));
  if (OPT_IN_WHOLE.has(whole)) return 'opt_in';
  if (HELP_WHOLE.has(whole)) return 'help';
  return null;
}
