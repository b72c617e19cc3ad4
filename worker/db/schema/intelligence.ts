import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { leads } from './leads';
import { tenantRef } from './tenancy';

/** The four propensity models of PRODUCT.md §3.4. */
export const MODEL_KINDS = ['sell', 'buy', 'refinance', 'invest'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/**
 * Every kind the models service trains, versions and activates: the four propensity models and
 * the churn (going-cold) risk of services/churn. Scoring and alerts mean MODEL_KINDS; churn has
 * its own job and never raises a propensity alert.
 */
export const TRAINABLE_MODEL_KINDS = [...MODEL_KINDS, 'churn'] as const;
export type TrainableModelKind = (typeof TRAINABLE_MODEL_KINDS)[number];

export interface ScoreReason {
  feature: string;
  contribution: number;
}

/**
 * A lead's latest probability per model, with the version that produced it and the reasons. The
 * feature row an outcome later trains on is kept by the alert it raised (`alerts.features`).
 */
export const leadScores = pgTable(
  'lead_scores',
  {
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    kind: text('kind', { enum: MODEL_KINDS }).notNull(),
    probability: real('probability').notNull(),
    /** `prior-v1` before the tenant has a trained model, else the model version id. */
    modelVersion: text('model_version').notNull(),
    reasons: jsonb('reasons').$type<ScoreReason[]>().notNull().default([]),
    scoredAt: ts('scored_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.kind] }), index('lead_scores_tenant_kind_idx').on(t.tenantId, t.kind, t.probability)],
);

export const MODEL_VERSION_STATUSES = ['active', 'candidate', 'rejected', 'retired'] as const;

/**
 * Every trained model version of a tenant and kind. At most one is active; a new version that
 * scores worse than the active one on the same data is stored as rejected (the rollback), and an
 * older version can be reactivated.
 */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    kind: text('kind', { enum: TRAINABLE_MODEL_KINDS }).notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: MODEL_VERSION_STATUSES }).notNull(),
    /** logistic | gbt | blend */
    learner: text('learner').notNull(),
    source: text('source', { enum: ['csv', 'outcomes'] }).notNull(),
    /** { auc, brier, ece, accuracy, precisionAtThreshold, threshold, folds, n, positives, … } */
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    /** The serialised ScoringModel (intelligence/models loadModel validates it). */
    model: jsonb('model').$type<Record<string, unknown>>().notNull(),
    features: text('features').array().notNull(),
    trainingId: text('training_id'),
    /** Why it is (not) active: "AUC 0.81 vs active 0.84 on the same rows — kept v3". */
    decision: text('decision'),
    createdBy: text('created_by'),
    activatedAt: ts('activated_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('model_versions_tenant_kind_version_uq').on(t.tenantId, t.kind, t.version),
    index('model_versions_tenant_status_idx').on(t.tenantId, t.kind, t.status),
    // The database, not only the advisory lock in services/models, guarantees one active version per kind.
    uniqueIndex('model_versions_one_active_uq').on(t.tenantId, t.kind).where(sql`status = 'active'`),
  ],
);

export const TRAINING_STATUSES = ['queued', 'parsing', 'training', 'succeeded', 'rejected', 'failed'] as const;

export interface TrainingProgress {
  rowsParsed: number;
  rowsTotal: number | null;
  foldsDone: number;
  foldsTotal: number;
  phase: string;
}

/**
 * A training run (CSV import or retrain from outcomes). Long-running for a person, so it reports
 * progress as it goes; rows that cannot be used are listed with their line numbers.
 */
export const modelTrainings = pgTable(
  'model_trainings',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    kind: text('kind', { enum: TRAINABLE_MODEL_KINDS }).notNull(),
    source: text('source', { enum: ['csv', 'outcomes'] }).notNull(),
    status: text('status', { enum: TRAINING_STATUSES }).notNull().default('queued'),
    label: text('label').notNull(),
    exclude: text('exclude').array().notNull().default([]),
    /** The uploaded CSV, kept until the run ends (then cleared). */
    csv: text('csv'),
    progress: jsonb('progress').$type<TrainingProgress>(),
    badRows: jsonb('bad_rows').$type<Array<{ line: number; message: string }>>().notNull().default([]),
    badRowCount: integer('bad_row_count').notNull().default(0),
    modelVersionId: text('model_version_id'),
    error: text('error'),
    createdBy: text('created_by'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    ...timestamps,
  },
  (t) => [index('model_trainings_tenant_created_idx').on(t.tenantId, t.createdAt)],
);

/** The tenant's outbound webhook (alerts and lead changes POSTed to their URL, signed). */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  tenantId: tenantRef().primaryKey(),
  url: text('url').notNull(),
  /** AES-GCM encrypted (lib/crypto/secrets), never returned. */
  secretEncrypted: text('secret_encrypted').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  lastDeliveryAt: ts('last_delivery_at'),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  ...timestamps,
});

export const OUTBOUND_STATUSES = ['pending', 'delivered', 'failed'] as const;

/**
 * One row per event sent to a tenant's webhook: written before QStash is asked to deliver it,
 * unique per event so a retried publish never sends it twice, updated by each attempt.
 */
export const outboundDeliveries = pgTable(
  'outbound_deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    eventType: text('event_type').notNull(),
    /** The id of what the event is about plus its transition: `alert.created:alrt_…`. */
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: OUTBOUND_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('outbound_deliveries_tenant_dedupe_uq').on(t.tenantId, t.dedupeKey),
    index('outbound_deliveries_tenant_created_idx').on(t.tenantId, t.createdAt),
    // The redrive scans only what is still pending.
    index('outbound_deliveries_pending_idx').on(t.createdAt).where(sql`status = 'pending'`),
  ],
);
