/**
 * Hand-off of a lead to a person: the agent with the most room (territory match first), and a
 * stored notification for them. The intelligence engine's routing rules replace the choice of
 * agent; the notification becomes an alert delivered live.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { leads, notifications, users } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';
import type { LeadRow } from './view';



export async function assignLead(ctx: ServiceContext, lead: LeadRow): Promise<LeadRow> {
  if (lead.assignedAgentId) return lead;
  const agents = await ctx.db
    .select({
      id: users.id,
      territories: users.territories,
      capacity: users.capacity,
      open: sql<number>`(select count(*)::int from ${leads} l where l.tenant_id = ${users.tenantId} and l.assigned_agent_id = ${users.id} and l.stage not in ('closed','lost'))`,
    })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.role, 'agent'), eq(users.paused, false), isNull(users.deletedAt)));
  if (!agents.length) return lead;
  const place = [lead.postalCode, lead.city, lead.state].filter(Boolean).map((p) => p!.toLowerCase());
  const ranked = agents
    .map((a) => ({ ...a, local: a.territories.some((t) => place.includes(t.toLowerCase())), room: a.capacity - a.open }))
    .sort((a, b) => Number(b.local) - Number(a.local) || Number(b.room > 0) - Number(a.room > 0) || a.open - b.open || a.id.localeCompare(b.id));
  const chosen = ranked[0]!;
  // Only assign if nobody did in the meantime (an agent's takeover, another turn).
  const [row] = await ctx.db
    .update(leads)
    .set({ assignedAgentId: chosen.id, assignedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, lead.id), isNull(leads.assignedAgentId)))
    .returning();
  return row ?? lead;
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

