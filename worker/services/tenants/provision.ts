import { tenants, users } from '../../db/schema';
import { hashPassword, passwordProblems } from '../../lib/crypto/password';
import { Conflict, ValidationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { createApiKey } from '../api-keys/keys';
import { audit, isUniqueViolation, withTransaction, type ServiceContext } from '../context';
import { defaultSettings } from './settings';

export interface ProvisionInput {
  name: string;
  slug?: string;
  timezone?: string;
  owner: { email: string; name: string; password: string };
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug.length >= 3 ? slug : `team-${slug || 'new'}`;
}

/**
 * Creates a tenant, its owner and a first admin API key in one transaction (with audit rows);
 * the key is returned once and only its hash is stored.
 */
export async function provisionTenant(ctx: Omit<ServiceContext, 'tenantId'>, input: ProvisionInput) {
  const problems = passwordProblems(input.owner.password, { email: input.owner.email, name: input.owner.name });
  if (problems.length) throw new ValidationFailed('The owner password is too weak', problems.map((message) => ({ path: 'owner.password', message })));

  const tenantId = newId('tenant');
  const ownerId = newId('user');
  const slug = input.slug ?? slugify(input.name);
  const scoped: ServiceContext = { ...ctx, tenantId, actor: { type: 'platform', id: null } };
  const passwordHash = await hashPassword(input.owner.password);
  try {
    return await withTransaction(scoped, async (tx) => {
      const [tenant] = await tx.db
        .insert(tenants)
        .values({ id: tenantId, slug, name: input.name, timezone: input.timezone ?? 'America/New_York', settings: defaultSettings() })
        .returning();
      const [owner] = await tx.db
        .insert(users)
        .values({ id: ownerId, tenantId, email: input.owner.email.trim().toLowerCase(), name: input.owner.name, role: 'owner', passwordHash })
        .returning({ id: users.id, email: users.email, role: users.role, name: users.name });
      const key = await createApiKey(tx, { name: 'Default admin key', scopes: ['admin'] });
      await audit(tx, { action: 'tenant.provisioned', targetType: 'tenant', targetId: tenantId, details: { slug } });
      return { tenant: tenant!, owner: owner!, apiKey: key.key };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'tenants_slug_unique')) throw new Conflict(`The slug "${slug}" is taken`, { field: 'slug' });
    throw err;
  }
}
