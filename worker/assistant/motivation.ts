/**
 * Motivation: why the lead is selling (category) and how much it pushes them (strength), with
 * the lead's own words as evidence.
 *
 * Strength: each reason starts at its usual weight (a foreclosure or a job transfer is strong, a
 * generic "we're moving" moderate, "just curious" weak). Urgency in the same message ("need to
 * sell", "has to be sold", "asap", "already bought our next house", an ASAP timeline) raises it
 * one step; hedges ("maybe", "if the price is right", "no rush", a timeline a year out) lower it.
 *
 * Fair Housing: health, age, family status and the like are never categories of their own
 * (they land in "other" or in the life event they describe) and never move strength; only the
 * lead's stated reason and urgency do.
 */
import { quoteAround } from './text';
import type { Motivation, MotivationCategory, MotivationStrength, Question } from './types';

interface Pattern {
  category: MotivationCategory;
  re: RegExp;
  strength: MotivationStrength;
  /** Higher wins when a message names several reasons: "moving because of the divorce" is a divorce. */
  specificity: number;
  /** Generic "want to sell" counts as a reason only as the answer to "why sell?". */
  onlyWhenAsked?: boolean;
}

const P = (category: MotivationCategory, strength: MotivationStrength, specificity: number, re: RegExp, onlyWhenAsked = false): Pattern => ({
  category,
  re,
  strength,
  specificity,
  onlyWhenAsked,
});

