/**
 * Per-tenant feature flags: a kill switch (`enabled`) and a rollout percentage over the
 * deterministic SHA-256 buckets of `flag:unit` (worker/intelligence/experiments/bucketing.ts).
 *
 * The answer is always computed from the flag's current definition, so a rollout change or the
 * kill switch applies to every unit on the next evaluation. What a unit got the FIRST time it was
 * evaluated is recorded in `flag_assignments` (history for support and analysis, never read back
 * to decide). Redis remembers for a few minutes that the record exists, so the hot path skips
 * the Postgres insert; Redis being down only costs that idempotent insert.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { featureFlags, flagAssignments } from '../../db/schema';
import { bucketOf, flagDecision, type FlagReason } from '../../intelligence/experiments/bucketing';
import { NotFound } from '../../lib/errors';
import { audit, withTransaction, type ServiceContext } from '../context';

export type FlagRow = typeof featureFlags.$inferSelect;

const RECORDED_TTL_SECONDS = 300;
const cacheKey = (ctx: ServiceContext, flag: string, unit: string) => `lp:ff:${ctx.tenantId}:${flag}:${unit}`;

export function flagView(f: FlagRow) {
  return {
    key: f.key,
    description: f.description,
    enabled: f.enabled,
    rolloutPct: f.rolloutBasisPoints / 100,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}

export async function listFlags(ctx: ServiceContext): Promise<FlagRow[]> {
  return ctx.db.select().from(featureFlags).where(eq(featureFlags.tenantId, ctx.tenantId)).orderBy(asc(featureFlags.key));
}

async function loadFlag(ctx: ServiceContext, key: string): Promise<FlagRow | undefined> {
  const [flag] = await ctx.db.select().from(featureFlags).where(and(eq(featureFlags.tenantId, ctx.tenantId), eq(featureFlags.key, key))).limit(1);
  return flag;
}

export interface FlagInput {
  enabled: boolean;
  /** 0–100 with at most two decimals (stored as basis points). */
  rolloutPct: number;
  description?: string | null;
}

/** Creates or replaces a flag; the change (before → after) is audited in the same transaction. */
export async function putFlag(ctx: ServiceContext, key: string, input: FlagInput): Promise<{ flag: FlagRow; created: boolean }> {
  const rolloutBasisPoints = Math.round(input.rolloutPct * 100);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(featureFlags)
      .where(and(eq(featureFlags.tenantId, tx.tenantId), eq(featureFlags.key, key)))
      .for('update')
      .limit(1);
    const description = input.description === undefined ? (before?.description ?? null) : input.description;
    const [flag] = await tx.db
      .insert(featureFlags)
      .values({ tenantId: tx.tenantId, key, enabled: input.enabled, rolloutBasisPoints, description })
      .onConflictDoUpdate({
        target: [featureFlags.tenantId, featureFlags.key],
        set: { enabled: input.enabled, rolloutBasisPoints, description, updatedAt: sql`now()` },
      })
      .returning();
    await audit(tx, {
      action: before ? 'flag.updated' : 'flag.created',
      targetType: 'feature_flag',
      targetId: key,
      details: {
        before: before ? { enabled: before.enabled, rolloutPct: before.rolloutBasisPoints / 100 } : null,
        after: { enabled: flag!.enabled, rolloutPct: flag!.rolloutBasisPoints / 100 },
      },
    });
    return { flag: flag!, created: !before };
  });
}

export interface FlagEvaluation {
  flag: string;
  unit: string;
  bucket: number;
  on: boolean;
  reason: FlagReason;
  /** What the unit got the first time it was evaluated (history; null if never evaluated). */
  firstAssignment: { on: boolean; bucket: number; assignedAt: string } | null;
}

/**
 * Whether `unit` gets the feature now, recording its first assignment. Unknown flags are off
 * (product code may ask about a flag before anyone has configured it).
 */
export async function isFlagOn(ctx: ServiceContext, key: string, unit: string): Promise<boolean> {
  const flag = await loadFlag(ctx, key);
  if (!flag) return false;
  const bucket = await bucketOf(key, unit);
  const { on } = flagDecision(flag, bucket);
  await recordAssignment(ctx, key, unit, bucket, on);
  return on;
}

async function recordAssignment(ctx: ServiceContext, key: string, unit: string, bucket: number, on: boolean) {
  const cached = await ctx.redis.get(cacheKey(ctx, key, unit)).catch(() => null);
  if (cached !== null) return;
  await ctx.db.insert(flagAssignments).values({ tenantId: ctx.tenantId, flagKey: key, unit, bucket, on }).onConflictDoNothing();
  await ctx.redis.set(cacheKey(ctx, key, unit), on ? 1 : 0, { ex: RECORDED_TTL_SECONDS }).catch((err: Error) => ctx.logger.warn('flag assignment not cached', { flag: key, error: err.message }));
}

/**
 * Who gets what, for support: the current answer with its reason and the unit's recorded first
 * assignment. A support lookup does not itself record an assignment.
 */
export async function evaluateFlag(ctx: ServiceContext, key: string, unit: string): Promise<FlagEvaluation> {
  const flag = await loadFlag(ctx, key);
  if (!flag) throw new NotFound('Flag');
  const bucket = await bucketOf(key, unit);
  const decision = flagDecision(flag, bucket);
  const [first] = await ctx.db
    .select()
    .from(flagAssignments)
    .where(and(eq(flagAssignments.tenantId, ctx.tenantId), eq(flagAssignments.flagKey, key), eq(flagAssignments.unit, unit)))
    .limit(1);
  return {
    flag: key,
    unit,
    bucket,
    ...decision,
    firstAssignment: first ? { on: first.on, bucket: first.bucket, assignedAt: first.assignedAt.toISOString() } : null,
  };
}
