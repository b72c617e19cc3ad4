/**
 * Condition: move-in ready / needs some work / needs major repairs, with the lead's own words
 * as notes. Levels follow the labelled set's rules (tests/fixtures/seller-conversations):
 * - some work: cosmetic or a single system — paint, carpet, dated kitchen, an old water heater
 *   or furnace, a leak, a roof, deck or fence repairs, "needs TLC".
 * - major repairs: foundation, mold, major water/fire damage, sewer line, structural,
 *   hoarder/gut job/teardown/fixer-upper, "needs everything" — or two big systems at once
 *   (roof plus HVAC).
 * The most severe issue mentioned wins ("great shape but the foundation is cracked"); a good
 * word with a small issue is "some work" ("good shape, just needs paint"). Negated issues
 * ("no foundation problems", "roof is fine") count as a good sign, not an issue.
 */
import { clauses, negatedBefore, normalize } from './text';
import type { Condition, Question } from './types';

export interface ConditionMatch {
  condition: Condition;
  notes: string | null;
  index: number;
}

type Level = 0 | 1 | 2; // 0 ready, 1 some work, 2 major repairs

interface Cue {
  re: RegExp;
  level: Level;
  /** A big single system (roof, HVAC…): one is "some work", two or more are "major repairs". */
  system?: string;
}

const SYSTEMS = String.raw`(?:roof|foundation|hvac|ac|a\/c|air conditioning|air conditioner|furnace|heater|heat|heating|boiler|water heater|plumbing|pipes|electrical|electric|wiring|septic|sewer|sewer line|windows|siding|deck|porch|driveway|chimney|basement|crawl ?space|gutters|floors|flooring|kitchen|bathroom|bathrooms|bath|appliances|carpet|carpets|paint|ceiling|walls|drywall|stairs|fence)`;
const BROKEN = String.raw`(?:is |are )?(?:shot|dead|broken|busted|out|gone|failing|failed|caved in|rotted|rotting|rotten|collapsing|leaks?|leaking|leaky|bad|old|original|ancient|on its last legs|needs? (?:to be )?replac\w*|needs? (?:work|repairs?|redone|fixing|updating|replacing)|(?:doesnt|dont|does not|isnt|not) work(?:ing)?)`;

