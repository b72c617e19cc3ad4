/**
 * Seller-assistant scripts: alternative wordings of the same conversation, the variants an
 * `assistant_script` experiment compares. A script changes how the bot opens and how it asks the
 * four questions, never what it may say: the AI disclosure, the brand and "Reply STOP to opt out"
 * stay in every first message, and a script states no fact (no figure, fee or promise) of its own.
 *
 * `standard` is the tenant's own templates (templates.ts), the control. The deterministic
 * templates read `opening` and `questions`; the Claude prompt reads `guidance` and the same
 * question wordings as examples, so both assistants say the variant's words.
 */
import type { Question } from './types';

export const SCRIPT_KEYS = ['standard', 'direct', 'consultative'] as const;
export type ScriptKey = (typeof SCRIPT_KEYS)[number];

export interface Script {
  /** One line for the Claude prompt: how this script words a message (empty for standard). */
  guidance: string;
  /** The sentence after the greeting in a first message; it must carry "an AI assistant" and the brand. */
  opening: ((name: string, brand: string) => readonly string[]) | null;
  /** Wordings per question, in place of the tone's own. A "yes" to a condition question must mean move-in ready (the extractor reads it so). */
  questions: Record<Question, readonly string[]> | null;
}

export const SCRIPTS: Record<ScriptKey, Script> = {
  standard: { guidance: '', opening: null, questions: null },
  direct: {
    guidance: 'direct — as short as the plan allows, no small talk; ask the question plainly in one short sentence.',
    opening: (name, brand) => [`${name} here, an AI assistant with ${brand}. Just a few quick questions.`, `This is ${name}, an AI assistant for ${brand}, with a few quick questions.`],
    questions: {
      motivation: ['Why are you thinking of selling?', 'What is the main reason for selling?'],
      timeline: ['When do you want to be sold by?', 'How soon do you want to sell?'],
      condition: ['Is the house move-in ready? If not, what does it need?', 'Is it move-in ready right now? If not, what needs fixing?'],
      price: ['What price do you want for it?', 'What number would you take for it?'],
    },
  },
  consultative: {
    guidance: 'consultative — before each question say in a few words why it helps the agent help them; calm, unhurried.',
    opening: (name, brand) => [`I'm ${name}, an AI assistant with ${brand}. A few questions help the team see how best to help you.`, `This is ${name}, an AI assistant for ${brand}. I'll ask a few questions so the team knows how best to help.`],
    questions: {
      motivation: ['So we understand your situation: what has you thinking about selling?', 'Every sale starts with the why: what has you considering selling?'],
      timeline: ['Timing shapes the plan, so: when would you ideally like to sell?', 'So the agent can plan around you: how soon would you like to sell?'],
      condition: ['Condition shapes the plan too: is the house move-in ready? If not, what would it need?', 'So the agent knows what to expect: is the home move-in ready? If not, what does it need?'],
      price: ['To help the agent prepare: is there a price you would be happy with?', 'So the agent can prepare: what price do you have in mind?'],
    },
  },
};

export function isScriptKey(value: unknown): value is ScriptKey {
  return typeof value === 'string' && (SCRIPT_KEYS as readonly string[]).includes(value);
}

export function scriptOf(key: ScriptKey | undefined): Script {
  return SCRIPTS[key ?? 'standard'];
}
