import { z } from '@hono/zod-openapi';
import { MODEL_VERSION_STATUSES, TRAINABLE_MODEL_KINDS } from '../../../db/schema';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getTraining } from '../../../services/models/trainings';
import { commonErrors, IdParam, json, notFound, serialize } from '../schemas';
import { BadRowSchema, MetricsSchema, TrainingStatusSchema } from './schemas';

const TrainingSchema = z
  .object({
    id: z.string(),
    kind: z.enum(TRAINABLE_MODEL_KINDS),
    source: z.enum(['csv', 'outcomes']),
    status: TrainingStatusSchema.openapi({ description: 'queued → parsing → training → succeeded (new version active) | rejected (stored, not better) | failed (see error)' }),
    label: z.string(),
    exclude: z.array(z.string()),
    progress: z
      .object({ rowsParsed: z.number().int(), rowsTotal: z.number().int().nullable(), foldsDone: z.number().int(), foldsTotal: z.number().int(), phase: z.string() })
      .nullable(),
    badRows: z.array(BadRowSchema),
    badRowCount: z.number().int(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    result: z
      .object({ modelVersion: z.string(), version: z.number().int(), status: z.enum(MODEL_VERSION_STATUSES), metrics: MetricsSchema, decision: z.string().nullable() })
      .nullable(),
  })
  .openapi('ModelTraining');

const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/models/trainings/{id}',
  tags: ['Models'],
  summary: 'A training run: status, progress, rows left out (with line numbers), error, result',
  request: { params: IdParam('trn') },
  responses: { 200: json(TrainingSchema, 'The run'), ...commonErrors, ...notFound },
});

export const getTrainingRoute = newRouter().openapi(route, async (c) => c.json(serialize(await getTraining(serviceContext(c), c.req.valid('param').id)), 200));