const PATTERNS: Pattern[] = [
  // Relocation.
  P('relocation', 'strong', 3, /\b(?:relocat\w* (?:for|because of|with|by) (?:work|a job|my job|his job|her job|the job|the company|my company|his company|her company|work)|work relocation|transferr?(?:ed|ing)? (?:for work|to|by|with)|(?:job|work) transfer|got transferred|being transferred|military orders|pcs(?:ing)?|(?:got |have |received )?(?:new )?orders\b|stationed|deploy\w*|(?:new|got a|took a|taking a|accepted a|offered a|starting a) (?:job|position|role)|job (?:in|offer|out of|across|up in|down in|starts?)|(?:work|company|employer) is (?:moving|sending|relocating)|(?:moving|move|movin) (?:[a-z]+ ){0,3}(?:for|4) (?:work|a job|my job|his job|her job|wrk)|por trabajo|nuevo trabajo|trabajo nuevo|me transfirieron|nos transfirieron|(?:husbands?|wifes?|partners?|spouses?|his|her|my|our) (?:new )?job (?:is )?(?:in|moving|relocat\w*|transferr\w*|out of)|got hired|(?:accepted|took|got|offered) (?:an? )?(?:offer|position|job|role) (?:in|out|at|with|across)|new gig)\b/),
  P('relocation', 'moderate', 3, /\b(?:relocat\w*|(?:closer to|near|be near|be with|be closer to) (?:family|my family|our family|the grandkids|grandkids|my kids|the kids|my daughter|my son|my parents|my mom|my dad|our kids|our daughter|our son|the family)|moving back (?:home|to)|move back (?:home|to)|nos mudamos|nos vamos a mudar|mudarnos|me mudo|nos vamos)\b/),
  P('relocation', 'moderate', 1, /\b(?:(?:were|we are|im|i am|am|are|is|were going to be|going to be|be|been|getting ready to be|planning on|plan on|thinking about|thinking of)? ?moving (?:to|out of|across|back|closer|away|overseas|abroad|out west|out east|up north|down south|out of state|states|cities|towns|for|2)|move (?:to|out of|back to|closer to|across|out west|out east|abroad|overseas)|out of state|leaving (?:the )?(?:state|country|area|city|town)|(?:have|got|need) to move|were moving|we are moving|im moving|i am moving)\b/),
  // Downsizing.
  P('downsizing', 'moderate', 4, /\b(?:downsiz\w*|down siz\w*)\b/),
  P('downsizing', 'moderate', 3, /\b(?:too (?:big|large)|(?:yard|upkeep|maintenance|stairs|house|place|it|its|thats|lawn|pool)(?: and the [a-z]+)? (?:is |are )?(?:getting )?(?:to be )?too much|(?:tired|sick) of (?:the )?(?:upkeep|maintenance|yard work|mowing|stairs)|single (?:level|story|floor)|one (?:level|story)|no stairs|(?:cant|can not|cannot) (?:do|handle|climb) (?:the )?stairs|muy grande|mas pequen[ao]|algo mas chic[ao]|just (?:the two of us|me now|us two|the 2 of us)|(?:dont|do not) need (?:\d+|all|this many|that many|all these|all those) (?:bedrooms|rooms)|rattling around|too many (?:rooms|bedrooms|stairs)|easier to (?:maintain|manage|take care of)|low(?:er)? maintenance|nest is empty|kids are (?:grown|gone|out)|too much (?:of a )?(?:house|home|space) for|too much (?:house|space|room|yard|upkeep|maintenance|to (?:take care of|maintain|keep up|clean|handle))|(?:kids|children) (?:moved out|are gone|are grown|left|grew up|moved away|are out)|empty nest\w*|(?:something|somewhere|a place|place) smaller|smaller (?:place|house|home|condo|space|apartment|unit)|(?:dont|do not) need (?:all )?(?:this|the|that much) (?:space|room)|(?:cant|can not|cannot) (?:keep up|maintain|manage) (?:with )?(?:the )?(?:house|yard|place|upkeep|stairs|it)|(?:move|moving) (?:in|into) (?:a )?(?:condo|apartment|townhome|townhouse)|less (?:space|house|upkeep|maintenance))\b/),
  // Upsizing.
  P('upsizing', 'moderate', 3, /\b(?:upsiz\w*|up siz\w*|need (?:more|a bigger|bigger|extra) (?:room|space|house|place|home|bedrooms)|outgr[eo]w\w*|out grown|too small|growing family|family is growing|(?:baby|twins) (?:on the way|coming|due)|expecting (?:a baby|our|another)|(?:bigger|larger) (?:house|place|home|space)|(?:more|extra) (?:room|space) for|something (?:bigger|larger)|mas espacio|casa mas grande|(?:need|want|needs) (?:a |an )?(?:extra|another|more|bigger|4th|third|fourth|5th) (?:bedroom|bedrooms|room|bathroom|yard|garage)|home office|(?:another|new) baby|pregnant|kids are getting (?:bigger|older)|outgrowing|(?:just )?had (?:a baby|twins|another baby|our (?:first|second|third) (?:baby|kid|child))|twins)\b/),
  // Financial pressure.
  P('financial', 'strong', 4, /\b(?:foreclos\w*|pre ?foreclosure|behind (?:on|with) (?:the |my |our )?(?:payments?|mortgage|taxes|bills)|(?:cant|can not|cannot|unable to|couldnt|struggling to|hard to) (?:afford|make (?:the )?payments?|pay (?:the )?mortgage|keep up with (?:the )?payments)|bankrupt\w*|(?:lost|losing) (?:my|our|his|her) (?:job|income)|laid off|job loss|medical bills|tax liens?|back taxes|short sale|notice of default|auction date|sheriff sale|missed (?:[a-z0-9]+ ){0,4}payments?|hardship|drowning in debt|in over (?:our|my|their) heads?|underwater|upside down|(?:cant|can not|cannot) (?:carry|keep up with) (?:two|2|both|the) (?:mortgages|payments)|no podemos pagar|atrasados (?:en|con) (?:los pagos|la hipoteca)|embargo|ejecucion hipotecaria)\b/),
  P('financial', 'moderate', 3, /\b(?:financ\w*|money (?:is )?tight|need (?:the )?(?:money|cash|equity)|cash out|(?:pull|take|get) (?:out )?(?:the |my |our )?equity|(?:payments?|mortgage|taxes|insurance) (?:is |are )?(?:too high|went up|doubled|killing)|adjustable rate|arm (?:is )?adjusting|pay off (?:debt|bills|loans)|debt|debts|bills piling|(?:cost|costs) too much|too expensive|expensive to (?:keep|own|maintain)|cant afford|(?:taxes|insurance|payments?|mortgage|hoa|bills?|rates?|costs?)\b[a-z ]{0,25}\b(?:went|going|gone|are|is) (?:way |so |really )?(?:up|higher|too high|through the roof|crazy)|hard to keep up|getting (?:too )?expensive|deudas|dinero|struggling|tight on money|need (?:some )?cash|reverse mortgage|rate (?:adjusted|went up|reset)|(?:payment|mortgage) (?:went up|increased|doubled|jumped|is going up))\b/),
  // Divorce / separation.
  P('divorce', 'moderate', 4, /\b(?:divorc\w*|separat(?:ed|ing|ion)|split(?:ting)? up|(?:my|our) ex\b|ex (?:wife|husband|partner|spouse)|breaking up|broke up|going through a (?:split|breakup)|divorcio|divorciando|divorciamos|nos separamos|separacion|separate ways|(?:me and my|my) (?:wife|husband|partner) (?:and i )?(?:split|are splitting)|custody)\b/),
  // Inheritance / probate.
  P('inheritance', 'moderate', 4, /\b(?:inherit\w*|probate|(?:my |our |his |her )?(?:mom|mother|dad|father|parents?|grandma|grandmother|grandpa|grandfather|aunt|uncle|husband|wife|brother|sister|son|daughter|grandparents?|family member|relative)(?:s)? (?:passed|died|passed away|left (?:it|the house|us|me))|passed away|(?:my|our) late (?:mom|mother|dad|father|husband|wife|parents?|grandma|grandmother|grandpa|grandfather|aunt|uncle|brother|sister)s?\b|executor|executrix|administrator of (?:the|my)|(?:the |her |his |my )?estate (?:sale|attorney|lawyer|property|house|is|of)|(?:mom|dad|mothers|fathers|parents|grandmas|grandpas|moms|dads)s? (?:house|home|place) (?:that |which )?(?:we|i) (?:got|have|own|now own)|heirs?|deceased|left (?:it|the house|the home) to (?:me|us|my|our)|(?:father|mother|dad|mom)(?: in law)? (?:passed|died)|(?:she|he) (?:passed|died)|now (?:its|it is) (?:ours|mine)|(?:its|it is) (?:ours|mine) now|here[dt]\w*|herencia|sucesion|fallecio|murio)\b/),
  // Retirement.
  P('retirement', 'moderate', 3, /\b(?:retir\w*|golden years|fixed income|(?:when|since) (?:i|we) stopped working|jubil\w*)\b/),
  // Tired landlord.
  P('tired_landlord', 'moderate', 4, /\b(?:(?:tired|sick|done|fed up|over) (?:of |with )?(?:being a )?(?:landlord|landlording|renting|managing|tenants|dealing with (?:tenants|renters|the tenants))|done (?:with|being) (?:a )?(?:landlord|renting|the rental)|tenants? (?:from hell|trashed|destroyed|wrecked|stopped paying|not paying|wont pay|dont pay|wont leave|left it)|(?:bad|terrible|nightmare|problem|horrible|awful) (?:tenants?|renters?)|evict\w*|(?:stopped|quit) (?:paying rent|renting it out|renting)|headache of (?:renting|being a landlord))\b/),
  P('tired_landlord', 'moderate', 3, /\b(?:landlord|tenants?|renters?|rental (?:property|house|home|unit)?|rented (?:it )?out|renting (?:it )?out|section 8|property manag\w*|lease (?:is )?(?:up|ending|ends|expires|expiring)|vacant rental|investment property|inquilinos)\b/, true),
  // Other: a reason that is not one of the above, or only a mild interest.
  P('other', 'weak', 1, /\b(?:just (?:curious|wondering|looking|checking|seeing|exploring)|test(?:ing)? the (?:market|waters)|see (?:what|how much) (?:its|it is|it|the house is|my house is|the place is|we could get|i could get|i can get|the house|my house|my home|the home) (?:is )?(?:worth|would (?:sell|go) for|get|could get)?|(?:if|when) the price is right|right price|depends on (?:the )?(?:price|offer|number)|for the right (?:price|offer|number)|might sell|may sell|maybe sell|thinking about it|on the fence|toying with|entertain(?:ing)? (?:an )?offers?|if (?:someone|somebody|anyone|they|you|a buyer|an investor) (?:offered|offers|paid|pays|gave|came in)|(?:wed|we would|id|i would) (?:listen|consider|think about it)|just exploring|exploring (?:options|our options))\b/),
  P('other', 'moderate', 2, /\b(?:personal reasons|family reasons|family stuff|personal stuff|health (?:reasons|issues|problems)|(?:bad|noisy|crazy|nightmare|annoying|awful|terrible|loud) neighbou?rs?|neighbou?rs (?:are|have been) (?:awful|terrible|bad|horrible|loud|crazy|a nightmare|annoying)|hoa (?:keeps|is|fees|dues|rules)|neighbou?rhood (?:is )?(?:changing|going downhill|getting worse)|crime|commute|change of (?:scenery|pace)|fresh start|want (?:a )?change|new chapter|time for a change|(?:hoa|taxes) (?:is |are )?(?:too much|crazy|ridiculous)|want (?:to )?(?:build|buy) (?:a |another |our )?(?:new )?(?:house|home|place)|bought (?:a |another )?(?:new )?(?:house|home|place)|(?:already )?(?:found|closing on|buying) (?:a |another |our )?(?:new )?(?:house|home|place)|(?:just )?want (?:out|to get out)|moving in with (?:my |a |her |his |our )?(?:partner|boyfriend|girlfriend|fiance|fiancee|husband|wife|spouse|significant other|bf|gf|parents|mom|dad|mother|father|family|daughter|son|kids)|assisted living|nursing home|memory care|senior living|(?:building|built|build) (?:a |our |my )?(?:new )?(?:house|home|place))\b/),
  P('other', 'moderate', 0, /\b(?:ready (?:to|for) (?:move on|sell|a change)|time to (?:sell|move on)|(?:looking|want|wanting|need|needing|planning|ready|trying|hoping) to sell)\b/, true),
];

