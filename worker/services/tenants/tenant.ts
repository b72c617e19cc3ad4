import { eq, sql } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { fieldIssues, NotFound, ValidationFailed } from '../../lib/errors';
import { audit, withTransaction, type ServiceContext } from '../context';
import { TenantSettingsSchema, type TenantSettings } from './settings';

type Tenant = typeof tenants.$inferSelect & { settings: TenantSettings };

/**
 * One read of the tenant per unit of work: raising an alert consults the settings four times
 * (threshold, routing rules, time zone, business hours), and each read was a round trip. Keyed
 * by the context object, so the memo lives exactly as long as the request or job that made it.
 */
const loaded = new WeakMap<ServiceContext, Promise<Tenant>>();

export function getTenant(ctx: ServiceContext): Promise<Tenant> {
  let tenant = loaded.get(ctx);
  if (!tenant) {
    tenant = readTenant(ctx);
    loaded.set(ctx, tenant);
    tenant.catch(() => loaded.delete(ctx));
  }
  return tenant;
}

async function readTenant(ctx: ServiceContext): Promise<Tenant> {
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
  loaded.delete(ctx);
  return withTransaction(ctx, async (tx) => {
    const current = await readTenant(tx);
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
