import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runNightlyCoaching } from '../../services/coaching/coaching';
import { runJobOnce } from '../../services/jobs/runs';

const route = createRoute({
  method: 'post',
  path: '/coaching',
  tags: ['Jobs'],
  summary: 'Coach every agent of every tenant on the 30 days up to midnight UTC (QStash cron, nightly)',
  responses: {
    200: {
      description: 'Counts (or already done for this message)',
      content: {
        'application/json': {
          schema: z.object({
            job: z.literal('coaching'),
            duplicate: z.boolean(),
            tenants: z.number().int().optional(),
            analyzed: z.number().int().optional(),
            skipped: z.number().int().optional(),
            claude: z.number().int().optional(),
            costMicroUsd: z.number().int().optional(),
          }),
        },
      },
    },
  },
});

export const coachingJob = newRouter().openapi(route, async (c) => {
  const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'coaching'), () => runNightlyCoaching(c.env, c.var.services.db, c.var.logger));
  return c.json(outcome.duplicate ? { job: 'coaching' as const, duplicate: true } : { job: 'coaching' as const, duplicate: false, ...outcome.result }, 200);
});
