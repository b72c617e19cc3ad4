import { z } from '@hono/zod-openapi';
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from '../../../services/analytics/dashboard';

// An instant outside 1970–9999 is a 422 here, never a Postgres or Date error (a 500).
const Instant = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) >= Date.parse('1970-01-01T00:00:00Z') && Date.parse(v) < Date.parse('9999-01-01T00:00:00Z'), 'must be between 1970 and 9999');

export const PeriodFields = {
  from: Instant.optional().openapi({ description: `Start of the period, inclusive (default: ${DEFAULT_RANGE_DAYS} days before \`to\`)` }),
  to: Instant.optional().openapi({ description: `End of the period, exclusive (default: now); at most ${MAX_RANGE_DAYS} days after \`from\`` }),
};
export const PeriodQuery = z.object(PeriodFields);

export const toPeriod = (q: { from?: string; to?: string }) => ({ from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });

const ms = z.number().int().nullable().openapi({ description: 'Milliseconds; null with nothing to measure' });
const fraction = z.number().min(0).max(1).nullable().openapi({ description: 'A fraction, 0–1; null with no leads' });
const questions = <T extends z.ZodType>(v: T) => z.object({ q1Motivation: v, q2Timeline: v, q3Condition: v, q4Price: v });

export const AgentMetricsSchema = z
  .object({
    leads: z.number().int(),
    speedToLeadMedianMs: ms,
    replyTimeMedianMs: ms,
    replies: z.number().int(),
    coverage: questions(fraction),
    answered: questions(z.number().int()).openapi({ description: "Per question, the agent's leads with the answer" }),
    unanswered: questions(z.array(z.string())).openapi({ description: "Per question, the agent's newest leads without the answer (at most 50)" }),
    agentMessages: z.number().int(),
    questionsAsked: z.number().int(),
    talkRatio: z.number().nullable(),
    followUpCadenceMedianMs: ms,
    followUps: z.number().int(),
    slaMisses: z.number().int(),
    slaMissAlertIds: z.array(z.string()),
    missedOpportunities: z.number().int(),
    missed: z.array(z.object({ leadId: z.string(), name: z.string().nullable(), waitedMs: ms })),
    alerts: z.object({ routed: z.number().int(), acknowledged: z.number().int(), claimed: z.number().int(), converted: z.number().int() }),
  })
  .openapi('CoachingMetrics');

export const TeamMetricsSchema = z
  .object({
    agents: z.number().int(),
    leads: z.number().nullable(),
    speedToLeadMedianMs: z.number().nullable(),
    replyTimeMedianMs: z.number().nullable(),
    'coverage.q1Motivation': z.number().nullable(),
    'coverage.q2Timeline': z.number().nullable(),
    'coverage.q3Condition': z.number().nullable(),
    'coverage.q4Price': z.number().nullable(),
    questionsAsked: z.number().nullable(),
    talkRatio: z.number().nullable(),
    followUpCadenceMedianMs: z.number().nullable(),
    slaMisses: z.number().nullable(),
    missedOpportunities: z.number().nullable(),
  })
  .openapi('CoachingTeamMetrics', { description: 'Each figure: the median across the team members that have a value' });

export const CoachingReportSchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null when computed on this read and not stored' }),
    agentId: z.string(),
    agentName: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    metrics: AgentMetricsSchema,
    team: TeamMetricsSchema,
    insights: z.array(z.object({ title: z.string(), detail: z.string(), evidence: z.array(z.string()).optional() })),
    actions: z.array(z.object({ action: z.string(), why: z.string() })),
    narrative: z.string().nullable(),
    generatedBy: z.enum(['claude', 'rules']),
    fallbackReason: z.string().nullable().openapi({ description: "Why Claude's coaching was not used (e.g. ungrounded_number:45, timeout)" }),
    model: z.string().nullable(),
    tokens: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int(), cacheReadTokens: z.number().int().optional() }).nullable(),
    costMicroUsd: z.number().int().openapi({ description: 'What the analysis cost, in millionths of a US dollar' }),
    trigger: z.enum(['on_demand', 'nightly']).nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    stored: z.boolean(),
    definitions: z.record(z.string(), z.string()),
  })
  .openapi('CoachingReport');
