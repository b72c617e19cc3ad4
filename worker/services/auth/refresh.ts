import { disconnectRealtime } from '../realtime/publish';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { refreshTokens, users } from '../../db/schema';
import { looksLikeRefreshToken } from '../../lib/crypto/tokens';
import { Unauthorized } from '../../lib/errors';
import { audit, withTransaction, type ServiceContext } from '../context';
import { enforceLimit } from '../ratelimit';
import { findRefreshToken, issueSession, revokeFamily, type SessionTokens } from './sessions';

const INVALID = 'Refresh token is invalid or expired; sign in again';

/**
 * Rotation with reuse detection (OWASP ASVS V10.4.5): each refresh token works once. Presenting
 * one that was already used means it was copied, so the whole family (every token descended
 * from that login) is revoked and the user must sign in again.
 */
export async function refreshSession(ctx: Omit<ServiceContext, 'tenantId'>, token: string): Promise<SessionTokens> {
  await enforceLimit(ctx.redis, ctx.logger, 'refreshPerIp', ctx.ip ?? 'unknown');
  if (!looksLikeRefreshToken(token)) throw new Unauthorized(INVALID);
  const row = await findRefreshToken(ctx.db, token);
  if (!row) throw new Unauthorized(INVALID);
  const scoped: ServiceContext = { ...ctx, tenantId: row.tenantId, actor: { type: 'user', id: row.userId } };

  if (row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw new Unauthorized(INVALID);

  // Claim the token atomically: of two concurrent uses only one gets the row.
  const [claimed] = await ctx.db
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (!claimed) {
    await withTransaction(scoped, async (tx) => {
      const revoked = await revokeFamily(tx.db, row.familyId);
      await audit(tx, { action: 'auth.refresh_reuse_detected', targetType: 'token_family', targetId: row.familyId, details: { revokedTokens: revoked } });
    });
    ctx.logger.warn('refresh token reuse: family revoked', { tenantId: row.tenantId, familyId: row.familyId });
    throw new Unauthorized(INVALID);
  }

  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.id, row.userId), eq(users.tenantId, row.tenantId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw new Unauthorized(INVALID);
  return issueSession(scoped, user, row.familyId);
}

/** Logout: the presented token's family ends (other devices stay signed in). */
export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  const row = looksLikeRefreshToken(token) ? await findRefreshToken(ctx.db, token) : undefined;
  if (!row || row.tenantId !== ctx.tenantId) return; // idempotent; never reveals other tenants' tokens
  await withTransaction(ctx, async (tx) => {
    await revokeFamily(tx.db, row.familyId);
    await audit(tx, { action: 'auth.logout', targetType: 'token_family', targetId: row.familyId });
  });
  // This sign-in's open dashboards stop receiving alerts too (best effort: they also expire with the token).
  await disconnectRealtime(ctx, row.userId, row.familyId);
}
