import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { rollUpImpact } from '../../services/impact/rollup';
import { runJobOnce } from '../../services/jobs/runs';

const DAY = 86_400_000;

const route = createRoute({
  method: 'post',
  path: '/impact',
  tags: ['Jobs'],
  summary: 'Daily impact roll-up per tenant and feature: yesterday and today, or the last `days` days (QStash cron, daily)',
  request: { body: { content: { 'application/json': { schema: z.object({ days: z.number().int().min(1).max(400).optional() }) } }, required: false } },
  responses: {
    200: { description: 'Done (or already done for this message)', content: { 'application/json': { schema: z.object({ job: z.literal('impact'), duplicate: z.boolean(), rows: z.number().optional() }) } } },
  },
});

export const impactJob = newRouter().openapi(route, async (c) => {
  const body = (await c.req.json().catch(() => ({}))) as { days?: unknown };
  const days = typeof body.days === 'number' && Number.isInteger(body.days) && body.days >= 1 && body.days <= 400 ? body.days : 2;
  const now = Date.now();
  const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'impact'), async () => ({ rows: await rollUpImpact(c.var.services.db, new Date(now - (days - 1) * DAY), new Date(now)) }));
  return c.json(outcome.duplicate ? { job: 'impact' as const, duplicate: true } : { job: 'impact' as const, duplicate: false, rows: outcome.result.rows }, 200);
});
