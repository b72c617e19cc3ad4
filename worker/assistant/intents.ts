/**
 * What a message means beyond the four answers (see `Intent` in types.ts). Compliance keywords
 * (opt_out/opt_in/help) come from keywords.ts; this module finds the conversational ones.
 * Each detector is written against the near misses it must not fire on, noted beside it.
 */
import { normalize } from './text';
import type { Intent } from './types';

export interface IntentResult {
  intents: Intent[];
  questionText?: string;
  /** The question sentences, verbatim (questionText joins them). */
  questions: string[];
}

const HUMAN: RegExp[] = [
  // Not "are you a real person?" (a question about the bot, answered by the bot).
  /\b(?:talk|speak|chat|deal) (?:to|with) (?:a |an |the |your |some |someone |somebody )?(?:real |actual |live |human )?(?:person|human|agent|realtor|someone|somebody|rep|representative|broker|man|woman|guy|people|manager|boss|team|investor|buyer|you directly|a human being|real people)\b/,
  /\b(?:want|need|prefer|like|rather have|id like|can i get|get me|give me) (?:a |an |to talk to a |to speak to a |to speak with a |to talk with a )?(?:real |actual |live )?(?:person|human|agent|realtor)\b/,
  /\b(?:call|phone|ring) me\b/,
  /\b(?:give|gimme) (?:me|us) a (?:call|ring|buzz)\b/,
  /\b(?:have|can|could|would|will|should) (?:someone|somebody|an agent|the agent|your agent|a person|a realtor|you|he|she|they|a human|an actual person) (?:call|contact|reach out|phone|ring|come (?:by|out|over|look|see))\b/,
  /\b(?:prefer|rather) (?:to )?(?:talk|speak|a call|a phone call|talking|speaking|call)\b/,
  /\b(?:can|could) (?:we|i) (?:talk|speak|chat)(?: on the phone| by phone| live| in person| directly)?\b/,
  /\b(?:whats|what is) (?:a good |the best |your |the )?(?:number|phone number|phone) (?:to call|to reach|i can call|for the agent)\b/,
  /\b(?:not|no more|enough with the|stop with the) (?:a )?(?:bot|robot|ai|automated|machine)\b/,
  /\bhuman please\b|\breal person please\b|\bagent please\b|\bcall me please\b/,
  /\b(?:set up|schedule|book) (?:a )?(?:call|meeting|appointment|time to talk|walkthrough|walk through|showing|visit)\b/,
  /\b(?:can|could|when can|will) (?:you|someone|somebody|an agent|the agent) (?:come|stop) (?:by|out|over)\b/,
  /(?:^|[.!?] )(?:feel free to |you can |u can |just |please )?(?:stop|come|swing|drop) (?:by|over|out)\b/,
  /\b(?:stop|come|swing|drop) by (?:any ?time|whenever|to (?:see|look|take))\b/,
  /\b(?:llamame|llameme|llamenme|quiero hablar con (?:una persona|un agente|alguien))\b/,
  /\b(?:can|could|would|will|when can|when could|want|like|need|id like|wed like) (?:you |someone |somebody |an agent |the agent |a realtor |your agent |to have someone |to have an agent )?(?:to )?(?:walk ?through|look at|see|come see|come look at|check out|tour|take a look at|inspect) (?:it|the house|the place|the property|my house|my home|our house|our place|our home|it in person)\b/,
  /\b(?:send|have) (?:someone|somebody|an agent|a realtor|an appraiser|a person|your agent) (?:out|over|by|to (?:look|see|check))\b/,
  /\b(?:can|could|should) (?:we|i) meet\b|\bmeet (?:up|in person|with (?:you|an agent|someone|somebody|the agent))\b/,
  /\b(?:call me back|reach me at|my (?:cell|number|phone|phone number) is|best number|text me at|you can reach me)\b/,
  /\b(?:can|could|may) i (?:get|have) (?:a|an) (?:call|agent|person|human|real person|phone call)\b/,
  /\b(?:is there|do you have|whats) (?:a |an |the )?(?:number|phone number|phone) (?:i can|to|we can|for me to) (?:call|reach)\b/,
  /\b(?:put me in touch|connect me|hook me up) with\b/,
  /\b(?:is there|do you have|got) (?:someone|somebody|a person|an agent|a human|a real person) (?:i|we) (?:can|could) (?:talk|speak|chat) (?:to|with)\b/,
  /\b(?:a )?time to (?:meet|talk|chat|come by|see (?:it|the house)|walk through)\b/,
  /\b(?:pick up|answer) (?:the|your) phone\b|\bcall (?:me|us) (?:today|tomorrow|now|asap|back|later|after|before|when|at|anytime|this)\b/,
];

