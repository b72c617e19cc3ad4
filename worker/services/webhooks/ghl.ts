/**
 * GoHighLevel webhooks: accept (verify, validate, store durably, answer) and process (after the
 * answer). GHL retries only on 429 and never on a 5xx, so the delivery row is written before the
 * 200, and every failure to store answers 429 + Retry-After — the one status GHL redelivers.
 */
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Redis } from '@upstash/redis';
import type { Config } from '../../config';
import { roomFor } from '../../conversations/rooms';
import { webhookDeliveries } from '../../db/schema';
import type { Database, HttpDatabase } from '../../db/client';
import { BadRequest, Misconfigured, ServiceError, Unauthorized } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { ghlDedupeKey, parseGhlEvent, smsDoNotDisturb, type ParsedGhlEvent } from '../../providers/ghl/events';
import { isFreshTimestamp, verifyGhlSignature } from '../../providers/ghl/signature';
import { openSystemContext } from '../clients';
import type { ServiceContext } from '../context';
import { loadTenantProfile, recordConsent } from '../../conversations/store';
import { tenantForLocation, touchWebhook } from '../integrations/ghl';
import { leadByExternalId, markContactDeleted, recordOpportunityStatus, storeInboundMessage, upsertContact, type ContactFacts } from '../leads/contacts';
import { enforceLimit } from '../ratelimit';

export interface WebhookDeps {
  /** Neon HTTP: the acknowledgement is two single statements, no connection to open. */
  db: HttpDatabase;
  redis: Redis;
  config: Config;
  logger: Logger;
}

export interface AcceptedDelivery {
  deliveryId: string;
  tenantId: string;
  type: string;
  duplicate: boolean;
  /** Milliseconds per step, for the Server-Timing header. */
  timings: Record<string, number>;
}

/** GHL redelivers a 429 after about ten minutes; ask for sooner, it may honour it. */
const STORE_RETRY_AFTER_S = 60;

export async function acceptGhlWebhook(deps: WebhookDeps, raw: Uint8Array, headers: Headers): Promise<AcceptedDelivery> {
  const { config } = deps;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };
  if (!config.GHL_WEBHOOK_ED25519_PUBLIC_KEY && !config.GHL_WEBHOOK_RSA_PUBLIC_KEY) {
    throw new Misconfigured(['GHL_WEBHOOK_ED25519_PUBLIC_KEY']);
  }
  const verdict = await verifyGhlSignature(raw, headers, {
    ed25519PublicKey: config.GHL_WEBHOOK_ED25519_PUBLIC_KEY,
    rsaPublicKey: config.GHL_WEBHOOK_RSA_PUBLIC_KEY,
  });
  if (!verdict.ok) {
    throw new Unauthorized(
      verdict.reason === 'missing_signature' ? 'Missing x-ghl-signature (or legacy x-wh-signature) header' : 'Webhook signature does not verify',
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new BadRequest('The body is not JSON');
  }
  const parsed = parseGhlEvent(json);
  const envelope = parsed.event as { locationId?: string; timestamp?: string };
  // The signature covers the timestamp: a fresh one is what makes a captured delivery unreplayable.
  if (!envelope.timestamp || !isFreshTimestamp(envelope.timestamp, new Date())) {
    throw new Unauthorized('Webhook timestamp is missing or more than 5 minutes from now');
  }
  if (!envelope.locationId) throw new BadRequest('The event has no locationId');
  lap('verify');

  let tenantId: string | null;
  try {
    tenantId = await tenantForLocation(deps.db, envelope.locationId);
  } catch (err) {
    throw storeUnavailable(err);
  }
  if (!tenantId) throw new ServiceError('not_found', `GHL location ${envelope.locationId} is not connected to a LeadPulse account`);
  lap('route');
  await enforceLimit(deps.redis, deps.logger, 'ghlWebhookPerLocation', envelope.locationId);
  lap('limit');

  const dedupeKey = `${tenantId}:${await ghlDedupeKey(parsed)}`;
  try {
    const [row] = await deps.db
      .insert(webhookDeliveries)
      .values({ id: newId('webhookDelivery'), provider: 'ghl', tenantId, dedupeKey, type: parsed.kind === 'other' ? parsed.type : parsed.kind, payload: json as Record<string, unknown> })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    lap('store');
    if (row) return { deliveryId: row.id, tenantId, type: parsed.kind, duplicate: false, timings };
    const [existing] = await deps.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.provider, 'ghl'), eq(webhookDeliveries.dedupeKey, dedupeKey)))
      .limit(1);
    lap('dedupe');
    return { deliveryId: existing!.id, tenantId, type: parsed.kind, duplicate: true, timings };
  } catch (err) {
    throw storeUnavailable(err);
  }
}

