import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { leads } from './leads';
import { tenantRef } from './tenancy';

/**
 * The consent ledger: append-only, one row per grant or revocation — when, how (method, source,
 * form text, IP) and for whom. The lead's current consent is its newest row.
 */
export const consentEvents = pgTable(
  'consent_events',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id').references(() => leads.id),
    phone: text('phone'),
    action: text('action', { enum: ['granted', 'revoked'] }).notNull(),
    channel: text('channel').notNull().default('sms'),
    /** inbound_message | keyword | plain_language | form | api | crm_dnd | crm_tag */
    method: text('method').notNull(),
    source: text('source'),
    formText: text('form_text'),
    ip: text('ip'),
    evidence: jsonb('evidence').$type<Record<string, unknown>>(),
    recordedBy: text('recorded_by'),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('consent_events_lead_idx').on(t.tenantId, t.leadId, t.occurredAt), index('consent_events_tenant_idx').on(t.tenantId, t.occurredAt)],
);

/** The tenant's internal do-not-contact list, by E.164 phone. */
export const doNotContact = pgTable(
  'do_not_contact',
  {
    tenantId: tenantRef(),
    phone: text('phone').notNull(),
    reason: text('reason'),
    addedBy: text('added_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.phone] })],
);
