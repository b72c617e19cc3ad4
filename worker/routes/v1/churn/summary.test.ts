/**
 * GET /v1/churn/summary against a fixture whose every figure is computed by hand below.
 */
import { describe, expect, it } from 'vitest';
import { churnAssessments, churnEpisodes, churnInterventions, leads } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

const DAY = 86_400_000;

async function insertLead(t: TestTenant, over: Partial<typeof leads.$inferInsert> = {}) {
  const id = newId('lead');
  await withDb((db) => db.insert(leads).values({ id, tenantId: t.id, source: 'api', name: 'Fixture Lead', ...over }));
  return id;
}

type Outcome = 'pending' | 'saved' | 'not_saved';

describe('GET /v1/churn/summary', () => {
  it('reports at-risk leads, interventions, outcomes and saves against the holdout, as computed by hand', async () => {
    const t = await provisionTestTenant();
    const now = Date.now();
    const detectedAt = new Date(now - DAY);

    // Treated: 7 saved, 3 not saved, 1 pending. Holdout: 1 saved, 3 not saved.
    const plan: Array<['treated' | 'holdout', Outcome]> = [
      ...Array.from({ length: 7 }, () => ['treated', 'saved'] as ['treated', Outcome]),
      ...Array.from({ length: 3 }, () => ['treated', 'not_saved'] as ['treated', Outcome]),
      ['treated', 'pending'],
      ['holdout', 'saved'],
      ...Array.from({ length: 3 }, () => ['holdout', 'not_saved'] as ['holdout', Outcome]),
    ];
    const episodeIds: string[] = [];
    let treatedIndex = 0;
    for (const [group, outcome] of plan) {
      const leadId = await insertLead(t, { stage: 'q2' });
      const id = newId('churnEpisode');
      episodeIds.push(id);
      // Treated episodes' first actions come 1 s, 2 s, … 11 s after their job started.
      const firstActionAt = group === 'treated' ? new Date(detectedAt.getTime() + 1000 * ++treatedIndex) : null;
      await withDb((db) =>
        db.insert(churnEpisodes).values({ id, tenantId: t.id, leadId, group, riskAtDetection: 0.7, stageAtDetection: 'q2', detectedAt, jobStartedAt: detectedAt, firstActionAt, outcome, resolvedAt: outcome === 'pending' ? null : new Date() }),
      );
    }
    // Outside the range: must not count anywhere.
    const oldLead = await insertLead(t);
    await withDb((db) => db.insert(churnEpisodes).values({ id: newId('churnEpisode'), tenantId: t.id, leadId: oldLead, group: 'treated', riskAtDetection: 0.9, stageAtDetection: 'q1', detectedAt: new Date(now - 40 * DAY), jobStartedAt: new Date(now - 40 * DAY), firstActionAt: new Date(now - 40 * DAY + 999_000), outcome: 'saved' }));

    // Steps: episode 1 → step 1 done, steps 2 and 3 cancelled; episode 2 → step 1 skipped.
    const step = (episodeId: string, n: number, kind: 're_engage' | 'agent_task' | 'escalate', status: 'done' | 'skipped' | 'cancelled') => ({
      id: newId('churnIntervention'), tenantId: t.id, episodeId, leadId: '', step: n, kind, status, scheduledFor: detectedAt,
    });
    const [e1, e2] = episodeIds;
    const [l1, l2] = await withDb(async (db) => {
      const rows = await db.select({ id: churnEpisodes.id, leadId: churnEpisodes.leadId }).from(churnEpisodes);
      return [rows.find((r) => r.id === e1)!.leadId, rows.find((r) => r.id === e2)!.leadId];
    });
    await withDb((db) =>
      db.insert(churnInterventions).values([
        { ...step(e1!, 1, 're_engage', 'done'), leadId: l1! },
        { ...step(e1!, 2, 'agent_task', 'cancelled'), leadId: l1! },
        { ...step(e1!, 3, 'escalate', 'cancelled'), leadId: l1! },
        { ...step(e2!, 1, 're_engage', 'skipped'), leadId: l2! },
      ]),
    );

    // At risk now (newest assessment ≥ 0.6): two in q2, one qualified; a fourth was at risk but no longer is.
    const atRisk = [await insertLead(t, { stage: 'q2' }), await insertLead(t, { stage: 'q2' }), await insertLead(t, { stage: 'qualified' })];
    const recovered = await insertLead(t, { stage: 'q3' });
    const assess = (leadId: string, risk: number, hoursAgo: number) => ({ id: newId('churnAssessment'), tenantId: t.id, leadId, risk, modelVersion: 'churn-prior-v1', assessedAt: new Date(now - hoursAgo * 3_600_000) });
    await withDb((db) => db.insert(churnAssessments).values([...atRisk.map((id) => assess(id, 0.8, 1)), assess(recovered, 0.9, 3), assess(recovered, 0.3, 1)]));

    const from = new Date(now - 7 * DAY).toISOString();
    const to = new Date(now + 60_000).toISOString();
    const res = await api(`/v1/churn/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: t.owner.token, ip: t.ip });
    expect(res.status).toBe(200);
    const s = await json(res);
    expect(s.riskThreshold).toBe(0.6);
    expect(s.atRiskByStage).toEqual({ q2: 2, qualified: 1 });
    expect(s.interventions).toEqual([
      { step: 1, kind: 're_engage', statuses: { done: 1, skipped: 1 }, total: 2 },
      { step: 2, kind: 'agent_task', statuses: { cancelled: 1 }, total: 1 },
      { step: 3, kind: 'escalate', statuses: { cancelled: 1 }, total: 1 },
    ]);
    expect(s.outcomes).toEqual({ pending: 1, saved: 8, notSaved: 6 });
    // 7 / 10 and 1 / 4, with Wilson 95 % intervals worked out by hand.
    expect(s.treated).toEqual({ episodes: 11, resolved: 10, pending: 1, saved: 7, rate: 0.7, ci95: [0.3968, 0.8922] });
    expect(s.holdout).toEqual({ episodes: 4, resolved: 4, pending: 0, saved: 1, rate: 0.25, ci95: [0.0456, 0.6994] });
    expect(s.lift).toBe(0.45);
    expect(s.pValue).toBeNull();
    expect(s.verdict).toMatch(/^not enough data: fewer than 20 resolved episodes in the treated group/);
    // 1 000 … 11 000 ms: the median is the 6th, p95 the 11th.
    expect(s.detectionToActionMs).toEqual({ n: 11, p50: 6000, p95: 11000 });
  });

  it('says whether the difference is significant once both groups have enough resolved episodes', async () => {
    const t = await provisionTestTenant();
    const detectedAt = new Date(Date.now() - DAY);
    const rows: Array<['treated' | 'holdout', Outcome]> = [
      ...Array.from({ length: 30 }, (_, i) => ['treated', i < 24 ? 'saved' : 'not_saved'] as ['treated', Outcome]),
      ...Array.from({ length: 25 }, (_, i) => ['holdout', i < 5 ? 'saved' : 'not_saved'] as ['holdout', Outcome]),
    ];
    for (const [group, outcome] of rows) {
      const leadId = await insertLead(t);
      await withDb((db) => db.insert(churnEpisodes).values({ id: newId('churnEpisode'), tenantId: t.id, leadId, group, riskAtDetection: 0.7, stageAtDetection: 'q2', detectedAt, outcome }));
    }
    const s = await json(await api('/v1/churn/summary', { token: t.owner.token, ip: t.ip }));
    expect(s.treated.rate).toBe(0.8);
    expect(s.holdout.rate).toBe(0.2);
    expect(s.lift).toBe(0.6);
    expect(s.pValue).toBeLessThan(0.001);
    expect(s.verdict).toMatch(/^significant: treated leads were saved more often/);
    expect(s.detectionToActionMs).toEqual({ n: 0, p50: null, p95: null });
  });

  it('refuses a reversed range and agents (analytics is for managers)', async () => {
    const t = await provisionTestTenant();
    const bad = await api('/v1/churn/summary?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: t.owner.token, ip: t.ip });
    expect(bad.status).toBe(422);
    const agent = await memberWithRole(t, 'agent');
    expect((await api('/v1/churn/summary', { token: agent.token, ip: t.ip })).status).toBe(403);
    const viewer = await memberWithRole(t, 'viewer');
    expect((await api('/v1/churn/summary', { token: viewer.token, ip: t.ip })).status).toBe(200);
  });
});
