import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { FUNNEL_STAGES, OPEN_STAGES, SPEED_BUCKETS, TIMELINE_BUCKETS } from '../../../services/analytics/buckets';
import { DEFAULT_RANGE_DAYS, getDashboard, MAX_RANGE_DAYS } from '../../../services/analytics/dashboard';
import { commonErrors, json, notFound } from '../schemas';

// Postgres timestamps stop at year 294276 and JS ISO strings turn odd before year 1 and after
// 9999; a dashboard has no use for either end, and an out-of-range instant must be a 422, not a 500.
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('9999-01-01T00:00:00Z');
const Instant = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) >= EARLIEST && Date.parse(v) < LATEST, 'must be between 1970 and 9999');

const Query = z.object({
  from: Instant.optional().openapi({ description: `Start of the range, inclusive (default: ${DEFAULT_RANGE_DAYS} days before \`to\`)` }),
  to: Instant.optional().openapi({ description: `End of the range, exclusive (default: now); at most ${MAX_RANGE_DAYS} days after \`from\`` }),
  agentId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z]+_[1-9A-HJ-NP-Za-km-z]+$/, 'not a valid id')
    .optional()
    .openapi({ description: "Only this person's leads and alerts (a user of this tenant, else 404)", example: 'usr_1ChHDFAV9aDuq284GjB79b' }),
});

const count = z.number().int();
const metric = <T extends z.ZodType>(value: T) => z.object({ value, definition: z.string() });
const nullableMs = z.number().int().nullable();

export const DashboardSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), agentId: z.string().nullable() }),
    hero: z.object({
      newLeads: metric(count),
      qualified: metric(count),
      hot: metric(count),
      medianSpeedToLeadMs: metric(nullableMs),
      conversionRate: metric(z.number().nullable().openapi({ description: 'A fraction, 0–1; null with no leads' })),
    }),
    funnel: z.array(z.object({ stage: z.enum(FUNNEL_STAGES), count })),
    temperature: z.object({ hot: count, warm: count, cold: count, unknown: count }),
    timeline: z.array(z.object({ bucket: z.enum([...TIMELINE_BUCKETS.map((b) => b.bucket), 'unknown']), count })),
    price: z.array(
      z.object({
        bucket: z.string(),
        minCents: z.number().int().nullable().openapi({ description: 'Inclusive; null only for the unknown bucket' }),
        maxCents: z.number().int().nullable().openapi({ description: 'Exclusive; null = no upper bound' }),
        count,
      }),
    ),
    speedToLead: z.object({
      buckets: z.array(z.object({ bucket: z.enum(SPEED_BUCKETS.map((b) => b.bucket)), count })),
      p50Ms: nullableMs,
      p90Ms: nullableMs,
      measured: count.openapi({ description: 'Leads with a measured speed-to-lead' }),
    }),
    commission: z.object({
      forecastCents: z.number().int(),
      actualCents: z.number().int(),
      closedLeads: count,
      closedLeadsWithPrice: count,
      assumptions: z.object({ averageSalePriceCents: z.number().int(), commissionRate: z.number(), teamSplit: z.number() }),
      byStage: z.array(z.object({ stage: z.enum(OPEN_STAGES), leads: count, closeProbability: z.number(), expectedCents: z.number().int() })),
    }),
    alertsByModel: z.array(
      z.object({
        kind: z.string(),
        generated: count,
        acknowledged: count,
        converted: count,
        dismissed: count,
        expired: count,
        medianAckMs: nullableMs,
        precision: z.number().nullable(),
      }),
    ),
    leaderboard: z.array(
      z.object({
        agentId: z.string(),
        name: z.string(),
        leads: count,
        qualified: count,
        medianSpeedToLeadMs: nullableMs,
        alertsAcknowledged: count,
        alertsClaimed: count,
        converted: count,
      }),
    ),
    definitions: z.record(z.string(), z.string()).openapi({ description: 'How each section is computed, in plain words' }),
    generatedAt: z.string(),
  })
  .openapi('Dashboard');

const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/dashboard',
  tags: ['Analytics'],
  summary: 'The manager dashboard for a date range: hero metrics, funnel, distributions, commission, alert outcomes, leaderboard',
  request: { query: Query },
  responses: { 200: json(DashboardSchema, 'Every figure with its definition'), ...commonErrors, ...notFound },
});

export const dashboardRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid('query');
  const started = Date.now();
  const dashboard = await getDashboard(serviceContext(c), { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, agentId: q.agentId });
  // How much of the response time the figures took (the rest is auth, limits and transport).
  c.header('server-timing', `figures;dur=${Date.now() - started}`);
  return c.json(dashboard, 200);
});
