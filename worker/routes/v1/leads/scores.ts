import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { leadScoresView } from '../../../services/scoring/rescore';
import { commonErrors, json, notFound, serialize } from '../schemas';
import { LeadIdParam } from './schemas';

const Reason = z.object({ feature: z.string(), contribution: z.number().openapi({ description: 'Log-odds this feature added (+) or removed (−)' }) });
const ModelScore = z.object({
  probability: z.number().min(0).max(1),
  modelVersion: z.string().openapi({ description: '`prior-v1` (documented priors) until the tenant has a trained model for this kind' }),
  reasons: z.array(Reason),
  scoredAt: z.string(),
});
const Signal = z.object({
  type: z.string(),
  category: z.enum(['engagement', 'financial', 'life_property']),
  strength: z.number(),
  confidence: z.number(),
  evidence: z.string(),
});

const route = defineRoute('leads:read', {
  method: 'get',
  path: '/leads/{id}/scores',
  tags: ['Leads'],
  summary: 'Lead score 0–100, the four model probabilities with reasons, and the signals behind them',
  request: { params: LeadIdParam },
  responses: {
    200: json(
      z.object({
        leadId: z.string(),
        leadScore: z.number().int().min(0).max(100),
        scoredAt: z.string().nullable(),
        models: z.object({ sell: ModelScore, buy: ModelScore, refinance: ModelScore, invest: ModelScore }).partial(),
        signals: z.array(Signal),
      }),
      'The latest scores (a lead never scored is scored on this read)',
    ),
    ...commonErrors,
    ...notFound,
  },
});

export const leadScoresRoute = newRouter().openapi(route, async (c) => c.json(serialize(await leadScoresView(serviceContext(c), c.req.valid('param').id)) as never, 200));