/** Urgency raises strength by one step. */
const URGENCY =
  /\b(?:(?:need|needs|have|has|got|must|gotta) (?:to )?(?:sell|be sold|get (?:it )?sold|move)|(?:need|have) to [a-z ]{0,40}\bsoon|im done(?! (?:being|with))|(?:want|need) to (?:unload|dump|get rid of) it|has to be sold|(?:want|need) it (?:gone|sold)|decree|court|judge|ordered|already (?:bought|closed on|under contract)|bought (?:a|another|our) (?:new )?(?:house|home|place)|under contract on|closing on (?:our|a|the) (?:new|next)|asap|as soon as possible|urgent\w*|right away|immediately|quick(?:ly)?|fast|deadline|already (?:bought|moved|closed|signed|started|purchased|found|living|left|relocated|gone)|job starts|start(?:s|ing)? (?:date|in|on|next)|orders|cant wait|cant (?:keep|afford|do this)|no choice|forced to|behind on|out of time|running out|before (?:the|my|our) (?:auction|sale date|deadline))\b/;
/** Hedges lower strength by one step. */
const HEDGE =
  /\b(?:maybe|might|possibly|perhaps|not sure|unsure|eventually|someday|some day|curious|if the price is right|for the right price|down the road|no rush|no hurry|not in a (?:rush|hurry)|just looking|just seeing|just wondering|testing|kind of|kinda|sort of|sorta|on the fence|undecided|toying|probably not|not really|dont know if|not certain|might not|whenever|in a few years|few years)\b/;

