/**
 * Sending one message to a lead, exactly once, and only when the rules allow it.
 *
 * The row is written first (status `queued`) under an idempotency key, so a retried turn, a
 * redelivered webhook or a replayed alarm finds it and never texts the lead twice. Then the
 * compliance gate: opted out, do-not-contact, GHL DND; and for proactive messages (first touch,
 * follow-ups) consent, caps and quiet hours in the recipient's local time. A reply to the lead's
 * own inbound message goes out at once at any hour. A bot message is suppressed while the
 * tenant's automation is off (billing), whenever it comes due.
 */
import { and, eq, sql } from 'drizzle-orm';
import { followUpCapCheck, nextAllowedSendTime, recipientLocale } from '../compliance';
import { messages } from '../db/schema';
import type { MessageStatus } from '../db/schema/leads';
import { newId } from '../lib/ids';
import { GhlError } from '../providers/ghl/client';
import { automationAllowed } from '../services/billing/billing';
import type { ServiceContext } from '../services/context';
import { ghlSenderFor, recordGhlSend } from '../services/integrations/ghl';
import type { LeadRow, MessageRow } from '../services/leads/view';
import { currentConsent, onDoNotContactList, recentFollowUpTimes, updateLead, type TenantProfile } from './store';

export type OutboundKind =
  | 'reply'
  | 'first_touch'
  | 'follow_up'
  | 'opt_out_confirmation'
  | 'opt_in_confirmation'
  | 'help'
  | 'agent';

/** Compliance replies the rules allow even to an opted-out lead (the single confirmation, HELP). */
const ALLOWED_WHEN_OPTED_OUT: ReadonlySet<OutboundKind> = new Set(['opt_out_confirmation', 'help']);
const PROACTIVE: ReadonlySet<OutboundKind> = new Set(['first_touch', 'follow_up']);

export interface OutboundRequest {
  kind: OutboundKind;
  body: string;
  idempotencyKey: string;
  sender: 'bot' | 'agent';
  senderUserId?: string | null;
  generatedBy?: string | null;
  fallbackReason?: string | null;
  tokens?: { inputTokens: number; outputTokens: number; cacheReadTokens?: number } | null;
  /** The inbound message this answers, and when it was received (reply latency). */
  inReplyTo?: string | null;
  replyToReceivedAt?: number | null;
}

export type OutboundResult =
  | { outcome: 'sent'; message: MessageRow; lead: LeadRow }
  | { outcome: 'deferred'; message: MessageRow; until: Date }
  | { outcome: 'suppressed' | 'failed' | 'duplicate'; message: MessageRow };

export async function deliverMessage(ctx: ServiceContext, tenant: TenantProfile, lead: LeadRow, req: OutboundRequest): Promise<OutboundResult> {
  const now = new Date();
  const inserted = await ctx.db
    .insert(messages)
    .values({
      id: newId('message'),
      tenantId: ctx.tenantId,
      leadId: lead.id,
      direction: 'outbound',
      sender: req.sender,
      senderUserId: req.senderUserId ?? null,
      body: req.body,
      kind: req.kind,
      status: 'queued',
      idempotencyKey: req.idempotencyKey,
      generatedBy: req.generatedBy ?? null,
      fallbackReason: req.fallbackReason ?? null,
      tokens: req.tokens ?? null,
      inReplyTo: req.inReplyTo ?? null,
      at: now,
    })
    .onConflictDoNothing()
    .returning();
  let message = inserted[0];
  if (!message) {
    const [existing] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.idempotencyKey, req.idempotencyKey)))
      .limit(1);
    if (!existing) throw new Error('outbound message vanished after an idempotency conflict');
    // Only a row that never reached GHL may be (re)tried; `sending` may have gone out already.
    if (existing.status !== 'queued' && existing.status !== 'deferred') return { outcome: 'duplicate', message: existing };
    message = existing;
  }
  return attemptDelivery(ctx, tenant, lead, message, req.replyToReceivedAt ?? null);
}

