import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runJobOnce } from '../../services/jobs/runs';
import { redriveTenantWebhooks } from '../../services/tenant-webhooks/deliver';

const route = createRoute({
  method: 'post',
  path: '/webhook-redrive',
  tags: ['Jobs'],
  summary: 'Republish tenant webhook deliveries QStash never got (QStash cron, every minute)',
  responses: {
    200: {
      description: 'Done (or already done for this message)',
      content: { 'application/json': { schema: z.object({ job: z.literal('webhook-redrive'), duplicate: z.boolean(), picked: z.number().optional(), published: z.number().optional() }) } },
    },
  },
});

export const webhookRedriveJob = newRouter().openapi(route, async (c) => {
  const deps = { db: c.var.services.db, config: c.var.config, logger: c.var.logger };
  const run = await runJobOnce(deps.db, jobDelivery(c, 'webhook-redrive'), () => redriveTenantWebhooks(deps));
  return c.json(run.duplicate ? { job: 'webhook-redrive' as const, duplicate: true } : { job: 'webhook-redrive' as const, duplicate: false, ...run.result }, 200);
});