const STEP: MotivationStrength[] = ['weak', 'moderate', 'strong'];

function shift(strength: MotivationStrength, by: number): MotivationStrength {
  const i = Math.min(2, Math.max(0, STEP.indexOf(strength) + by));
  return STEP[i]!;
}

export interface MotivationMatch extends Motivation {
  index: number;
}

/**
 * The motivation this message states, or null. `norm` is the normalised text; `timelineDays`
 * is the timeline found in the same message, if any (a near date is urgency, a far one a hedge).
 */
/**
 * Words that present a reason to sell. Answering another question ("60 days, the lease ends
 * then anyway"), a lead mentions tenants, probate or a job in passing; that is context, not their
 * motivation, unless they frame it as the reason ("we're splitting up and we need to sell it").
 */
const REASON_FRAME =
  /\b(?:because|cause|cuz|since|reason|why|(?:were|im|we are|i am) selling|selling (?:because|since|due|cause)|(?:need|have|has|got|want|wants|looking|ready|trying|planning|going) to (?:sell|move|unload|get out)|has to be sold|thats why|real talk|truth is|the thing is|to be honest|honestly|wasnt ready to say|porque)\b/;

/**
 * The motivation this message states, or null. `norm` is the normalised text; `timelineDays`
 * is the timeline found in the same message, if any (a near date is urgency, a far one a hedge);
 * `askedOrOpen` is true when the lead answers "why sell?" or opens the conversation, where any
 * reason counts; otherwise only a reason the lead frames as one does.
 */