/** Re-runs the gate and the send for a queued or deferred row (alarms call this when it is due). */
export async function attemptDelivery(ctx: ServiceContext, tenant: TenantProfile, lead: LeadRow, message: MessageRow, replyToReceivedAt: number | null): Promise<OutboundResult> {
  const kind = (message.kind ?? 'reply') as OutboundKind;
  const now = new Date();

  const blocked = await suppressionReason(ctx, tenant, lead, kind);
  if (blocked) return { outcome: 'suppressed', message: await setStatus(ctx, message.id, 'suppressed', { error: blocked }) };

  if (PROACTIVE.has(kind)) {
    const locale = recipientLocale({ state: lead.state, phone: lead.phone }, tenant.timezone);
    const allowedAt = nextAllowedSendTime(now, locale, tenant.settings.quietHours);
    if (allowedAt.getTime() > now.getTime()) {
      const row = await setStatus(ctx, message.id, 'deferred', { scheduledFor: allowedAt, error: null });
      return { outcome: 'deferred', message: row, until: allowedAt };
    }
    const cap = followUpCapCheck({
      sentAt: await recentFollowUpTimes(ctx, lead.id),
      now,
      timeZone: locale.timeZone,
      maxPerDay: tenant.settings.consent.maxFollowUpsPerDay,
      maxPerWeek: tenant.settings.consent.maxFollowUpsPerWeek,
    });
    if (!cap.allowed) {
      // A follow-up over the cap is not owed later: the cadence moves on without it.
      return { outcome: 'suppressed', message: await setStatus(ctx, message.id, 'suppressed', { error: cap.reason }) };
    }
  }

  const sender = await ghlSenderFor(ctx);
  if (!sender) {
    return { outcome: 'failed', message: await setStatus(ctx, message.id, 'failed', { error: 'GoHighLevel is not connected' }) };
  }
  if (!lead.externalId) {
    return { outcome: 'failed', message: await setStatus(ctx, message.id, 'failed', { error: 'The lead has no GHL contact to text' }) };
  }

  await setStatus(ctx, message.id, 'sending');
  try {
    const sent = await sender.client.sendSms({ contactId: lead.externalId, message: message.body, fromNumber: sender.fromNumber ?? undefined });
    const sentAt = new Date();
    const row = await setStatus(ctx, message.id, 'sent', {
      externalId: sent.messageId,
      sentAt,
      error: null,
      replyLatencyMs: replyToReceivedAt ? Math.max(0, sentAt.getTime() - replyToReceivedAt) : null,
    });
    const updated = await updateLead(ctx, lead.id, {
      lastOutboundAt: sentAt,
      firstOutboundAt: lead.firstOutboundAt ?? sentAt,
      // Speed-to-lead: first inbound → first outbound, set once.
      speedToLeadMs:
        lead.speedToLeadMs ?? (lead.firstInboundAt ? Math.max(0, sentAt.getTime() - lead.firstInboundAt.getTime()) : null),
    });
    await recordGhlSend(ctx, null).catch(() => {});
    return { outcome: 'sent', message: row, lead: updated };
  } catch (err) {
    const ghl = err instanceof GhlError ? err : null;
    const reason = ghl ? `${ghl.status ?? 'network'}: ${ghl.message}` : (err as Error).message;
    await recordGhlSend(ctx, reason).catch(() => {});
    if (ghl?.ambiguous) {
      // The request may have reached GHL: sending again could double-text the lead.
      ctx.logger.warn('ghl send outcome unknown; not retrying', { messageId: message.id });
      return { outcome: 'failed', message: await setStatus(ctx, message.id, 'failed', { error: `Outcome unknown (${reason}); not resent to avoid a duplicate text` }) };
    }
    if (ghl?.retryable) {
      const until = new Date(Date.now() + Math.max(30_000, ghl.retryAfterMs ?? 0));
      ctx.logger.warn('ghl send deferred after retries', { messageId: message.id, until: until.toISOString() });
      const row = await setStatus(ctx, message.id, 'deferred', { scheduledFor: until, error: reason });
      return { outcome: 'deferred', message: row, until };
    }
    ctx.logger.error('ghl send failed', { messageId: message.id, error: reason });
    return { outcome: 'failed', message: await setStatus(ctx, message.id, 'failed', { error: reason }) };
  }
}

async function suppressionReason(ctx: ServiceContext, tenant: TenantProfile, lead: LeadRow, kind: OutboundKind): Promise<string | null> {
  if (lead.deletedAt) return 'lead_deleted';
  if (lead.optedOut && !ALLOWED_WHEN_OPTED_OUT.has(kind)) return 'opted_out';
  if (kind === 'opt_out_confirmation' || kind === 'help') return null;
  // Billing (§3.9): a bot message deferred (quiet hours, a GHL retry) before the tenant went past due is not sent late.
  if (kind !== 'agent' && !(await automationAllowed(ctx))) return 'automation_paused';
  if (lead.dnd) return 'crm_dnd';
  if (await onDoNotContactList(ctx, lead.phone)) return 'do_not_contact';
  if (lead.botState !== 'active' && kind !== 'agent' && kind !== 'opt_in_confirmation' && kind !== 'reply') return `bot_${lead.botState}`;
  if (PROACTIVE.has(kind) && tenant.settings.consent.required) {
    const consent = await currentConsent(ctx, lead.id);
    if (consent?.action !== 'granted') return 'no_consent';
  }
  return null;
}

async function setStatus(ctx: ServiceContext, id: string, status: MessageStatus, set: Partial<typeof messages.$inferInsert> = {}) {
  const [row] = await ctx.db
    .update(messages)
    .set({ status, ...set, updatedAt: sql`now()` })
    .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.id, id)))
    .returning();
  return row!;
}
