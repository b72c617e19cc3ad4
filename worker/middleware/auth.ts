import { and, eq, isNotNull, isNull, notExists, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { signingKeys, tokenAudience } from '../auth/keys';
import { permissionsForScopes, ROLE_PERMISSIONS, type Permission } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import { apiKeys, refreshTokens, ROLES, users, type Role } from '../db/schema';
import type { HonoEnv } from '../env';
import { timingSafeEqual, utf8 } from '../lib/crypto/bytes';
import { verifyAccessToken } from '../lib/crypto/jwt';
import { hashApiKey, looksLikeApiKey } from '../lib/crypto/tokens';
import { Forbidden, Unauthorized } from '../lib/errors';
import { enforceLimit } from '../services/ratelimit';

function bearer(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) throw new Unauthorized('Send Authorization: Bearer <access token or API key>');
  return match[1]!;
}

/** The WebSocket subprotocol carrying credentials: browsers cannot set headers on a WebSocket. */
export const WEBSOCKET_PROTOCOL = 'leadpulse.v1';

/** `Sec-WebSocket-Protocol: leadpulse.v1, <token>` → the token. */
function webSocketToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const parts = header.split(',').map((p) => p.trim());
  if (parts[0] !== WEBSOCKET_PROTOCOL || !parts[1]) return undefined;
  return parts[1];
}

/** lastUsedAt is written at most once a minute per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves the caller from an access JWT or an API key. A user deleted after the token was
 * issued, or whose sign-in was revoked, is refused; a role change takes effect on their next
 * token (≤ 15 min).
 */
export const authenticate = createMiddleware<HonoEnv>(async (c, next) => {
  const token = c.req.header('authorization') ? bearer(c.req.header('authorization')) : (webSocketToken(c.req.header('sec-websocket-protocol')) ?? bearer(undefined));
  const { db, redis } = c.var.services;
  const { config, logger } = c.var;
  let principal: Principal;

  if (looksLikeApiKey(token)) {
    const [key] = await db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, await hashApiKey(token)), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) throw new Unauthorized('API key is invalid or revoked');
    principal = { kind: 'api_key', tenantId: key.tenantId, apiKeyId: key.id, scopes: key.scopes, permissions: permissionsForScopes(key.scopes) };
    await enforceLimit(redis, logger, 'apiPerKey', key.id);
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      const touch = db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, key.id)).then(() => {}, () => {});
      c.executionCtx.waitUntil(touch);
    }
  } else {
    const claims = await verifyAccessToken(signingKeys(config), token, tokenAudience(config));
    if (!ROLES.includes(claims.role as Role)) throw new Unauthorized('Invalid or expired access token');
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.id, claims.sub),
          eq(users.tenantId, claims.tid),
          isNull(users.deletedAt),
          // A revoked sign-in (logout, refresh-token reuse) ends its access tokens too, not in 15 minutes.
          claims.sid
            ? notExists(db.select({ one: sql`1` }).from(refreshTokens).where(and(eq(refreshTokens.familyId, claims.sid), isNotNull(refreshTokens.revokedAt))))
            : undefined,
        ),
      )
      .limit(1);
    if (!user) throw new Unauthorized('Invalid or expired access token');
    const role = claims.role as Role;
    principal = { kind: 'user', tenantId: claims.tid, userId: claims.sub, role, familyId: claims.sid, permissions: ROLE_PERMISSIONS[role] };
  }
  await enforceLimit(redis, logger, 'apiPerTenant', principal.tenantId);
  c.set('principal', principal);
  c.set('logger', c.var.logger.with({ tenantId: principal.tenantId }));
  await next();
});

export function requirePermission(permission: Permission) {
  return createMiddleware<HonoEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new Unauthorized();
    if (!principal.permissions.has(permission)) throw new Forbidden(`This needs the ${permission} permission`);
    await next();
  });
}

/** Platform provisioning: a separate static bearer token, compared in constant time. */
export const requirePlatformToken = createMiddleware<HonoEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  const expected = utf8(c.var.config.PLATFORM_ADMIN_TOKEN);
  const given = utf8(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Unauthorized('Platform token is invalid');
  await next();
});
