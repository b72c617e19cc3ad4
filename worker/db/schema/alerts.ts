import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { leads } from './leads';
import { tenantRef, users } from './tenancy';

export const ALERT_STATUSES = ['new', 'delivered', 'acknowledged', 'claimed', 'converted', 'dismissed', 'expired'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * An alert: "this lead needs a person now, and here is why". One per lead, kind and window
 * (the dedupe key), routed once with its why-log, every lifecycle transition timestamped.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    kind: text('kind').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('new'),
    probability: real('probability'),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    dedupeKey: text('dedupe_key').notNull(),
    assignedAgentIds: text('assigned_agent_ids').array().notNull().default(sql`'{}'::text[]`),
    routing: jsonb('routing').$type<{ ruleId: string; strategy: string; why: string[]; decisionMs?: number }>(),
    slaMinutes: integer('sla_minutes'),
    /** The model version and feature row behind the probability: what an outcome trains on. */
    modelVersion: text('model_version'),
    features: jsonb('features').$type<Record<string, string | number | null>>(),
    /** SLA ladder: 0 = first assignment, 1 = next agent, 2 = manager. */
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedAt: ts('escalated_at'),
    /**
     * Who held the alert, unacknowledged, each time the SLA ladder moved it on (the ladder
     * replaces the assignees, so without this the first agent of a move is not recorded anywhere).
     */
    slaMissedBy: text('sla_missed_by').array().notNull().default(sql`'{}'::text[]`),
    /** An alert nobody settles by then becomes expired. */
    expiresAt: ts('expires_at'),
    claimedBy: text('claimed_by').references(() => users.id),
    converted: boolean('converted'),
    deliveredAt: ts('delivered_at'),
    acknowledgedAt: ts('acknowledged_at'),
    claimedAt: ts('claimed_at'),
    convertedAt: ts('converted_at'),
    dismissedAt: ts('dismissed_at'),
    expiredAt: ts('expired_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('alerts_tenant_dedupe_uq').on(t.tenantId, t.dedupeKey),
    index('alerts_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('alerts_tenant_status_idx').on(t.tenantId, t.status),
    index('alerts_open_expiry_idx').on(t.status, t.expiresAt),
  ],
);
