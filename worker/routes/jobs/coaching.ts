import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { planNightlyCoaching, runTenantCoaching } from '../../services/coaching/coaching';
import { runJobOnce } from '../../services/jobs/runs';

const count = z.number().int().optional();
const ok = <T extends z.ZodRawShape>(job: string, shape: T) => ({
  200: {
    description: 'Done (or already done for this message)',
    content: { 'application/json': { schema: z.object({ job: z.literal(job), duplicate: z.boolean(), ...shape }) } },
  },
});

const plan = createRoute({
  method: 'post',
  path: '/coaching',
  tags: ['Jobs'],
  summary: 'Queue the night’s coaching: one /jobs/coaching-tenant message per tenant with agents (QStash cron, nightly)',
  responses: ok('coaching', { periodEnd: z.string().optional(), tenants: count }),
});

const tenant = createRoute({
  method: 'post',
  path: '/coaching-tenant',
  tags: ['Jobs'],
  summary: "Coach one tenant's agents on the 30 days up to periodEnd (Claude when configured, rules otherwise)",
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            tenantId: z.string().min(1).max(64).regex(/^tnt_[1-9A-HJ-NP-Za-km-z]+$/, 'not a tenant id'),
            periodEnd: z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) % 86_400_000 === 0, 'must be a midnight UTC'),
          }),
        },
      },
    },
  },
  responses: ok('coaching-tenant', { tenantId: z.string().optional(), periodEnd: z.string().optional(), analyzed: count, skipped: count, claude: count, costMicroUsd: count }),
});

export const coachingJob = newRouter()
  .openapi(plan, async (c) => {
    const { db, qstash } = c.var.services;
    const outcome = await runJobOnce(db, jobDelivery(c, 'coaching'), () => planNightlyCoaching(db, c.var.config, qstash));
    return c.json(outcome.duplicate ? { job: 'coaching' as const, duplicate: true } : { job: 'coaching' as const, duplicate: false, ...outcome.result }, 200);
  })
  .openapi(tenant, async (c) => {
    const { tenantId, periodEnd } = c.req.valid('json');
    const outcome = await runJobOnce(c.var.services.db, jobDelivery(c, 'coaching-tenant'), () => runTenantCoaching(c.env, c.var.logger, tenantId, new Date(periodEnd)));
    return c.json(outcome.duplicate ? { job: 'coaching-tenant' as const, duplicate: true } : { job: 'coaching-tenant' as const, duplicate: false, ...outcome.result }, 200);
  });
