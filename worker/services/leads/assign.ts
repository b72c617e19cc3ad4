/**
 * Hand-off of a lead to a person, chosen by the tenant's routing rules (the same decision alerts
 * get), and a stored notification for them.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { leads, notifications, users } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import { decideRoute, routableLead } from '../routing/routing';
import type { LeadRow } from './view';

/** Gives the lead to `agentId` unless someone got it in the meantime (a takeover, another turn). */
export async function assignLeadTo(ctx: ServiceContext, lead: LeadRow, agentId: string): Promise<LeadRow> {
  const [row] = await ctx.db
    .update(leads)
    .set({ assignedAgentId: agentId, assignedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, lead.id), isNull(leads.assignedAgentId)))
    .returning();
  return row ?? lead;
}

/** Routes an unassigned lead (first of the chosen agents on a broadcast rule); no one available → unchanged. */
export async function assignLead(ctx: ServiceContext, lead: LeadRow, kind: string): Promise<LeadRow> {
  if (lead.assignedAgentId) return lead;
  const { decision } = await decideRoute(ctx, { ...routableLead(lead), kind }, 'advance');
  const agentId = decision.agentIds[0];
  return agentId ? assignLeadTo(ctx, lead, agentId) : lead;
}

const NOTICE = {
  hot_lead: (name: string) => ({ title: `Hot seller: ${name}`, body: 'Qualified by the assistant — call now.' }),
  human_requested: (name: string) => ({ title: `${name} wants a person`, body: 'The bot has gone quiet; please reply.' }),
  hostile_reply: (name: string) => ({ title: `${name} replied angrily`, body: 'The bot paused itself; take a look.' }),
} as const;

export type LeadNotice = keyof typeof NOTICE;

/** One notification per lead and cause; managers are told when no agent is assigned. */
export async function notifyLeadEvent(ctx: ServiceContext, lead: LeadRow, kind: LeadNotice) {
  const recipients = lead.assignedAgentId
    ? [lead.assignedAgentId]
    : (
        await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.role, ['owner', 'admin', 'manager']), isNull(users.deletedAt)))
      ).map((u) => u.id);
  const text = NOTICE[kind](lead.name ?? lead.phone ?? 'A lead');
  if (!recipients.length) return;
  await ctx.db
    .insert(notifications)
    .values(
      recipients.map((userId) => ({
        id: newId('notification'),
        tenantId: ctx.tenantId,
        userId,
        leadId: lead.id,
        kind,
        ...text,
        data: { temperature: lead.temperature, reasons: lead.temperatureReasons },
        dedupeKey: `${kind}:${lead.id}:${userId}`,
      })),
    )
    .onConflictDoNothing();
}

