import { WEBSOCKET_PROTOCOL, authenticate, requirePermission } from '../../../middleware/auth';
import { ServiceError } from '../../../lib/errors';
import { newRouter, serviceContext } from '../../../lib/router';
import { findLead } from '../../../services/leads/leads';
import { roomFor } from '../../../conversations/rooms';

/**
 * GET /v1/leads/:id/live — a WebSocket of the lead's conversation as it happens
 * (`lead.updated`, `message.created`, `message.updated`). Credentials ride in the subprotocol:
 * `new WebSocket(url, ['leadpulse.v1', accessToken])`. Not in the OpenAPI document, which has no
 * way to describe a socket; its access checks have their own tests.
 */
export const leadLiveRoute = newRouter().get('/leads/:id/live', authenticate, requirePermission('leads:read'), async (c) => {
  const ctx = serviceContext(c);
  const lead = await findLead(ctx, c.req.param('id'));
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ServiceError('upgrade_required', 'Connect with a WebSocket (Upgrade: websocket)');
  }
  const principal = c.get('principal');
  const headers = new Headers(c.req.raw.headers);
  headers.set('x-leadpulse-user', principal.kind === 'user' ? principal.userId : principal.apiKeyId);
  if (c.req.header('sec-websocket-protocol')?.startsWith(WEBSOCKET_PROTOCOL)) headers.set('x-leadpulse-protocol', WEBSOCKET_PROTOCOL);
  return roomFor(ctx, lead.id)!.fetch(new Request(c.req.url, { headers }));
});