const CUES: Cue[] = [
  // Big systems: each alone is "some work"; two or more make "major repairs".
  { re: /\b(?:roof (?:is )?(?:leaks?|leaking|leaky|caved|collaps\w*|shot|gone|bad|damaged|old|needs? (?:to be )?replac\w*|needs? (?:redone|work|repairs?)|is done|has holes)|leaks? (?:in|through) the roof|leaky roof|needs? (?:a )?(?:new|whole new) roof|new roof (?:needed|soon)|hole in the roof|roof (?:is )?(?:about |over |almost |like |nearly )?\d+ (?:years|yrs) old|\d+ (?:year|yr) old roof|old roof)\b/, level: 1, system: 'roof' },
  { re: new RegExp(String.raw`\b(?:(?:hvac|ac|a c|air conditioning|air conditioner|furnace|heater|heat|heating|boiler|heat pump) ${BROKEN}|needs? (?:a )?(?:new )?(?:hvac|ac|furnace|heat pump|air conditioner|boiler)|(?:old|original|ancient) (?:hvac|ac|furnace|boiler)|(?:hvac|ac|furnace) (?:is )?(?:about |over )?\d+ (?:years|yrs) old|(?:hvac|ac|a c|furnace|heater|heat pump|boiler)(?: [a-z]+){0,3} (?:quit|died|went out|stopped working|gave out|broke|conked out))\b`), level: 1, system: 'hvac' },
  { re: new RegExp(String.raw`\b(?:(?:plumbing|pipes) ${BROKEN}|burst pipes?|(?:a |some )?leaks? under the sink|leaky (?:pipes|faucet|plumbing))\b`), level: 1, system: 'plumbing' },
  { re: new RegExp(String.raw`\b(?:(?:electrical|electric|wiring|panel) ${BROKEN}|bad wiring|old wiring|knob and tube|needs? (?:new |to be )?(?:rewir\w*|wiring|panel))\b`), level: 1, system: 'electrical' },
  { re: new RegExp(String.raw`\b(?:(?:water heater) ${BROKEN}|needs? (?:a )?(?:new )?water heater|(?:old|original) water heater)\b`), level: 1, system: 'water heater' },
  { re: new RegExp(String.raw`\b(?:(?:windows|siding|deck|porch|fence|gutters|driveway|chimney) ${BROKEN}|needs? (?:a )?(?:new )?(?:windows|siding|deck|fence|gutters|driveway))\b`), level: 1 },
  { re: new RegExp(String.raw`\b(?:${SYSTEMS}) (?:is |are )?(?:about |over |almost |like |nearly )?\d+ (?:years|yrs) old\b|\b\d+ (?:year|yr) old (?:${SYSTEMS})\b`), level: 1 },
  // Two big systems in one breath: "roof and furnace both need replacing".
  { re: /\b(?:roof|hvac|ac|furnace|plumbing|electrical|wiring|foundation|septic)(?:,? (?:and|&|plus) (?:the )?(?:roof|hvac|ac|furnace|plumbing|electrical|wiring|foundation|septic))+ (?:both |all |each )?(?:need|needs|are|were|is) (?:to be )?(?:replac\w*|redone|fixed|repair\w*|shot|old|bad|done|gone|failing)\b/, level: 2 },
  { re: /\b(?:(?:a|one|small|minor|little) leak|leaks? (?:in|under) the (?:kitchen|bathroom|basement|sink|ceiling))\b/, level: 1 },
  // Major repairs.
  { re: /\b(?:foundation (?:issues?|problems?|cracks?|cracked|crack|settling|repair|damage|is bad|is shot|shifting|sinking|needs work)|cracked foundation|foundation)\b/, level: 2 },
  { re: /\b(?:black mold|mold|mould|(?:major|bad|serious|lots of|a lot of|extensive) (?:water|flood|fire|smoke|storm) damage|flood(?:ed|ing)?|fire damage|smoke damage|burn(?:ed|t) (?:down|out)|termite damage|structural|sinkhole|sagging|sinking|asbestos|condemned|uninhabitable|not livable|unlivable|gutted|needs to be gutted|gut job|gut rehab|full (?:rehab|gut|renovation|remodel)|complete (?:rehab|renovation|remodel|redo)|total (?:rehab|renovation|remodel|redo|gut)|tear ?down|teardown|needs everything|needs it all|everything needs|needs a lot(?: of work)?|a lot of work|lots of work|tons of work|major (?:repairs?|work|issues?|problems?|damage|renovation|rehab|projects?)|big (?:repairs|projects|issues|problems)|serious (?:repairs|work|issues|problems|damage)|(?:house|place|home|it|everything) is falling apart|(?:pretty|really|very|super) rough|rough (?:shape|condition)|bad (?:shape|condition)|poor (?:shape|condition)|terrible (?:shape|condition)|awful (?:shape|condition)|horrible (?:shape|condition)|needs a ton|handyman special|investor special|contractor special|fixer(?: upper)?|trashed|destroyed|hoarder|hoarding|vandali[sz]ed|no (?:power|electricity|running water)|sewer (?:line|backup|issues?|problems?)|septic (?:issues?|problems?|failed|failing|is shot)|total loss|needs? (?:a )?gut|needs? gutting|gutting (?:it|the)|gut (?:it|the (?:house|place|kitchen|whole))|(?:basement|house|it|crawl ?space) (?:floods|flooded|takes on water)|needs? (?:a )?(?:new )?(?:septic|sewer line)|septic (?:needs|is (?:failing|bad|old|shot))|down to the studs|money pit|(?:big|huge|major|massive) project|its a project|(?:complete|total|full) overhaul|(?:completely|totally|entirely) redone|redo everything|everything (?:needs|has) to be (?:redone|replaced|fixed)|(?:cant|can not|cannot) live in it|(?:its a|a total|total) (?:wreck|disaster|mess)|storm damage|hurricane damage|tree (?:fell|came down) on|cracks? in the (?:walls|foundation|slab|ceiling)|lot value|(?:should|needs to|ought to) be (?:torn|knocked) down|rotten floors?|rotted (?:floors?|joists|subfloor)|raccoons|rats|infest\w*|squatters?)\b/, level: 2 },
  { re: /\bwater damage\b/, level: 2 },
  // Some work.
  { re: /\b(?:some work|a little work|little bit of work|bit of work|some repairs|a few repairs|(?:minor|small) (?:repairs?|work|things|stuff|issues?|updates?|fixes|projects?|cosmetic)|cosmetic\w*|needs? (?:a |some |a little |a few |new |probably |definitely |a full )*(?:updat\w*|paint|painting|carpet|carpets|flooring|floors|tlc|love|work|repairs|fixing|touch ups|cleaning|clean ?out|clean ?up|sprucing|refresh|freshening up|appliances|cabinets|countertops|kitchen|bathrooms?)|(?:full |a )?clean ?(?:out|up)|refresh|(?:its|it is) mid|(?:kinda|kind of|a little|a bit|bit|little|somewhat|sorta) rough|rough|falling (?:down|apart)|(?:carpets?|floors?|flooring|paint|cabinets|appliances|kitchen|bathrooms?|countertops) (?:are|is) (?:bad|old|worn|dated|ugly|stained|rough|shot|gross|original|tired)|could use (?:some |a little |a few |new )?(?:updat\w*|paint|work|tlc|love|repairs|sprucing|carpet|floors)|tlc|dated|outdated|out of date|original (?:kitchen|bathrooms?|baths?|cabinets|carpets?|floors|everything|condition|owner finishes|countertops)|(?:old|older) (?:kitchen|bathrooms?|baths?|carpets?|appliances|windows|cabinets|house|home|countertops)|a few (?:things|repairs|projects|issues|updates|fixes)|little (?:things|stuff|projects|repairs)|touch ups?|wear and tear|lived in|a little tired|tired looking|not move in ready|not (?:in )?(?:great|good|perfect|the best) (?:shape|condition)|(?:fair|average|okay|ok|so so|decent|alright|livable) (?:shape|condition)|needs? work|needs some|from (?:the )?(?:19[0-9]0s|19[0-9][0-9])|(?:19[5-9][0-9])s? (?:kitchen|bathroom|bathrooms|style)|popcorn ceilings?|wallpaper|shag carpet|(?:from|out of|stuck in|straight out of) the (?:[5-9]0s|seventies|eighties|sixties|fifties|nineties)|just (?:needs )?(?:some |a little |fresh |new )?(?:paint|painting|carpet|carpets|flooring|cleaning|updating|updates|touch ups|cosmetics?)|(?:some |minor |a little )(?:water|storm) damage|deferred maintenance|handyman (?:stuff|work|things|projects)|honey do|a couple (?:of )?(?:things|repairs|projects|issues|fixes|updates)|few (?:small )?(?:things|fixes)|small (?:stuff|things|fixes)|minor stuff|needs? (?:some )?(?:landscaping|yard work)|older but|(?:\d0s|seventies|eighties|nineties|sixties) (?:kitchen|bath|bathroom|bathrooms|decor|style|carpet|cabinets)|(?:a bit|bit|kinda|kind of|a little|somewhat) (?:dated|outdated|worn|tired)|needs? to be (?:redone|updated|replaced|remodeled|fixed|painted|refinished|repaired)|(?:its |it is )?livable|(?:a )?(?:bit|little) of a project|small project|worn (?:out )?(?:carpet|carpets|floors|cabinets)|peeling (?:paint)?|cracked tiles?)\b/, level: 1 },
  // Spanish.
  { re: /\b(?:necesita mucho trabajo|muchas reparaciones|muy mal estado|mal estado|cimientos|moho|danos? (?:por|de) (?:agua|incendio|fuego|inundacion)|para demoler|necesita todo|hay que (?:remodelar|arreglar) todo)\b/, level: 2 },
  { re: /\b(?:necesita (?:algunas |unas |pocas |un poco de |algo de |algun )?(?:reparaciones|arreglos|trabajo|pintura|alfombras?|pisos|detalles)|algunas reparaciones|unos arreglos|un poco de trabajo|goteras?|techo nuevo|techo (?:gotea|viejo)|(?:la cocina|los banos|el bano) (?:es|son|esta|estan) (?:viejos?|viejas?|antiguos?|antiguas?))\b/, level: 1 },
  { re: /\b(?:buen estado|buenas condiciones|excelente estado|perfecto estado|lista para (?:mudarse|vivir|entrar)|remodelada|renovada|no necesita nada)\b/, level: 0 },
  // Move-in ready.
  { re: /\b(?:move in ready|ready to move in|turn key|(?:great|good|excellent|perfect|pristine|mint|amazing|fantastic|really good|very good|solid|top|tip top|immaculate|awesome|nice|beautiful|like new|great overall) (?:shape|condition)|(?:fully |completely |recently |totally |newly |just )(?:updated|renovated|remodeled|redone|rehabbed)|(?:updated|renovated|remodeled|redone|rehabbed)(?: (?:kitchen|bathrooms?|everything|throughout|last year|recently|in \d{4}))?|brand new|new construction|like new|(?:doesnt|does not|dont|wont) need (?:anything|any work|much|a thing|any repairs)|no (?:work|repairs) (?:needed|necessary|required)|(?:needs|need) nothing|nothing (?:needed|to fix|wrong|major)|well (?:kept|maintained|taken care of|cared for)|ready to go|immaculate|pristine|spotless|new roof|new hvac|new (?:kitchen|bathrooms?|floors|windows|appliances|ac|furnace)|recently (?:updated|renovated|remodeled|painted)|just (?:redid|did|replaced|put in)|everything works|no (?:issues|problems|repairs needed)|nothing wrong with (?:it|the house|the place)|kept (?:it |the house |the place )?up (?:well|nicely|good)|upgraded|show ready|ready to (?:list|show)|in good (?:shape|condition|order|repair)|good order|newer (?:home|house|build|construction)|built in 20[12]\d)\b/, level: 0 },
];

