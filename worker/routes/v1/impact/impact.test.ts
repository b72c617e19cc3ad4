/**
 * Business impact: the daily roll-up counts what each feature did, and GET /v1/impact prices it
 * with the tenant's assumptions — checked against numbers worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { alerts, churnEpisodes, churnInterventions, coachingReports, leads, messages } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant } from '../../../testing/factory';
import { deliverJob } from '../../../testing/qstash';

const today = () => new Date().toISOString().slice(0, 10);

describe('GET /v1/impact', () => {
  it('prices measured use and success with the tenant’s assumptions', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const now = new Date();
    await withDb(async (db) => {
      const lead = newId('lead');
      const qualified = newId('lead');
      await db.insert(leads).values([
        { id: lead, tenantId: t.id, source: 'api' },
        { id: qualified, tenantId: t.id, source: 'api', stage: 'qualified', qualifiedAt: now },
      ]);
      await db.insert(alerts).values([
        { id: newId('alert'), tenantId: t.id, leadId: lead, kind: 'sell', dedupeKey: `a1-${lead}`, converted: true, convertedAt: now, status: 'converted' },
        { id: newId('alert'), tenantId: t.id, leadId: qualified, kind: 'hot_lead', dedupeKey: `a2-${lead}` },
      ]);
      await db.insert(messages).values(
        [1, 2, 3].map((i) => ({ id: newId('message'), tenantId: t.id, leadId: qualified, direction: 'outbound' as const, sender: 'bot' as const, body: `q${i}`, status: 'sent' as const, at: now, sentAt: now, tokens: { inputTokens: 1000, outputTokens: 200 } })),
      );
      const episode = newId('churnEpisode');
      await db.insert(churnEpisodes).values({ id: episode, tenantId: t.id, leadId: lead, group: 'treated', riskAtDetection: 0.8, stageAtDetection: 'q2', outcome: 'saved', resolvedAt: now });
      await db.insert(churnInterventions).values({ id: newId('churnIntervention'), tenantId: t.id, episodeId: episode, leadId: lead, step: 1, kind: 're_engage', status: 'done', scheduledFor: now, executedAt: now });
      await db.insert(coachingReports).values({ id: newId('coachingReport'), tenantId: t.id, agentId: agent.id, periodStart: now, periodEnd: now, metrics: {}, actions: [{ action: 'call', why: 'hot' }], generatedBy: 'claude', tokens: { inputTokens: 3000, outputTokens: 500 }, costMicroUsd: 5500, trigger: 'on_demand' });
    });

    const job = await json(await deliverJob('/jobs/impact', { days: 1 }));
    expect(job).toMatchObject({ job: 'impact', duplicate: false });
    const res = await api(`/v1/impact?from=${today()}&to=${today()}`, { token: t.owner.token, ip: t.ip });
    expect(res.status).toBe(200);
    const body = await json(res);
    const f = Object.fromEntries(body.features.map((x: { feature: string }) => [x.feature, x]));

    // Value per success = $450 000 × 3 % × 70 % = $9 450; infra $3/day ÷ 4 features = 75 ¢.
    expect(f.intelligence.measured).toMatchObject({ uses: 2, successes: 1 });
    expect(f.intelligence.assumptions.valuePerSuccessCents).toBe(945_000);
    expect(f.intelligence.revenueImpactCents).toBe(47_250); // 1 × 5 % × $9 450
    expect(f.intelligence.timeSavedHours).toBe(0.2); // 2 × 5 min
    expect(f.intelligence.timeValueCents).toBe(1_000); // 0.2 h × $50
    expect(f.intelligence.cost).toEqual({ aiCents: 0, infraCents: 75, totalCents: 75 });
    expect(f.intelligence.netImpactCents).toBe(48_175);

    expect(f.churn_prevention.measured).toMatchObject({ uses: 1, successes: 1 });
    expect(f.churn_prevention.revenueImpactCents).toBe(94_500); // 1 × 10 % × $9 450

    expect(f.coaching.measured).toMatchObject({ uses: 1, successes: 1, inputTokens: 3000, outputTokens: 500 });
    expect(f.coaching.cost.aiCents).toBe(1); // 5 500 µ$ recorded = 0.55 ¢ → 1 ¢

    expect(f.seller_assistant.measured).toMatchObject({ uses: 3, successes: 1, inputTokens: 3000, outputTokens: 600 });
    // 3 000 in × $1/M + 600 out × $5/M = 0.3 ¢ + 0.3 ¢ → 1 ¢
    expect(f.seller_assistant.cost.aiCents).toBe(1);
    expect(body.totals.netImpactCents).toBe(body.features.reduce((s: number, x: { netImpactCents: number }) => s + x.netImpactCents, 0));

    // The tenant disagrees with an assumption: history is re-priced, the measurements stay.
    const patched = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { impact: { features: { intelligence: { conversionLift: 0.1, minutesSavedPerUse: 5 } } } } } });
    expect(patched.status).toBe(200);
    const again = await json(await api(`/v1/impact?from=${today()}&to=${today()}`, { token: t.owner.token, ip: t.ip }));
    expect(again.features.find((x: { feature: string }) => x.feature === 'intelligence').revenueImpactCents).toBe(94_500);
  });

  it('refuses bad ranges, keeps tenants apart and agents out', async () => {
    const t = await provisionTestTenant();
    const other = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    expect((await api('/v1/impact?from=2026-02-30', { token: t.owner.token, ip: t.ip })).status).toBe(422);
    expect((await api('/v1/impact?from=2026-05-02&to=2026-05-01', { token: t.owner.token, ip: t.ip })).status).toBe(422);
    expect((await api('/v1/impact?from=2024-01-01&to=2026-01-02', { token: t.owner.token, ip: t.ip })).status).toBe(422);
    expect((await api('/v1/impact', { token: agent.token, ip: t.ip })).status).toBe(403);
    const theirs = await json(await api('/v1/impact', { token: other.owner.token, ip: other.ip }));
    expect(theirs.features.every((x: { measured: { uses: number } }) => x.measured.uses === 0)).toBe(true);
  });
});
