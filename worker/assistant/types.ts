/**
 * The seller assistant's vocabulary. Everything here is plain data so the same types flow
 * through the deterministic extractor, the Claude provider, the ConversationRoom Durable Object,
 * Postgres (leads.qualification) and the public API.
 */
import type { ScriptKey } from './scripts';

export const MOTIVATION_CATEGORIES = [
  'relocation',
  'downsizing',
  'upsizing',
  'financial',
  'divorce',
  'inheritance',
  'retirement',
  'tired_landlord',
  'other',
] as const;
export type MotivationCategory = (typeof MOTIVATION_CATEGORIES)[number];

export const MOTIVATION_STRENGTHS = ['strong', 'moderate', 'weak'] as const;
export type MotivationStrength = (typeof MOTIVATION_STRENGTHS)[number];

export const CONDITIONS = ['move_in_ready', 'needs_some_work', 'needs_major_repairs'] as const;
export type Condition = (typeof CONDITIONS)[number];

export const TEMPERATURES = ['hot', 'warm', 'cold'] as const;
export type Temperature = (typeof TEMPERATURES)[number];

/** The four questions, asked in this order. */
export const QUESTIONS = ['motivation', 'timeline', 'condition', 'price'] as const;
export type Question = (typeof QUESTIONS)[number];

export interface Motivation {
  category: MotivationCategory;
  strength: MotivationStrength;
  /** The lead's own words the answer rests on (a short quote from their message). */
  evidence: string;
}

export interface Qualification {
  motivation: Motivation | null;
  /** Normalised to days from the message's date: "ASAP" → 14, "next month" → ~30, "spring" → days to ~mid-April… */
  timelineDays: number | null;
  condition: Condition | null;
  /** Free-text notes on the condition ("roof is 20 years old"). */
  conditionNotes: string | null;
  /** Expected price in integer cents. */
  priceCents: number | null;
}

export const EMPTY_QUALIFICATION: Qualification = {
  motivation: null,
  timelineDays: null,
  condition: null,
  conditionNotes: null,
  priceCents: null,
};

/**
 * What a message means beyond the four answers. More than one can hold ("Actually 60 days. Who is this?").
 * - opt_out: STOP & co. or a plain-language opt-out ("leave me alone", "no más"); never "can you stop by Tuesday?"
 * - opt_in: START / UNSTOP / YES after an opt-out
 * - help: HELP / INFO keyword
 * - human: asks for a person/agent/call ("can someone call me", "I want to talk to a real person")
 * - not_interested: "not interested", "not selling", "changed my mind"
 * - already_listed: "already listed with an agent", "we signed with Redfin"
 * - wrong_number: "wrong number", "I don't own that house"
 * - hostile: insults, threats, profanity aimed at the sender
 * - question: asks something back ("who is this?", "how did you get my number?", "what's my house worth?")
 * - greeting: "hi", "hello" with nothing else
 */
export const INTENTS = [
  'opt_out',
  'opt_in',
  'help',
  'human',
  'not_interested',
  'already_listed',
  'wrong_number',
  'hostile',
  'question',
  'greeting',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface Extraction {
  /** Only the fields this message gives a value for; absent = not mentioned. */
  fields: Partial<Omit<Qualification, 'conditionNotes'>> & { conditionNotes?: string };
  intents: Intent[];
  /** Fields the lead explicitly corrected ("actually more like 60 days"). */
  corrections: Question[];
  /** The question the lead asked, verbatim, when intents includes 'question'. */
  questionText?: string;
  /**
   * Questions the lead addressed without a usable value ("no rush", "whatever is fair", "make me
   * an offer"): the bot moves on and the field stays null.
   */
  addressedWithoutValue?: Question[];
}

export interface TranscriptMessage {
  sender: 'lead' | 'bot' | 'agent';
  body: string;
  at: string; // ISO-8601
}

export interface Persona {
  /** The assistant's first name ("Ava"). */
  name: string;
  tone: 'friendly' | 'professional' | 'casual';
  signature: string;
  /** The tenant's brand, named in the first message with the AI disclosure. */
  brand: string;
}

export interface UnderstandInput {
  text: string;
  /** The question the bot asked last; short answers ("60 days", "yes") are read against it. */
  expecting: Question | null;
  qualification: Qualification;
  history: TranscriptMessage[];
  /** The message's own time: relative timelines ("next month") count from here. */
  now: Date;
}

/** What the bot is about to say; decided by the conversation policy, worded by the assistant. */
export type ReplyPlan =
  | {
      kind: 'ask';
      question: Question;
      /** What the lead just told us, in plain words ("hoping to sell in about 2 months"). */
      acknowledge?: string;
      firstMessage: boolean;
      /** The lead's own question, to answer generically from `facts` before asking ours. */
      answerQuestion?: string;
      /** The fields `acknowledge` describes, so a template can word each one. */
      acknowledged?: Question[];
    }
  | { kind: 'handoff'; temperature: Temperature; firstMessage: boolean }
  | { kind: 'human_requested'; firstMessage: boolean }
  | { kind: 'not_interested' }
  | { kind: 'already_listed' }
  | { kind: 'wrong_number' }
  | { kind: 'hostile' }
  | { kind: 'follow_up'; question: Question | null; attempt: number }
  | { kind: 'first_touch'; question: Question };

export interface ComposeInput {
  plan: ReplyPlan;
  persona: Persona;
  qualification: Qualification;
  history: TranscriptMessage[];
  /** Facts the bot may state (nothing else: it never invents prices, policies or facts). */
  facts: Record<string, string>;
  leadFirstName: string | null;
  /** The wording the lead's assistant_script variant chose (scripts.ts); absent = standard. */
  script?: ScriptKey;
}

export interface AssistantResult<T> {
  value: T;
  source: 'claude' | 'deterministic';
  /** Tokens used (Claude only), for cost tracking. */
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens?: number };
  /** Set when the primary provider failed and the fallback answered. */
  fallbackReason?: string;
}

/** Two real implementations: Claude (when ANTHROPIC_API_KEY is set) and the deterministic one. */
export interface SellerAssistant {
  readonly name: 'claude' | 'deterministic';
  understand(input: UnderstandInput): Promise<AssistantResult<Extraction>>;
  compose(input: ComposeInput): Promise<AssistantResult<string>>;
}
