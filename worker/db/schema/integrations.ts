import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { tenants } from './tenancy';

/** A tenant's GoHighLevel location. The API token is AES-GCM encrypted (lib/crypto/secrets) and never returned. */
export const ghlConnections = pgTable('ghl_connections', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  locationId: text('location_id').notNull().unique(),
  apiTokenEncrypted: text('api_token_encrypted').notNull(),
  fromNumber: text('from_number'),
  connectedBy: text('connected_by'),
  lastWebhookAt: ts('last_webhook_at'),
  lastSendAt: ts('last_send_at'),
  lastError: text('last_error'),
  lastErrorAt: ts('last_error_at'),
  ...timestamps,
});

export const DELIVERY_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;

/**
 * Every accepted webhook delivery, stored before the 200 (GHL never retries a 5xx, so the row is
 * what guarantees nothing is lost). The dedupe key is unique: a replay finds the row and stops.
 * Rows still `received` after a minute are picked up again by the redrive job.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    provider: text('provider', { enum: ['ghl', 'stripe'] }).notNull(),
    tenantId: text('tenant_id').references(() => tenants.id),
    dedupeKey: text('dedupe_key').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_dedupe_uq').on(t.provider, t.dedupeKey),
    index('webhook_deliveries_status_idx').on(t.status, t.receivedAt),
    index('webhook_deliveries_tenant_idx').on(t.tenantId, t.receivedAt),
  ],
);
