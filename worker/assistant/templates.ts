/**
 * Templated SMS replies for every ReplyPlan: short (aim ≤ 240 characters, never over 320),
 * in the tenant persona's tone, worded a little differently turn to turn (chosen by a hash of
 * the conversation's length, so the same input always gives the same text).
 *
 * The bot states nothing it was not given: the only figures and facts in a reply come from the
 * lead's own qualification or from `facts`. Keys read from `facts`: agentName, contactSource
 * ("your Zillow inquiry"), estimate ("$410,000–$440,000"), commission, inquiry ("home value
 * request"). Anything else the lead asks is passed to the agent, not answered.
 *
 * A script (scripts.ts, chosen by an assistant_script experiment) replaces the opening and the
 * question wordings; the disclosure, the STOP line and everything else stay as they are.
 */
import { formatDollars } from './classify';
import { scriptOf, type Script } from './scripts';
import { hashString, normalize } from './text';
import type { ComposeInput, Persona, Qualification, Question, ReplyPlan } from './types';

export const SMS_TARGET_LENGTH = 240;
export const SMS_MAX_LENGTH = 320;
const STOP_LINE = 'Reply STOP to opt out.';

type Tone = Persona['tone'];
type Variants = Record<Tone, readonly string[]>;

/** Tenant-supplied names: single line, no control characters, bounded so a reply always fits. */
function clean(value: string | null | undefined, max: number): string {
  const s = (value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).trim();
}

