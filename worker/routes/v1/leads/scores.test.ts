/**
 * Scoring end to end inside the Worker: events → signals → the four probabilities (priors until a
 * model is trained) → lead score → one alert on a threshold crossing, routed, with readable
 * reasons; the 5-minute job rescoring leads whose newest event is after their last score.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { alerts, leads } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';
import { contactId, createTestLead, eventually, ghlTenant } from '../../../testing/ghl';
import { deliverJob } from '../../../testing/qstash';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** What a homeowner about to list looks like: valuation requests, a spike in listing views, return visits, long tenure with equity. */
function sellerBurst(externalId: string, prefix = externalId) {
  const events: Array<Record<string, unknown>> = [
    { id: `${prefix}-facts`, externalId, type: 'property_facts', properties: { purchaseDate: '2011-04-01', estimateCents: 520_000_00, mortgageBalanceCents: 140_000_00 }, occurredAt: ago(3) },
  ];
  for (let i = 0; i < 2; i++) events.push({ id: `${prefix}-val-${i}`, externalId, type: 'home_valuation_requested', occurredAt: ago(i + 0.2) });
  for (let i = 0; i < 12; i++) events.push({ id: `${prefix}-view-${i}`, externalId, type: 'listing_viewed', occurredAt: ago((i % 6) + 0.1) });
  for (let i = 0; i < 5; i++) events.push({ id: `${prefix}-visit-${i}`, externalId, type: 'site_visit', occurredAt: ago(i + 0.3) });
  return events;
}

async function leadByExternal(t: TestTenant, externalId: string) {
  return eventually(async () => (await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.externalId, externalId)))))[0], `lead ${externalId}`);
}

async function alertsOf(t: TestTenant, leadId: string) {
  return withDb((db) => db.select().from(alerts).where(and(eq(alerts.tenantId, t.id), eq(alerts.leadId, leadId))));
}

