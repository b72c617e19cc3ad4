/**
 * Experiments on real levers (assistant script, follow-up cadence, routing strategy): variants
 * with weights and the configuration each applies, deterministic assignment by SHA-256 bucket of
 * `experimentKey:unit`, the first exposure of each unit recorded (its variant sticks: weights are
 * fixed at creation), conversions counted once per unit and event, and a report with lift, a
 * 95 % interval, a z-test and a sample-ratio check (worker/intelligence/experiments/stats.ts).
 *
 * At most one experiment per lever runs at a time in a tenant: two running cadence experiments
 * would each claim the same lead's follow-ups, and neither result would mean anything.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { EXPERIMENT_LEVERS, experimentConversions, experimentExposures, experiments } from '../../db/schema';
import { bucketOf, variantFor } from '../../intelligence/experiments/bucketing';
import { experimentReport } from '../../intelligence/experiments/stats';
import { Conflict, NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { planAllows } from '../billing/billing';
import { audit, withTransaction, type ServiceContext } from '../context';

export type ExperimentRow = typeof experiments.$inferSelect;
export type Lever = (typeof EXPERIMENT_LEVERS)[number];
export type Variant = ExperimentRow['variants'][number];

/** The conversion event the conversation engine records when a lead becomes qualified. */
export const LEAD_QUALIFIED = 'lead_qualified';
/** The conversion event recorded when an alert's outcome is "converted" (a routing experiment's natural goal). */
export const ALERT_CONVERTED = 'alert_converted';

const EXPOSED_TTL_SECONDS = 600;

export interface CreateExperiment {
  key: string;
  name: string;
  lever: Lever;
  variants: Variant[];
  conversionEvent: string;
}

export async function createExperiment(ctx: ServiceContext, input: CreateExperiment): Promise<ExperimentRow> {
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(experiments)
      .values({ id: newId('experiment'), tenantId: tx.tenantId, key: input.key, name: input.name, lever: input.lever, variants: input.variants, conversionEvent: input.conversionEvent })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`An experiment with key "${input.key}" already exists`, { key: input.key });
    await audit(tx, { action: 'experiment.created', targetType: 'experiment', targetId: row.id, details: { key: row.key, lever: row.lever, variants: row.variants.map((v) => ({ key: v.key, weight: v.weight })) } });
    return row;
  });
}

export async function listExperiments(ctx: ServiceContext): Promise<ExperimentRow[]> {
  return ctx.db.select().from(experiments).where(eq(experiments.tenantId, ctx.tenantId)).orderBy(desc(experiments.createdAt)).limit(200);
}

async function loadExperiment(ctx: ServiceContext, id: string): Promise<ExperimentRow> {
  const [row] = await ctx.db.select().from(experiments).where(and(eq(experiments.tenantId, ctx.tenantId), eq(experiments.id, id))).limit(1);
  if (!row) throw new NotFound('Experiment');
  return row;
}

/** The status change itself, guarded by the expected current status, audited in the same transaction. */
async function moveTo(tx: ServiceContext, id: string, from: ExperimentRow['status'], to: 'running' | 'stopped'): Promise<ExperimentRow> {
  const stamp = to === 'running' ? { startedAt: sql`now()` } : { stoppedAt: sql`now()` };
  const [row] = await tx.db
    .update(experiments)
    .set({ status: to, ...stamp, updatedAt: sql`now()` })
    .where(and(eq(experiments.tenantId, tx.tenantId), eq(experiments.id, id), eq(experiments.status, from)))
    .returning();
  if (!row) throw new Conflict('The experiment changed meanwhile; try again');
  await audit(tx, { action: to === 'running' ? 'experiment.started' : 'experiment.stopped', targetType: 'experiment', targetId: id });
  return row;
}

