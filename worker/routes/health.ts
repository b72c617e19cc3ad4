import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../lib/router';
import { lastJobRuns } from '../services/jobs/runs';
import { checkReadiness } from '../services/readiness';

const CheckSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    latencyMs: z.number(),
    mode: z.enum(['embedded', 'local-server', 'managed']),
    error: z.string().optional(),
  })
  .openapi('DependencyCheck');

export const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ postgres: CheckSchema, redis: CheckSchema, qstash: CheckSchema }),
    jobs: z.record(z.string(), z.object({ lastRunAt: z.string().nullable(), status: z.string().nullable() })),
  })
  .openapi('Readiness');

const liveness = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness: the Worker answers (no I/O)',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok'), time: z.string() }) } },
    },
  },
});

const readiness = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Operations'],
  summary: 'Readiness: Postgres, Redis and QStash reachable, with latency and provider mode',
  responses: {
    200: { description: 'All required dependencies are up', content: { 'application/json': { schema: ReadinessSchema } } },
    503: { description: 'At least one required dependency is down', content: { 'application/json': { schema: ReadinessSchema } } },
  },
});

export const healthRoutes = newRouter()
  .openapi(liveness, (c) => c.json({ status: 'ok' as const, time: new Date().toISOString() }, 200))
  .openapi(readiness, async (c) => {
    const { services, config } = c.var;
    const report = await checkReadiness(services, config);
    const jobs = report.checks.postgres.status === 'ok' ? await lastJobRuns(services.db).catch(() => ({})) : {};
    c.header('Cache-Control', 'no-store');
    return c.json({ ...report, jobs }, report.status === 'ok' ? 200 : 503);
  });
