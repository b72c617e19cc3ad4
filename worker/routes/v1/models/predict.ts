import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import { predictRows } from '../../../services/models/predict';
import { commonErrors, conflict, json, jsonBody, planRequired } from '../schemas';
import { KindParam } from './schemas';

const Value = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

const route = defineRoute('leads:read', {
  method: 'post',
  path: '/models/{kind}/predict',
  tags: ['Models'],
  summary: "Probabilities and reasons from the tenant's active model",
  description:
    'Rows are keyed by the training columns; a missing column counts as missing. 409 when the kind has no trained model (the priors score it). Trained models are a paid feature: a tenant whose plan dropped keeps its versions (listed, reactivated on upgrade) but its leads are scored by the priors, and this answers 402.',
  middleware: [requiresPlanFeature('scoring_models')],
  request: {
    params: KindParam,
    body: jsonBody(
      z
        .object({
          rows: z.array(z.record(z.string().max(200), Value).refine((r) => Object.keys(r).length <= 500, 'at most 500 columns')).min(1).max(1000),
          topReasons: z.number().int().min(1).max(50).default(5),
        })
        .openapi('PredictRequest'),
    ),
  },
  responses: {
    200: json(
      z.object({
        modelVersion: z.string(),
        version: z.number().int(),
        predictions: z.array(
          z.object({
            probability: z.number(),
            reasons: z.array(z.object({ feature: z.string(), contribution: z.number().openapi({ description: 'Log-odds moved by this column (+ raises the probability)' }) })),
          }),
        ),
      }),
      'One prediction per row, in order',
    ),
    ...commonErrors,
    ...conflict,
    ...planRequired,
  },
});

export const predictRoute = newRouter().openapi(route, async (c) => {
  const { kind } = c.req.valid('param');
  const { rows, topReasons } = c.req.valid('json');
  return c.json(await predictRows(serviceContext(c), kind, rows, topReasons), 200);
});
