import { and, eq, isNull, sql } from 'drizzle-orm';
import { signingKeys, tokenAudience } from '../../auth/keys';
import { refreshTokens, type Role } from '../../db/schema';
import { signAccessToken, ACCESS_TOKEN_MAX_TTL_SECONDS } from '../../lib/crypto/jwt';
import { hashToken, newRefreshToken } from '../../lib/crypto/tokens';
import { newId } from '../../lib/ids';
import type { Db, ServiceContext } from '../context';

export const REFRESH_TOKEN_TTL_DAYS = 30;

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** An access JWT plus a new refresh token in `familyId` (a fresh family for a new login). */
export async function issueSession(
  ctx: ServiceContext,
  user: { id: string; tenantId: string; role: Role },
  familyId: string = newId('tokenFamily'),
): Promise<SessionTokens> {
  const refresh = await newRefreshToken();
  await ctx.db.insert(refreshTokens).values({
    id: newId('refreshToken'),
    tenantId: user.tenantId,
    userId: user.id,
    familyId,
    tokenHash: refresh.hash,
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  });
  const accessToken = await signAccessToken(
    signingKeys(ctx.config),
    { sub: user.id, tid: user.tenantId, role: user.role, sid: familyId },
    { ...tokenAudience(ctx.config), ttlSeconds: ACCESS_TOKEN_MAX_TTL_SECONDS },
  );
  return { accessToken, refreshToken: refresh.token, expiresIn: ACCESS_TOKEN_MAX_TTL_SECONDS };
}

export async function revokeFamily(db: Db, familyId: string): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

export async function revokeAllSessionsOf(db: Db, userId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export async function findRefreshToken(db: Db, token: string) {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, await hashToken(token))).limit(1);
  return row;
}
