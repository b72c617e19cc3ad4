import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runJobOnce } from '../../services/jobs/runs';
import { runScoringJob } from '../../services/jobs/score';

const route = createRoute({
  method: 'post',
  path: '/score',
  tags: ['Jobs'],
  summary: 'Rescore leads with new events, raise alerts on threshold crossings, expire stale alerts (QStash cron, every 5 minutes)',
  responses: {
    200: {
      description: 'Done (or already done for this message)',
      content: {
        'application/json': {
          schema: z.object({ job: z.literal('score'), duplicate: z.boolean(), tenants: z.number().optional(), scored: z.number().optional(), alerts: z.number().optional(), expired: z.number().optional() }),
        },
      },
    },
  },
});

export const scoreJob = newRouter().openapi(route, async (c) => {
  const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'score'), () => runScoringJob(c.env, c.var.services.db, c.var.logger));
  return c.json(outcome.duplicate ? { job: 'score' as const, duplicate: true } : { job: 'score' as const, duplicate: false, ...outcome.result }, 200);
});