function firstName(name: string | null): string | null {
  const n = clean(name, 40);
  // Only something that looks like a first name is used to greet ("JOHN SMITH" → "John").
  const m = /^[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'-]{0,19}/.exec(n);
  if (!m) return null;
  const word = m[0];
  return word === word.toUpperCase() || word === word.toLowerCase() ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase() : word;
}

function tone(persona: Persona): Tone {
  return persona.tone === 'professional' || persona.tone === 'casual' ? persona.tone : 'friendly';
}

function pick<T>(options: readonly T[], seed: number, salt: string): T {
  return options[hashString(`${seed}:${salt}`) % options.length]!;
}

const QUESTION_TEXT: Record<Question, Variants> = {
  motivation: {
    friendly: ['What has you thinking about selling?', "Mind if I ask what's got you thinking about selling?", "What's prompting the idea of selling?"],
    professional: ["May I ask what's prompting you to consider selling?", 'What is your main reason for considering a sale?', "Could you share what's behind your plans to sell?"],
    casual: ["So what's got you thinking about selling?", "What's making you think about selling?", "What's the reason for selling, if you don't mind me asking?"],
  },
  timeline: {
    friendly: ['When are you hoping to sell — the next month or two, or further out?', 'What timeline do you have in mind for selling?', 'How soon would you ideally like to sell?'],
    professional: ['What timeline are you considering for the sale?', 'When would you ideally like to have the home sold?', 'Are you looking to sell within the next few months, or later?'],
    casual: ['How soon are you looking to sell?', "What's your timeline looking like?", 'When are you hoping to have it sold?'],
  },
  // Every wording makes "yes" mean move-in ready: the extractor reads short answers that way.
  condition: {
    friendly: ['Is the house move-in ready? If not, what would it need?', "How's the condition — would you say it's move-in ready?", 'Would you call the house move-in ready? Any repairs it needs?'],
    professional: ['Would you describe the home as move-in ready? If not, what work does it need?', 'Is the home move-in ready? Please mention any repairs it needs.', 'How would you describe the condition — is it move-in ready?'],
    casual: ["Is it move-in ready? If not, what's it need?", "How's the place holding up — move-in ready?", "Would you say it's move-in ready? Any repairs?"],
  },
  price: {
    friendly: ["Do you have a price in mind you'd be happy with?", 'What price are you hoping to get?', 'Is there a number you have in mind for the sale?'],
    professional: ['Do you have an asking price in mind?', 'What price are you hoping to achieve for the home?', 'What sale price would you be comfortable with?'],
    casual: ['What number are you hoping to get?', 'Got a price in mind?', 'What are you hoping to get for it?'],
  },
};

function intro(persona: Persona, brand: string, lead: string | null, seed: number, script: Script): string {
  const name = clean(persona.name, 20) || 'an assistant';
  const t = tone(persona);
  const hi = t === 'professional' ? (lead ? `Hello ${lead},` : 'Hello,') : t === 'casual' ? (lead ? `Hey ${lead},` : 'Hey there,') : lead ? `Hi ${lead}!` : 'Hi there!';
  if (script.opening) return `${hi} ${pick(script.opening(name, brand), seed, 'intro')}`;
  const options: Variants = {
    friendly: [`${hi} This is ${name}, an AI assistant with ${brand}.`, `${hi} I'm ${name}, an AI assistant for ${brand}.`],
    professional: [`${hi} this is ${name}, an AI assistant for ${brand}.`, `${hi} my name is ${name}, an AI assistant with ${brand}.`],
    casual: [`${hi} ${name} here, an AI assistant with ${brand}.`, `${hi} it's ${name}, an AI assistant for ${brand}.`],
  };
  return pick(options[t], seed, 'intro');
}

function shortMoney(cents: number): string {
  const dollars = cents / 100;
  if (dollars >= 1_000_000) return `$${Number((dollars / 1_000_000).toFixed(2))}M`;
  if (dollars >= 1_000) return `$${Math.round(dollars / 1_000)}k`;
  return formatDollars(cents);
}

function timelinePhrase(days: number): string {
  if (days <= 14) return 'As soon as possible';
  if (days <= 45) return `About ${days} days`;
  if (days < 330) return `About ${Math.round(days / 30)} months`;
  if (days <= 400) return 'About a year';
  return 'A longer timeline';
}

/** A short, human acknowledgement of one answer, from the qualification (never invented). */
function acknowledgeOne(question: Question, q: Qualification, t: Tone, seed: number): string | null {
  switch (question) {
    case 'motivation': {
      const m = q.motivation;
      if (!m) return null;
      const bereaved = /\b(?:passed|died|death|late|funeral|lost (?:my|our) (?:mom|dad|mother|father|husband|wife))\b/.test(normalize(m.evidence));
      const byCategory: Record<string, readonly string[]> = {
        relocation: ['Got it, a move is a lot to juggle.', 'Makes sense with a move coming up.', 'Got it, thanks for sharing.'],
        downsizing: ['Downsizing makes a lot of sense.', 'Got it, something smaller.', 'Makes sense.'],
        upsizing: ['Makes sense, more room helps.', 'Got it, outgrowing the space.', 'Makes sense.'],
        financial: ["Thanks for being upfront, I'll keep this simple.", 'Understood, thanks for sharing that.'],
        divorce: ["Thanks for sharing that, I know it's a lot.", "Understood, I'll keep this easy."],
        inheritance: bereaved ? ["I'm sorry for your loss.", "I'm so sorry for your loss."] : ['Thanks for sharing that.', 'Understood, thanks.'],
        retirement: ['Congrats on retirement!', 'Exciting, congrats on retiring!'],
        tired_landlord: ['Totally understand, being a landlord wears on you.', 'Got it, ready to be done with landlording.'],
        other: [t === 'professional' ? 'Thank you for sharing.' : 'Got it, thanks.', 'Understood.'],
      };
      return pick(byCategory[m.category] ?? byCategory.other!, seed, 'ack-m');
    }
    case 'timeline':
      if (q.timelineDays === null) return pick(['No rush, understood.', 'No fixed timeline, that works.'], seed, 'ack-t');
      return `${timelinePhrase(q.timelineDays)}, ${pick(['got it.', 'noted.', 'good to know.'], seed, 'ack-t')}`;
    case 'condition':
      if (q.condition === 'move_in_ready') return pick(["Great that it's move-in ready.", 'Good to hear it is in good shape.'], seed, 'ack-c');
      if (q.condition === 'needs_some_work') return pick(['Good to know, thanks for the details.', 'Got it, thanks for the rundown on the house.'], seed, 'ack-c');
      if (q.condition === 'needs_major_repairs') return pick(['Thanks for being upfront about the repairs.', 'Appreciate the honesty on repairs.'], seed, 'ack-c');
      return null;
    case 'price':
      if (q.priceCents === null) return pick(['No problem, the agent can help with pricing.', "That's fine, we can figure out pricing together."], seed, 'ack-p');
      return `${shortMoney(q.priceCents)}, ${pick(['noted.', 'got it.'], seed, 'ack-p')}`;
  }
}

function acknowledgement(plan: Extract<ReplyPlan, { kind: 'ask' }>, q: Qualification, t: Tone, seed: number): string | null {
  if (!plan.acknowledge) return null;
  const fields = plan.acknowledged ?? [];
  const parts = fields.map((f) => acknowledgeOne(f, q, t, seed)).filter((s): s is string => s !== null).slice(0, 2);
  if (parts.length > 0) return parts.join(' ');
  return t === 'professional' ? 'Thank you.' : t === 'casual' ? 'Cool, thanks!' : 'Got it, thanks!';
}

function agentPhrase(facts: Record<string, string>, brand: string): string {
  const agent = clean(facts.agentName, 30);
  return agent ? `${agent} from ${brand}` : `an agent from ${brand}`;
}

/**
 * A generic answer to the lead's question, from `facts` only. Unknown → say the agent will
 * answer it; never guess a value, fee or policy.
 */
export function answerFor(question: string, persona: Persona, brand: string, facts: Record<string, string>, firstMessage: boolean): string | null {
  const n = normalize(question);
  const fact = (key: string, max = 100): string => clean(facts[key], max);
  if (/\b(?:bot|robot|ai|automated|real person|human|machine)\b/.test(n)) {
    return `I'm an AI assistant; a person from ${brand} can jump in anytime.`;
  }
  if (/\b(?:who (?:is|s|are)|whos|who dis|who this|what company|which company|who do you work)\b/.test(n)) {
    return firstMessage ? null : `I'm ${clean(persona.name, 20) || 'an assistant'}, an AI assistant with ${brand}.`;
  }
  if (/\b(?:how|where|why) (?:did|do) (?:you|u|yall|they) (?:get|find|have)\b|\bmy (?:number|info|information|contact)\b/.test(n)) {
    const source = fact('contactSource');
    return source ? `Your info reached us through ${source}.` : "I don't have the details on how your info reached us, but the team can check.";
  }
  if (/\b(?:worth|value|valuation|estimate|appraise|how much (?:can|could|would|will|is|do)|what (?:would|could|can) (?:i|we) get|offer|cash)\b/.test(n)) {
    const estimate = fact('estimate', 60);
    return estimate
      ? `Our rough estimate is ${estimate}; an agent can firm that up after a quick look.`
      : "An agent can give you a real number after a quick look; I'd rather not guess.";
  }
  if (/\b(?:commission|fee|fees|cost|charge|percent|%)\b/.test(n)) {
    const commission = fact('commission');
    return commission ? `On fees: ${commission}.` : 'The agent will walk you through any costs directly.';
  }
  if (/\b(?:come (?:by|out|over|see|look)|stop by|visit|walk ?through|meet|appointment|schedule)\b/.test(n)) {
    return `I can have ${agentPhrase(facts, brand)} reach out to set a time.`;
  }
  return "Good question, I'll make sure the agent covers it.";
}

/** Joins parts, dropping optional ones (lowest priority first) until the SMS fits. */
function fit(parts: Array<{ text: string | null; optional: number }>): string {
  let live = parts.filter((p): p is { text: string; optional: number } => !!p.text);
  const join = (): string => live.map((p) => p.text).join(' ').replace(/\s+/g, ' ').trim();
  const levels = [...new Set(live.map((p) => p.optional).filter((o) => o > 0))].sort((a, b) => b - a);
  let text = join();
  for (const level of levels) {
    if (text.length <= SMS_TARGET_LENGTH) break;
    live = live.filter((p) => p.optional !== level);
    text = join();
  }
  if (text.length <= SMS_MAX_LENGTH) return text;
  // Unreachable with the bounded names above; kept so a future template cannot break the limit.
  return `${text.slice(0, SMS_MAX_LENGTH - 1).trimEnd()}…`;
}

export function composeTemplate(input: ComposeInput): string {
  const { plan, persona, qualification, history, facts } = input;
  const t = tone(persona);
  const brand = clean(persona.brand, 40) || 'our team';
  const lead = firstName(input.leadFirstName);
  const seed = history.length;
  const salt = `${plan.kind}:${'question' in plan ? plan.question : ''}`;
  const script = scriptOf(input.script);
  const ask = (q: Question): string => pick(script.questions?.[q] ?? QUESTION_TEXT[q][t], seed, `${salt}:q`);

  switch (plan.kind) {
    case 'ask': {
      const answer = plan.answerQuestion ? answerFor(plan.answerQuestion, persona, brand, facts, plan.firstMessage) : null;
      return fit([
        { text: plan.firstMessage ? intro(persona, brand, lead, seed, script) : null, optional: 0 },
        { text: acknowledgement(plan, qualification, t, seed), optional: 2 },
        { text: answer, optional: 1 },
        { text: ask(plan.question), optional: 0 },
        { text: plan.firstMessage ? STOP_LINE : null, optional: 0 },
      ]);
    }
    case 'first_touch': {
      const inquiry = clean(facts.inquiry, 60);
      const reason = inquiry
        ? `Following up on your ${inquiry}.`
        : pick(['Reaching out to help with any plans to sell.', "I'm here to help if you're considering selling."], seed, salt);
      return fit([
        { text: intro(persona, brand, lead, seed, script), optional: 0 },
        { text: reason, optional: 1 },
        { text: ask(plan.question), optional: 0 },
        { text: STOP_LINE, optional: 0 },
      ]);
    }
    case 'handoff': {
      const who = agentPhrase(facts, brand);
      const Who = capital(who);
      const lines: Record<typeof plan.temperature, Variants> = {
        hot: {
          friendly: [`Thank you, that's everything I need! ${Who} will reach out shortly to talk next steps.`, `Perfect, thanks! I'm passing this to ${who} now; they'll be in touch shortly.`],
          professional: [`Thank you, that is everything I need. ${Who} will contact you shortly to discuss next steps.`, `Thank you. I am passing this to ${who}, who will be in touch shortly.`],
          casual: [`Awesome, that's all I need! ${Who} will reach out soon to talk next steps.`, `Perfect, thanks! Passing this to ${who} now, they'll be in touch soon.`],
        },
        warm: {
          friendly: [`Thanks, that's really helpful! I'll pass this to ${who}, who will follow up with next steps.`, `Thank you! I'll share this with ${who} so they can follow up.`],
          professional: [`Thank you, that is very helpful. I will share this with ${who}, who will follow up with next steps.`, `Thank you. ${Who} will follow up with you on next steps.`],
          casual: [`Thanks, super helpful! I'll pass this along to ${who} and they'll follow up.`, `Got it, thanks! ${Who} will follow up with next steps.`],
        },
        cold: {
          friendly: ['Thanks for sharing all that! No pressure at all; text anytime if your plans change.', 'Thank you, that helps! No rush on our side; feel free to text whenever the timing is right.'],
          professional: ['Thank you for the information. There is no pressure; please text anytime if your plans change.', 'Thank you. Whenever the timing is right, feel free to reach out here.'],
          casual: ['Thanks for all that! No pressure, just text whenever plans change.', 'Appreciate it! No rush at all, hit me up whenever the timing works.'],
        },
      };
      return fit([
        { text: plan.firstMessage ? intro(persona, brand, lead, seed, script) : null, optional: 0 },
        { text: pick(lines[plan.temperature][t], seed, salt), optional: 0 },
        { text: plan.firstMessage ? STOP_LINE : null, optional: 0 },
      ]);
    }
    case 'human_requested': {
      const who = agentPhrase(facts, brand);
      const lines: Variants = {
        friendly: [`Of course! I'll have ${who} reach out to you directly.`, `Absolutely, I'm letting ${who} know to contact you directly.`],
        professional: [`Certainly. I will have ${who} contact you directly.`, `Of course. ${capital(who)} will reach out to you directly.`],
        casual: [`For sure! I'll have ${who} reach out to you directly.`, `You got it, ${who} will get in touch with you directly.`],
      };
      return fit([
        { text: plan.firstMessage ? intro(persona, brand, lead, seed, script) : null, optional: 0 },
        { text: pick(lines[t], seed, salt), optional: 0 },
        { text: plan.firstMessage ? STOP_LINE : null, optional: 0 },
      ]);
    }
    case 'not_interested':
      return pick(
        {
          friendly: ['Understood, thanks for letting me know. If anything changes, feel free to text back.', 'No problem at all, thanks for the reply. Take care!'],
          professional: ['Understood, thank you for letting me know. If anything changes, you are welcome to reply here.', 'Thank you for your reply. All the best.'],
          casual: ['All good, thanks for letting me know! If anything changes, just text back.', 'No worries at all, thanks! Take care.'],
        }[t],
        seed,
        salt,
      );
    case 'already_listed':
      return pick(
        {
          friendly: ['Got it, thanks for letting me know. Best of luck with the sale!', 'Thanks for the heads up, and good luck with the sale!'],
          professional: ['Understood, thank you for letting me know. Best of luck with the sale.', 'Thank you for the update. All the best with the sale.'],
          casual: ['Got it, thanks! Good luck with the sale!', 'Cool, thanks for the heads up. Good luck with the sale!'],
        }[t],
        seed,
        salt,
      );
    case 'wrong_number':
      return pick(
        {
          friendly: ['Sorry about that, thanks for letting me know. Have a good day!', 'Apologies for the mix-up, and thanks for telling me.'],
          professional: ['My apologies for the mix-up, and thank you for letting me know.', 'Apologies for the error. Thank you for letting me know.'],
          casual: ['Oops, sorry about that! Thanks for letting me know.', 'My bad, sorry for the mix-up. Thanks!'],
        }[t],
        seed,
        salt,
      );
    case 'hostile':
      // One short de-escalation in every tone: no pushback, no pitch, the way out.
      return pick(
        [`Sorry for the bother. I'll step back; reply STOP anytime and you won't hear from us again.`, `Apologies, I didn't mean to bother you. Reply STOP anytime to opt out.`],
        seed,
        salt,
      );
    case 'follow_up': {
      const greet = lead ? (t === 'professional' ? `Hello ${lead},` : `Hi ${lead},`) : t === 'professional' ? 'Hello,' : 'Hi,';
      const opener = plan.attempt <= 1
        ? pick([`${greet} just following up.`, `${greet} checking back in.`], seed, salt)
        : pick([`${greet} circling back in case my last text got buried.`, `${greet} one more quick check-in.`], seed, salt);
      const body = plan.question ? ask(plan.question) : pick(['Any questions I can help with?', 'Anything I can help with?'], seed, `${salt}:none`);
      return fit([
        { text: opener, optional: 0 },
        { text: body, optional: 0 },
        // Follow-ups are proactive: remind the lead how to stop them.
        { text: STOP_LINE, optional: 1 },
      ]);
    }
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The one confirmation after an opt-out: no marketing, nothing else. */
export function optOutConfirmation(brand: string): string {
  const b = clean(brand, 40) || 'Our team';
  return `${b}: You're unsubscribed and won't get more texts from us. Reply START to resubscribe.`;
}

export function optInConfirmation(brand: string): string {
  const b = clean(brand, 40) || 'Our team';
  return `${b}: You're subscribed again. Reply STOP to opt out, HELP for help.`;
}

/** HELP: who is writing and how to stop, as carriers require. */
export function helpReply(brand: string, persona: Persona): string {
  const b = clean(brand, 40) || 'Our team';
  const name = clean(persona.name, 20);
  const who = name ? `I'm ${name}, an AI assistant.` : "I'm an AI assistant.";
  return `${b}: ${who} Reply with your question or ask for an agent to reach a person. Reply STOP to opt out.`;
}