const NOT_INTERESTED: RegExp[] = [
  // Not "not selling until next year" (a timeline) nor "not interested in doing repairs".
  /\b(?:not|no longer|never|arent|isnt|im not|were not|we are not) (?:really )?(?:interested|selling|looking to sell|going to sell|planning (?:on|to) sell\w*|for sale|trying to sell|wanting to sell|thinking (?:about|of) selling|in the market|looking)\b(?! (?:until|till|til|before|for (?:a|another|at least)|unless|in \d|yet but))(?! in (?!selling|that|it|this|your))/,
  /\bchanged (?:my|our|his|her) minds?\b(?! (?:about the|on the) (?:price|timeline|timing|date))/,
  /\b(?:stay(?:ing)? put|not going anywhere|no longer interested|(?:ill|well|i will|we will) pass|not for (?:me|us)|not at this time|not a seller|not selling anymore|(?:were|we are|im|i am) good(?: thanks| thank you)?$|no gracias|no (?:estoy|estamos) interesad[oa]s?|no (?:queremos|quiero) vender)\b/,
  /\bdecided (?:not to sell|to stay|to keep|against (?:it|selling)|to (?:hold|rent) (?:it|on)|to refinance|not to)\b/,
  /\b(?:were|we are|im|i am) (?:keeping|staying|holding on)\b/,
  /\b(?:dont|do not|doesnt|does not) (?:want|plan|intend|need) to sell\b/,
  /\bno (?:interest|plans to sell|plans on selling|intention of selling)\b/,
  /\b(?:never|wont be|will not be|not gonna|not going to) sell(?:ing)?\b/,
  /\b(?:off|taking it off) the market\b/,
  // A bare "no" answers the question asked ("Is it move-in ready?"), so it is not here.
  /^(?:no thanks|no thank you|nope not interested|no im good|im good thanks|pass|not now|no thanks im good)$/,
];

