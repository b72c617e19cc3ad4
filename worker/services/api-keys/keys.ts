import { and, desc, eq, sql } from 'drizzle-orm';
import { apiKeys } from '../../db/schema';
import { newApiKey } from '../../lib/crypto/tokens';
import { NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit, withTransaction, type ServiceContext } from '../context';

const PUBLIC_COLUMNS = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/** The full key is returned here once; only its SHA-256 is stored. */
export async function createApiKey(ctx: ServiceContext, input: { name: string; scopes: string[] }) {
  const generated = await newApiKey();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(apiKeys)
      .values({ id: newId('apiKey'), tenantId: ctx.tenantId, name: input.name, prefix: generated.prefix, keyHash: generated.hash, scopes: [...new Set(input.scopes)], createdBy: ctx.actor.id })
      .returning(PUBLIC_COLUMNS);
    await audit(tx, { action: 'api_key.created', targetType: 'api_key', targetId: row!.id, details: { scopes: row!.scopes } });
    return { ...row!, key: generated.key };
  });
}

export async function listApiKeys(ctx: ServiceContext) {
  return ctx.db.select(PUBLIC_COLUMNS).from(apiKeys).where(eq(apiKeys.tenantId, ctx.tenantId)).orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(ctx: ServiceContext, id: string) {
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, ctx.tenantId)))
      .returning(PUBLIC_COLUMNS);
    if (!row) throw new NotFound('API key');
    await audit(tx, { action: 'api_key.revoked', targetType: 'api_key', targetId: id });
    return row;
  });
}

