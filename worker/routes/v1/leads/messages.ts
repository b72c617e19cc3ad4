import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listMessages, sendAgentMessage } from '../../../services/leads/leads';
import { commonErrors, conflict, json, jsonBody, notFound, serialize } from '../schemas';
import { LeadIdParam, MessageSchema } from './schemas';

const list = defineRoute('leads:read', {
  method: 'get',
  path: '/leads/{id}/messages',
  tags: ['Leads'],
  summary: "The lead's conversation, oldest first (both directions, with delivery status)",
  request: {
    params: LeadIdParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Page backwards: messages older than this instant' }),
    }),
  },
  responses: { 200: json(z.object({ messages: z.array(MessageSchema) }), 'Messages'), ...commonErrors, ...notFound },
});

const send = defineRoute('leads:write', {
  method: 'post',
  path: '/leads/{id}/messages',
  tags: ['Leads'],
  summary: 'Reply to the lead as the agent (sent through GHL; the bot keeps its state)',
  request: {
    params: LeadIdParam,
    body: jsonBody(
      z.object({
        body: z.string().trim().min(1).max(1600),
        idempotencyKey: z.string().min(8).max(100).optional().openapi({ description: 'Resending with the same key never texts twice' }),
      }),
    ),
  },
  responses: {
    201: json(z.object({ message: MessageSchema }), 'Sent, deferred or failed (see status and error)'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

export const leadMessagesRoute = newRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const rows = await listMessages(serviceContext(c), c.req.valid('param').id, { limit: q.limit, before: q.before ? new Date(q.before) : undefined });
    return c.json({ messages: serialize(rows) }, 200);
  })
  .openapi(send, async (c) => {
    const message = await sendAgentMessage(serviceContext(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ message }, 201);
  });
