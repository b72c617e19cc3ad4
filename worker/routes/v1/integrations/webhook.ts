import { z } from '@hono/zod-openapi';
import { OUTBOUND_STATUSES } from '../../../db/schema';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import { configureWebhookEndpoint, getWebhookEndpoint, removeWebhookEndpoint, WEBHOOK_SECRET_LENGTH, WEBHOOK_URL_MAX, webhookUrlProblem } from '../../../services/tenant-webhooks/endpoint';
import { sendTestWebhook } from '../../../services/tenant-webhooks/ping';
import { commonErrors, conflict, json, jsonBody, notFound, planRequired, serialize } from '../schemas';

const time = z.string().nullable();

const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: 'Sent as LeadPulse-Delivery and as the body id', example: 'owh_1ChHDFAV9aDuq284GjB79b' }),
    type: z.string().openapi({ example: 'alert.created' }),
    status: z.enum(OUTBOUND_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: time,
  })
  .openapi('WebhookDelivery');

const EndpointSchema = z
  .object({
    url: z.string(),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastDeliveryAt: time.openapi({ description: 'When the last attempt was made (successful or not)' }),
    lastStatusCode: z.number().int().nullable().openapi({ description: "The receiver's status on the last attempt; null when it did not answer" }),
    lastError: z.string().nullable(),
    recentDeliveries: z.array(DeliverySchema).openapi({ description: 'The 20 newest, newest first' }),
  })
  .openapi('WebhookEndpoint');

const Body = z.object({
  url: z
    .string()
    .trim()
    .max(WEBHOOK_URL_MAX)
    .superRefine((v, ctx) => {
      const problem = webhookUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .openapi({
      example: 'https://hooks.example.com/leadpulse',
      description: 'https only; plain http is accepted for localhost, 127.0.0.1 and [::1] (local development)',
    }),
  secret: z
    .string()
    .min(WEBHOOK_SECRET_LENGTH.min)
    .max(WEBHOOK_SECRET_LENGTH.max)
    .refine((s) => s.trim() === s, 'must not start or end with white space')
    .optional()
    .openapi({ description: 'HMAC-SHA256 key for LeadPulse-Signature; stored encrypted, never returned. Required the first time; omit to keep the current one.' }),
  enabled: z.boolean().optional().openapi({ description: 'Default true' }),
});

const put = defineRoute('integrations:write', {
  method: 'put',
  path: '/integrations/webhook',
  tags: ['Integrations'],
  summary: "Set the tenant's outbound webhook (signed deliveries of alerts and other events)",
  middleware: [requiresPlanFeature('tenant_webhooks')],
  request: { body: jsonBody(Body) },
  responses: { 200: json(EndpointSchema, 'The endpoint (never its secret)'), ...commonErrors, ...planRequired },
});

// integrations:write for reading too: hook URLs often carry the receiver's own token in the path.
const get = defineRoute('integrations:write', {
  method: 'get',
  path: '/integrations/webhook',
  tags: ['Integrations'],
  summary: 'The outbound webhook: URL, last attempt, recent deliveries',
  responses: { 200: json(EndpointSchema, 'The endpoint (never its secret)'), ...commonErrors, ...notFound },
});

const remove = defineRoute('integrations:write', {
  method: 'delete',
  path: '/integrations/webhook',
  tags: ['Integrations'],
  summary: 'Remove the outbound webhook (deliveries still queued end as failed)',
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound },
});

const test = defineRoute('integrations:write', {
  method: 'post',
  path: '/integrations/webhook/test',
  tags: ['Integrations'],
  summary: 'Send a signed `webhook.test` event to the endpoint (through the same queue and retries)',
  middleware: [requiresPlanFeature('tenant_webhooks')],
  responses: { 202: json(z.object({ deliveryId: z.string() }), 'Queued; its outcome shows in recentDeliveries'), ...commonErrors, ...notFound, ...conflict, ...planRequired },
});

export const webhookIntegrationRoute = newRouter()
  .openapi(put, async (c) => c.json(serialize(await configureWebhookEndpoint(serviceContext(c), c.req.valid('json'))), 200))
  .openapi(get, async (c) => c.json(serialize(await getWebhookEndpoint(serviceContext(c))), 200))
  .openapi(remove, async (c) => {
    await removeWebhookEndpoint(serviceContext(c));
    return c.body(null, 204);
  })
  .openapi(test, async (c) => c.json(await sendTestWebhook(serviceContext(c)), 202));
