import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runJobOnce } from '../../services/jobs/runs';
import { planRetraining } from '../../services/models/retrain';

const route = createRoute({
  method: 'post',
  path: '/retrain',
  tags: ['Jobs'],
  summary: 'Queue a retrain for every tenant and model kind with enough new outcomes (QStash cron, nightly)',
  responses: {
    200: {
      description: 'Counts (or already done for this message)',
      content: {
        'application/json': {
          schema: z.object({
            job: z.literal('retrain'),
            duplicate: z.boolean(),
            candidates: z.number().int().optional(),
            queued: z.number().int().optional(),
            tooFewPerOutcome: z.number().int().optional(),
            notEnoughNew: z.number().int().optional(),
            alreadyRunning: z.number().int().optional(),
            failed: z.number().int().optional(),
            trainings: z.array(z.object({ tenantId: z.string(), kind: z.string(), trainingId: z.string(), outcomes: z.number().int() })).optional(),
          }),
        },
      },
    },
  },
});

export const retrainJob = newRouter().openapi(route, async (c) => {
  const { db, redis, qstash } = c.var.services;
  const outcome = await runJobOnce(db, jobDelivery(c, 'retrain'), () => planRetraining({ db, redis, config: c.var.config, logger: c.var.logger }, qstash));
  return c.json(outcome.duplicate ? { job: 'retrain' as const, duplicate: true } : { job: 'retrain' as const, duplicate: false, ...outcome.result }, 200);
});
