/**
 * Lead reads and the actions an agent takes on a conversation. Agents see their own leads and
 * unassigned ones; everyone else with leads:read sees the tenant's. Actions on a conversation go
 * through its ConversationRoom so they serialise with the lead's own messages.
 */
import { and, desc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { leads, messages } from '../../db/schema';
import { Conflict, DependencyUnavailable, NotFound } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { roomFor } from '../../conversations/rooms';
import { leadView, messageView, type LeadRow } from './view';

export interface LeadFilters {
  stage?: LeadRow['stage'];
  temperature?: 'hot' | 'warm' | 'cold';
  assignedAgentId?: string;
  externalId?: string;
  updatedSince?: Date;
  limit: number;
  cursor?: string;
}

/** Row-level reach on top of the permission: an agent sees their own and unassigned leads. */
function visibility(ctx: ServiceContext): SQL | undefined {
  const p = ctx.principal;
  if (p?.kind === 'user' && p.role === 'agent') return or(eq(leads.assignedAgentId, p.userId), isNull(leads.assignedAgentId));
  return undefined;
}

interface Cursor {
  u: string;
  id: string;
}
const encodeCursor = (c: Cursor) => btoa(JSON.stringify(c)).replace(/=+$/, '');
function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(atob(s)) as Cursor;
    return typeof c.u === 'string' && typeof c.id === 'string' && !Number.isNaN(Date.parse(c.u)) ? c : null;
  } catch {
    return null;
  }
}

/** Newest activity first; the cursor is the last row's (updatedAt, id). */
export async function listLeads(ctx: ServiceContext, f: LeadFilters) {
  const cursor = f.cursor ? decodeCursor(f.cursor) : null;
  if (f.cursor && !cursor) throw new Conflict('The cursor is not one this API returned');
  const rows = await ctx.db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, ctx.tenantId),
        isNull(leads.deletedAt),
        visibility(ctx),
        f.stage ? eq(leads.stage, f.stage) : undefined,
        f.temperature ? eq(leads.temperature, f.temperature) : undefined,
        f.assignedAgentId ? eq(leads.assignedAgentId, f.assignedAgentId) : undefined,
        f.externalId ? eq(leads.externalId, f.externalId) : undefined,
        f.updatedSince ? gt(leads.updatedAt, f.updatedSince) : undefined,
        cursor ? sql`(${leads.updatedAt}, ${leads.id}) < (${cursor.u}::timestamptz, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(desc(leads.updatedAt), desc(leads.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    leads: page.map(leadView),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ u: last.updatedAt.toISOString(), id: last.id }) : null,
  };
}

export async function findLead(ctx: ServiceContext, id: string): Promise<LeadRow> {
  const [row] = await ctx.db
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, id), isNull(leads.deletedAt), visibility(ctx)))
    .limit(1);
  if (!row) throw new NotFound('Lead');
  return row;
}

export async function getLead(ctx: ServiceContext, id: string) {
  return leadView(await findLead(ctx, id));
}

export async function listMessages(ctx: ServiceContext, leadId: string, opts: { limit: number; before?: Date }) {
  await findLead(ctx, leadId);
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.leadId, leadId), opts.before ? lt(messages.at, opts.before) : undefined))
    .orderBy(desc(messages.at), desc(messages.id))
    .limit(opts.limit);
  return rows.reverse().map(messageView);
}

function room(ctx: ServiceContext, leadId: string) {
  const stub = roomFor(ctx, leadId);
  if (!stub) throw new DependencyUnavailable('conversation rooms');
  return stub;
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; code: 'not_found' | 'conflict'; message: string }): T {
  if (r.ok) return r.value;
  if (r.code === 'not_found') throw new NotFound('Lead');
  throw new Conflict(r.message);
}

/** The signed-in user, or null for an API key (which is not a person to hand a lead to). */
function userIdOf(ctx: ServiceContext): string | null {
  return ctx.principal?.kind === 'user' ? ctx.principal.userId : null;
}

export async function sendAgentMessage(ctx: ServiceContext, leadId: string, input: { body: string; idempotencyKey?: string }) {
  await findLead(ctx, leadId);
  const key = input.idempotencyKey ?? crypto.randomUUID();
  return unwrap(await room(ctx, leadId).agentReply(ctx.tenantId, leadId, { userId: userIdOf(ctx) ?? `api_key:${ctx.actor.id}`, body: input.body, idempotencyKey: key }));
}

export async function takeOverLead(ctx: ServiceContext, leadId: string) {
  await findLead(ctx, leadId);
  return unwrap(await room(ctx, leadId).takeover(ctx.tenantId, leadId, userIdOf(ctx)));
}

export async function releaseLead(ctx: ServiceContext, leadId: string) {
  await findLead(ctx, leadId);
  return unwrap(await room(ctx, leadId).release(ctx.tenantId, leadId));
}

