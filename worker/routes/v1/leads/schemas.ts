import { z } from '@hono/zod-openapi';
import { CONDITIONS, MOTIVATION_CATEGORIES, MOTIVATION_STRENGTHS } from '../../../assistant/types';
import { BOT_STATES, LEAD_STAGES, MESSAGE_STATUSES, TEMPERATURES } from '../../../db/schema/leads';

const time = z.string().nullable().openapi({ format: 'date-time' });

export const LeadSchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable().openapi({ description: 'The GHL contact id' }),
    source: z.enum(['ghl', 'api', 'events']),
    kind: z.enum(['seller', 'prospect']),
    name: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: 'E.164' }),
    email: z.string().nullable(),
    address: z.object({ street: z.string().nullable(), city: z.string().nullable(), state: z.string().nullable(), postalCode: z.string().nullable() }),
    tags: z.array(z.string()),
    stage: z.enum(LEAD_STAGES),
    temperature: z.enum(TEMPERATURES).nullable(),
    temperatureReasons: z.array(z.string()).openapi({ description: 'Why the assistant classified the lead so, in plain words' }),
    qualification: z.object({
      motivation: z.object({ category: z.enum(MOTIVATION_CATEGORIES), strength: z.enum(MOTIVATION_STRENGTHS), evidence: z.string() }).nullable(),
      timelineDays: z.number().int().nullable(),
      condition: z.enum(CONDITIONS).nullable(),
      conditionNotes: z.string().nullable(),
      priceCents: z.number().int().nullable(),
    }),
    estimateCents: z.number().int().nullable(),
    optedOut: z.boolean(),
    dnd: z.boolean().openapi({ description: "GHL's do-not-disturb flag for SMS" }),
    botState: z.enum(BOT_STATES).openapi({ description: 'active: the assistant is talking; human: an agent took over; paused; done' }),
    assignedAgentId: z.string().nullable(),
    takenOverBy: z.string().nullable(),
    speedToLeadMs: z.number().int().nullable().openapi({ description: 'First inbound message → first outbound message' }),
    firstInboundAt: time,
    firstOutboundAt: time,
    lastInboundAt: time,
    lastOutboundAt: time,
    qualifiedAt: time,
    opportunityStatus: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Lead');

export const MessageSchema = z
  .object({
    id: z.string(),
    leadId: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    sender: z.enum(['lead', 'bot', 'agent', 'system']),
    senderUserId: z.string().nullable(),
    body: z.string(),
    kind: z.string().nullable().openapi({ description: 'Why it was sent: reply, first_touch, follow_up, opt_out_confirmation, help, agent…' }),
    status: z.enum(MESSAGE_STATUSES).openapi({ description: 'received (inbound); queued → sent | deferred (quiet hours, GHL busy) | suppressed (rules) | failed' }),
    generatedBy: z.string().nullable().openapi({ description: 'claude | deterministic | template, for bot messages' }),
    error: z.string().nullable().openapi({ description: 'Why a message was suppressed or failed' }),
    scheduledFor: time,
    at: z.string(),
    sentAt: time,
    replyLatencyMs: z.number().int().nullable(),
  })
  .openapi('Message');

export const LeadIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^lead_[1-9A-HJ-NP-Za-km-z]+$/, 'not a lead id')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'lead_1ChHDFAV9aDuq284GjB79b' }),
});