const ALREADY_LISTED: RegExp[] = [
  // Not "cancel my listing with the other agent" (they are leaving that agent) nor "was listed".
  /\b(?:already|currently|its|it is|were|we are|house is|home is|property is|it was just|just got) (?:been )?(?:listed|on the market|under contract|pending|in escrow|sold)\b/,
  /\b(?:listed|signed|went|decided to go|already going|already working|currently working|are working|were working|been working|are going|were going|its|it is|house is|home is) (?:it |up )?with (?:an? |my |our |the |another |some )?(?:agent|realtor|broker|brokerage|redfin|zillow|opendoor|offerpad|compass|keller williams|kw|remax|coldwell|century 21|exp|someone|somebody|a company|company|firm|team|a friend|friend|cousin|buyer|investor|we buy houses|[a-z]+ (?:realty|homes|properties|real estate|group))\b/,
  /\b(?:have|has|got|signed) a listing (?:agreement|contract)\b|\b(?:already|currently) (?:have|got) (?:someone|somebody|an agent|a realtor|a broker)\b/,
  /\b(?:our|my) (?:agent|realtor|broker|cousin|friend|sister|brother|neighbor) (?:is|has been) (?:handling|listing|selling) (?:it|the sale|the house)\b/,
  /\b(?:in|under) contract\b|\bpending (?:sale|closing)\b|\baccepted an offer\b|\b(?:have|got|found) a buyer\b|\b(?:have|got) an offer and (?:close|closing|we close)\b/,
  /\b(?:realtor|agent|broker)\b.{0,40}\b(?:is|s|are) (?:handling|listing|selling|taking care of) (?:it|the sale|the house|everything)\b/,
  /\b(?:has|its|it has|its been|it is|been) (?:been )?on the market (?:for|since)\b/,
  /\b(?:its|it is|already|currently) (?:on|up on|listed on) (?:zillow|the mls|mls|realtor com|redfin|craigslist|facebook marketplace)\b/,
  /\b(?:for sale by owner|fsbo|selling it (?:ourselves|myself)|listed it (?:ourselves|myself))\b/,
  /\bya (?:tenemos|tengo) (?:un |una )?(?:agente|realtor|corredor)\b|\bya esta (?:en venta|listada|vendida)\b|\bya (?:la|lo) vendimos\b/,
  /\b(?:have|got|hired|using|picked|chose|found|already have) (?:an? |my |our )?(?:agent|realtor|listing agent|broker)\b(?! (?:call|contact|reach|come|text|get|look|stop|email|phone|give|who can|to))/,
  /\b(?:my|our) (?:agent|realtor|listing agent|broker) (?:is|has|already|listed|will|said)\b/,
  /\b(?:already|just) (?:sold|have a buyer|accepted an offer|got an offer we accepted|signed a listing)\b/,
  /\b(?:have|got|accepted) an offer (?:already|on it)\b/,
  /\bsold it (?:already|last (?:week|month))\b/,
];
/** Right before the match: "don't have an agent", "isn't listed". */
const LISTED_NEGATED = /\b(?:dont|do not|doesnt|no longer|didnt|did not|isnt|is not|havent|have not|not|never|wasnt|arent)\s+(?:\w+\s+)?$/;
/** Anywhere near it: the listing is over or being left ("cancel my listing with the other agent"). */
const LISTING_OVER = /\b(?:cancel\w*|expired|ended|fired|terminated|was listed|used to|last year|fell through|pulled it|took it off|didnt sell|had it listed|had it on the market|previously listed|withdrew|withdrawn|no longer listed|not listed anymore)\b/;

