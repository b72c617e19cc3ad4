import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { addDoNotContact, consentCsv, exportConsentLedger, listDoNotContact, removeDoNotContact } from '../../../services/compliance/consent';
import { ConsentEventSchema } from '../leads/consent';
import { commonErrors, json, jsonBody, notFound, serialize } from '../schemas';

const exportLedger = defineRoute('audit:read', {
  method: 'get',
  path: '/compliance/consent-ledger',
  tags: ['Compliance'],
  summary: 'Export the consent ledger (JSON or CSV), oldest first',
  request: {
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      format: z.enum(['json', 'csv']).default('json'),
    }),
  },
  responses: {
    200: {
      description: 'The ledger',
      content: { 'application/json': { schema: z.object({ events: z.array(ConsentEventSchema) }) }, 'text/csv': { schema: z.string() } },
    },
    ...commonErrors,
  },
});

const DncSchema = z.object({ phone: z.string(), reason: z.string().nullable(), addedBy: z.string().nullable(), createdAt: z.string() }).openapi('DoNotContact');

const listDnc = defineRoute('leads:read', {
  method: 'get',
  path: '/compliance/do-not-contact',
  tags: ['Compliance'],
  summary: "The tenant's internal do-not-contact list",
  responses: { 200: json(z.object({ entries: z.array(DncSchema) }), 'Entries'), ...commonErrors },
});

const addDnc = defineRoute('leads:write', {
  method: 'post',
  path: '/compliance/do-not-contact',
  tags: ['Compliance'],
  summary: 'Add a phone number: no automated or agent text goes to it',
  request: { body: jsonBody(z.object({ phone: z.string().min(7).max(32), reason: z.string().max(500).optional() })) },
  responses: { 201: json(z.object({ entry: DncSchema }), 'Added'), ...commonErrors },
});

const removeDnc = defineRoute('leads:write', {
  method: 'delete',
  path: '/compliance/do-not-contact/{phone}',
  tags: ['Compliance'],
  summary: 'Remove a phone number from the list',
  request: { params: z.object({ phone: z.string().min(7).max(32).openapi({ param: { name: 'phone', in: 'path' }, example: '+15125550142' }) }) },
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound },
});

export const complianceRoutes = newRouter()
  .openapi(exportLedger, async (c) => {
    const q = c.req.valid('query');
    const rows = await exportConsentLedger(serviceContext(c), { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    if (q.format === 'csv') {
      return c.body(consentCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="consent-ledger.csv"' });
    }
    return c.json({ events: serialize(rows) }, 200);
  })
  .openapi(listDnc, async (c) => {
    const rows = await listDoNotContact(serviceContext(c));
    return c.json({ entries: serialize(rows.map(({ phone, reason, addedBy, createdAt }) => ({ phone, reason, addedBy, createdAt }))) }, 200);
  })
  .openapi(addDnc, async (c) => {
    const { phone, reason, addedBy, createdAt } = await addDoNotContact(serviceContext(c), c.req.valid('json'));
    return c.json({ entry: serialize({ phone, reason, addedBy, createdAt }) }, 201);
  })
  .openapi(removeDnc, async (c) => {
    const removed = await removeDoNotContact(serviceContext(c), decodeURIComponent(c.req.valid('param').phone));
    if (!removed) return c.json({ error: { code: 'not_found' as const, message: 'That number is not on the list', requestId: c.get('requestId') } }, 404);
    return c.body(null, 204);
  });
