import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { heartbeat } from '../../services/jobs/heartbeat';
import { runJobOnce } from '../../services/jobs/runs';

const route = createRoute({
  method: 'post',
  path: '/heartbeat',
  tags: ['Jobs'],
  summary: 'Scheduler heartbeat (QStash cron): proves schedules fire and reach the Worker signed',
  responses: {
    200: {
      description: 'Recorded (or already recorded for this message)',
      content: {
        'application/json': {
          schema: z.object({ job: z.literal('heartbeat'), duplicate: z.boolean(), at: z.string().optional() }),
        },
      },
    },
  },
});

export const heartbeatJob = newRouter().openapi(route, async (c) => {
  const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'heartbeat'), heartbeat);
  return c.json(
    outcome.duplicate ? { job: 'heartbeat' as const, duplicate: true } : { job: 'heartbeat' as const, duplicate: false, at: outcome.result.at },
    200,
  );
});
