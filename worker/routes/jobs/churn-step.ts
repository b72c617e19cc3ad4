import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runChurnStep } from '../../services/churn/steps';
import { runJobOnce } from '../../services/jobs/runs';

const route = createRoute({
  method: 'post',
  path: '/churn-step',
  tags: ['Jobs'],
  summary: 'Run one churn intervention (1 re-engagement text, 2 agent task, 3 manager escalation / nurture) unless the lead replied or the episode ended',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ interventionId: z.string().regex(/^chi_[1-9A-HJ-NP-Za-km-z]+$/, 'not an intervention id') }) } },
    },
  },
  responses: {
    200: {
      description: 'Settled: done, skipped (e.g. opted out), cancelled (the lead replied), failed, or nothing left to do',
      content: {
        'application/json': {
          schema: z.object({
            job: z.literal('churn-step'),
            duplicate: z.boolean(),
            outcome: z.enum(['done', 'skipped', 'cancelled', 'failed', 'already_settled', 'missing', 'delivered_later']).optional(),
            step: z.number().int().optional(),
            reason: z.string().optional(),
          }),
        },
      },
    },
  },
});

export const churnStepJob = newRouter().openapi(route, async (c) => {
  const { interventionId } = c.req.valid('json');
  const deps = { db: c.var.services.db, config: c.var.config, logger: c.var.logger, queue: c.var.services.qstash };
  const run = await runJobOnce(deps.db, jobDelivery(c, 'churn-step'), () => runChurnStep(c.env, deps, interventionId));
  return c.json(run.duplicate ? { job: 'churn-step' as const, duplicate: true } : { job: 'churn-step' as const, duplicate: false, ...run.result }, 200);
});
