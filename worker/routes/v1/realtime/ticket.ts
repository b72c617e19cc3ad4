import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { issueRealtimeTicket, TICKET_TTL_SECONDS } from '../../../services/realtime/tickets';
import { commonErrors, json } from '../schemas';

const route = defineRoute('alerts:read', {
  method: 'post',
  path: '/realtime/ticket',
  tags: ['Realtime'],
  summary: `A single-use ticket for GET /v1/realtime?ticket=… (valid ${TICKET_TTL_SECONDS} s; signed-in people only, not API keys)`,
  // The socket itself cannot be described in OpenAPI; this is where a reader of the reference finds it.
  description: [
    'GET /v1/realtime upgrades to a WebSocket carrying the signed-in person\'s live feed. Credentials: `?ticket=<ticket>` from this',
    "operation, or the access token as a subprotocol: `new WebSocket(url, ['leadpulse.v1', accessToken])`.",
    'Frames are JSON `{ type, id, data, cursor }` (`alert.created`, `alert.updated`, `lead.updated`, `notification.created`, …);',
    '`cursor` increases by one per message of your feed. Reconnect with `?cursor=<last cursor seen>` to receive what you missed,',
    'in order, before a `hello` frame `{ data: { cursor, replayed, gap } }`; `gap: true` means some of it is no longer kept',
    '(the newest 1 000 messages, 7 days): refetch over REST. Send the text `ping` to get `pong`.',
  ].join(' '),
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
