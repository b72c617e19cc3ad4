import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getAgentCoaching } from '../../../services/coaching/coaching';
import { commonErrors, IdParam, json, notFound, serialize } from '../schemas';
import { CoachingReportSchema, PeriodQuery, toPeriod } from './schemas';

const route = defineRoute('users:read', {
  method: 'get',
  path: '/coaching/agents/{id}',
  tags: ['Coaching'],
  summary: "An agent's coaching: the latest report, or one computed now (rules) when none exists or a period is given. Agents read only their own",
  request: { params: IdParam('usr'), query: PeriodQuery },
  responses: { 200: json(CoachingReportSchema, 'Metrics, team comparison, insights and next-best actions'), ...commonErrors, ...notFound },
});

export const getAgentCoachingRoute = newRouter().openapi(route, async (c) =>
  c.json(serialize(await getAgentCoaching(serviceContext(c), c.req.valid('param').id, toPeriod(c.req.valid('query')))), 200),
);
