/**
 * Telling people about an alert (PRODUCT.md §3.4 "Delivery"): the realtime feeds of the agents
 * it is routed to and of the managers, the tenant's signed outbound webhook, and — for a lead
 * that came from GoHighLevel — a note on the contact, where the team already works. Each change is
 * sent under a key naming the alert and its transition, so a retried step never shows an agent
 * the same alert twice nor posts it to the tenant twice. Both channels are best-effort here:
 * realtime has replay, the webhook has its own queue; neither can fail the caller.
 */
import { and, eq, sql } from 'drizzle-orm';
import { alerts, leads } from '../../db/schema';
import { ghlSenderFor } from '../integrations/ghl';
import type { ServiceContext } from '../context';
import { publishRealtime } from '../realtime/publish';
import { emitTenantEvent } from '../tenant-webhooks/emit';
import { alertView } from './view';

type AlertRow = typeof alerts.$inferSelect;

export async function announceAlert(ctx: ServiceContext, alert: AlertRow, change: 'created' | 'updated', transition: string = alert.status): Promise<AlertRow> {
  const type = `alert.${change}` as const;
  const key = change === 'created' ? `${type}:${alert.id}` : `${type}:${alert.id}:${transition}`;
  const data = alertView(alert);
  const [{ deliveredTo }] = await Promise.all([
    publishRealtime(ctx, { userIds: alert.assignedAgentIds, managers: true }, { key, type, id: alert.id, data }),
    emitTenantEvent(ctx, { type, dedupeKey: key, data }).catch((err: Error) => ctx.logger.warn('tenant webhook not queued', { alertId: alert.id, error: err.message })),
    change === 'created' ? noteOnContact(ctx, alert) : undefined,
  ]);
  // Delivered = on the screen of someone it was routed to (a manager watching doesn't count).
  if (alert.status === 'new' && deliveredTo.some((id) => alert.assignedAgentIds.includes(id))) {
    const [row] = await ctx.db
      .update(alerts)
      .set({ status: 'delivered', deliveredAt: sql`coalesce(${alerts.deliveredAt}, now())`, updatedAt: sql`now()` })
      .where(and(eq(alerts.id, alert.id), eq(alerts.status, 'new')))
      .returning();
    return row ?? alert;
  }
  return alert;
}

/** The alert as a note on the GHL contact. Best effort: the CRM being slow or down never holds up an alert. */
async function noteOnContact(ctx: ServiceContext, alert: AlertRow): Promise<void> {
  try {
    const [lead] = await ctx.db.select({ source: leads.source, externalId: leads.externalId }).from(leads).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, alert.leadId))).limit(1);
    if (lead?.source !== 'ghl' || !lead.externalId) return;
    const sender = await ghlSenderFor(ctx);
    if (!sender) return;
    await sender.client.addNote(lead.externalId, [`LeadPulse alert (${alert.kind})`, ...alert.reasons.map((r) => `• ${r}`), alert.routing?.why.at(-1) ?? ''].filter(Boolean).join('\n'));
  } catch (err) {
    ctx.logger.warn('alert note not added to the GHL contact', { alertId: alert.id, error: (err as Error).message });
  }
}
