import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { ROLE_PERMISSIONS } from '../../../auth/permissions';
import type { HonoEnv } from '../../../env';
import { fieldIssues, Forbidden, ServiceError, Unauthorized, ValidationFailed } from '../../../lib/errors';
import { anonymousContext, newRouter, serviceContext } from '../../../lib/router';
import { WEBSOCKET_PROTOCOL, authenticate, requirePermission } from '../../../middleware/auth';
import { enforceLimit } from '../../../services/ratelimit';
import { openRealtimeSocket } from '../../../services/realtime/connect';
import { redeemRealtimeTicket } from '../../../services/realtime/tickets';

const ConnectQuery = z.object({
  ticket: z.string().max(200).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a non-negative integer: the last cursor you received')
    .transform(Number)
    .optional(),
});

function connectQuery(c: Context<HonoEnv>) {
  const parsed = ConnectQuery.safeParse(c.req.query());
  if (!parsed.success) throw new ValidationFailed('The request is not valid', fieldIssues(parsed.error.issues));
  return parsed.data;
}

function requireUpgrade(c: Context<HonoEnv>) {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ServiceError('upgrade_required', 'Connect with a WebSocket (Upgrade: websocket)');
}

/**
 * The caller from `?ticket=` (single use, from POST /v1/realtime/ticket) or, without one, from the
 * access token in the subprotocol like every other socket. A ticket is spent only on a request
 * that can actually become a socket, so a malformed request does not burn it.
 */
const realtimeCaller = createMiddleware<HonoEnv>(async (c, next) => {
  const { ticket } = connectQuery(c);
  if (ticket === undefined) return authenticate(c, next);
  requireUpgrade(c);
  const holder = await redeemRealtimeTicket(anonymousContext(c), ticket);
  if (!holder) throw new Unauthorized('The ticket is invalid, expired or already used');
  await enforceLimit(c.var.services.redis, c.var.logger, 'apiPerTenant', holder.tenantId);
  c.set('principal', { kind: 'user', tenantId: holder.tenantId, userId: holder.userId, role: holder.role, familyId: holder.sessionId ?? undefined, permissions: ROLE_PERMISSIONS[holder.role] });
  c.set('logger', c.var.logger.with({ tenantId: holder.tenantId }));
  await next();
});

/**
 * GET /v1/realtime — the signed-in person's live feed over a WebSocket: `alert.created`,
 * `alert.updated`, `lead.updated`, `notification.created`…, each `{ type, id, data, cursor }`,
 * then after a reconnect with `?cursor=<last cursor seen>` everything missed, in order, before
 * `hello`. Credentials: `new WebSocket(url, ['leadpulse.v1', accessToken])`, or
 * `new WebSocket(url + '?ticket=' + ticket)`. Not in the OpenAPI document, which has no way to
 * describe a socket; its access checks have their own tests.
 */
export const realtimeConnectRoute = newRouter().get('/realtime', realtimeCaller, requirePermission('alerts:read'), async (c) => {
  const principal = c.get('principal');
  if (principal.kind !== 'user') throw new Forbidden('Realtime sockets are for signed-in people; API keys cannot open one');
  const { cursor } = connectQuery(c);
  requireUpgrade(c);
  const offered = c.req.header('sec-websocket-protocol')?.split(',')[0]?.trim();
  return openRealtimeSocket(serviceContext(c), {
    userId: principal.userId,
    sessionId: principal.familyId ?? null,
    cursor,
    protocol: offered === WEBSOCKET_PROTOCOL ? WEBSOCKET_PROTOCOL : undefined,
  });
});
