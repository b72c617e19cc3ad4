import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import { analyzeAgent } from '../../../services/coaching/coaching';
import { commonErrors, IdParam, json, jsonBody, notFound, planRequired, serialize } from '../schemas';
import { CoachingReportSchema, PeriodFields, toPeriod } from './schemas';

// leads:write: agents (for themselves), managers, owners and admins; never viewers, since an
// analysis is stored and may spend on Claude.
const route = defineRoute('leads:write', {
  method: 'post',
  path: '/coaching/agents/{id}/analyze',
  tags: ['Coaching'],
  summary: 'Run a fresh coaching analysis (Claude when configured, rules otherwise), store it and return it. Agents analyze only themselves; one analysis per agent per minute (429 with Retry-After)',
  middleware: [requiresPlanFeature('coaching')],
  request: { params: IdParam('usr'), body: jsonBody(z.object(PeriodFields).strict()) },
  responses: { 200: json(CoachingReportSchema, 'The stored report'), ...commonErrors, ...notFound, ...planRequired },
});

export const analyzeAgentRoute = newRouter().openapi(route, async (c) =>
  c.json(serialize(await analyzeAgent(serviceContext(c), c.req.valid('param').id, toPeriod(c.req.valid('json')))), 200),
);
