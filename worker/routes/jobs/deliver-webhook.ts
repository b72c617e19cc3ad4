import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runJobOnce } from '../../services/jobs/runs';
import { deliverTenantWebhook } from '../../services/tenant-webhooks/deliver';

const route = createRoute({
  method: 'post',
  path: '/deliver-webhook',
  tags: ['Jobs'],
  summary: "Send one stored event to the tenant's webhook, signed (QStash message per delivery; 503 → QStash retries)",
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ deliveryId: z.string().regex(/^owh_[1-9A-HJ-NP-Za-km-z]+$/, 'not a delivery id') }) } },
    },
  },
  responses: {
    200: {
      description: 'Finished: delivered, refused for good by the receiver, or nothing (left) to send',
      content: {
        'application/json': {
          schema: z.object({
            job: z.literal('deliver-webhook'),
            duplicate: z.boolean(),
            outcome: z.enum(['delivered', 'rejected', 'already_delivered', 'no_endpoint', 'missing']).optional(),
            statusCode: z.number().int().optional(),
          }),
        },
      },
    },
  },
});

export const deliverWebhookJob = newRouter().openapi(route, async (c) => {
  const delivery = jobDelivery(c, 'deliver-webhook');
  const { deliveryId } = c.req.valid('json');
  const deps = { db: c.var.services.db, config: c.var.config, logger: c.var.logger };
  const run = await runJobOnce(deps.db, delivery, () => deliverTenantWebhook(deps, deliveryId, delivery.attempt));
  if (run.duplicate) return c.json({ job: 'deliver-webhook' as const, duplicate: true }, 200);
  const { outcome } = run.result;
  return c.json({ job: 'deliver-webhook' as const, duplicate: false, outcome, ...('statusCode' in run.result ? { statusCode: run.result.statusCode } : {}) }, 200);
});