export function extractMotivation(
  original: string,
  norm: string,
  expecting: Question | null,
  timelineDays: number | null,
  askedOrOpen = expecting === 'motivation' || expecting === null,
): MotivationMatch | null {
  const bare = norm.replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!askedOrOpen && !REASON_FRAME.test(bare)) return null;
  let best: { p: Pattern; index: number; text: string } | null = null;
  for (const p of PATTERNS) {
    if (p.onlyWhenAsked && !askedOrOpen) continue;
    const m = p.re.exec(bare);
    if (!m) continue;
    if (best === null || p.specificity > best.p.specificity || (p.specificity === best.p.specificity && m.index < best.index)) {
      best = { p, index: m.index, text: m[0] };
    }
  }
  if (!best) {
    // "Why are you thinking of selling?" answered with something we have no word for: keep it
    // as "other" so the lead is not asked again, when it reads like a reason and not small talk.
    if (expecting !== 'motivation') return null;
    const words = bare.split(' ').filter(Boolean);
    if (words.length < 3 || /\?/.test(norm) || /^(?:hi|hello|hey|who|what|how|why|ok|okay|yes|no|thanks|thank you|lol)\b/.test(bare)) return null;
    if (!/\b(?:because|cause|since|reason|reasons|want|wanna|need|ready|time to|tired of|just want)\b/.test(bare)) return null;
    best = { p: P('other', 'moderate', 0, /./), index: 0, text: bare.slice(0, 40) };
  }
  let strength = best.p.strength;
  // A move the lead's work forces (a job, a transfer, orders) is strong however it is worded.
  if (best.p.category === 'relocation' && /\b(?:job|work|company|employer|transfer\w*|orders|military|pcs|trabajo)\b/.test(bare)) strength = 'strong';
  // "maybe 700k?" hedges the price, not the reason.
  const forHedges = bare.replace(/\b(?:maybe|might be|possibly|perhaps|probably|prob)\s+(?=\$?\d)/g, '');
  const urgent = URGENCY.test(bare) || (timelineDays !== null && timelineDays <= 14);
  const hedged = HEDGE.test(forHedges) || (timelineDays !== null && timelineDays >= 365);
  // A "just curious" lead stays weak however they phrase it.
  if (best.p.category !== 'other' || best.p.strength !== 'weak') {
    if (urgent && !hedged) strength = shift(strength, 1);
    else if (hedged && !urgent) strength = shift(strength, -1);
  }
  return {
    category: best.p.category,
    strength,
    evidence: quoteAround(original, best.text.split(' ').slice(0, 4).join(' ')),
    index: best.index,
  };
}
