import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { releaseLead, takeOverLead } from '../../../services/leads/leads';
import { commonErrors, json, notFound } from '../schemas';
import { LeadIdParam, LeadSchema } from './schemas';

const takeover = defineRoute('leads:write', {
  method: 'post',
  path: '/leads/{id}/takeover',
  tags: ['Leads'],
  summary: 'Take the conversation over: the bot goes silent for this lead until released',
  request: { params: LeadIdParam },
  responses: { 200: json(z.object({ lead: LeadSchema }), 'The lead, botState human'), ...commonErrors, ...notFound },
});

const release = defineRoute('leads:write', {
  method: 'post',
  path: '/leads/{id}/release',
  tags: ['Leads'],
  summary: "Hand the conversation back to the bot (it answers the lead's next message)",
  request: { params: LeadIdParam },
  responses: { 200: json(z.object({ lead: LeadSchema }), 'The lead, botState active'), ...commonErrors, ...notFound },
});

export const leadTakeoverRoute = newRouter()
  .openapi(takeover, async (c) => c.json({ lead: await takeOverLead(serviceContext(c), c.req.valid('param').id) }, 200))
  .openapi(release, async (c) => c.json({ lead: await releaseLead(serviceContext(c), c.req.valid('param').id) }, 200));