const WRONG_NUMBER: RegExp[] = [
  /\bwrong (?:number|person|house|guy|girl|lady|#|address|people|owner)\b/,
  /\b(?:numero equivocado|se equivoco de numero|no soy (?:el|la) (?:dueno|duena|propietario|propietaria))\b/,
  /\b(?:i|we) (?:just )?(?:rent|am renting|are renting|lease|am leasing|are leasing) (?:this|the|that|here)(?: (?:place|house|home|property|apartment|unit))?\b/,
  /\b(?:im|i am|were|we are) (?:just )?(?:the |a )?(?:tenants?|renters?)\b(?! (?:are|is|were|trashed|left|moved|pay|paid|wont|dont|stopped))/,
  /\b(?:i|we) sold (?:it|that|this|the|that place|that house|the house|the property|that property|that home|the place)(?: (?:place|house|home|property))? (?:back )?in (?:19|20)\d\d\b/,
  /\b(?:dont|do not|never|no longer) (?:own(?:ed)?|live(?:d)? (?:at|there|in that)|have (?:a|that|this|the) (?:house|home|property))\b/,
  /\bnot (?:the )?(?:owner|homeowner|home owner)\b/,
  /\bno (?:one|body|1) (?:here )?(?:by|with|named) that name\b/,
  /\b(?:you have|you got|u have|youve got) the wrong\b/,
  /\b(?:this is not|this isnt|im not|i am not) (?:him|her|them|that person|who you think)\b/,
  /\b(?:he|she|they) (?:doesnt|does not|dont|do not) live here\b/,
  /\b(?:sold|we sold|i sold) (?:it|that house|that property|the house|that home|the property) (?:\d+ )?(?:years|yrs|a while|a long time|long) ago\b/,
];

const HOSTILE: RegExp[] = [
  // Profanity aimed at the sender, insults, threats. Not "the damn roof leaks".
  /\b(?:fuck|fck|fk|fuk|f\*+k|f\*+|screw|piss) (?:you|off|u|yourself|ur|yall|this)\b/,
  /\b(?:stfu|gtfo|shut up|go to hell|drop dead|eat shit|kiss my ass|bite me|get bent|get fucked|brain ?dead|lowlifes?|low lifes?|ambulance chasers?)\b/,
  /\b(?:you|ur|youre|your|u|yall|you guys are|you people are|this) (?:a |an |such a |such an |fucking |freaking |fn |damn |stupid )?(?:idiot|idiots|moron|morons|stupid|dumb|loser|losers|scam|scammer|scammers|scum|clown|clowns|jerk|asshole|assholes|ass|bitch|creep|creeps|vulture|vultures|leech|leeches|parasite|parasites|pathetic|joke|trash|garbage|piece of (?:shit|crap|garbage|trash)|pos|disgusting|harassing|harassment|spam|spammer|spammers|lowballer|lowballers|shark|sharks)\b/,
  /\b(?:scam|scammer|scammers|scum|scumbag|scumbags|vultures?|bottom feeders?|lowballers?|predators?|parasites?|leeches?|spammers?|bloodsuckers?)\b/,
  /\b(?:stop )?harass\w*\b/,
  /\b(?:ill|i will|im going to|im gonna|gonna|going to|will) (?:sue|report|call the (?:cops|police)|find you|come find|call my lawyer)\b/,
  /\b(?:sue|report) (?:you|your (?:company|ass|business))\b/,
  /\b(?:my lawyer|attorney general|the fcc|the ftc|better business bureau|bbb)\b/,
  /\b(?:wtf|what the fuck|what the hell is (?:this|wrong)|the fuck|are you kidding me)\b/,
  /\b(?:stupid|dumb|useless|idiotic|annoying) (?:bot|robot|ai|machine|texts?|messages?)\b/,
  /\bkill (?:you|yourself)\b|\bdrop dead\b/,
];

/**
 * Question forms that need no "?" (SMS drops punctuation). Kept to openings that are questions
 * in speech; "would love to sell by June" or "can't afford it" are statements.
 */
const QUESTION_OPENING =
  /^(?:who (?:is|are|s)|whos|who dis|who this|how (?:did|do|does|much|many|long|soon|fast|would|will|can|is|are)|what (?:is|are|do|does|would|will|can|kind|company|about|if|happens|s)|whats|when (?:can|will|would|do|does|is|are)|where (?:is|are|did|do)|why (?:are|do|did|is|would)|can (?:you|u|i|we|someone)|could (?:you|u|i|we)|would (?:you|u)(?! love| like)|will (?:you|u)|do (?:you|u|i|we|they)|does (?:it|this|that|the)|did (?:you|u|i)|is (?:this|it|there|that)|are (?:you|u|there|they)|should (?:i|we)|may i|any (?:idea|chance))\b/;

const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|yo|hola|heya|hey there|hi there|hello there|good (?:morning|afternoon|evening|day)|whats up|sup|greetings)(?: [a-z]+)?$/;

function matches(list: RegExp[], text: string): RegExp | null {
  return list.find((re) => re.test(text)) ?? null;
}

function sentences(original: string): string[] {
  const out: string[] = [];
  for (const m of original.matchAll(/[^.!?\n]+[.!?]*/g)) {
    const s = m[0].trim();
    if (s.replace(/[.!?\s]/g, '').length > 0) out.push(s);
  }
  return out;
}

/** A sentence's words without the small talk in front ("yo who dis" → "who dis"). */
function opening(sentence: string): string {
  return normalize(sentence)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:(?:yo|hi|hey|hello|um|uh|ok|okay|so|and|but|lol|wait|sorry)\s+)+/, '');
}

/** Whether a sentence opens the way questions do ("who is", "can you", "do you"…). */
export function opensAsQuestion(sentence: string): boolean {
  return QUESTION_OPENING.test(opening(sentence));
}