/** Answers to "Is it move-in ready? If not, what would it need?" with nothing else in them. */
const SHORT_ANSWERS: Array<[RegExp, Level]> = [
  [/^(?:yes|yeah|yep|yup|ya|yea|sure|definitely|absolutely|it is|yes it is|correct|for sure|totally|100 ?%?|pretty much|mostly|mostly yes|for the most part|i think so|i believe so|good|great|fine|excellent|perfect|solid|decent|not bad|its (?:good|great|fine|decent|nice|perfect)|in good shape|good shape|great shape|good condition|great condition|ready|move in|its ready|very good)$/, 0],
  [/^(?:no|nope|nah|not really|not quite|not exactly|kind of|kinda|sort of|sorta|somewhat|almost|needs work|it needs work|some work|a little|a bit|fair|average|so so|its ok|its okay|its alright|alright|its fair|meh|could be better|its livable|livable|needs some|needs a little|its dated|dated|its old|old)$/, 1],
  [/^(?:not at all|hell no|definitely not|absolutely not|no way|bad|poor|rough|terrible|awful|horrible|its rough|its bad|its a mess|a mess|mess|disaster|its a disaster|needs everything|needs a lot|a lot|lots|its a fixer|fixer)$/, 2],
];

const LABEL: Record<Level, Condition> = { 0: 'move_in_ready', 1: 'needs_some_work', 2: 'needs_major_repairs' };

