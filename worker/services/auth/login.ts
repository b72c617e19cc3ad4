import { and, eq, isNull, sql } from 'drizzle-orm';
import { tenants, users } from '../../db/schema';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../lib/crypto/password';
import { Unauthorized } from '../../lib/errors';
import { audit, withTransaction, type ServiceContext } from '../context';
import { enforceLimit } from '../ratelimit';
import { issueSession, type SessionTokens } from './sessions';

export interface LoginInput {
  tenant: string;
  email: string;
  password: string;
}

export interface LoginResult extends SessionTokens {
  user: { id: string; email: string; name: string; role: string; tenantId: string };
}

/** The same answer for an unknown tenant, unknown email or wrong password: no enumeration. */
const BAD_CREDENTIALS = 'Tenant, email or password is incorrect';

/**
 * Email + password login. Limited per IP and per account before any password work; a missing
 * user still costs a full PBKDF2 run so timing does not reveal which emails exist.
 * `ctx.tenantId` is unknown until the tenant is found, so the context here is unscoped.
 */
export async function login(ctx: Omit<ServiceContext, 'tenantId'>, input: LoginInput): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const slug = input.tenant.trim().toLowerCase();
  await enforceLimit(ctx.redis, ctx.logger, 'loginPerIp', ctx.ip ?? 'unknown');
  await enforceLimit(ctx.redis, ctx.logger, 'loginPerAccount', `${slug}:${email}`);

  const [row] = await ctx.db
    .select({ user: users, tenantId: tenants.id })
    .from(users)
    .innerJoin(tenants, eq(users.tenantId, tenants.id))
    .where(and(eq(tenants.slug, slug), eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);

  if (!row) {
    await burnPasswordCheck(input.password);
    throw new Unauthorized(BAD_CREDENTIALS);
  }
  const check = await verifyPassword(input.password, row.user.passwordHash);
  const scoped: ServiceContext = { ...ctx, tenantId: row.tenantId, actor: { type: 'user', id: row.user.id } };
  if (!check.ok) {
    await audit(scoped, { action: 'auth.login_failed', targetType: 'user', targetId: row.user.id });
    throw new Unauthorized(BAD_CREDENTIALS);
  }

  return withTransaction(scoped, async (tx) => {
    const upgrade = check.needsRehash ? { passwordHash: await hashPassword(input.password) } : {};
    await tx.db.update(users).set({ lastLoginAt: sql`now()`, ...upgrade }).where(eq(users.id, row.user.id));
    const session = await issueSession(tx, row.user);
    await audit(tx, { action: 'auth.login', targetType: 'user', targetId: row.user.id, details: check.needsRehash ? { passwordRehashed: true } : undefined });
    return {
      ...session,
      user: { id: row.user.id, email: row.user.email, name: row.user.name, role: row.user.role, tenantId: row.tenantId },
    };
  });
}
