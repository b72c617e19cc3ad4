import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runJobOnce } from '../../services/jobs/runs';
import { runQueuedTraining } from '../../services/models/trainings';

const route = createRoute({
  method: 'post',
  path: '/train',
  tags: ['Jobs'],
  summary: 'Run a queued model training (published by POST /v1/models/{kind}/train?wait=false and by /jobs/retrain)',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ trainingId: z.string().min(1).max(64).regex(/^trn_[1-9A-HJ-NP-Za-km-z]+$/, 'not a training id') }) } } } },
  responses: {
    200: {
      description: 'Ran (or had nothing left to do); the run itself records success or failure',
      content: { 'application/json': { schema: z.object({ job: z.literal('train'), duplicate: z.boolean(), trainingId: z.string().optional(), status: z.string().optional() }) } },
    },
  },
});

export const trainJob = newRouter().openapi(route, async (c) => {
  const { trainingId } = c.req.valid('json');
  const delivery = jobDelivery(c, 'train');
  const { db, redis } = c.var.services;
  const outcome = await runJobOnce(db, delivery, () => runQueuedTraining({ db, redis, config: c.var.config, logger: c.var.logger }, trainingId, delivery.attempt));
  return c.json(outcome.duplicate ? { job: 'train' as const, duplicate: true } : { job: 'train' as const, duplicate: false, trainingId, status: outcome.result.status }, 200);
});
