import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { leads } from './leads';
import { tenantRef } from './tenancy';

/**
 * Behavioural events (site visits, valuation requests, email opens, listing views…), durable
 * and append-only; Redis holds only derived per-lead counters that can be rebuilt from here.
 * Indexed for time ranges per tenant and per lead (the scorer reads "events since"); the table
 * is ready to be range-partitioned on occurred_at when a tenant's volume calls for it.
 */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    /** The caller's id for the event: sending it again is a no-op. */
    clientId: text('client_id'),
    type: text('type').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: ts('occurred_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('events_tenant_client_uq').on(t.tenantId, t.clientId),
    index('events_tenant_occurred_idx').on(t.tenantId, t.occurredAt),
    index('events_lead_occurred_idx').on(t.leadId, t.occurredAt),
  ],
);
