import { eq, sql } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { fieldIssues, NotFound, ValidationFailed } from '../../lib/errors';
import { audit, withTransaction, type ServiceContext } from '../context';
import { TenantSettingsSchema, type TenantSettings } from './settings';

export async function getTenant(ctx: ServiceContext) {
  const [tenant] = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).limit(1);
  if (!tenant) throw new NotFound('Tenant');
  return { ...tenant, settings: TenantSettingsSchema.parse(tenant.settings) };
}

export interface TenantPatch {
  name?: string;
  timezone?: string;
  settings?: Record<string, unknown>;
}

/** Deep-merges the patch into the current settings, then validates the whole result. */
export async function updateTenant(ctx: ServiceContext, patch: TenantPatch) {
  return withTransaction(ctx, async (tx) => {
    const current = await getTenant(tx);
    let settings: TenantSettings = current.settings;
    if (patch.settings) {
      const merged = TenantSettingsSchema.safeParse(deepMerge(current.settings, patch.settings));
      if (!merged.success) {
        throw new ValidationFailed('The settings are not valid', fieldIssues(merged.error.issues.map((i) => ({ ...i, path: ['settings', ...i.path] }))));
      }
      settings = merged.data;
    }
    const [updated] = await tx.db
      .update(tenants)
      .set({ name: patch.name ?? current.name, timezone: patch.timezone ?? current.timezone, settings, updatedAt: sql`now()` })
      .where(eq(tenants.id, ctx.tenantId))
      .returning();
    await audit(tx, { action: 'tenant.updated', targetType: 'tenant', targetId: ctx.tenantId, details: { fields: Object.keys(patch) } });
    return { ...updated!, settings };
  });
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
