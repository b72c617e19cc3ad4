import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getLead } from '../../../services/leads/leads';
import { commonErrors, json, notFound, serialize } from '../schemas';
import { LeadIdParam, LeadSchema } from './schemas';

const route = defineRoute('leads:read', {
  method: 'get',
  path: '/leads/{id}',
  tags: ['Leads'],
  summary: 'One lead with its qualification, temperature and speed-to-lead',
  request: { params: LeadIdParam },
  responses: { 200: json(z.object({ lead: LeadSchema }), 'The lead'), ...commonErrors, ...notFound },
});

export const getLeadRoute = newRouter().openapi(route, async (c) => c.json({ lead: serialize(await getLead(serviceContext(c), c.req.valid('param').id)) }, 200));
