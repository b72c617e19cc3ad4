import { z } from '@hono/zod-openapi';
import { LEAD_STAGES, TEMPERATURES } from '../../../db/schema/leads';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listLeads } from '../../../services/leads/leads';
import { commonErrors, conflict, json, serialize } from '../schemas';
import { LeadSchema } from './schemas';

const Query = z.object({
  stage: z.enum(LEAD_STAGES).optional(),
  temperature: z.enum(TEMPERATURES).optional(),
  assignedAgentId: z.string().min(1).max(64).optional(),
  externalId: z.string().min(1).max(100).optional().openapi({ description: 'The GHL contact id' }),
  updatedSince: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Only leads changed after this instant' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional().openapi({ description: 'nextCursor from the previous page' }),
});

const route = defineRoute('leads:read', {
  method: 'get',
  path: '/leads',
  tags: ['Leads'],
  summary: 'Leads, most recently active first (agents see their own and unassigned ones)',
  request: { query: Query },
  responses: { 200: json(z.object({ leads: z.array(LeadSchema), nextCursor: z.string().nullable() }), 'A page of leads'), ...commonErrors, ...conflict },
});

export const listLeadsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid('query');
  const page = await listLeads(serviceContext(c), { ...q, updatedSince: q.updatedSince ? new Date(q.updatedSince) : undefined });
  return c.json(serialize(page), 200);
});
