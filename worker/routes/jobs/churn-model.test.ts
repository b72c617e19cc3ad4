/**
 * The tenant-trained churn model end to end: a CSV import or the nightly retrain on resolved
 * episodes makes a `churn` version active, and the next /jobs/churn run assesses with it (its
 * version id, its probability, its reasons as drivers) — for that tenant only.
 */
import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { churnAssessments, churnEpisodes, leads, messages, modelVersions } from '../../db/schema';
import { newId } from '../../lib/ids';
import { RETRAIN_MIN_OUTCOMES } from '../../services/models/outcomes';
import { churnOutcomes } from '../../testing/churn';
import { call, json, withDb } from '../../testing/client';
import { api, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { deliverJob } from '../../testing/qstash';

const DAY = 86_400_000;
const PRIOR = 'churn-prior-v1';

/** Episodes need not start here: the tests read assessments, and no step should go out. */
async function churnTenant(): Promise<TestTenant> {
  const t = await provisionTestTenant();
  const res = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { churn: { riskThreshold: 0.99 } } } });
  expect(res.status).toBe(200);
  return t;
}

/** Silent for 20 days after three texts (the prior puts it well over 0.6). */
async function coldLead(t: TestTenant) {
  const id = newId('lead');
  const now = Date.now();
  await withDb(async (db) => {
    await db.insert(leads).values({ id, tenantId: t.id, source: 'api', name: 'Cold Lead', stage: 'q2', createdAt: new Date(now - 30 * DAY), lastInboundAt: new Date(now - 20 * DAY) });
    await db.insert(messages).values(
      [10, 5, 2].map((d) => ({ id: newId('message'), tenantId: t.id, leadId: id, direction: 'outbound' as const, sender: 'bot' as const, body: 'Still thinking about selling?', kind: 'follow_up', status: 'sent' as const, at: new Date(now - d * DAY), sentAt: new Date(now - d * DAY) })),
    );
  });
  return id;
}

/** Answered a minute ago, warmly (the prior puts it near 0.1). */
async function warmLead(t: TestTenant) {
  const id = newId('lead');
  await withDb(async (db) => {
    await db.insert(leads).values({ id, tenantId: t.id, source: 'api', name: 'Warm Lead', stage: 'q2', lastInboundAt: new Date() });
    await db.insert(messages).values({ id: newId('message'), tenantId: t.id, leadId: id, direction: 'inbound', sender: 'lead', body: 'Yes, still interested, call me', status: 'received', at: new Date() });
  });
  return id;
}

/** Each lead's newest assessment. */
async function latestAssessments(t: TestTenant) {
  const rows = await withDb((db) => db.select().from(churnAssessments).where(eq(churnAssessments.tenantId, t.id)).orderBy(desc(churnAssessments.assessedAt)));
  const out = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!out.has(r.leadId)) out.set(r.leadId, r);
  return out;
}

async function runChurnJob() {
  const res = await deliverJob('/jobs/churn');
  expect(res.status).toBe(200);
}

function trainChurn(t: TestTenant, csv: string) {
  return call('/v1/models/churn/train?label=churned', { method: 'POST', headers: { authorization: `Bearer ${t.owner.token}`, 'cf-connecting-ip': t.ip, 'content-type': 'text/csv' }, body: csv });
}

