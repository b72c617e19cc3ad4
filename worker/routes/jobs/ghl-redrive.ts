import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { redriveGhlDeliveries } from '../../services/jobs/ghl-redrive';
import { runJobOnce } from '../../services/jobs/runs';

const route = createRoute({
  method: 'post',
  path: '/ghl-redrive',
  tags: ['Jobs'],
  summary: 'Re-run GHL webhook deliveries whose processing did not finish (QStash cron, every minute)',
  responses: {
    200: { description: 'Done (or already done for this message)', content: { 'application/json': { schema: z.object({ job: z.literal('ghl-redrive'), duplicate: z.boolean(), picked: z.number().optional() }) } } },
  },
});

export const ghlRedriveJob = newRouter().openapi(route, async (c) => {
  const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'ghl-redrive'), () => redriveGhlDeliveries(c.env, c.var.services.db, c.var.logger));
  return c.json(outcome.duplicate ? { job: 'ghl-redrive' as const, duplicate: true } : { job: 'ghl-redrive' as const, duplicate: false, picked: outcome.result.picked }, 200);
});
