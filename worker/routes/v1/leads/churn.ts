import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { leadChurn } from '../../../services/churn/view';
import { commonErrors, json, notFound, serialize } from '../schemas';
import { LeadIdParam } from './schemas';

const time = z.string().nullable();
const Driver = z.object({
  driver: z.string().openapi({
    description: "reply_recency | response_rate_decay | unanswered_outbound | stage_stagnation | sentiment_trend (a CSV-trained model's column outside the feature row: its own name)",
  }),
  contribution: z.number().openapi({ description: 'Log-odds this driver added (+) or removed (−)' }),
  evidence: z.string().openapi({ description: 'What the driver saw, in plain words' }),
});
const Intervention = z.object({
  id: z.string(),
  step: z.number().int().min(1).max(3),
  kind: z.enum(['re_engage', 'agent_task', 'escalate']),
  status: z.enum(['scheduled', 'done', 'skipped', 'cancelled', 'failed']),
  scheduledFor: z.string(),
  executedAt: time,
  detail: z.record(z.string(), z.unknown()).openapi({ description: 'Message or alert id, or why it was skipped / cancelled' }),
});

export const LeadChurnSchema = z
  .object({
    leadId: z.string(),
    risk: z.number().min(0).max(1).nullable().openapi({ description: 'Latest churn risk, 0–1 (null: not assessed yet)' }),
    drivers: z.array(Driver),
    modelVersion: z.string().nullable().openapi({ description: '`churn-prior-v1` = the documented prior, else the trained churn version id (mdl_…)' }),
    model: z
      .object({
        source: z.enum(['prior', 'trained']),
        id: z.string().openapi({ description: 'Same as modelVersion' }),
        version: z.number().int().nullable().openapi({ description: 'The churn version number (GET /v1/models); null for the prior' }),
        trainedOn: z.enum(['csv', 'outcomes']).nullable().openapi({ description: 'A CSV import, or the tenant’s own resolved episodes; null for the prior' }),
      })
      .nullable()
      .openapi({ description: 'The model that produced the latest risk (null: not assessed yet)' }),
    assessedAt: time,
    history: z.array(z.object({ risk: z.number(), assessedAt: z.string() })).openapi({ description: 'Newest first (up to 30)' }),
    episode: z
      .object({
        id: z.string(),
        group: z.enum(['treated', 'holdout']).openapi({ description: 'holdout: no intervention, the comparison group' }),
        outcome: z.enum(['pending', 'saved', 'not_saved']),
        riskAtDetection: z.number(),
        stageAtDetection: z.string(),
        detectedAt: z.string(),
        firstActionAt: time,
        resolvedAt: time,
        interventions: z.array(Intervention),
      })
      .nullable()
      .openapi({ description: 'The newest going-cold episode, or null' }),
  })
  .openapi('LeadChurn');

const route = defineRoute('leads:read', {
  method: 'get',
  path: '/leads/{id}/churn',
  tags: ['Leads'],
  summary: 'Churn (going-cold) risk with its drivers, the risk history, and the newest episode with its interventions',
  request: { params: LeadIdParam },
  responses: { 200: json(LeadChurnSchema, 'Churn risk and episode'), ...commonErrors, ...notFound },
});

export const leadChurnRoute = newRouter().openapi(route, async (c) => c.json(serialize(await leadChurn(serviceContext(c), c.req.valid('param').id)) as never, 200));
