import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { leads } from './leads';
import { tenantRef, users } from './tenancy';

export interface ChurnDriver {
  /** reply_recency | response_rate_decay | unanswered_outbound | stage_stagnation | sentiment_trend */
  driver: string;
  /** Share of the risk this driver explains (contributions sum to the risk's log-odds). */
  contribution: number;
  evidence: string;
}

/** Every churn assessment of a lead (the history behind GET /v1/leads/:id/churn). */
export const churnAssessments = pgTable(
  'churn_assessments',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    risk: real('risk').notNull(),
    drivers: jsonb('drivers').$type<ChurnDriver[]>().notNull().default([]),
    /** `prior-v1` or the trained model version. */
    modelVersion: text('model_version').notNull(),
    features: jsonb('features').$type<Record<string, string | number | null>>().notNull().default({}),
    assessedAt: ts('assessed_at').notNull().defaultNow(),
  },
  (t) => [index('churn_assessments_lead_idx').on(t.leadId, t.assessedAt), index('churn_assessments_tenant_idx').on(t.tenantId, t.assessedAt)],
);

export const CHURN_GROUPS = ['treated', 'holdout'] as const;
export const CHURN_OUTCOMES = ['pending', 'saved', 'not_saved'] as const;

/**
 * One at-risk episode of a lead: detected once, assigned to the treated group or the random
 * holdout, its interventions scheduled, closed as saved (replied or re-qualified within 7 days)
 * or not. The holdout is what makes the save rate a measurement.
 */
export const churnEpisodes = pgTable(
  'churn_episodes',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    group: text('group', { enum: CHURN_GROUPS }).notNull(),
    riskAtDetection: real('risk_at_detection').notNull(),
    stageAtDetection: text('stage_at_detection').notNull(),
    detectedAt: ts('detected_at').notNull().defaultNow(),
    /** When the job run that detected it started: detection → first action latency is measured from here. */
    jobStartedAt: ts('job_started_at'),
    firstActionAt: ts('first_action_at'),
    outcome: text('outcome', { enum: CHURN_OUTCOMES }).notNull().default('pending'),
    resolvedAt: ts('resolved_at'),
    ...timestamps,
  },
  (t) => [
    index('churn_episodes_tenant_idx').on(t.tenantId, t.detectedAt),
    index('churn_episodes_lead_idx').on(t.leadId, t.detectedAt),
    // At most one open episode per lead, even when two job runs race.
    uniqueIndex('churn_episodes_one_open_uq').on(t.leadId).where(sql`outcome = 'pending'`),
  ],
);

export const INTERVENTION_STEPS = ['re_engage', 'agent_task', 'escalate'] as const;
export const INTERVENTION_STATUSES = ['scheduled', 'done', 'skipped', 'cancelled', 'failed'] as const;

/** A staged intervention of an episode (1 re-engagement message, 2 agent task, 3 manager escalation / nurture). */
export const churnInterventions = pgTable(
  'churn_interventions',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    episodeId: text('episode_id')
      .notNull()
      .references(() => churnEpisodes.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    step: integer('step').notNull(),
    kind: text('kind', { enum: INTERVENTION_STEPS }).notNull(),
    status: text('status', { enum: INTERVENTION_STATUSES }).notNull().default('scheduled'),
    scheduledFor: ts('scheduled_for').notNull(),
    executedAt: ts('executed_at'),
    /** What happened: message id, alert id, why it was skipped (opted out, quiet hours…). */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [uniqueIndex('churn_interventions_episode_step_uq').on(t.episodeId, t.step), index('churn_interventions_tenant_idx').on(t.tenantId, t.status, t.scheduledFor)],
);

/** A coaching analysis of one agent over a period: computed metrics, insights, next-best actions. */
export const coachingReports = pgTable(
  'coaching_reports',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    agentId: text('agent_id')
      .notNull()
      .references(() => users.id),
    periodStart: ts('period_start').notNull(),
    periodEnd: ts('period_end').notNull(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    team: jsonb('team').$type<Record<string, unknown>>().notNull().default({}),
    insights: jsonb('insights').$type<Array<{ title: string; detail: string; evidence?: string[] }>>().notNull().default([]),
    actions: jsonb('actions').$type<Array<{ action: string; why: string }>>().notNull().default([]),
    narrative: text('narrative'),
    /** claude | rules */
    generatedBy: text('generated_by').notNull(),
    tokens: jsonb('tokens').$type<{ inputTokens: number; outputTokens: number; cacheReadTokens?: number }>(),
    costMicroUsd: integer('cost_micro_usd').notNull().default(0),
    trigger: text('trigger', { enum: ['on_demand', 'nightly'] }).notNull(),
    createdBy: text('created_by'),
    ...timestamps,
  },
  (t) => [index('coaching_reports_agent_idx').on(t.tenantId, t.agentId, t.createdAt)],
);

