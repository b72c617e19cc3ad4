import { disconnectRealtime } from '../realtime/publish';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { ROLE_RANK } from '../../auth/permissions';
import { users, type Role } from '../../db/schema';
import { hashPassword, passwordProblems } from '../../lib/crypto/password';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { revokeAllSessionsOf } from '../auth/sessions';
import { assertSeatAvailable } from '../billing/billing';
import { audit, isUniqueViolation, withTransaction, type ServiceContext } from '../context';

export type WorkingHours = Record<string, Array<[string, string]>>;

export interface UserFields {
  name?: string;
  role?: Role;
  territories?: string[];
  skills?: string[];
  capacity?: number;
  workingHours?: WorkingHours | null;
  paused?: boolean;
}

const PUBLIC_COLUMNS = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  territories: users.territories,
  skills: users.skills,
  capacity: users.capacity,
  workingHours: users.workingHours,
  paused: users.paused,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

const live = (ctx: ServiceContext) => and(eq(users.tenantId, ctx.tenantId), isNull(users.deletedAt));

/** The caller's own rank; API keys act with admin rank. */
function callerRank(ctx: ServiceContext): number {
  return ctx.principal?.kind === 'user' ? ROLE_RANK[ctx.principal.role] : ROLE_RANK.admin;
}

function assertMayGrant(ctx: ServiceContext, role: Role) {
  if (ROLE_RANK[role] > callerRank(ctx)) throw new Forbidden(`You cannot grant the ${role} role`);
}

export async function listUsers(ctx: ServiceContext) {
  return ctx.db.select(PUBLIC_COLUMNS).from(users).where(live(ctx)).orderBy(asc(users.name));
}

export async function getUser(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select(PUBLIC_COLUMNS).from(users).where(and(live(ctx), eq(users.id, id))).limit(1);
  if (!row) throw new NotFound('User');
  return row;
}

export async function createUser(ctx: ServiceContext, input: UserFields & { email: string; name: string; role: Role; password: string }) {
  assertMayGrant(ctx, input.role);
  const problems = passwordProblems(input.password, { email: input.email, name: input.name });
  if (problems.length) throw new ValidationFailed('The password is too weak', problems.map((message) => ({ path: 'password', message })));
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(ctx, async (tx) => {
      await assertSeatAvailable(tx); // the plan's seats (PRODUCT.md §3.9)
      const [row] = await tx.db
        .insert(users)
        .values({
          id: newId('user'),
          tenantId: ctx.tenantId,
          email: input.email.trim().toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash,
          territories: input.territories ?? [],
          skills: input.skills ?? [],
          capacity: input.capacity ?? 20,
          workingHours: input.workingHours ?? null,
          paused: input.paused ?? false,
        })
        .returning(PUBLIC_COLUMNS);
      await audit(tx, { action: 'user.created', targetType: 'user', targetId: row!.id, details: { role: row!.role } });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_tenant_email_uq')) throw new Conflict('A user with this email already exists', { field: 'email' });
    throw err;
  }
}

export async function updateUser(ctx: ServiceContext, id: string, patch: UserFields) {
  return withTransaction(ctx, async (tx) => {
    const current = await getUser(tx, id);
    if (ROLE_RANK[current.role] > callerRank(tx)) throw new Forbidden('You cannot change a user above your own role');
    if (patch.role && patch.role !== current.role) {
      assertMayGrant(tx, patch.role);
      if (current.role === 'owner') await assertAnotherOwner(tx, id);
    }
    const [row] = await tx.db
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(live(tx), eq(users.id, id)))
      .returning(PUBLIC_COLUMNS);
    const roleChanged = patch.role !== undefined && patch.role !== current.role;
    await audit(tx, {
      action: roleChanged ? 'user.role_changed' : 'user.updated',
      targetType: 'user',
      targetId: id,
      details: roleChanged ? { from: current.role, to: patch.role, fields: Object.keys(patch) } : { fields: Object.keys(patch) },
    });
    return row!;
  });
}

/** Soft delete: the row stays for history (leads, audit), sign-in and sessions end now. */
export async function deleteUser(ctx: ServiceContext, id: string) {
  await withTransaction(ctx, async (tx) => {
    const current = await getUser(tx, id);
    if (ROLE_RANK[current.role] > callerRank(tx)) throw new Forbidden('You cannot remove a user above your own role');
    if (current.role === 'owner') await assertAnotherOwner(tx, id);
    await tx.db.update(users).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(and(live(tx), eq(users.id, id)));
    await revokeAllSessionsOf(tx.db, id);
    await audit(tx, { action: 'user.deleted', targetType: 'user', targetId: id });
  });
  // A removed teammate's open sockets are closed: no more alerts on a phone that left the team.
  await disconnectRealtime(ctx, id);
}

async function assertAnotherOwner(ctx: ServiceContext, exceptId: string) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(live(ctx), eq(users.role, 'owner'), ne(users.id, exceptId)));
  if (!row || row.n === 0) throw new Conflict('A tenant must keep at least one owner');
}
