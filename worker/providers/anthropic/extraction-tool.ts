import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import {
  CONDITIONS,
  INTENTS,
  MOTIVATION_CATEGORIES,
  MOTIVATION_STRENGTHS,
  QUESTIONS,
  type Extraction,
  type Question,
} from '../../assistant/types';

export const RECORD_TOOL_NAME = 'record_seller_reply';

/**
 * The tool's input, mirroring `Extraction`. Nullable fields are accepted because models
 * often write `null` for "not mentioned"; `toExtraction` decides what a null means.
 * Bounds reject values no seller conversation produces (a $300 house, a 40-year timeline),
 * so such an answer goes to the deterministic assistant instead of into the lead's record.
 */
export const SellerReplyInput = z.object({
  fields: z
    .object({
      motivation: z
        .object({
          category: z.enum(MOTIVATION_CATEGORIES).describe('Why they want to sell.'),
          strength: z
            .enum(MOTIVATION_STRENGTHS)
            .describe('strong: a deadline or pressure; moderate: a clear reason, no urgency; weak: vague or just curious.'),
          evidence: z.string().min(1).max(300).describe("A short quote of the lead's own words the answer rests on."),
        })
        .nullable()
        .optional(),
      timelineDays: z
        .number()
        .int()
        .min(0)
        .max(3650)
        .nullable()
        .optional()
        .describe("Days from the message's date until they want to sell."),
      condition: z.enum(CONDITIONS).nullable().optional().describe("The property's condition."),
      conditionNotes: z.string().min(1).max(300).optional().describe('Short factual notes on the condition, in the lead\'s terms.'),
      priceCents: z
        .number()
        .int()
        .min(1_000_000)
        .max(10_000_000_000)
        .nullable()
        .optional()
        .describe('Expected price in integer US cents ($450k = 45000000).'),
    })
    .describe('Only the answers this message gives. Leave a key out when the message does not mention it.'),
  intents: z.array(z.enum(INTENTS)).max(INTENTS.length).describe('Every intent that holds; empty when the message only answers.'),
  corrections: z
    .array(z.enum(QUESTIONS))
    .max(QUESTIONS.length)
    .describe('Questions whose earlier answer the lead explicitly changes in this message.'),
  questionText: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe("The lead's question, verbatim, when intents includes question."),
});

export type SellerReplyInput = z.infer<typeof SellerReplyInput>;

function inputSchema(): Anthropic.Tool.InputSchema {
  // `$schema` is noise to the model and costs tokens on every uncached call.
  const { $schema: _ignored, ...schema } = z.toJSONSchema(SellerReplyInput) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

export const RECORD_TOOL: Anthropic.Tool = {
  name: RECORD_TOOL_NAME,
  description:
    "Record what the seller lead's newest SMS says: the qualification answers it gives (motivation, timeline, " +
    'condition, price), every intent it carries (opt-out, question, request for a human…) and which earlier ' +
    'answers it corrects. Call it exactly once per message, even when the message says nothing useful.',
  input_schema: inputSchema(),
};

const FIELD_OF: Record<Question, 'motivation' | 'timelineDays' | 'condition' | 'priceCents'> = {
  motivation: 'motivation',
  timeline: 'timelineDays',
  condition: 'condition',
  price: 'priceCents',
};

/**
 * Tool input → `Extraction`. A null is kept only when the lead withdrew that answer (the
 * question is among the corrections: "actually, not sure about timing anymore"); otherwise it
 * means "not mentioned" and is dropped, so it can never wipe an answer the lead gave earlier.
 * A correction with no value beside it says nothing and is dropped too.
 */
export function toExtraction(input: SellerReplyInput): Extraction {
  const corrected = new Set(input.corrections);
  const fields: Extraction['fields'] = {};
  const keep = (q: Question) => {
    const value = input.fields[FIELD_OF[q]];
    return value !== undefined && (value !== null || corrected.has(q));
  };
  if (keep('motivation')) fields.motivation = input.fields.motivation ?? null;
  if (keep('timeline')) fields.timelineDays = input.fields.timelineDays ?? null;
  if (keep('condition')) fields.condition = input.fields.condition ?? null;
  if (keep('price')) fields.priceCents = input.fields.priceCents ?? null;
  if (input.fields.conditionNotes) fields.conditionNotes = input.fields.conditionNotes.trim();

  const corrections = [...corrected].filter(
    (q) => FIELD_OF[q] in fields || (q === 'condition' && fields.conditionNotes !== undefined),
  );
  const extraction: Extraction = { fields, intents: [...new Set(input.intents)], corrections };
  if (input.questionText) extraction.questionText = input.questionText.trim();
  return extraction;
}