const churnEntry = async (t: TestTenant) => (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models.find((m: any) => m.kind === 'churn');

describe('a churn model trained from a CSV', () => {
  it('becomes the active churn version, and the next job run assesses with it; rollback brings the previous one back', async () => {
    const [t, other] = await Promise.all([churnTenant(), churnTenant()]);
    const [cold, warm, othersCold] = [await coldLead(t), await warmLead(t), await coldLead(other)];
    await runChurnJob();
    const prior = await latestAssessments(t);
    expect(prior.get(cold)).toMatchObject({ modelVersion: PRIOR });
    expect(prior.get(cold)!.risk).toBeGreaterThan(0.6);
    expect(prior.get(warm)!.risk).toBeLessThan(0.3);
    expect(await churnEntry(t)).toMatchObject({ kind: 'churn', prior: true, active: null, versions: [] });

    // Trained where a long silence means the lead was saved: it must disagree with the prior on both leads.
    const inverted = churnOutcomes(400, 11, { silence: 'saves', flip: 0.05 });
    const res = await trainChurn(t, inverted.csv);
    expect(res.status).toBe(200);
    const v1 = await json(res);
    expect(v1).toMatchObject({ version: 1, status: 'active', badRowCount: 0 });
    expect(v1.decision).toMatch(/First churn model/);
    expect(v1.metrics).toMatchObject({ n: 400, positives: inverted.positives, threshold: 0.99 });
    expect(v1.metrics.auc).toBeGreaterThan(0.85);

    const entry = await churnEntry(t);
    expect(entry).toMatchObject({ prior: false, active: { id: v1.modelVersion, version: 1, source: 'csv' }, alerts: { alertsWithOutcome: 0, converted: 0, precision: null } });
    expect(entry.active.features).toEqual(expect.arrayContaining(['days_silent', 'unanswered_outbound', 'stage', 'sentiment']));
    const predicted = await json(await api('/v1/models/churn/predict', { token: t.owner.token, ip: t.ip, body: { rows: [{ days_silent: 25 }, { days_silent: 1 }] } }));
    expect(predicted.modelVersion).toBe(v1.modelVersion);
    expect(predicted.predictions[0].probability).toBeLessThan(predicted.predictions[1].probability);

    await runChurnJob();
    const trained = await latestAssessments(t);
    expect(trained.get(cold)).toMatchObject({ modelVersion: v1.modelVersion });
    expect(trained.get(warm)).toMatchObject({ modelVersion: v1.modelVersion });
    expect(trained.get(cold)!.risk).toBeLessThan(0.25);
    expect(trained.get(warm)!.risk).toBeGreaterThan(0.75);
    // The feature row is the one the prior read: the same lead, the same facts.
    expect(trained.get(cold)!.features).toMatchObject({ unanswered_outbound: 3, stage: 'q2' });

    const view = await json(await api(`/v1/leads/${cold}/churn`, { token: t.owner.token, ip: t.ip }));
    expect(view).toMatchObject({ modelVersion: v1.modelVersion, model: { source: 'trained', id: v1.modelVersion, version: 1, trainedOn: 'csv' } });
    expect(view.risk).toBeCloseTo(trained.get(cold)!.risk, 4);
    const recency = view.drivers.find((d: any) => d.driver === 'reply_recency');
    expect(recency.evidence).toBe('no reply for 20 days');
    expect(recency.contribution).toBeLessThan(0);
    const priorView = await json(await api(`/v1/leads/${othersCold}/churn`, { token: other.owner.token, ip: other.ip }));
    expect(priorView).toMatchObject({ modelVersion: PRIOR, model: { source: 'prior', id: PRIOR, version: null, trainedOn: null } });

    // Tenant isolation: the other tenant stays on the prior and cannot reach the version.
    expect((await latestAssessments(other)).get(othersCold)).toMatchObject({ modelVersion: PRIOR });
    expect(await churnEntry(other)).toMatchObject({ prior: true, versions: [] });
    expect((await api('/v1/models/churn/predict', { token: other.owner.token, ip: other.ip, body: { rows: [{ days_silent: 1 }] } })).status).toBe(409);
    expect((await api('/v1/models/churn/versions/1/activate', { method: 'POST', token: other.owner.token, ip: other.ip })).status).toBe(404);

    // A model that learned the prior's direction ranks these rows far better: v2 replaces v1 …
    const v2 = await json(await trainChurn(t, churnOutcomes(400, 12, { silence: 'churns', flip: 0.05 }).csv));
    expect(v2).toMatchObject({ version: 2, status: 'active' });
    await runChurnJob();
    expect((await latestAssessments(t)).get(cold)).toMatchObject({ modelVersion: v2.modelVersion });
    expect((await latestAssessments(t)).get(cold)!.risk).toBeGreaterThan(0.75);
    // … and the manual rollback puts v1 back for the next run.
    const back = await api('/v1/models/churn/versions/1/activate', { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(back.status).toBe(200);
    expect(await json(back)).toMatchObject({ version: { kind: 'churn', version: 1, status: 'active' }, changed: true, replaced: 2 });
    await runChurnJob();
    expect((await latestAssessments(t)).get(cold)).toMatchObject({ modelVersion: v1.modelVersion });
  });

  it('a stored churn model that does not load leaves the tenant on the prior', async () => {
    const t = await churnTenant();
    const cold = await coldLead(t);
    await withDb((db) =>
      db.insert(modelVersions).values({ id: newId('modelVersion'), tenantId: t.id, kind: 'churn', version: 1, status: 'active', learner: 'logistic', source: 'csv', metrics: {}, model: { format: 'not-a-model' }, features: [] }),
    );
    await runChurnJob();
    const a = (await latestAssessments(t)).get(cold)!;
    expect(a.modelVersion).toBe(PRIOR);
    expect(a.risk).toBeGreaterThan(0.6);
  });
});

/**
 * Resolved episodes as the job leaves them: each detected by an assessment written at the same
 * instant, holding the feature row; outcome not_saved for a churned row. One lead carries them
 * all, two hours apart, so each episode's detecting assessment is unambiguous.
 */
async function seedEpisodes(t: TestTenant, leadId: string, rows: ReturnType<typeof churnOutcomes>['rows'], startHoursAgo: number) {
  const now = Date.now();
  await withDb(async (db) => {
    const at = rows.map((_, i) => new Date(now - (startHoursAgo + 2 * i) * 3_600_000));
    await db.insert(churnAssessments).values(rows.map((r, i) => ({ id: newId('churnAssessment'), tenantId: t.id, leadId, risk: 0.7, modelVersion: PRIOR, features: r.features, assessedAt: at[i]! })));
    await db.insert(churnEpisodes).values(
      rows.map((r, i) => ({
        id: newId('churnEpisode'),
        tenantId: t.id,
        leadId,
        // Every tenth a holdout: both groups train the model (services/models/outcomes.ts says why).
        group: i % 10 === 0 ? ('holdout' as const) : ('treated' as const),
        riskAtDetection: 0.7,
        stageAtDetection: String(r.features.stage),
        detectedAt: at[i]!,
        outcome: r.churned ? ('not_saved' as const) : ('saved' as const),
        resolvedAt: new Date(at[i]!.getTime() + 3_600_000),
      })),
    );
  });
}

describe('the nightly retrain of churn from resolved episodes', () => {
  it('queues a churn run once enough episodes have resolved, trains it on their detecting assessments, and the job uses it', async () => {
    const t = await churnTenant();
    const lead = await coldLead(t);
    const data = churnOutcomes(RETRAIN_MIN_OUTCOMES + 20, 31, { silence: 'saves', flip: 0.05 });
    await seedEpisodes(t, lead, data.rows, 1);
    // Not training rows: a pending episode, and a resolved one whose only assessment is hours older than its detection.
    await withDb(async (db) => {
      const detectedAt = new Date(Date.now() - 2000 * 3_600_000);
      await db.insert(churnAssessments).values({ id: newId('churnAssessment'), tenantId: t.id, leadId: lead, risk: 0.7, modelVersion: PRIOR, features: data.rows[0]!.features, assessedAt: new Date(detectedAt.getTime() - 3 * 3_600_000) });
      await db.insert(churnEpisodes).values([
        { id: newId('churnEpisode'), tenantId: t.id, leadId: lead, group: 'treated', riskAtDetection: 0.7, stageAtDetection: 'q2', detectedAt, outcome: 'not_saved', resolvedAt: detectedAt },
        { id: newId('churnEpisode'), tenantId: t.id, leadId: lead, group: 'treated', riskAtDetection: 0.7, stageAtDetection: 'q2', detectedAt: new Date(), outcome: 'pending' },
      ]);
    });

    const planned = await json(await deliverJob('/jobs/retrain'));
    const mine = planned.trainings.filter((q: any) => q.tenantId === t.id);
    expect(mine).toEqual([{ tenantId: t.id, kind: 'churn', trainingId: expect.stringMatching(/^trn_/), outcomes: RETRAIN_MIN_OUTCOMES + 20 }]);
    const trainingId = mine[0].trainingId;
    expect(await json(await api(`/v1/models/trainings/${trainingId}`, { token: t.owner.token, ip: t.ip }))).toMatchObject({ status: 'queued', kind: 'churn', source: 'outcomes', label: 'churned' });

    expect(await json(await deliverJob('/jobs/train', { trainingId }))).toMatchObject({ status: 'succeeded' });
    const entry = await churnEntry(t);
    expect(entry.active).toMatchObject({ version: 1, source: 'outcomes' });
    expect(entry.active.metrics).toMatchObject({ n: RETRAIN_MIN_OUTCOMES + 20, positives: data.positives });
    expect(entry.active.metrics.auc).toBeGreaterThan(0.85);
    // Nothing new since: no second run.
    expect((await json(await deliverJob('/jobs/retrain'))).trainings.filter((q: any) => q.tenantId === t.id)).toEqual([]);

    await runChurnJob();
    const a = (await latestAssessments(t)).get(lead)!;
    expect(a.modelVersion).toBe(entry.active.id);
    // Learned from these episodes that a long silence ends saved: the 20-day-silent lead is low risk.
    expect(a.risk).toBeLessThan(0.25);
    const view = await json(await api(`/v1/leads/${lead}/churn`, { token: t.owner.token, ip: t.ip }));
    expect(view.model).toEqual({ source: 'trained', id: entry.active.id, version: 1, trainedOn: 'outcomes' });
  });

  it('leaves a tenant with too few resolved episodes alone', async () => {
    const t = await churnTenant();
    const lead = await coldLead(t);
    await seedEpisodes(t, lead, churnOutcomes(RETRAIN_MIN_OUTCOMES - 1, 32, { silence: 'churns' }).rows, 1);
    const planned = await json(await deliverJob('/jobs/retrain'));
    expect(planned.trainings.filter((q: any) => q.tenantId === t.id)).toEqual([]);
    const runs = await withDb((db) => db.select().from(modelVersions).where(and(eq(modelVersions.tenantId, t.id), eq(modelVersions.kind, 'churn'))));
    expect(runs).toEqual([]);
  });
});
