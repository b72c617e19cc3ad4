/**
 * The consent ledger and the do-not-contact list as the API sees them. The ledger is
 * append-only: a correction is a new row, never an edit.
 */
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import { normalizePhone } from '../../compliance/phone';
import { consentEvents, doNotContact, leads } from '../../db/schema';
import { ValidationFailed } from '../../lib/errors';
import { recordConsent } from '../../conversations/store';
import { audit, withTransaction, type ServiceContext } from '../context';
import { findLead } from '../leads/leads';
import { roomFor } from '../../conversations/rooms';

type ConsentRow = typeof consentEvents.$inferSelect;

export function consentView(r: ConsentRow) {
  return {
    id: r.id,
    leadId: r.leadId,
    phone: r.phone,
    action: r.action,
    channel: r.channel,
    method: r.method,
    source: r.source,
    formText: r.formText,
    ip: r.ip,
    evidence: r.evidence,
    recordedBy: r.recordedBy,
    occurredAt: r.occurredAt,
    createdAt: r.createdAt,
  };
}

export async function leadConsent(ctx: ServiceContext, leadId: string) {
  await findLead(ctx, leadId);
  const rows = await ctx.db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.tenantId, ctx.tenantId), eq(consentEvents.leadId, leadId)))
    .orderBy(desc(consentEvents.occurredAt), desc(consentEvents.id));
  return { current: rows[0]?.action ?? null, events: rows.map(consentView) };
}

export interface ConsentInput {
  action: 'granted' | 'revoked';
  method: 'form' | 'verbal' | 'written' | 'api';
  source?: string;
  formText?: string;
  ip?: string;
  occurredAt?: Date;
}

/** Consent captured outside SMS (a web form, a call). Revoking also opts the lead out. */
export async function recordLeadConsent(ctx: ServiceContext, leadId: string, input: ConsentInput) {
  const lead = await findLead(ctx, leadId);
  const row = await withTransaction(ctx, async (tx) => {
    const r = await recordConsent(tx, { leadId, phone: lead.phone, action: input.action, method: input.method, source: input.source ?? null, formText: input.formText ?? null, ip: input.ip ?? null, occurredAt: input.occurredAt ?? new Date() });
    await audit(tx, { action: `consent.${input.action}`, targetType: 'lead', targetId: leadId, details: { method: input.method } });
    return r;
  });
  if (input.action === 'revoked') {
    await ctx.db.update(leads).set({ optedOut: true, optedOutAt: row.occurredAt }).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)));
    await roomFor(ctx, leadId)?.leadChanged(ctx.tenantId, leadId);
  }
  return consentView(row);
}

export async function exportConsentLedger(ctx: ServiceContext, range: { from?: Date; to?: Date }) {
  const rows = await ctx.db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.tenantId, ctx.tenantId), range.from ? gte(consentEvents.occurredAt, range.from) : undefined, range.to ? lt(consentEvents.occurredAt, range.to) : undefined))
    .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.id))
    .limit(100_000);
  return rows.map(consentView);
}

const CSV_COLUMNS = ['id', 'leadId', 'phone', 'action', 'channel', 'method', 'source', 'formText', 'ip', 'recordedBy', 'occurredAt', 'createdAt'] as const;

export function consentCsv(rows: ReturnType<typeof consentView>[]): string {
  const cell = (v: unknown) => {
    const s = v instanceof Date ? v.toISOString() : v == null ? '' : String(v);
    // Quote always; neutralise spreadsheet formulas in free text (form text is lead-supplied).
    return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
  };
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

function e164(phone: string): string {
  const p = normalizePhone(phone);
  if (!p) throw new ValidationFailed('Not a phone number', [{ path: 'phone', message: 'not a phone number' }]);
  return p;
}

export async function listDoNotContact(ctx: ServiceContext) {
  return ctx.db.select().from(doNotContact).where(eq(doNotContact.tenantId, ctx.tenantId)).orderBy(desc(doNotContact.createdAt)).limit(10_000);
}

export async function addDoNotContact(ctx: ServiceContext, input: { phone: string; reason?: string }) {
  const phone = e164(input.phone);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(doNotContact)
      .values({ tenantId: tx.tenantId, phone, reason: input.reason ?? null, addedBy: tx.actor.id })
      .onConflictDoUpdate({ target: [doNotContact.tenantId, doNotContact.phone], set: { reason: input.reason ?? null } })
      .returning();
    await audit(tx, { action: 'dnc.added', targetType: 'phone', targetId: phone, details: { reason: input.reason ?? null } });
    return row!;
  });
}

export async function removeDoNotContact(ctx: ServiceContext, phone: string) {
  const p = e164(phone);
  return withTransaction(ctx, async (tx) => {
    const removed = await tx.db.delete(doNotContact).where(and(eq(doNotContact.tenantId, tx.tenantId), eq(doNotContact.phone, p))).returning();
    if (removed.length) await audit(tx, { action: 'dnc.removed', targetType: 'phone', targetId: p });
    return removed.length > 0;
  });
}
