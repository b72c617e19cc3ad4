import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../../lib/router';
import { jobDelivery } from '../../middleware/qstash';
import { runChurnJob } from '../../services/churn/job';
import { runJobOnce } from '../../services/jobs/runs';

const route = createRoute({
  method: 'post',
  path: '/churn',
  tags: ['Jobs'],
  summary: 'Assess every active lead’s churn risk, start episodes (treated or holdout) and schedule interventions; resolve finished episodes (QStash cron, hourly)',
  responses: {
    200: {
      description: 'Done (or already done for this message)',
      content: {
        'application/json': {
          schema: z.object({
            job: z.literal('churn'),
            duplicate: z.boolean(),
            tenants: z.number().optional(),
            assessed: z.number().optional(),
            atRisk: z.number().optional(),
            episodesStarted: z.number().optional(),
            holdout: z.number().optional(),
            stepsScheduled: z.number().optional(),
            resolved: z.number().optional(),
            republished: z.number().optional(),
            phaseMs: z.record(z.string(), z.number()).optional().openapi({ description: 'Where the assessment time went: read, write, episodes, publish' }),
          }),
        },
      },
    },
  },
});

export const churnJob = newRouter().openapi(route, async (c) => {
  // Detection → first action is measured from here (the episode's job_started_at).
  const startedAt = new Date();
  const deps = { db: c.var.services.db, config: c.var.config, logger: c.var.logger, queue: c.var.services.qstash };
  const outcome = await runJobOnce(deps.db, jobDelivery(c, 'churn'), () => runChurnJob(c.env, deps, startedAt));
  return c.json(outcome.duplicate ? { job: 'churn' as const, duplicate: true } : { job: 'churn' as const, duplicate: false, ...outcome.result }, 200);
});
