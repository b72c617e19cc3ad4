/**
 * Training rows from the product's own outcomes: every model alert keeps the feature row its
 * probability was computed from (`alerts.features`), and an agent records whether the lead
 * converted. Those pairs are what the nightly retrain learns from.
 *
 * When a tenant has enough of them:
 * - RETRAIN_MIN_OUTCOMES alerts of the kind with both a recorded outcome and a feature snapshot,
 * - at least RETRAIN_MIN_PER_OUTCOME converted and as many not converted (precision and AUC from
 *   fewer are noise),
 * - RETRAIN_MIN_NEW more such alerts than the previous outcome-trained run saw (retraining on
 *   the same data would only reshuffle the folds).
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { alerts, MODEL_KINDS, type ModelKind } from '../../db/schema';
import type { CsvRow } from '../../intelligence/models';
import type { ServiceContext } from '../context';

export const RETRAIN_MIN_OUTCOMES = 200;
export const RETRAIN_MIN_PER_OUTCOME = 20;
export const RETRAIN_MIN_NEW = 50;
/** The newest this many outcomes train a model: bounds a Worker's memory and CPU for one run. */
export const RETRAIN_MAX_ROWS = 50_000;
/** The label column of outcome-trained models. */
export const OUTCOME_LABEL = 'converted';

const withOutcome = (tenantId?: string, kind?: ModelKind) =>
  and(
    tenantId ? eq(alerts.tenantId, tenantId) : undefined,
    kind ? eq(alerts.kind, kind) : inArray(alerts.kind, [...MODEL_KINDS]),
    isNotNull(alerts.converted),
    isNotNull(alerts.features),
  );

/** Per tenant and kind, how many usable outcomes exist (only pairs with enough of them). */
export async function outcomeCounts(db: Database) {
  return db
    .select({
      tenantId: alerts.tenantId,
      kind: alerts.kind,
      n: sql<number>`count(*)::int`,
      positives: sql<number>`count(*) filter (where ${alerts.converted})::int`,
    })
    .from(alerts)
    .where(withOutcome())
    .groupBy(alerts.tenantId, alerts.kind)
    .having(sql`count(*) >= ${RETRAIN_MIN_OUTCOMES}`);
}

/** Feature snapshots as training rows (values as the strings a CSV would hold), newest first. */
export async function outcomeRows(ctx: ServiceContext, kind: ModelKind) {
  const found = await ctx.db
    .select({ features: alerts.features, converted: alerts.converted })
    .from(alerts)
    .where(withOutcome(ctx.tenantId, kind))
    .orderBy(desc(alerts.updatedAt), desc(alerts.id))
    .limit(RETRAIN_MAX_ROWS);
  const rows: CsvRow[] = [];
  const labels: number[] = [];
  for (const a of found) {
    const row: CsvRow = {};
    for (const [k, v] of Object.entries(a.features ?? {})) row[k] = v === null || v === undefined ? '' : String(v);
    // Set last: a snapshot can never smuggle its own outcome column in.
    row[OUTCOME_LABEL] = a.converted ? '1' : '0';
    rows.push(row);
    labels.push(a.converted ? 1 : 0);
  }
  return { rows, labels, bad: [], rowsTotal: rows.length };
}
