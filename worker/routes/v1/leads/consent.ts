import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { leadConsent, recordLeadConsent } from '../../../services/compliance/consent';
import { commonErrors, json, jsonBody, notFound, serialize } from '../schemas';
import { LeadIdParam } from './schemas';

export const ConsentEventSchema = z
  .object({
    id: z.string(),
    leadId: z.string().nullable(),
    phone: z.string().nullable(),
    action: z.enum(['granted', 'revoked']),
    channel: z.string(),
    method: z.string().openapi({ description: 'inbound_message | keyword | plain_language | form | verbal | written | api | crm_dnd | crm_tag' }),
    source: z.string().nullable(),
    formText: z.string().nullable(),
    ip: z.string().nullable(),
    evidence: z.record(z.string(), z.unknown()).nullable(),
    recordedBy: z.string().nullable(),
    occurredAt: z.string(),
    createdAt: z.string(),
  })
  .openapi('ConsentEvent');

const list = defineRoute('leads:read', {
  method: 'get',
  path: '/leads/{id}/consent',
  tags: ['Compliance'],
  summary: "The lead's consent history, newest first, and the consent in force",
  request: { params: LeadIdParam },
  responses: {
    200: json(z.object({ current: z.enum(['granted', 'revoked']).nullable(), events: z.array(ConsentEventSchema) }), 'Consent ledger for the lead'),
    ...commonErrors,
    ...notFound,
  },
});

const record = defineRoute('leads:write', {
  method: 'post',
  path: '/leads/{id}/consent',
  tags: ['Compliance'],
  summary: 'Record consent captured outside SMS (web form, call); revoking also opts the lead out',
  request: {
    params: LeadIdParam,
    body: jsonBody(
      z.object({
        action: z.enum(['granted', 'revoked']),
        method: z.enum(['form', 'verbal', 'written', 'api']),
        source: z.string().max(500).optional().openapi({ example: 'https://example.com/sell-my-home form' }),
        formText: z.string().max(5000).optional().openapi({ description: 'The exact consent language the lead agreed to' }),
        ip: z.union([z.ipv4(), z.ipv6()]).optional(),
        occurredAt: z.iso.datetime({ offset: true }).optional(),
      }),
    ),
  },
  responses: { 201: json(z.object({ event: ConsentEventSchema }), 'Recorded'), ...commonErrors, ...notFound },
});

export const leadConsentRoute = newRouter()
  .openapi(list, async (c) => c.json(serialize(await leadConsent(serviceContext(c), c.req.valid('param').id)), 200))
  .openapi(record, async (c) => {
    const body = c.req.valid('json');
    const event = await recordLeadConsent(serviceContext(c), c.req.valid('param').id, { ...body, occurredAt: body.occurredAt ? new Date(body.occurredAt) : undefined });
    return c.json({ event: serialize(event) }, 201);
  });
