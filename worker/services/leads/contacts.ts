/**
 * Leads from the CRM's contacts. GHL events can arrive in any order (an InboundMessage before
 * its ContactCreate), so every write is an upsert on (tenant, external id) that only fills in
 * what the event says and never blanks what an earlier event set.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { normalizePhone } from '../../compliance/phone';
import { leads, messages } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import type { LeadRow } from './view';

export interface ContactFacts {
  externalId: string;
  name?: string;
  phone?: string;
  email?: string;
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  tags?: string[];
  dnd?: boolean;
}

export async function upsertContact(ctx: ServiceContext, c: ContactFacts): Promise<{ lead: LeadRow; created: boolean }> {
  const phone = c.phone ? (normalizePhone(c.phone) ?? c.phone) : undefined;
  const values = {
    name: c.name?.trim() || undefined,
    phone,
    email: c.email?.trim().toLowerCase() || undefined,
    street: c.street,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    tags: c.tags,
    dnd: c.dnd,
  };
  const [row] = await ctx.db
    .insert(leads)
    .values({ id: newId('lead'), tenantId: ctx.tenantId, externalId: c.externalId, source: 'ghl', ...values, tags: c.tags ?? [], dnd: c.dnd ?? false })
    .onConflictDoUpdate({
      target: [leads.tenantId, leads.externalId],
      set: {
        name: sql`coalesce(excluded.name, ${leads.name})`,
        phone: sql`coalesce(excluded.phone, ${leads.phone})`,
        email: sql`coalesce(excluded.email, ${leads.email})`,
        street: sql`coalesce(excluded.street, ${leads.street})`,
        city: sql`coalesce(excluded.city, ${leads.city})`,
        state: sql`coalesce(excluded.state, ${leads.state})`,
        postalCode: sql`coalesce(excluded.postal_code, ${leads.postalCode})`,
        ...(c.tags ? { tags: c.tags } : {}),
        ...(c.dnd !== undefined ? { dnd: c.dnd } : {}),
        // A contact recreated in the CRM comes back to life.
        deletedAt: null,
        updatedAt: sql`now()`,
      },
    })
    // xmax = 0 only on a freshly inserted row version: tells an insert from a conflict update.
    .returning({ ...getTableColumns(leads), created: sql<boolean>`(xmax = 0)` });
  const { created, ...lead } = row!;
  return { lead, created };
}

export async function leadByExternalId(ctx: ServiceContext, externalId: string): Promise<LeadRow | null> {
  const [row] = await ctx.db
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.externalId, externalId)))
    .limit(1);
  return row ?? null;
}

export async function markContactDeleted(ctx: ServiceContext, externalId: string): Promise<LeadRow | null> {
  const [row] = await ctx.db
    .update(leads)
    .set({ deletedAt: sql`now()`, botState: 'done', updatedAt: sql`now()` })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.externalId, externalId)))
    .returning();
  return row ?? null;
}

const OPPORTUNITY_STAGE: Record<string, 'closed' | 'lost' | undefined> = { won: 'closed', lost: 'lost', abandoned: 'lost' };

export async function recordOpportunityStatus(ctx: ServiceContext, externalId: string, status: string): Promise<LeadRow | null> {
  const stage = OPPORTUNITY_STAGE[status.toLowerCase()];
  const [row] = await ctx.db
    .update(leads)
    .set({ opportunityStatus: status, ...(stage ? { stage } : {}), updatedAt: sql`now()` })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.externalId, externalId)))
    .returning();
  return row ?? null;
}

/**
 * Stores a lead's inbound SMS (once per GHL message id) and moves the lead's inbound clock.
 * Returns the stored row's id and whether this call stored it.
 */
export async function storeInboundMessage(
  ctx: ServiceContext,
  lead: LeadRow,
  m: { externalId: string | null; body: string; at: Date },
): Promise<{ messageId: string; stored: boolean; lead: LeadRow }> {
  const at = m.at.toISOString();
  const [inserted] = await ctx.db
    .insert(messages)
    .values({
      id: newId('message'),
      tenantId: ctx.tenantId,
      leadId: lead.id,
      direction: 'inbound',
      sender: 'lead',
      body: m.body,
      status: 'received',
      externalId: m.externalId,
      at: m.at,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  let messageId = inserted?.id;
  if (!messageId) {
    const [existing] = await ctx.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.externalId, m.externalId!)))
      .limit(1);
    messageId = existing!.id;
  }
  const [updated] = await ctx.db
    .update(leads)
    .set({
      firstInboundAt: sql`least(coalesce(${leads.firstInboundAt}, ${at}::timestamptz), ${at}::timestamptz)`,
      lastInboundAt: sql`greatest(coalesce(${leads.lastInboundAt}, ${at}::timestamptz), ${at}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(leads.id, lead.id))
    .returning();
  return { messageId, stored: !!inserted, lead: updated! };
}
