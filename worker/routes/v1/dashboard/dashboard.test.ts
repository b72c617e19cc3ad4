/**
 * GET /v1/dashboard against a hand-built tenant: every number below was worked out by hand from
 * the fixture (see the comments), not read back from the implementation.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { alerts, leads } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

type LeadInsert = typeof leads.$inferInsert;
type AlertInsert = typeof alerts.$inferInsert;

const FROM = '2025-03-01T00:00:00.000Z';
const TO = '2025-04-01T00:00:00.000Z';
const at = (day: number, seconds = 0) => new Date(Date.parse(FROM) + (day - 1) * 86_400_000 + seconds * 1000);
const RANGE = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

let t: TestTenant;
let other: TestTenant;
let agentA: Awaited<ReturnType<typeof memberWithRole>>;
let agentB: Awaited<ReturnType<typeof memberWithRole>>;
let manager: Awaited<ReturnType<typeof memberWithRole>>;
let viewer: Awaited<ReturnType<typeof memberWithRole>>;

function lead(tenantId: string, day: number, fields: Partial<LeadInsert>): LeadInsert {
  return { id: newId('lead'), tenantId, source: 'ghl', stage: 'new', createdAt: at(day), ...fields };
}

function alert(tenantId: string, leadId: string, kind: string, day: number, fields: Partial<AlertInsert> & { ackAfterS?: number }): AlertInsert {
  const { ackAfterS, ...rest } = fields;
  const id = newId('alert');
  const createdAt = at(day);
  return { id, tenantId, leadId, kind, dedupeKey: id, reasons: ['fixture'], createdAt, acknowledgedAt: ackAfterS === undefined ? null : new Date(createdAt.getTime() + ackAfterS * 1000), ...rest };
}

beforeAll(async () => {
  [t, other] = await Promise.all([provisionTestTenant(), provisionTestTenant()]);
  [agentA, agentB, manager, viewer] = await Promise.all([memberWithRole(t, 'agent'), memberWithRole(t, 'agent'), memberWithRole(t, 'manager'), memberWithRole(t, 'viewer')]);
  // Business rules chosen so one lead is worth 400 000 $ × 2.5 % × 50 % = 5 000 $ = 500 000 ¢.
  const patch = await api('/v1/tenant', {
    method: 'PATCH',
    token: t.owner.token,
    ip: t.ip,
    body: { settings: { businessRules: { averageSalePriceCents: 400_000_00, commissionRate: 0.025, teamSplit: 0.5, stageCloseProbabilities: { contract: 0.9 } } } },
  });
  expect(patch.status).toBe(200);

  const A = agentA.id;
  const B = agentB.id;
  const id = t.id;
  const L = [
    /* L1  */ lead(id, 1, { stage: 'new' }),
    /* L2  */ lead(id, 2, { stage: 'q1', speedToLeadMs: 5_000, assignedAgentId: A }),
    /* L3  */ lead(id, 3, { stage: 'q2', temperature: 'cold', motivationCategory: 'relocation', timelineDays: 200, speedToLeadMs: 12_000, assignedAgentId: A }),
    /* L4  */ lead(id, 4, { stage: 'q3', temperature: 'warm', timelineDays: 60, speedToLeadMs: 45_000, assignedAgentId: B }),
    /* L5  */ lead(id, 5, { stage: 'q4', temperature: 'warm', timelineDays: 90, priceCents: 300_000_00, speedToLeadMs: 90_000, assignedAgentId: B }),
    /* L6  */ lead(id, 6, { stage: 'qualified', temperature: 'hot', timelineDays: 20, priceCents: 450_000_00, speedToLeadMs: 8_000, assignedAgentId: A, qualifiedAt: at(6) }),
    /* L7  */ lead(id, 7, { stage: 'appointment', temperature: 'hot', timelineDays: 30, priceCents: 800_000_00, speedToLeadMs: 400_000, assignedAgentId: A }),
    /* L8  */ lead(id, 8, { stage: 'contract', temperature: 'warm', timelineDays: 120, priceCents: 1_200_000_00, speedToLeadMs: 25_000, assignedAgentId: B }),
    /* L9  */ lead(id, 9, { stage: 'closed', temperature: 'hot', timelineDays: 10, priceCents: 500_000_00, speedToLeadMs: 3_000, assignedAgentId: A }),
    /* L10 */ lead(id, 10, { stage: 'closed', temperature: 'warm', timelineDays: 45, assignedAgentId: B }),
    // Lost after qualifying → reached qualified.
    /* L11 */ lead(id, 11, { stage: 'lost', temperature: 'cold', timelineDays: 181, priceCents: 200_000_00, speedToLeadMs: 60_000, assignedAgentId: B, qualifiedAt: at(11) }),
    // Lost with motivation answered and the timeline addressed without a value ("no rush"): the
    // assistant was asking the condition → reached q3.
    /* L12 */ lead(id, 12, {
      stage: 'lost',
      temperature: 'cold',
      motivationCategory: 'downsizing',
      speedToLeadMs: 10_000,
      conversationState: { answeredAt: { motivation: at(12).toISOString(), timeline: at(12).toISOString() }, expecting: null, outboundCount: 2 },
    }),
    // A homeowner from behaviour events who then wrote to us: a lead; lost on the first message → reached new.
    /* L13 */ lead(id, 13, { stage: 'lost', kind: 'prospect', source: 'events', firstInboundAt: at(13) }),
  ];
  const excluded = [
    lead(id, 0, { stage: 'closed', temperature: 'hot', assignedAgentId: A, createdAt: new Date(Date.parse(FROM) - 1000) }), // before the range
    lead(id, 0, { stage: 'closed', temperature: 'hot', assignedAgentId: A, createdAt: new Date(TO) }), // `to` is exclusive
    lead(id, 14, { stage: 'closed', temperature: 'hot', assignedAgentId: B, deletedAt: at(15) }), // deleted
    lead(id, 15, { stage: 'new', kind: 'prospect', source: 'events' }), // a homeowner known only from events
    lead(id, 0, { stage: 'new', createdAt: new Date(Date.now() - 3_600_000) }), // an hour ago: only in the default range
  ];
  const theirs = [1, 2, 3].map((day) => lead(other.id, day, { stage: 'closed', temperature: 'hot', priceCents: 900_000_00, speedToLeadMs: 1_000 }));
  await withDb(async (db) => {
    await db.insert(leads).values([...L, ...excluded, ...theirs]);
    await db.insert(alerts).values([
      alert(id, L[5]!.id!, 'sell', 6, { status: 'converted', converted: true, ackAfterS: 60, claimedBy: A, claimedAt: at(6, 90), assignedAgentIds: [A] }), // A1
      alert(id, L[4]!.id!, 'sell', 5, { status: 'dismissed', converted: false, ackAfterS: 120, assignedAgentIds: [B], dismissedAt: at(5, 300) }), // A2
      alert(id, L[2]!.id!, 'sell', 3, { status: 'expired', assignedAgentIds: [A], expiredAt: at(6) }), // A3
      alert(id, L[0]!.id!, 'sell', 20, { status: 'new', assignedAgentIds: [A, B] }), // A4 (broadcast, untouched)
      alert(id, L[6]!.id!, 'hot_lead', 7, { status: 'acknowledged', ackAfterS: 30, assignedAgentIds: [A, B] }), // A5 (broadcast, acknowledged)
      alert(id, L[7]!.id!, 'hot_lead', 8, { status: 'claimed', ackAfterS: 90, claimedBy: B, claimedAt: at(8, 100), assignedAgentIds: [A, B] }), // A6
      alert(id, L[8]!.id!, 'hot_lead', 9, { status: 'converted', converted: true, ackAfterS: 300, claimedBy: t.owner.id, claimedAt: at(9, 300), assignedAgentIds: [A] }), // A7 (the owner stepped in)
      alert(id, excluded[0]!.id!, 'sell', 0, { status: 'converted', converted: true, ackAfterS: 5, assignedAgentIds: [A], createdAt: new Date(Date.parse(FROM) - 1000) }), // before the range
      alert(other.id, theirs[0]!.id!, 'sell', 2, { status: 'converted', converted: true, ackAfterS: 1, assignedAgentIds: [] }),
    ]);
  });
}, 60_000);

