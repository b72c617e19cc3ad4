import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, ts } from './columns';
import { tenantRef, users } from './tenancy';

export const LEAD_STAGES = ['new', 'q1', 'q2', 'q3', 'q4', 'qualified', 'appointment', 'contract', 'closed', 'lost'] as const;
export const BOT_STATES = ['active', 'paused', 'human', 'done'] as const;
export const TEMPERATURES = ['hot', 'warm', 'cold'] as const;

/**
 * A lead (a GHL contact, or a homeowner/prospect created by events). The qualification lives in
 * columns rather than one JSON blob because the dashboards filter and bucket by them. The
 * ConversationRoom Durable Object writes every change through to this row; this is the system
 * of record.
 */
export const leads = pgTable(
  'leads',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    /** The CRM's id for the contact (GHL contactId), unique per tenant. */
    externalId: text('external_id'),
    source: text('source', { enum: ['ghl', 'api', 'events'] }).notNull(),
    kind: text('kind', { enum: ['seller', 'prospect'] }).notNull().default('seller'),
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    street: text('street'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postal_code'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    stage: text('stage', { enum: LEAD_STAGES }).notNull().default('new'),
    temperature: text('temperature', { enum: TEMPERATURES }),
    temperatureReasons: jsonb('temperature_reasons').$type<string[]>().notNull().default([]),
    motivationCategory: text('motivation_category'),
    motivationStrength: text('motivation_strength'),
    motivationEvidence: text('motivation_evidence'),
    timelineDays: integer('timeline_days'),
    condition: text('condition'),
    conditionNotes: text('condition_notes'),
    priceCents: integer('price_cents'),
    /** A property value estimate the bot may compare prices with (never invented by the bot). */
    estimateCents: integer('estimate_cents'),
    botState: text('bot_state', { enum: BOT_STATES }).notNull().default('active'),
    optedOut: boolean('opted_out').notNull().default(false),
    optedOutAt: ts('opted_out_at'),
    /** GHL's do-not-disturb flag for the contact. */
    dnd: boolean('dnd').notNull().default(false),
    assignedAgentId: text('assigned_agent_id').references(() => users.id),
    assignedAt: ts('assigned_at'),
    takenOverBy: text('taken_over_by').references(() => users.id),
    firstInboundAt: ts('first_inbound_at'),
    firstOutboundAt: ts('first_outbound_at'),
    /** First inbound → first outbound, the speed-to-lead promise. */
    speedToLeadMs: integer('speed_to_lead_ms'),
    lastInboundAt: ts('last_inbound_at'),
    lastOutboundAt: ts('last_outbound_at'),
    qualifiedAt: ts('qualified_at'),
    opportunityStatus: text('opportunity_status'),
    /** Opaque DO bookkeeping (answeredAt per field, expecting) so a room can be rebuilt from Postgres. */
    conversationState: jsonb('conversation_state').$type<Record<string, unknown>>(),
    /** 0–100 from conversation + behaviour + fit (services/scoring), with the signals it saw. */
    leadScore: integer('lead_score'),
    signals: jsonb('signals').$type<Array<{ type: string; category: string; strength: number; confidence: number; evidence: string }>>().notNull().default([]),
    scoredAt: ts('scored_at'),
    /** Newest behavioural event received: the scoring job rescores leads where this is after scored_at. */
    lastEventAt: ts('last_event_at'),
    deletedAt: ts('deleted_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('leads_tenant_external_uq').on(t.tenantId, t.externalId),
    index('leads_tenant_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    // Dashboards filter by creation date: for a tenant with years of leads, a range is a small slice.
    index('leads_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('leads_tenant_stage_idx').on(t.tenantId, t.stage),
    index('leads_tenant_temperature_idx').on(t.tenantId, t.temperature),
    index('leads_tenant_agent_idx').on(t.tenantId, t.assignedAgentId),
    index('leads_tenant_phone_idx').on(t.tenantId, t.phone),
    index('leads_last_event_idx').on(t.lastEventAt),
  ],
);

export const MESSAGE_STATUSES = ['received', 'queued', 'deferred', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Every message in a lead's conversation, both directions. Outbound rows are written before the
 * send (status queued) under an idempotency key, so a retried step finds its row and never texts
 * the lead twice.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    sender: text('sender', { enum: ['lead', 'bot', 'agent', 'system'] }).notNull(),
    senderUserId: text('sender_user_id'),
    body: text('body').notNull(),
    /** Why the bot sent it: reply, first_touch, follow_up, opt_out_confirmation, help, … */
    kind: text('kind'),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    /** GHL's message id (inbound: dedupe; outbound: what GHL returned). */
    externalId: text('external_id'),
    idempotencyKey: text('idempotency_key'),
    /** Which assistant worded it (claude | deterministic), and why the fallback answered if it did. */
    generatedBy: text('generated_by'),
    fallbackReason: text('fallback_reason'),
    error: text('error'),
    /** When a deferred (quiet hours, caps) message may go out. */
    scheduledFor: ts('scheduled_for'),
    /** The message's own time: GHL dateAdded for inbound, send time for outbound. */
    at: ts('at').notNull(),
    sentAt: ts('sent_at'),
    /** Inbound received → this reply sent. */
    replyLatencyMs: integer('reply_latency_ms'),
    inReplyTo: text('in_reply_to'),
    tokens: jsonb('tokens').$type<{ inputTokens: number; outputTokens: number; cacheReadTokens?: number }>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('messages_tenant_external_uq').on(t.tenantId, t.externalId),
    uniqueIndex('messages_tenant_idempotency_uq').on(t.tenantId, t.idempotencyKey),
    index('messages_lead_at_idx').on(t.leadId, t.at),
    index('messages_tenant_at_idx').on(t.tenantId, t.at),
  ],
);

/** Stored notifications for agents (hot lead assigned, human requested) until the alert path (#5) delivers them live. */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    userId: text('user_id').references(() => users.id),
    leadId: text('lead_id').references(() => leads.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    /** One notification per cause (e.g. `hot:<leadId>`), so a replayed turn does not notify twice. */
    dedupeKey: text('dedupe_key').notNull(),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_tenant_dedupe_uq').on(t.tenantId, t.dedupeKey), index('notifications_user_idx').on(t.tenantId, t.userId, t.createdAt)],
);
