import { z } from '@hono/zod-openapi';
import { TRAINABLE_MODEL_KINDS } from '../../../db/schema';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listModels } from '../../../services/models/versions';
import { commonErrors, json, serialize } from '../schemas';
import { MetricsSchema, VersionSchema } from './schemas';

const ModelSchema = z
  .object({
    kind: z.enum(TRAINABLE_MODEL_KINDS),
    active: z
      .object({
        id: z.string(),
        version: z.number().int(),
        learner: z.string(),
        source: z.enum(['csv', 'outcomes']),
        metrics: MetricsSchema,
        features: z.array(z.string()),
        activatedAt: z.string().nullable(),
      })
      .nullable(),
    prior: z.boolean().openapi({ description: 'true: no trained version is active, the documented priors drive the scores' }),
    versions: z.array(VersionSchema).openapi({ description: 'Newest first, without the model itself' }),
    alerts: z
      .object({ alertsWithOutcome: z.number().int(), converted: z.number().int(), precision: z.number().nullable() })
      .openapi({
        description: 'Live precision: of the alerts of this kind with a recorded outcome, the share that converted (churn raises none: its outcomes are in GET /v1/churn/summary)',
      }),
  })
  .openapi('Model');

const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/models',
  tags: ['Models'],
  summary: 'The four propensity models and churn: active version or priors, stored versions, live alert precision',
  request: { query: z.object({ versions: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Versions listed per kind' }) }) },
  responses: { 200: json(z.object({ models: z.array(ModelSchema) }), 'One entry per kind'), ...commonErrors },
});

export const listModelsRoute = newRouter().openapi(route, async (c) =>
  c.json({ models: serialize(await listModels(serviceContext(c), { versionsPerKind: c.req.valid('query').versions })) }, 200),
);
