import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Permission } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import type { HonoEnv } from '../env';
import { authenticate, requirePermission, requirePlatformToken } from '../middleware/auth';
import type { ServiceContext } from '../services/context';
import { ERROR_STATUS, fieldIssues, type ErrorCode, type ErrorEnvelope } from './errors';

/** Shared by every sub-app: zod failures become 422 with field paths in the one envelope. */
export function newRouter() {
  return new OpenAPIHono<HonoEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const body: ErrorEnvelope = {
          error: {
            code: 'validation_failed',
            message: 'The request is not valid',
            details: fieldIssues(result.error.issues),
            requestId: c.get('requestId'),
          },
        };
        return c.json(body, 422);
      }
    },
  });
}

export function errorResponse(c: Context<HonoEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorEnvelope = {
    error: { code, message, ...(details === undefined ? {} : { details }), requestId: c.get('requestId') ?? 'unknown' },
  };
  return c.json(body, ERROR_STATUS[code]);
}

export type RouteAccess = Permission | 'platform' | 'public';

/**
 * A route contract with its access rule attached: the permission lands in the OpenAPI document
 * (`x-permission`) — which is how the shared security suite finds what every route needs — and
 * the matching middleware is wired in, so the two cannot drift apart.
 */
export function defineRoute<const R extends RouteConfig>(access: RouteAccess, config: R) {
  const middleware =
    access === 'public' ? [] : access === 'platform' ? [requirePlatformToken] : [authenticate, requirePermission(access)];
  return createRoute({
    ...config,
    ...(access === 'public' ? {} : { security: [{ bearerAuth: [] }] }),
    'x-permission': access,
    middleware: [...middleware, ...toArray(config.middleware)],
  } as R & { middleware: MiddlewareHandler[] });
}

function toArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The service context for the authenticated caller of this request. */
export function serviceContext(c: Context<HonoEnv>): ServiceContext {
  const principal = c.get('principal');
  return {
    tenantId: principal.tenantId,
    actor: actorOf(principal),
    principal,
    db: c.var.services.db,
    redis: c.var.services.redis,
    config: c.var.config,
    logger: c.var.logger,
    ip: clientIp(c),
    rooms: c.env.CONVERSATION_ROOM,
    hubs: c.env.REALTIME_HUB,
    desks: c.env.ALERT_DESK,
  };
}

/** Context for routes without a tenant yet (login, refresh, provisioning). */
export function anonymousContext(c: Context<HonoEnv>): Omit<ServiceContext, 'tenantId'> {
  return {
    actor: { type: 'anonymous', id: null },
    db: c.var.services.db,
    redis: c.var.services.redis,
    config: c.var.config,
    logger: c.var.logger,
    ip: clientIp(c),
  };
}

export function clientIp(c: Context<HonoEnv>): string | null {
  return c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? null;
}
