/**
 * The SLA ladder: an alert nobody acknowledges goes to the next agent, then to the managers, on
 * the tenant AlertDesk's alarm; acknowledging stops the clock.
 */
import { runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { alerts, leads } from '../../db/schema';
import { newId } from '../../lib/ids';
import { env, json, withDb } from '../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { eventually } from '../../testing/ghl';
import type { AlertDesk } from '../../sla/desk';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

function desk(t: TestTenant) {
  return env.ALERT_DESK.get(env.ALERT_DESK.idFromName(t.id));
}

/** Fires the desk's alarm as if every timer were due now. */
async function fireDesk(t: TestTenant) {
  await runInDurableObject(desk(t), async (instance: AlertDesk, state) => {
    state.storage.sql.exec(`UPDATE timers SET due = 0`);
    await instance.alarm();
  });
}

/** A seller-shaped burst for a new homeowner → one routed `sell` alert. */
async function raiseSellAlert(t: TestTenant, externalId: string) {
  const events = [
    ...Array.from({ length: 2 }, (_, i) => ({ externalId, type: 'home_valuation_requested', occurredAt: ago(i + 0.2) })),
    ...Array.from({ length: 12 }, (_, i) => ({ externalId, type: 'listing_viewed', occurredAt: ago((i % 6) + 0.1) })),
    { externalId, type: 'property_facts', properties: { purchaseDate: '2010-01-01', estimateCents: 600_000_00, mortgageBalanceCents: 100_000_00 }, occurredAt: ago(1) },
  ];
  expect((await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events } })).status).toBe(202);
  return eventually(async () => {
    const [lead] = await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.externalId, externalId))));
    if (!lead) return undefined;
    const [alert] = await withDb((db) => db.select().from(alerts).where(eq(alerts.leadId, lead.id)));
    return alert?.routing ? alert : undefined;
  }, 'a routed alert');
}

async function alertRow(id: string) {
  return (await withDb((db) => db.select().from(alerts).where(eq(alerts.id, id))))[0]!;
}

describe('SLA ladder', () => {
  it('moves an unacknowledged alert to the next agent, then to the managers, with the why-log growing', async () => {
    const t = await provisionTestTenant();
    // Business hours all week, so the test does not depend on when it runs.
    const patched = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { businessHours: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] } } } });
    expect(patched.status).toBe(200);
    const a = await memberWithRole(t, 'agent');
    const b = await memberWithRole(t, 'agent');
    const alert = await raiseSellAlert(t, 'ladder-home');
    expect(alert.assignedAgentIds).toHaveLength(1);
    const first = alert.assignedAgentIds[0]!;
    const second = first === a.id ? b.id : a.id;
    expect(alert.slaMinutes).toBeGreaterThan(0);

    const timers = await eventually(async () => {
      const pending = await desk(t).pending();
      return pending.length ? pending : undefined;
    }, 'the SLA timer');
    expect(timers).toEqual([expect.objectContaining({ alertId: alert.id, level: 0 })]);
    // Due after the SLA (business hours cover now), not at once.
    expect(timers[0]!.due).toBeGreaterThan(Date.now() + (alert.slaMinutes! - 1) * 60_000);

    await fireDesk(t);
    const escalated = await alertRow(alert.id);
    expect(escalated.escalationLevel).toBe(1);
    expect(escalated.assignedAgentIds).toEqual([second]);
    // The agent it was taken from is remembered as the one who let it lapse (coaching counts it).
    expect(escalated.slaMissedBy).toEqual([first]);
    expect(escalated.routing!.why.join(' | ')).toMatch(/not acknowledged within \d+ min → next agent/);
    expect(await desk(t).pending()).toEqual([expect.objectContaining({ alertId: alert.id, level: 1 })]);

    await fireDesk(t);
    const toManagers = await alertRow(alert.id);
    expect(toManagers.escalationLevel).toBe(2);
    expect(toManagers.assignedAgentIds).toEqual(expect.arrayContaining([second, t.owner.id]));
    expect(toManagers.routing!.why.at(-1)).toMatch(/escalated to the managers/);
    expect(toManagers.slaMissedBy).toEqual([first, second]);
    expect(await desk(t).pending()).toEqual([]);
  });

  it('stops the clock when the agent acknowledges, and a stale timer changes nothing', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const alert = await raiseSellAlert(t, 'acked-home');
    await eventually(async () => (await desk(t).pending()).length === 1, 'the SLA timer');

    const ack = await api(`/v1/alerts/${alert.id}/ack`, { method: 'POST', token: agent.token, ip: t.ip });
    expect(ack.status).toBe(200);
    expect((await json(ack)).alert.status).toBe('acknowledged');
    expect(await desk(t).pending()).toEqual([]);

    // A timer that survived (a missed settle) finds the alert acknowledged and leaves it alone.
    await desk(t).watch(t.id, alert.id, 0, Date.now());
    await fireDesk(t);
    const row = await alertRow(alert.id);
    expect(row.escalationLevel).toBe(0);
    expect(row.assignedAgentIds).toEqual([agent.id]);
    expect(await desk(t).pending()).toEqual([]);
  });

  it('expires open alerts past their expiry through the scoring job', async () => {
    const t = await provisionTestTenant();
    const lead = newId('lead');
    const id = newId('alert');
    await withDb(async (db) => {
      await db.insert(leads).values({ id: lead, tenantId: t.id, source: 'api' });
      await db.insert(alerts).values({ id, tenantId: t.id, leadId: lead, kind: 'buy', dedupeKey: `buy:${lead}:old`, expiresAt: new Date(Date.now() - 60_000) });
    });
    const { deliverJob } = await import('../../testing/qstash');
    const res = await json(await deliverJob('/jobs/score'));
    expect(res.expired).toBeGreaterThanOrEqual(1);
    const row = await alertRow(id);
    expect(row.status).toBe('expired');
    expect(row.expiredAt).not.toBeNull();
  });
});
