import { z } from '@hono/zod-openapi';
import { ValidationFailed } from '../../../lib/errors';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getImpact } from '../../../services/impact/impact';
import { commonErrors, json, serialize } from '../schemas';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD').refine((d) => {
  // Round-trip: Date.parse accepts 2026-02-30 and quietly means 2026-03-02.
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'not a calendar day');
const Cents = z.number().int();

const Feature = z.object({
  feature: z.enum(['intelligence', 'churn_prevention', 'coaching', 'seller_assistant']),
  measured: z.object({ uses: z.number().int(), successes: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int(), definitions: z.object({ uses: z.string(), successes: z.string() }) }),
  assumptions: z.object({ conversionLift: z.number(), valuePerSuccessCents: Cents, minutesSavedPerUse: z.number(), agentHourCents: Cents }),
  revenueImpactCents: Cents.openapi({ description: 'successes × conversion lift × value per success' }),
  timeSavedHours: z.number(),
  timeValueCents: Cents.openapi({ description: 'time saved × agent hour' }),
  cost: z.object({ aiCents: Cents, infraCents: Cents, totalCents: Cents }),
  netImpactCents: Cents,
  roi: z.number().nullable().openapi({ description: 'net impact ÷ operating cost' }),
});

const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/impact',
  tags: ['Analytics'],
  summary: 'Business impact per feature: measured use and success, priced with the tenant’s assumptions (daily roll-ups)',
  request: { query: z.object({ from: Day.optional(), to: Day.optional().openapi({ description: 'Inclusive; default today (UTC); range at most 366 days, default 30' }) }) },
  responses: {
    200: json(
      z.object({
        range: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
        features: z.array(Feature),
        totals: z.object({ revenueImpactCents: Cents, timeValueCents: Cents, operatingCostCents: Cents, netImpactCents: Cents, roi: z.number().nullable() }),
        assumptions: z.object({ valuePerSuccess: z.string(), infraCostPerDayCents: Cents, aiCentsPerMTok: z.object({ input: z.number(), output: z.number() }) }),
        computedAt: z.string().nullable().openapi({ description: 'When the newest roll-up in the range was computed (the job runs daily)' }),
      }),
      'Impact',
    ),
    ...commonErrors,
  },
});

export const impactRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid('query');
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw new ValidationFailed('`from` must not be after `to`', [{ path: 'from', message: 'after to' }]);
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 365 * 86_400_000) throw new ValidationFailed('The range is at most 366 days', [{ path: 'from', message: 'range too long' }]);
  return c.json(serialize(await getImpact(serviceContext(c), { from, to })), 200);
});
