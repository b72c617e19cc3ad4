import { z } from '@hono/zod-openapi';
import { ROUTABLE_KINDS, RoutingRulesSchema } from '../../../intelligence/routing/rules';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import { getRoutingRules, previewRoute, putRoutingRules } from '../../../services/routing/routing';
import { commonErrors, json, jsonBody, planRequired } from '../schemas';

const Rules = RoutingRulesSchema.openapi('RoutingRules', {
  example: [
    { id: 'austin-central', name: 'Central Austin sellers', when: { kinds: ['sell', 'hot_lead'], zipPrefixes: ['787'] }, pool: { skills: ['seller'], preferTerritory: true }, strategy: 'least_loaded', slaMinutes: 10 },
  ],
});

const get = defineRoute('tenant:read', {
  method: 'get',
  path: '/routing/rules',
  tags: ['Routing'],
  summary: 'The ordered routing rules (first match decides; none = everyone, least loaded)',
  responses: { 200: json(z.object({ rules: Rules }), 'Rules'), ...commonErrors },
});

const put = defineRoute('routing:write', {
  method: 'put',
  path: '/routing/rules',
  tags: ['Routing'],
  summary: 'Replace the routing rules',
  middleware: [requiresPlanFeature('routing_rules')],
  request: { body: jsonBody(z.object({ rules: Rules })) },
  responses: { 200: json(z.object({ rules: Rules }), 'Saved'), ...commonErrors, ...planRequired },
});

const Decision = z
  .object({
    ruleId: z.string(),
    strategy: z.enum(['least_loaded', 'round_robin', 'broadcast']),
    agents: z.array(z.object({ id: z.string(), name: z.string() })),
    slaMinutes: z.number().int(),
    why: z.array(z.string()).openapi({ example: ['rule "Central Austin sellers" matched (kind sell/hot_lead; ZIP 787xx)', 'territory 78701 → Maria Alvarez', 'fewest open (2/10) → Maria Alvarez'] }),
    decisionMs: z.number(),
  })
  .openapi('RoutingDecision');

const preview = defineRoute('routing:write', {
  method: 'post',
  path: '/routing/preview',
  tags: ['Routing'],
  summary: 'Test-route an alert against the current rules and team: who would get it, and why (nothing is created)',
  request: {
    body: jsonBody(
      z.object({
        kind: z.enum(ROUTABLE_KINDS),
        probability: z.number().min(0).max(1).optional(),
        temperature: z.enum(['hot', 'warm', 'cold']).optional(),
        postalCode: z.string().max(10).optional(),
        city: z.string().max(80).optional(),
        state: z.string().max(40).optional(),
      }),
    ),
  },
  responses: { 200: json(z.object({ decision: Decision }), 'The decision and its why-log'), ...commonErrors },
});

export const routingRoutes = newRouter()
  .openapi(get, async (c) => c.json({ rules: await getRoutingRules(serviceContext(c)) }, 200))
  .openapi(put, async (c) => c.json({ rules: await putRoutingRules(serviceContext(c), c.req.valid('json').rules) }, 200))
  .openapi(preview, async (c) => {
    const d = await previewRoute(serviceContext(c), c.req.valid('json'));
    return c.json({ decision: { ruleId: d.ruleId, strategy: d.strategy, agents: d.agents, slaMinutes: d.slaMinutes, why: d.why, decisionMs: d.decisionMs } }, 200);
  });
