import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { tenantRef } from './tenancy';

export const SUBSCRIPTION_STATUSES = ['none', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * A tenant's Stripe subscription as LeadPulse last understood it. `stateAt` is the Stripe
 * object's own time for the state stored here: an event carrying an older state never moves the
 * subscription backwards (deliveries repeat and arrive out of order).
 */
export const subscriptions = pgTable('subscriptions', {
  tenantId: tenantRef().primaryKey(),
  stripeCustomerId: text('stripe_customer_id').unique(),
  stripeSubscriptionId: text('stripe_subscription_id').unique(),
  plan: text('plan').notNull().default('free'),
  status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull().default('none'),
  seats: integer('seats').notNull().default(3),
  currentPeriodEnd: ts('current_period_end'),
  cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
  stateAt: ts('state_at'),
  lastEventId: text('last_event_id'),
  ...timestamps,
});

/** A per-tenant feature flag: kill switch (enabled) and rollout percentage over SHA-256 buckets of `flag:unit`. */
export const featureFlags = pgTable(
  'feature_flags',
  {
    tenantId: tenantRef(),
    key: text('key').notNull(),
    description: text('description'),
    enabled: boolean('enabled').notNull().default(true),
    /** 0–100, with two decimals of precision (basis points / 100). */
    rolloutBasisPoints: integer('rollout_basis_points').notNull().default(0),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/** What a unit (lead, agent, tenant) got for a flag, recorded the first time it was evaluated. */
export const flagAssignments = pgTable(
  'flag_assignments',
  {
    tenantId: tenantRef(),
    flagKey: text('flag_key').notNull(),
    unit: text('unit').notNull(),
    bucket: integer('bucket').notNull(),
    on: boolean('on').notNull(),
    assignedAt: ts('assigned_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.flagKey, t.unit] })],
);

export const EXPERIMENT_LEVERS = ['assistant_script', 'follow_up_cadence', 'routing_strategy'] as const;
export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;

/** An experiment on a real lever: variants with weights and the configuration each applies. */
export const experiments = pgTable(
  'experiments',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    lever: text('lever', { enum: EXPERIMENT_LEVERS }).notNull(),
    variants: jsonb('variants').$type<Array<{ key: string; weight: number; config: Record<string, unknown> }>>().notNull(),
    /** The conversion event that counts (e.g. lead_qualified, appointment_set, replied). */
    conversionEvent: text('conversion_event').notNull(),
    status: text('status', { enum: EXPERIMENT_STATUSES }).notNull().default('draft'),
    startedAt: ts('started_at'),
    stoppedAt: ts('stopped_at'),
    ...timestamps,
  },
  (t) => [index('experiments_tenant_idx').on(t.tenantId, t.createdAt), uniqueIndex('experiments_tenant_key_uq').on(t.tenantId, t.key)],
);

/** First exposure of a unit to an experiment, with the variant it saw (one per unit). */
export const experimentExposures = pgTable(
  'experiment_exposures',
  {
    tenantId: tenantRef(),
    experimentId: text('experiment_id')
      .notNull()
      .references(() => experiments.id),
    unit: text('unit').notNull(),
    variant: text('variant').notNull(),
    exposedAt: ts('exposed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.unit] }), index('experiment_exposures_variant_idx').on(t.experimentId, t.variant)],
);

/** A unit's conversion (counted once per unit and event). */
export const experimentConversions = pgTable(
  'experiment_conversions',
  {
    tenantId: tenantRef(),
    experimentId: text('experiment_id')
      .notNull()
      .references(() => experiments.id),
    unit: text('unit').notNull(),
    event: text('event').notNull(),
    convertedAt: ts('converted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.unit, t.event] })],
);

export const IMPACT_FEATURES = ['intelligence', 'churn_prevention', 'coaching', 'seller_assistant'] as const;
export type ImpactFeature = (typeof IMPACT_FEATURES)[number];

/**
 * What each feature did for a tenant on one UTC day, measured by the system (the daily roll-up
 * job): how often it was used, how often it succeeded, and the AI tokens and cost it spent.
 * Money assumptions are applied when reading (GET /v1/impact), so editing them re-prices history.
 */
export const impactDaily = pgTable(
  'impact_daily',
  {
    tenantId: tenantRef(),
    day: text('day').notNull(),
    feature: text('feature', { enum: IMPACT_FEATURES }).notNull(),
    uses: integer('uses').notNull().default(0),
    successes: integer('successes').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    aiCostMicroUsd: integer('ai_cost_micro_usd').notNull().default(0),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.feature] })],
);