/** draft → running. A stopped experiment stays stopped (its units saw a variant; restarting would muddle the result). */
export async function startExperiment(ctx: ServiceContext, id: string): Promise<ExperimentRow> {
  return withTransaction(ctx, async (tx) => {
    const current = await loadExperiment(tx, id);
    if (current.status !== 'draft') throw new Conflict(`The experiment is ${current.status}; only a draft can start`);
    // Serialises starts per tenant and lever, so two concurrent starts cannot both win.
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`experiment-lever:${tx.tenantId}:${current.lever}`}))`);
    const [running] = await tx.db
      .select({ id: experiments.id, key: experiments.key })
      .from(experiments)
      .where(and(eq(experiments.tenantId, tx.tenantId), eq(experiments.lever, current.lever), eq(experiments.status, 'running')))
      .limit(1);
    if (running) throw new Conflict(`Experiment "${running.key}" already runs on the ${current.lever} lever; stop it first`, { runningExperimentId: running.id });
    return moveTo(tx, id, 'draft', 'running');
  });
}

export async function stopExperiment(ctx: ServiceContext, id: string): Promise<ExperimentRow> {
  return withTransaction(ctx, async (tx) => {
    const current = await loadExperiment(tx, id);
    if (current.status !== 'running') throw new Conflict(`The experiment is ${current.status}; only a running one can stop`);
    return moveTo(tx, id, 'running', 'stopped');
  });
}

export interface Exposure {
  experimentId: string;
  experimentKey: string;
  variant: string;
  config: Record<string, unknown>;
}

async function recordedVariant(ctx: ServiceContext, experimentId: string, unit: string): Promise<string | null> {
  const [first] = await ctx.db
    .select({ variant: experimentExposures.variant })
    .from(experimentExposures)
    .where(and(eq(experimentExposures.experimentId, experimentId), eq(experimentExposures.unit, unit)))
    .limit(1);
  return first?.variant ?? null;
}

/**
 * The unit's variant in a running experiment, recording its first exposure. A unit keeps the
 * variant of its first exposure (read back when the insert finds one), so the answer is stable
 * even if the experiment row were edited by hand.
 */
async function exposeTo(ctx: ServiceContext, exp: ExperimentRow, unit: string): Promise<Exposure> {
  const assigned = variantFor(exp.variants, await bucketOf(exp.key, unit));
  const key = `lp:exp:${ctx.tenantId}:${exp.id}:${unit}`;
  const cached = await ctx.redis.get<string>(key).catch(() => null);
  let variant = typeof cached === 'string' ? cached : null;
  if (variant === null) {
    const [inserted] = await ctx.db
      .insert(experimentExposures)
      .values({ tenantId: ctx.tenantId, experimentId: exp.id, unit, variant: assigned.key })
      .onConflictDoNothing()
      .returning({ variant: experimentExposures.variant });
    variant = inserted ? inserted.variant : ((await recordedVariant(ctx, exp.id, unit)) ?? assigned.key);
    await ctx.redis.set(key, variant, { ex: EXPOSED_TTL_SECONDS }).catch((err: Error) => ctx.logger.warn('experiment exposure not cached', { experimentId: exp.id, error: err.message }));
  }
  return exposureIn(exp, variant, assigned);
}

function exposureIn(exp: ExperimentRow, variant: string, fallback: Variant): Exposure {
  const chosen = exp.variants.find((v) => v.key === variant) ?? fallback;
  return { experimentId: exp.id, experimentKey: exp.key, variant: chosen.key, config: chosen.config };
}

/** By key, for product code: null when no such experiment is running (the caller uses its default). */
export async function exposeUnit(ctx: ServiceContext, experimentKey: string, unit: string): Promise<{ variant: string; config: Record<string, unknown> } | null> {
  const [exp] = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.tenantId, ctx.tenantId), eq(experiments.key, experimentKey), eq(experiments.status, 'running')))
    .limit(1);
  if (!exp) return null;
  const { variant, config } = await exposeTo(ctx, exp, unit);
  return { variant, config };
}

/** Product levers follow a running experiment only while the tenant's plan includes experiments. */
async function runningOnLever(ctx: ServiceContext, lever: Lever): Promise<ExperimentRow | undefined> {
  if (!(await planAllows(ctx, 'experiments'))) return undefined;
  const [exp] = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.tenantId, ctx.tenantId), eq(experiments.lever, lever), eq(experiments.status, 'running')))
    .limit(1);
  return exp;
}

/** The running experiment on a lever, if any, and the unit's variant in it. */
export async function exposeUnitOnLever(ctx: ServiceContext, lever: Lever, unit: string): Promise<Exposure | null> {
  const exp = await runningOnLever(ctx, lever);
  return exp ? exposeTo(ctx, exp, unit) : null;
}

/**
 * The unit's variant in the running experiment on a lever without recording anything: its
 * recorded variant when it was exposed before, else (with `orAssigned`) the one it would get, else
 * null. For what-ifs (the routing preview) and for treatments that enrol a unit at one moment only
 * (a script is chosen with the first bot message, not midway through a conversation).
 */
export async function peekUnitOnLever(ctx: ServiceContext, lever: Lever, unit: string, opts: { orAssigned: boolean }): Promise<Exposure | null> {
  const exp = await runningOnLever(ctx, lever);
  if (!exp) return null;
  const recorded = await recordedVariant(ctx, exp.id, unit);
  if (recorded === null && !opts.orAssigned) return null;
  const assigned = variantFor(exp.variants, await bucketOf(exp.key, unit));
  return exposureIn(exp, recorded ?? assigned.key, assigned);
}

/** By id, for the API (an outside system logging its own exposures). */
export async function exposeUnitById(ctx: ServiceContext, id: string, unit: string): Promise<Exposure> {
  const exp = await loadExperiment(ctx, id);
  if (exp.status !== 'running') throw new Conflict(`The experiment is ${exp.status}; exposures are taken only while it runs`);
  return exposeTo(ctx, exp, unit);
}

/**
 * Records `event` for `unit` in one experiment (by key or id) or, with `experimentKey` null, in
 * every started experiment (running or stopped) that counts that event. Only exposed units convert: a conversion
 * without an exposure has no variant to credit. A stopped experiment still takes conversions of
 * units exposed while it ran (a lead may qualify days after its last follow-up).
 * Returns the ids of the experiments where a new conversion was recorded.
 */
export async function recordConversion(ctx: ServiceContext, experimentKey: string | null, unit: string, event: string, opts: { byId?: boolean } = {}): Promise<string[]> {
  const target = experimentKey === null ? undefined : opts.byId ? eq(experiments.id, experimentKey) : eq(experiments.key, experimentKey);
  const rows = await ctx.db.execute<{ experiment_id: string }>(sql`
    insert into ${experimentConversions} (tenant_id, experiment_id, unit, event)
    select ${ctx.tenantId}::text, ${experiments.id}, ${unit}::text, ${event}::text
    from ${experiments}
    join ${experimentExposures} on ${experimentExposures.experimentId} = ${experiments.id} and ${experimentExposures.unit} = ${unit}::text
    where ${experiments.tenantId} = ${ctx.tenantId}::text and ${experiments.conversionEvent} = ${event}::text and ${experiments.status} <> 'draft'${target ? sql` and ${target}` : sql``}
    on conflict do nothing
    returning experiment_id`);
  return rows.rows.map((r) => r.experiment_id);
}

/** By id, for the API: 404 for another tenant's or an unknown experiment, then as recordConversion. */
export async function recordConversionById(ctx: ServiceContext, id: string, unit: string, event: string | undefined) {
  const exp = await loadExperiment(ctx, id);
  const recorded = await recordConversion(ctx, exp.id, unit, event ?? exp.conversionEvent, { byId: true });
  return { recorded: recorded.length > 0, event: event ?? exp.conversionEvent, counted: (event ?? exp.conversionEvent) === exp.conversionEvent };
}

/** The experiment with per-variant exposures, conversions, rates, lift, interval, z-test and SRM check. */
export async function experimentResults(ctx: ServiceContext, id: string) {
  const exp = await loadExperiment(ctx, id);
  const exposed = await ctx.db
    .select({ variant: experimentExposures.variant, n: count() })
    .from(experimentExposures)
    .where(and(eq(experimentExposures.tenantId, ctx.tenantId), eq(experimentExposures.experimentId, id)))
    .groupBy(experimentExposures.variant);
  const converted = await ctx.db
    .select({ variant: experimentExposures.variant, n: count() })
    .from(experimentConversions)
    .innerJoin(experimentExposures, and(eq(experimentExposures.experimentId, experimentConversions.experimentId), eq(experimentExposures.unit, experimentConversions.unit)))
    .where(and(eq(experimentConversions.tenantId, ctx.tenantId), eq(experimentConversions.experimentId, id), eq(experimentConversions.event, exp.conversionEvent)))
    .groupBy(experimentExposures.variant);
  const n = (rows: { variant: string; n: number }[], v: string) => Number(rows.find((r) => r.variant === v)?.n ?? 0);
  const report = experimentReport(exp.variants.map((v) => ({ key: v.key, weight: v.weight, exposures: n(exposed, v.key), conversions: n(converted, v.key) })));
  return { experiment: exp, report };
}
