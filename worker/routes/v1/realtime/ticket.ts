import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { issueRealtimeTicket, TICKET_TTL_SECONDS } from '../../../services/realtime/tickets';
import { commonErrors, json } from '../schemas';

const route = defineRoute('alerts:read', {
  method: 'post',
  path: '/realtime/ticket',
  tags: ['Realtime'],
  summary: `A single-use ticket for GET /v1/realtime?ticket=… (valid ${TICKET_TTL_SECONDS} s; signed-in people only, not API keys)`,
  responses: {
    200: json(z.object({ ticket: z.string(), expiresAt: z.string().openapi({ format: 'date-time' }) }), 'The ticket, bound to you and this sign-in'),
    ...commonErrors,
  },
});

export const realtimeTicketRoute = newRouter().openapi(route, async (c) => {
  const { ticket, expiresAt } = await issueRealtimeTicket(serviceContext(c));
  c.header('Cache-Control', 'no-store');
  return c.json({ ticket, expiresAt: expiresAt.toISOString() }, 200);
});