function storeUnavailable(cause: unknown) {
  return new ServiceError('rate_limited', 'The delivery could not be stored right now; redeliver it (GHL retries 429s)', {
    retryAfter: STORE_RETRY_AFTER_S,
    cause,
    details: { dependency: 'postgres' },
  });
}

export type ProcessOutcome = 'processed' | 'ignored' | 'failed' | 'skipped';

/**
 * Applies one stored delivery. Safe to run more than once (the redrive job retries rows that a
 * crash left behind): leads are upserted, messages deduped by GHL id, and the conversation room
 * dedupes turns.
 */
export async function processGhlDelivery(env: unknown, tenantId: string, deliveryId: string, logger?: Logger): Promise<ProcessOutcome> {
  const { ctx, close } = openSystemContext(env, tenantId, logger);
  try {
    const [delivery] = await ctx.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId)))
      .limit(1);
    if (!delivery || delivery.status === 'processed' || delivery.status === 'ignored') return 'skipped';
    try {
      const outcome = await applyEvent(ctx, parseGhlEvent(delivery.payload), delivery.receivedAt);
      await ctx.db
        .update(webhookDeliveries)
        .set({ status: outcome, processedAt: sql`now()`, attempts: sql`${webhookDeliveries.attempts} + 1`, error: null })
        .where(eq(webhookDeliveries.id, deliveryId));
      await touchWebhook(ctx.db, tenantId).catch(() => {});
      return outcome;
    } catch (err) {
      ctx.logger.error('ghl delivery processing failed', { deliveryId, error: err });
      await ctx.db
        .update(webhookDeliveries)
        .set({ status: 'failed', attempts: sql`${webhookDeliveries.attempts} + 1`, error: String((err as Error).message ?? err).slice(0, 500) })
        .where(eq(webhookDeliveries.id, deliveryId))
        .catch(() => {});
      return 'failed';
    }
  } finally {
    await close();
  }
}