const dashboard = async (query: string, token = manager.token) => {
  const res = await api(`/v1/dashboard?${query}`, { token, ip: t.ip });
  return { status: res.status, body: await json(res) };
};

describe('GET /v1/dashboard', () => {
  it('answers every section with the hand-computed figures', async () => {
    const { status, body } = await dashboard(RANGE);
    expect(status).toBe(200);
    expect(body.range).toEqual({ from: FROM, to: TO, agentId: null });

    // 13 leads; qualified = reached ≥ qualified: L6 L7 L8 L9 L10 L11; hot: L6 L7 L9.
    // Speeds (10): 3 5 8 10 12 25 45 60 90 400 s → median (12 + 25) / 2 = 18.5 s.
    expect(body.hero.newLeads.value).toBe(13);
    expect(body.hero.qualified.value).toBe(6);
    expect(body.hero.hot.value).toBe(3);
    expect(body.hero.medianSpeedToLeadMs.value).toBe(18_500);
    expect(body.hero.conversionRate.value).toBe(0.1538); // 2 closed / 13
    for (const m of Object.values<{ definition: string }>(body.hero)) expect(m.definition.length).toBeGreaterThan(20);

    // Reached: L1 new, L2 q1, L3 q2, L4 q3, L5 q4, L6 qualified, L7 appointment, L8 contract,
    // L9 L10 closed, L11 qualified (lost), L12 q3 (lost), L13 new (lost).
    expect(body.funnel).toEqual([
      { stage: 'new', count: 13 },
      { stage: 'q1', count: 11 },
      { stage: 'q2', count: 10 },
      { stage: 'q3', count: 9 },
      { stage: 'q4', count: 7 },
      { stage: 'qualified', count: 6 },
      { stage: 'appointment', count: 4 },
      { stage: 'contract', count: 3 },
      { stage: 'closed', count: 2 },
    ]);
    expect(body.temperature).toEqual({ hot: 3, warm: 4, cold: 3, unknown: 3 });
    // Timelines: 200 60 90 20 30 120 10 45 181 days; four leads gave none.
    expect(body.timeline).toEqual([
      { bucket: '0-30d', count: 3 },
      { bucket: '31-90d', count: 3 },
      { bucket: '91-180d', count: 1 },
      { bucket: '180d+', count: 2 },
      { bucket: 'unknown', count: 4 },
    ]);
    // Prices: 300k 450k 800k 1.2M 500k 200k; seven unknown.
    expect(body.price).toEqual([
      { bucket: '<$250k', minCents: 0, maxCents: 250_000_00, count: 1 },
      { bucket: '$250k-500k', minCents: 250_000_00, maxCents: 500_000_00, count: 2 },
      { bucket: '$500k-750k', minCents: 500_000_00, maxCents: 750_000_00, count: 1 },
      { bucket: '$750k-1M', minCents: 750_000_00, maxCents: 1_000_000_00, count: 1 },
      { bucket: '$1M+', minCents: 1_000_000_00, maxCents: null, count: 1 },
      { bucket: 'unknown', minCents: null, maxCents: null, count: 7 },
    ]);
    // p90 = 90 s + 0.1 × (400 − 90) s = 121 s.
    expect(body.speedToLead).toEqual({
      buckets: [
        { bucket: '<10s', count: 3 },
        { bucket: '10-30s', count: 3 },
        { bucket: '30-60s', count: 1 },
        { bucket: '1-5m', count: 2 },
        { bucket: '>5m', count: 1 },
      ],
      p50Ms: 18_500,
      p90Ms: 121_000,
      measured: 10,
    });

    // One lead per open stage; 500 000 ¢ a lead × the stage's probability (contract set to 0.9).
    expect(body.commission).toEqual({
      forecastCents: 10_000 + 20_000 + 30_000 + 40_000 + 50_000 + 100_000 + 175_000 + 450_000,
      // (500 000 $ stated + 400 000 $ average for the closed lead without a price) × 2.5 % × 50 %.
      actualCents: 1_125_000,
      closedLeads: 2,
      closedLeadsWithPrice: 1,
      assumptions: { averageSalePriceCents: 400_000_00, commissionRate: 0.025, teamSplit: 0.5 },
      byStage: [
        { stage: 'new', leads: 1, closeProbability: 0.02, expectedCents: 10_000 },
        { stage: 'q1', leads: 1, closeProbability: 0.04, expectedCents: 20_000 },
        { stage: 'q2', leads: 1, closeProbability: 0.06, expectedCents: 30_000 },
        { stage: 'q3', leads: 1, closeProbability: 0.08, expectedCents: 40_000 },
        { stage: 'q4', leads: 1, closeProbability: 0.1, expectedCents: 50_000 },
        { stage: 'qualified', leads: 1, closeProbability: 0.2, expectedCents: 100_000 },
        { stage: 'appointment', leads: 1, closeProbability: 0.35, expectedCents: 175_000 },
        { stage: 'contract', leads: 1, closeProbability: 0.9, expectedCents: 450_000 },
      ],
    });

    // sell: A1 converted (ack 60 s), A2 dismissed (ack 120 s), A3 expired, A4 new → precision 1/2.
    // hot_lead: A5 (ack 30 s), A6 (ack 90 s), A7 converted (ack 300 s) → median 90 s, precision 1/1.
    expect(body.alertsByModel).toEqual([
      { kind: 'sell', generated: 4, acknowledged: 2, converted: 1, dismissed: 1, expired: 1, medianAckMs: 90_000, precision: 0.5 },
      { kind: 'hot_lead', generated: 3, acknowledged: 3, converted: 1, dismissed: 0, expired: 0, medianAckMs: 90_000, precision: 1 },
    ]);

    // A: L2 L3 L6 L7 L9 (speeds 5 12 8 400 3 s → 8 s); B: L4 L5 L8 L10 L11 (45 90 25 60 s → 52.5 s).
    // Alerts: A acknowledged A1 (claimed) and A5 (broadcast); B A2, A5 and A6 (claimed); the
    // owner claimed A7. Tied on converted/qualified/leads, A answers faster; the owner has no leads.
    expect(body.leaderboard).toEqual([
      { agentId: agentA.id, name: 'agent person', leads: 5, qualified: 3, medianSpeedToLeadMs: 8_000, alertsAcknowledged: 2, alertsClaimed: 1, converted: 1 },
      { agentId: agentB.id, name: 'agent person', leads: 5, qualified: 3, medianSpeedToLeadMs: 52_500, alertsAcknowledged: 3, alertsClaimed: 1, converted: 1 },
      { agentId: t.owner.id, name: 'Owner Person', leads: 0, qualified: 0, medianSpeedToLeadMs: null, alertsAcknowledged: 1, alertsClaimed: 1, converted: 0 },
    ]);
    expect(Object.keys(body.definitions)).toEqual(expect.arrayContaining(['funnel', 'commission', 'alertsByModel', 'leaderboard']));
    expect(Date.parse(body.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("narrows to one agent's leads and alerts", async () => {
    const { status, body } = await dashboard(`${RANGE}&agentId=${agentA.id}`);
    expect(status).toBe(200);
    expect(body.range.agentId).toBe(agentA.id);
    expect(body.hero.newLeads.value).toBe(5);
    expect(body.hero.qualified.value).toBe(3);
    expect(body.hero.hot.value).toBe(3); // L6 L7 L9
    expect(body.hero.medianSpeedToLeadMs.value).toBe(8_000);
    expect(body.funnel.map((f: { count: number }) => f.count)).toEqual([5, 5, 4, 3, 3, 3, 2, 1, 1]);
    // Routed to or claimed by A: A1 A3 A4 (sell), A5 A6 A7 (hot_lead).
    expect(body.alertsByModel).toEqual([
      { kind: 'hot_lead', generated: 3, acknowledged: 3, converted: 1, dismissed: 0, expired: 0, medianAckMs: 90_000, precision: 1 },
      { kind: 'sell', generated: 3, acknowledged: 1, converted: 1, dismissed: 0, expired: 1, medianAckMs: 60_000, precision: 1 },
    ]);
    expect(body.leaderboard).toHaveLength(1);
    expect(body.leaderboard[0]).toMatchObject({ agentId: agentA.id, leads: 5, alertsAcknowledged: 2, alertsClaimed: 1 });
  });

  it('counts only leads created in the range', async () => {
    // Days 1–6 of March: L1…L6.
    const { body } = await dashboard(`from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(at(7).toISOString())}`);
    expect(body.hero.newLeads.value).toBe(6);
    expect(body.funnel.map((f: { count: number }) => f.count)).toEqual([6, 5, 4, 3, 2, 1, 0, 0, 0]);
    // Alerts raised in those days: A1 A2 A3.
    expect(body.alertsByModel).toEqual([{ kind: 'sell', generated: 3, acknowledged: 2, converted: 1, dismissed: 1, expired: 1, medianAckMs: 90_000, precision: 0.5 }]);

    // Default range: the last 30 days, which holds only the lead created an hour ago.
    const recent = await dashboard('');
    expect(recent.status).toBe(200);
    expect(recent.body.hero.newLeads.value).toBe(1);
    expect(Date.parse(recent.body.range.to) - Date.parse(recent.body.range.from)).toBe(30 * 86_400_000);
    expect(recent.body.hero.medianSpeedToLeadMs.value).toBeNull();
    expect(recent.body.speedToLead.p50Ms).toBeNull();
  });

  it("never counts another tenant's leads or alerts", async () => {
    const theirs = await json(await api(`/v1/dashboard?${RANGE}`, { token: other.owner.token, ip: other.ip }));
    expect(theirs.hero.newLeads.value).toBe(3);
    expect(theirs.commission.closedLeads).toBe(3);
    expect(theirs.alertsByModel).toEqual([{ kind: 'sell', generated: 1, acknowledged: 1, converted: 1, dismissed: 0, expired: 0, medianAckMs: 1_000, precision: 1 }]);
    expect(theirs.leaderboard).toEqual([]);
    // Their owner is not a person of this tenant, and ours is not one of theirs.
    expect((await dashboard(`${RANGE}&agentId=${other.owner.id}`)).status).toBe(404);
    expect((await api(`/v1/dashboard?agentId=${agentA.id}`, { token: other.owner.token, ip: other.ip })).status).toBe(404);
  });

  it('is for managers, owners and viewers; agents get 403', async () => {
    for (const token of [t.owner.token, viewer.token, manager.token]) expect((await dashboard(RANGE, token)).body.hero.newLeads.value).toBe(13);
    const denied = await dashboard(RANGE, agentA.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });

  it('answers 422 to a bad range and 404 to an unknown agent', async () => {
    const bad = async (query: string, path: string) => {
      const { status, body } = await dashboard(query);
      expect(status, query).toBe(422);
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad(`from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`, 'to');
    await bad(`from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(FROM)}`, 'to');
    await bad(`from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:01Z`, 'from'); // 367 days
    await bad('from=yesterday', 'from');
    await bad('from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z', 'from'); // a valid ISO instant Postgres cannot hold
    await bad(`to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}&from=2099-01-01T00:00:00Z`, 'to');
    await bad('agentId=not-an-id', 'agentId');
    expect((await dashboard(`from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z`)).status).toBe(200); // 366 days (2024 is a leap year)

    const unknown = await dashboard(`${RANGE}&agentId=usr_1111111111111111111111`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('never answers 5xx to fuzzed query strings', async () => {
    const instant = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string());
    const param = (name: string, value: fc.Arbitrary<string>) => fc.option(value.map((v) => `${name}=${encodeURIComponent(v)}`), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(param('from', instant), param('to', instant), param('agentId', fc.oneof(fc.string(), fc.constant(agentA.id))), async (...parts) => {
        const { status } = await dashboard(parts.filter(Boolean).join('&'));
        expect(status, parts.join('&')).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
