import { z } from '@hono/zod-openapi';
import { normalizePhone } from '../../../compliance/phone';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { connectGhl, getGhlConnection } from '../../../services/integrations/ghl';
import { commonErrors, conflict, json, jsonBody, serialize } from '../schemas';

const ConnectionSchema = z
  .object({
    locationId: z.string(),
    fromNumber: z.string().nullable(),
    connectedAt: z.string(),
    updatedAt: z.string(),
    lastWebhookAt: z.string().nullable(),
    lastSendAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  })
  .openapi('GhlConnection');

const Body = z.object({
  locationId: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  apiToken: z.string().trim().min(8).max(4096).openapi({ description: 'Location (private integration) token; stored encrypted, never returned' }),
  fromNumber: z
    .string()
    .max(32)
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      const e164 = normalizePhone(v);
      if (!e164) ctx.addIssue({ code: 'custom', message: 'not a phone number' });
      return e164;
    })
    .openapi({ type: 'string', example: '+15125550100' }),
});

const put = defineRoute('integrations:write', {
  method: 'put',
  path: '/integrations/ghl',
  tags: ['Integrations'],
  summary: 'Connect the tenant to a GoHighLevel location (webhooks are routed by its locationId)',
  request: { body: jsonBody(Body) },
  responses: { 200: json(z.object({ ghl: ConnectionSchema }), 'Connected'), ...commonErrors, ...conflict },
});

const get = defineRoute('tenant:read', {
  method: 'get',
  path: '/integrations/ghl',
  tags: ['Integrations'],
  summary: 'GHL connection status: last webhook, last send, last error',
  responses: { 200: json(z.object({ ghl: ConnectionSchema.nullable() }), 'The connection, or null'), ...commonErrors },
});

export const ghlIntegrationRoute = newRouter()
  .openapi(put, async (c) => c.json({ ghl: serialize(await connectGhl(serviceContext(c), c.req.valid('json'))) }, 200))
  .openapi(get, async (c) => c.json({ ghl: serialize(await getGhlConnection(serviceContext(c))) }, 200));