/** The question(s) the lead asked, verbatim. */
export function questionsIn(original: string): string[] {
  const out: string[] = [];
  for (const sentence of sentences(original)) {
    const n = normalize(sentence).replace(/[^a-z0-9.,$? ]+/g, ' ').replace(/\s+/g, ' ').trim();
    const opens = opensAsQuestion(sentence);
    const asks = sentence.trim().endsWith('?') || (opens && n.split(' ').length <= 16);
    if (!asks) continue;
    // "Maybe 310k?", "idk 400?": a tentative answer, not a question. "Are you kidding me?" is rhetorical.
    const lastClause = (n.split(/,/).pop() ?? n).replace(/\?/g, '').trim();
    if (!opens && /^(?:(?:maybe|idk|i dont know|not sure|no clue|ok|okay|like|around|about|prob|probably|i guess|hmm|um|so|then|what about|how about)\s+)*\$?[\d.,]+\s*(?:k|ish|grand|thousand|million|days|months|weeks)?$/.test(lastClause)) continue;
    if (/^(?:are you (?:kidding|serious|for real)|seriously|really|for real|wtf|why (?:wont|cant) you (?:stop|leave))\b/.test(opening(sentence))) continue;
    out.push(sentence.trim());
  }
  return out;
}

export function detectIntents(original: string, norm: string): IntentResult {
  const bare = norm.replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const intents: Intent[] = [];

  // "don't call me" is the opposite of asking for a call.
  const humanHit = matches(HUMAN, bare.replace(/\b(?:dont|do not|never|not|stop|no need to|quit) (?:\w+ )?(?:call|phone|ring|contact)\w* me\b/g, ''));
  const aboutBot = /\b(?:are you|is this|am i (?:talking|texting|speaking) (?:to|with)|is it|r u|are u) (?:a |an )?(?:real|actual|live|human|person|bot|robot|ai|automated)\b/.test(bare);
  if (humanHit && !(aboutBot && !/\b(?:want|need|prefer|rather|call me|talk to|speak to|speak with|talk with)\b/.test(bare))) intents.push('human');

  // "Not really planning to sell, just curious what it's worth" keeps talking: not a close.
  if (matches(NOT_INTERESTED, bare) && !/\b(?:curious|wondering|what (?:its|it is|it would be|the house is|my house is) worth|see what)\b/.test(bare)) intents.push('not_interested');

  const listedAt = ALREADY_LISTED.map((re) => re.exec(bare)).find((m) => m !== null);
  if (listedAt) {
    const before = bare.slice(Math.max(0, listedAt.index - 30), listedAt.index);
    const isQuestion = /\b(?:do you|are you|is it|if i|should i|would i|have you|do i need)\s+(?:\w+\s+)?$/.test(before);
    // "we were listed" (past) and "we're listed" normalise alike; the original tells them apart.
    const wasListed = /\b(?:we|it|house|home|property) (?:were|was) (?:listed|on the market)\b/i.test(original);
    if (!LISTED_NEGATED.test(before) && !LISTING_OVER.test(bare) && !isQuestion && !wasListed) intents.push('already_listed');
  }

  if (matches(WRONG_NUMBER, bare)) intents.push('wrong_number');

  // "Is this a scam?" is a wary question, not an insult.
  if (matches(HOSTILE, bare.replace(/\b(?:is this|is it|this isnt|not|sounds like|seems like|if this is) (?:a |an )?(?:scam|spam)\b/g, ''))) intents.push('hostile');

  // "Can you stop by Tuesday?" asks for a visit (human), not for information: a request for a
  // person phrased as a question is not also a question.
  const questions = questionsIn(original).filter((q) => {
    const qn = normalize(q).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
    return !matches(HUMAN, qn) || /\b(?:are you|is this|is it|r u|are u) (?:a |an )?(?:real|actual|live|human|person|bot|robot|ai|automated)\b/.test(qn);
  });
  if (questions.length > 0) intents.push('question');

  if (GREETING.test(bare) && intents.length === 0) intents.push('greeting');

  const result: IntentResult = { intents, questions };
  if (questions.length > 0) result.questionText = questions.join(' ');
  return result;
}
