import { z } from '@hono/zod-openapi';
import { ALERT_STATUSES } from '../../../db/schema';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { acknowledgeAlert, alertRouting, claimAlert, dismissAlert, listAlerts, recordAlertOutcome } from '../../../services/alerts/alerts';
import { commonErrors, conflict, IdParam, json, jsonBody, notFound, serialize } from '../schemas';

const time = z.string().nullable();
const AlertSchema = z
  .object({
    id: z.string(),
    leadId: z.string(),
    kind: z.string().openapi({ description: 'sell | buy | refinance | invest | hot_lead | human_requested | churn_risk' }),
    status: z.enum(ALERT_STATUSES),
    probability: z.number().nullable(),
    reasons: z.array(z.string()).openapi({ description: 'Why this lead, in plain words' }),
    assignedAgentIds: z.array(z.string()),
    slaMinutes: z.number().int().nullable(),
    claimedBy: z.string().nullable(),
    converted: z.boolean().nullable(),
    createdAt: z.string(),
    deliveredAt: time,
    acknowledgedAt: time,
    claimedAt: time,
    convertedAt: time,
    dismissedAt: time,
    expiredAt: time,
    expiresAt: time.openapi({ description: 'Unsettled by then → expired' }),
    escalationLevel: z.number().int().openapi({ description: 'SLA ladder: 0 first agent, 1 next agent, 2 managers' }),
    escalatedAt: time,
    modelVersion: z.string().nullable().openapi({ description: 'The model version behind the probability (prior-v1 = documented priors)' }),
  })
  .openapi('Alert');

const one = (verb: string, summary: string) =>
  defineRoute('alerts:write', {
    method: 'post',
    path: `/alerts/{id}/${verb}`,
    tags: ['Alerts'],
    summary,
    request: { params: IdParam('alrt') },
    responses: { 200: json(z.object({ alert: AlertSchema }), 'The alert after the transition'), ...commonErrors, ...notFound, ...conflict },
  });

const list = defineRoute('alerts:read', {
  method: 'get',
  path: '/alerts',
  tags: ['Alerts'],
  summary: 'Alerts, newest first (agents: routed to them, or not routed yet)',
  request: {
    query: z.object({
      status: z.enum(ALERT_STATUSES).optional(),
      kind: z.string().max(40).optional(),
      agentId: z.string().max(64).optional(),
      leadId: z.string().max(64).optional().openapi({ description: 'One lead’s alerts (its history in the lead view)' }),
      since: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: json(z.object({ alerts: z.array(AlertSchema) }), 'Alerts'), ...commonErrors },
});

const routing = defineRoute('alerts:read', {
  method: 'get',
  path: '/alerts/{id}/routing',
  tags: ['Alerts'],
  summary: 'Why the alert went where it went (the routing why-log)',
  request: { params: IdParam('alrt') },
  responses: {
    200: json(z.object({ alertId: z.string(), assignedAgentIds: z.array(z.string()), slaMinutes: z.number().nullable(), ruleId: z.string().nullable(), strategy: z.string().nullable(), why: z.array(z.string()) }), 'The why-log'),
    ...commonErrors,
    ...notFound,
  },
});

const ack = one('ack', 'Acknowledge: I have seen it');
const claim = one('claim', 'Claim: it is mine (first to claim wins; the lead is assigned to me)');
const dismiss = one('dismiss', 'Dismiss: not actionable');
const outcome = defineRoute('alerts:write', {
  method: 'post',
  path: '/alerts/{id}/outcome',
  tags: ['Alerts'],
  summary: 'Record the outcome (feeds model training)',
  request: { params: IdParam('alrt'), body: jsonBody(z.object({ converted: z.boolean() })) },
  responses: { 200: json(z.object({ alert: AlertSchema }), 'The alert with its outcome'), ...commonErrors, ...notFound },
});

export const alertRoutes = newRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    return c.json({ alerts: serialize(await listAlerts(serviceContext(c), { ...q, since: q.since ? new Date(q.since) : undefined })) }, 200);
  })
  .openapi(routing, async (c) => c.json(await alertRouting(serviceContext(c), c.req.valid('param').id), 200))
  .openapi(ack, async (c) => c.json({ alert: serialize(await acknowledgeAlert(serviceContext(c), c.req.valid('param').id)) }, 200))
  .openapi(claim, async (c) => c.json({ alert: serialize(await claimAlert(serviceContext(c), c.req.valid('param').id)) }, 200))
  .openapi(dismiss, async (c) => c.json({ alert: serialize(await dismissAlert(serviceContext(c), c.req.valid('param').id)) }, 200))
  .openapi(outcome, async (c) => c.json({ alert: serialize(await recordAlertOutcome(serviceContext(c), c.req.valid('param').id, c.req.valid('json').converted)) }, 200));
