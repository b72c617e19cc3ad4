import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { teamCoaching } from '../../../services/coaching/coaching';
import { commonErrors, json, serialize } from '../schemas';
import { AgentMetricsSchema, PeriodQuery, TeamMetricsSchema, toPeriod } from './schemas';

// analytics:read: managers, owners, admins and read-only viewers; agents see only their own coaching.
const route = defineRoute('analytics:read', {
  method: 'get',
  path: '/coaching/team',
  tags: ['Coaching'],
  summary: "Every agent's coaching metrics beside the team medians (the manager's team view)",
  request: { query: PeriodQuery },
  responses: {
    200: json(
      z.object({
        period: z.object({ from: z.string(), to: z.string() }),
        team: TeamMetricsSchema,
        agents: z.array(z.object({ agentId: z.string(), name: z.string(), role: z.string(), metrics: AgentMetricsSchema, insights: z.number().int(), topInsight: z.string() })),
        definitions: z.record(z.string(), z.string()),
      }),
      'The team view',
    ),
    ...commonErrors,
  },
});

export const teamCoachingRoute = newRouter().openapi(route, async (c) => c.json(serialize(await teamCoaching(serviceContext(c), toPeriod(c.req.valid('query')))), 200));
