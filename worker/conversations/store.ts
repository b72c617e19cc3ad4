/**
 * Postgres reads and writes for one lead's conversation. The ConversationRoom calls these on
 * every turn: Postgres is the system of record, the room only serialises and schedules.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Qualification, Question, TranscriptMessage } from '../assistant/types';
import type { ConversationState } from '../assistant/policy';
import { consentEvents, doNotContact, leads, messages, tenants } from '../db/schema';
import { newId } from '../lib/ids';
import type { ServiceContext } from '../services/context';
import type { LeadRow, MessageRow } from '../services/leads/view';
import { TenantSettingsSchema, type TenantSettings } from '../services/tenants/settings';

export interface TenantProfile {
  name: string;
  timezone: string;
  settings: TenantSettings;
}

export async function loadTenantProfile(ctx: ServiceContext): Promise<TenantProfile> {
  const [row] = await ctx.db
    .select({ name: tenants.name, timezone: tenants.timezone, settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, ctx.tenantId))
    .limit(1);
  if (!row) throw new Error(`tenant ${ctx.tenantId} not found`);
  return { name: row.name, timezone: row.timezone, settings: TenantSettingsSchema.parse(row.settings ?? {}) };
}

export async function loadLead(ctx: ServiceContext, leadId: string): Promise<LeadRow | null> {
  const [row] = await ctx.db
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)))
    .limit(1);
  return row ?? null;
}

export async function loadMessage(ctx: ServiceContext, messageId: string): Promise<MessageRow | null> {
  const [row] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.id, messageId)))
    .limit(1);
  return row ?? null;
}

/** The last messages, oldest first, as the assistant sees them. */
export async function loadTranscript(ctx: ServiceContext, leadId: string, limit = 12): Promise<TranscriptMessage[]> {
  const rows = await ctx.db
    .select({ sender: messages.sender, body: messages.body, at: messages.at, status: messages.status })
    .from(messages)
    .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.leadId, leadId)))
    .orderBy(desc(messages.at))
    .limit(limit);
  return rows
    .filter((r) => r.sender !== 'system' && r.status !== 'suppressed' && r.status !== 'failed')
    .reverse()
    .map((r) => ({ sender: r.sender as TranscriptMessage['sender'], body: r.body, at: r.at.toISOString() }));
}

interface StoredConversation {
  answeredAt?: Partial<Record<Question, string>>;
  expecting?: Question | null;
  outboundCount?: number;
}

/** Rebuilds the policy's state from the lead row (columns + conversation_state). */
export function conversationStateOf(lead: LeadRow): ConversationState {
  const stored = (lead.conversationState ?? {}) as StoredConversation;
  const qualification: Qualification = {
    motivation: lead.motivationCategory
      ? {
          category: lead.motivationCategory as NonNullable<Qualification['motivation']>['category'],
          strength: (lead.motivationStrength ?? 'moderate') as NonNullable<Qualification['motivation']>['strength'],
          evidence: lead.motivationEvidence ?? '',
        }
      : null,
    timelineDays: lead.timelineDays,
    condition: lead.condition as Qualification['condition'],
    conditionNotes: lead.conditionNotes,
    priceCents: lead.priceCents,
  };
  return {
    qualification,
    answeredAt: stored.answeredAt ?? {},
    expecting: stored.expecting ?? null,
    botState: lead.botState,
    outboundCount: stored.outboundCount ?? 0,
    stage: lead.stage,
    temperature: lead.temperature,
    temperatureReasons: lead.temperatureReasons ?? [],
  };
}

/** Writes the policy's state back to the lead row. */
export async function saveConversationState(ctx: ServiceContext, leadId: string, state: ConversationState, extra: Partial<typeof leads.$inferInsert> = {}) {
  const q = state.qualification;
  const [row] = await ctx.db
    .update(leads)
    .set({
      motivationCategory: q.motivation?.category ?? null,
      motivationStrength: q.motivation?.strength ?? null,
      motivationEvidence: q.motivation?.evidence ?? null,
      timelineDays: q.timelineDays,
      condition: q.condition,
      conditionNotes: q.conditionNotes,
      priceCents: q.priceCents,
      stage: state.stage,
      temperature: state.temperature,
      temperatureReasons: state.temperatureReasons,
      botState: state.botState,
      conversationState: { answeredAt: state.answeredAt, expecting: state.expecting, outboundCount: state.outboundCount },
      updatedAt: sql`now()`,
      ...extra,
    })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)))
    .returning();
  return row!;
}

/** One more bot message on its way: an in-place increment, not a rewrite of the lead's answers. */
export async function countBotMessage(ctx: ServiceContext, leadId: string) {
  await ctx.db
    .update(leads)
    .set({
      conversationState: sql`jsonb_set(coalesce(${leads.conversationState}, '{}'::jsonb), '{outboundCount}', to_jsonb(coalesce((${leads.conversationState}->>'outboundCount')::int, 0) + 1))`,
    })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)));
}

export async function updateLead(ctx: ServiceContext, leadId: string, set: Partial<typeof leads.$inferInsert>) {
  const [row] = await ctx.db
    .update(leads)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)))
    .returning();
  return row!;
}

export async function onDoNotContactList(ctx: ServiceContext, phone: string | null): Promise<boolean> {
  if (!phone) return false;
  const [row] = await ctx.db
    .select({ phone: doNotContact.phone })
    .from(doNotContact)
    .where(and(eq(doNotContact.tenantId, ctx.tenantId), eq(doNotContact.phone, phone)))
    .limit(1);
  return !!row;
}

/** The lead's current consent: its newest ledger row. */
export async function currentConsent(ctx: ServiceContext, leadId: string) {
  const [row] = await ctx.db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.tenantId, ctx.tenantId), eq(consentEvents.leadId, leadId)))
    .orderBy(desc(consentEvents.occurredAt), desc(consentEvents.id))
    .limit(1);
  return row ?? null;
}

export interface ConsentRecord {
  leadId: string;
  phone: string | null;
  action: 'granted' | 'revoked';
  method: string;
  source?: string | null;
  formText?: string | null;
  ip?: string | null;
  evidence?: Record<string, unknown>;
  occurredAt: Date;
}

export async function recordConsent(ctx: ServiceContext, c: ConsentRecord) {
  const [row] = await ctx.db
    .insert(consentEvents)
    .values({
      id: newId('consent'),
      tenantId: ctx.tenantId,
      leadId: c.leadId,
      phone: c.phone,
      action: c.action,
      method: c.method,
      source: c.source ?? null,
      formText: c.formText ?? null,
      ip: c.ip ?? null,
      evidence: c.evidence ?? null,
      recordedBy: ctx.actor.id ?? ctx.actor.type,
      occurredAt: c.occurredAt,
    })
    .returning();
  return row!;
}

/** Times of automated follow-ups already sent to this lead in the last 8 days (for the caps). */
export async function recentFollowUpTimes(ctx: ServiceContext, leadId: string): Promise<Date[]> {
  const rows = await ctx.db
    .select({ sentAt: messages.sentAt })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, ctx.tenantId),
        eq(messages.leadId, leadId),
        eq(messages.status, 'sent'),
        sql`${messages.kind} in ('follow_up', 'first_touch')`,
        sql`${messages.sentAt} > now() - interval '8 days'`,
      ),
    );
  return rows.map((r) => r.sentAt!).filter(Boolean);
}