async function applyEvent(ctx: ServiceContext, parsed: ParsedGhlEvent, receivedAt: Date): Promise<'processed' | 'ignored'> {
  switch (parsed.kind) {
    case 'ContactCreate':
    case 'ContactUpdate':
    case 'ContactTagUpdate':
    case 'ContactDndUpdate': {
      const e = parsed.event;
      const dnd = smsDoNotDisturb(e as { dnd?: boolean; dndSettings?: Record<string, { status: string }> });
      const before = await leadByExternalId(ctx, e.id);
      const { lead, created } = await upsertContact(ctx, contactFacts(e, dnd));
      const when = e.timestamp ? new Date(e.timestamp) : receivedAt;
      if (dnd === true && !before?.dnd) {
        await recordConsent(ctx, { leadId: lead.id, phone: lead.phone, action: 'revoked', method: 'crm_dnd', source: 'ghl', occurredAt: when });
      }
      const tags = e.tags ?? [];
      if (tags.length) {
        const { consentTags } = (await loadTenantProfile(ctx)).settings;
        const isConsentTag = (t: string) => consentTags.some((c) => c.toLowerCase() === t.toLowerCase());
        const consentTag = tags.find(isConsentTag);
        if (consentTag && !(before?.tags ?? []).some(isConsentTag) && !lead.optedOut) {
          await recordConsent(ctx, { leadId: lead.id, phone: lead.phone, action: 'granted', method: 'crm_tag', source: `ghl tag "${consentTag}"`, occurredAt: when });
        }
      }
      const room = roomFor(ctx, lead.id);
      if (created && parsed.kind === 'ContactCreate' && lead.phone && !lead.firstInboundAt) await room?.firstTouch(ctx.tenantId, lead.id);
      // The room only needs to hear about changes that stop or start its messages; a renamed
      // contact is picked up at the lead's next turn (waking a room per contact edit costs a lot
      // during GHL's bulk imports).
      else if (dnd !== undefined && dnd !== (before?.dnd ?? false)) await room?.leadChanged(ctx.tenantId, lead.id);
      return 'processed';
    }
    case 'ContactDelete': {
      const lead = await markContactDeleted(ctx, parsed.event.id);
      if (lead) await roomFor(ctx, lead.id)?.leadChanged(ctx.tenantId, lead.id);
      return 'processed';
    }
    case 'OpportunityStatusUpdate': {
      const lead = await recordOpportunityStatus(ctx, parsed.event.contactId, parsed.event.status);
      if (lead) await roomFor(ctx, lead.id)?.leadChanged(ctx.tenantId, lead.id);
      return lead ? 'processed' : 'ignored';
    }
    case 'InboundMessage': {
      const e = parsed.event;
      // Calls, emails and our own outbound echoes are kept in the delivery log, not the SMS thread.
      if (e.direction.toLowerCase() !== 'inbound' || e.messageType.toUpperCase() !== 'SMS' || !e.body?.trim()) return 'ignored';
      const phone = typeof (e as Record<string, unknown>).phone === 'string' ? ((e as Record<string, unknown>).phone as string) : undefined;
      const { lead } = await upsertContact(ctx, { externalId: e.contactId, phone });
      const at = e.dateAdded ? new Date(e.dateAdded) : receivedAt;
      const stored = await storeInboundMessage(ctx, lead, { externalId: e.messageId ?? null, body: e.body, at: Number.isNaN(at.getTime()) ? receivedAt : at });
      const room = roomFor(ctx, lead.id);
      if (!room) throw new Error('CONVERSATION_ROOM binding missing');
      await room.inbound(ctx.tenantId, { leadId: lead.id, messageId: stored.messageId, body: e.body, at: (Number.isNaN(at.getTime()) ? receivedAt : at).toISOString(), receivedAt: receivedAt.getTime() });
      return 'processed';
    }
    default:
      return 'ignored';
  }
}

function contactFacts(
  e: { id: string; name?: string; firstName?: string; lastName?: string; phone?: string; email?: string; address1?: string; city?: string; state?: string; postalCode?: string; tags?: string[] },
  dnd: boolean | undefined,
): ContactFacts {
  const name = e.name ?? ([e.firstName, e.lastName].filter(Boolean).join(' ') || undefined);
  return { externalId: e.id, name, phone: e.phone, email: e.email, street: e.address1, city: e.city, state: e.state, postalCode: e.postalCode, tags: e.tags, dnd };
}

/** Deliveries a crash or an outage left unprocessed, oldest first (the redrive job's work list). */
export async function pendingGhlDeliveries(db: Database, limit = 100) {
  return db
    .select({ id: webhookDeliveries.id, tenantId: webhookDeliveries.tenantId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.provider, 'ghl'),
        or(
          and(eq(webhookDeliveries.status, 'received'), lt(webhookDeliveries.receivedAt, sql`now() - interval '30 seconds'`)),
          and(eq(webhookDeliveries.status, 'failed'), lt(webhookDeliveries.attempts, MAX_ATTEMPTS)),
        ),
      ),
    )
    .orderBy(webhookDeliveries.receivedAt)
    .limit(limit);
}

export const MAX_ATTEMPTS = 5;