describe('scoring', () => {
  it('turns a burst of seller behaviour into a sell probability over the threshold and exactly one routed alert with reasons', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const res = await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: sellerBurst('home-seller-1') } });
    expect(res.status).toBe(202);
    const lead = await leadByExternal(t, 'home-seller-1');

    const [alert] = await eventually(async () => {
      const rows = await alertsOf(t, lead.id);
      // Stored, then routed: wait for the routing decision.
      return rows[0]?.routing ? rows : undefined;
    }, 'the routed sell alert');
    expect(alert!.kind).toBe('sell');
    expect(alert!.probability).toBeGreaterThanOrEqual(0.5);
    expect(alert!.modelVersion).toBe('prior-v1');
    expect(alert!.reasons[0]).toMatch(/% likely to sell/);
    expect(alert!.reasons.join(' | ')).toMatch(/asked for a home valuation/);
    expect(alert!.assignedAgentIds).toEqual([agent.id]);
    expect(alert!.routing?.why.length).toBeGreaterThan(0);
    expect(alert!.features?.sig_home_valuation_request).toBeGreaterThan(0);

    const forLead = await json(await api(`/v1/alerts?leadId=${lead.id}`, { token: t.owner.token }));
    expect(forLead.alerts.map((a: { id: string }) => a.id)).toEqual([alert!.id]);
    expect((await json(await api('/v1/alerts?leadId=lead_none', { token: t.owner.token }))).alerts).toEqual([]);

    const scores = await json(await api(`/v1/leads/${lead.id}/scores`, { token: t.owner.token }));
    expect(scores.models.sell.probability).toBeGreaterThanOrEqual(0.5);
    expect(scores.models.sell.modelVersion).toBe('prior-v1');
    expect(scores.models.sell.reasons[0].feature).toBe('home_valuation_request');
    expect(Object.keys(scores.models).sort()).toEqual(['buy', 'invest', 'refinance', 'sell']);
    expect(scores.leadScore).toBeGreaterThan(0);
    expect(scores.leadScore).toBeLessThanOrEqual(100);
    const types = scores.signals.map((s: { type: string }) => s.type);
    expect(types).toEqual(expect.arrayContaining(['home_valuation_request', 'listing_view_spike', 'tenure_threshold', 'equity_milestone']));
    for (const s of scores.signals) {
      expect(s.strength).toBeGreaterThan(0);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.evidence.length).toBeGreaterThan(0);
    }

    // More of the same behaviour: rescored, still one alert.
    await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: sellerBurst('home-seller-1', 'again') } });
    await eventually(async () => {
      const [row] = await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id)));
      return row!.scoredAt && row!.lastEventAt && row!.scoredAt >= row!.lastEventAt ? row : undefined;
    }, 'the rescore');
    await deliverJob('/jobs/score');
    expect(await alertsOf(t, lead.id)).toHaveLength(1);
  });

  it('puts the alert on the GHL contact as a note when the lead came from GoHighLevel', async () => {
    const t = await ghlTenant();
    const contact = contactId('scored');
    const lead = await createTestLead(t, { id: contact });
    const events = sellerBurst('unused').map(({ externalId: _, ...e }) => ({ ...e, id: `${contact}-${e.id}`, leadId: lead.id }));
    expect((await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events } })).status).toBe(202);
    const notes = await eventually(async () => {
      const res = await fetch(`${inject('ghlStandInUrl')}/_standin/requests?contactId=${encodeURIComponent(contact)}&path=/contacts/${encodeURIComponent(contact)}/notes`);
      const body = (await res.json()) as { requests: Array<{ body: { body: string }; status: number }> };
      return body.requests.length ? body.requests : undefined;
    }, 'the note on the contact');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body.body).toMatch(/^LeadPulse alert \(sell\)\n• \d+ % likely to sell/);
  });

  it('leaves weak behaviour to the 5-minute job, which scores it without raising an alert', async () => {
    const t = await provisionTestTenant();
    const events = Array.from({ length: 3 }, (_, i) => ({ id: `mail-${i}`, externalId: 'home-quiet', type: 'email_opened', occurredAt: ago(i + 1) }));
    expect((await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events } })).status).toBe(202);
    const lead = await leadByExternal(t, 'home-quiet');
    expect(lead.scoredAt).toBeNull();

    const res = await deliverJob('/jobs/score');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.job).toBe('score');
    expect(body.scored).toBeGreaterThanOrEqual(1);
    const [scored] = await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id)));
    expect(scored!.scoredAt).not.toBeNull();
    expect(scored!.leadScore).toBeGreaterThanOrEqual(0);
    expect(await alertsOf(t, lead.id)).toHaveLength(0);

    const scores = await json(await api(`/v1/leads/${lead.id}/scores`, { token: t.owner.token }));
    expect(scores.models.sell.probability).toBeLessThan(0.5);
    expect(scores.signals.map((s: { type: string }) => s.type)).toEqual(['email_engagement']);
  });

  it('reads signal thresholds from the tenant settings (and refuses nonsense ones)', async () => {
    const t = await provisionTestTenant();
    const bad = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { signalThresholds: { listingViewSpikeRatio: 0 } } } });
    expect(bad.status).toBe(422);
    // Two email opens are not "engagement" by default (3); this tenant says they are.
    const ok = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { signalThresholds: { emailEngagementMinimum: 2 } } } });
    expect(ok.status).toBe(200);
    const events = Array.from({ length: 2 }, (_, i) => ({ externalId: 'home-mail', type: 'email_opened', occurredAt: ago(i + 1) }));
    await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events } });
    const lead = await leadByExternal(t, 'home-mail');
    const scores = await json(await api(`/v1/leads/${lead.id}/scores`, { token: t.owner.token }));
    expect(scores.signals.map((s: { type: string }) => s.type)).toEqual(['email_engagement']);
  });

  it('scores a lead that was never scored on first read, without paging anyone', async () => {
    const t = await provisionTestTenant();
    const lead = await withDb(async (db) => {
      const id = newId('lead');
      await db.insert(leads).values({ id, tenantId: t.id, source: 'api', kind: 'seller', temperature: 'hot', timelineDays: 30, phone: '+15125550100', lastInboundAt: new Date() });
      return id;
    });
    const scores = await json(await api(`/v1/leads/${lead}/scores`, { token: t.owner.token }));
    expect(scores.models.sell.probability).toBeGreaterThan(0.5);
    expect(scores.leadScore).toBeGreaterThan(40);
    expect(await alertsOf(t, lead)).toHaveLength(0);
  });

  it('answers 404 for a lead id that does not exist, and the job is idempotent per QStash message', async () => {
    const t = await provisionTestTenant();
    expect((await api('/v1/leads/lead_doesnotexist/scores', { token: t.owner.token })).status).toBe(404);
    const first = await json(await deliverJob('/jobs/score', {}, { messageId: 'msg_score_once' }));
    const again = await json(await deliverJob('/jobs/score', {}, { messageId: 'msg_score_once' }));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ job: 'score', duplicate: true });
  });
});