function notesFrom(original: string, needles: string[]): string | null {
  const parts: string[] = [];
  for (const clause of clauses(original)) {
    const n = normalize(clause);
    if (needles.some((needle) => n.includes(needle)) && !parts.includes(clause)) parts.push(clause);
  }
  if (parts.length === 0) return null;
  const joined = parts.join('; ');
  return joined.length <= 160 ? joined : `${joined.slice(0, 159).trimEnd()}…`;
}

/** The condition this message describes, or null. `norm` is the normalised text. */
export function extractCondition(original: string, norm: string, expecting: Question | null): ConditionMatch | null {
  const bare = norm.replace(/[^a-z0-9% ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (expecting === 'condition') {
    const short = bare.replace(/^(?:(?:honestly|well|um|uh|meh|eh|hmm|i mean|i would say|id say|i guess|i think|overall)\s+)+/, '').replace(/\s+(?:i guess|i think|honestly|overall|really|id say|i would say|though|tbh)$/, '');
    for (const [re, level] of SHORT_ANSWERS) {
      if (re.test(short)) return { condition: LABEL[level], notes: null, index: 0 };
    }
  }
  // "I'll keep you updated" is about the conversation, not the house.
  const bareHouse = bare.replace(/\b(?:keep (?:you|u|yall) (?:posted|updated)|stay updated|updated you)\b/g, ' ');
  const found: Array<{ level: Level; text: string; index: number; negated: boolean; system?: string }> = [];
  for (const cue of CUES) {
    const re = new RegExp(cue.re.source, 'g');
    for (const m of bareHouse.matchAll(re)) {
      // "foundation" alone is an issue only when the lead is talking about the house's state.
      if (m[0] === 'foundation' && !/\b(?:issue|problem|crack|repair|work|bad|damage|settl|shift|sink)/.test(bare.slice(m.index, m.index + 40)) && expecting !== 'condition') continue;
      if (m[0] === 'rough' && expecting !== 'condition' && !/\b(?:its|is|pretty|kinda|little|bit) rough\b/.test(bare)) continue;
      if (/^(?:flood|flooded|flooding)$/.test(m[0]) && !/\b(?:damage|flooded|basement|got|was|has been|in the)\b/.test(bare)) continue;
      const f: { level: Level; text: string; index: number; negated: boolean; system?: string } = {
        level: cue.level,
        text: m[0],
        index: m.index,
        negated: cue.level > 0 && negatedBefore(bare, m.index, 3),
      };
      if (cue.system) f.system = cue.system;
      found.push(f);
    }
  }
  if (found.length === 0) return null;
  const issues = found.filter((f) => f.level > 0 && !f.negated);
  const good = found.filter((f) => f.level === 0 || f.negated);
  const systems = new Set(issues.map((f) => f.system).filter((x): x is string => x !== undefined && x !== 'water heater'));
  let level: Level = 0;
  if (issues.length > 0) {
    level = issues.reduce<Level>((max, f) => (f.level > max ? f.level : max), 1);
    if (systems.size >= 2) level = 2;
  }
  const relevant = issues.length > 0 ? issues : good;
  const index = Math.min(...relevant.map((f) => f.index));
  return { condition: LABEL[level], notes: notesFrom(original, relevant.map((f) => f.text)), index };
}
