import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { churnSummary, MIN_RESOLVED_PER_GROUP, SUMMARY_DEFAULT_DAYS, SUMMARY_MAX_DAYS } from '../../../services/churn/view';
import { commonErrors, json, serialize } from '../schemas';

// An out-of-range instant must be a 422, not a Postgres error.
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('9999-01-01T00:00:00Z');
const Instant = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) >= EARLIEST && Date.parse(v) < LATEST, 'must be between 1970 and 9999');

const Group = z.object({
  episodes: z.number().int(),
  resolved: z.number().int(),
  pending: z.number().int(),
  saved: z.number().int(),
  rate: z.number().nullable().openapi({ description: 'saved ÷ resolved (null with none resolved)' }),
  ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Wilson 95 % interval of the rate' }),
});

export const ChurnSummarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    riskThreshold: z.number(),
    atRiskByStage: z.record(z.string(), z.number().int()).openapi({ description: "Leads whose newest assessment in the range is at or over the tenant's threshold, by current stage" }),
    interventions: z.array(z.object({ step: z.number().int(), kind: z.string(), statuses: z.record(z.string(), z.number().int()), total: z.number().int() })),
    outcomes: z.object({ pending: z.number().int(), saved: z.number().int(), notSaved: z.number().int() }),
    treated: Group,
    holdout: Group,
    lift: z.number().nullable().openapi({ description: 'treated rate − holdout rate (absolute)' }),
    pValue: z.number().nullable().openapi({ description: `Two-proportion z-test; null below ${MIN_RESOLVED_PER_GROUP} resolved episodes per group` }),
    verdict: z.string().openapi({ description: 'Plain words: not enough data / not significant / significant' }),
    detectionToActionMs: z.object({ n: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable() }),
  })
  .openapi('ChurnSummary');

const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/churn/summary',
  tags: ['Analytics'],
  summary: 'Going-cold prevention: at-risk leads, interventions, outcomes, and saves against the random holdout',
  request: {
    query: z.object({
      from: Instant.optional().openapi({ description: `Episodes detected from (inclusive; default ${SUMMARY_DEFAULT_DAYS} days before \`to\`)` }),
      to: Instant.optional().openapi({ description: `… until (exclusive; default now; at most ${SUMMARY_MAX_DAYS} days after \`from\`)` }),
    }),
  },
  responses: { 200: json(ChurnSummarySchema, 'Churn outcomes'), ...commonErrors },
});

export const churnSummaryRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid('query');
  const summary = await churnSummary(serviceContext(c), { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
  return c.json(serialize(summary) as never, 200);
});
