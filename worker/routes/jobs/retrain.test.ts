import { describe, expect, it } from 'vitest';
import { alerts, leads, type ModelKind } from '../../db/schema';
import { newId } from '../../lib/ids';
import { json, withDb } from '../../testing/client';
import { api, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { syntheticLeads } from '../../testing/models';
import { deliverJob } from '../../testing/qstash';

/** Alerts of a kind with the feature row they were scored from and a recorded outcome, as agents leave them. */
async function seedOutcomes(t: TestTenant, kind: ModelKind, n: number, seed: number, opts: { allConverted?: boolean } = {}) {
  const leadId = newId('lead');
  const data = syntheticLeads(n, seed);
  await withDb(async (db) => {
    await db.insert(leads).values({ id: leadId, tenantId: t.id, source: 'api' });
    await db.insert(alerts).values(
      data.rows.map((r) => {
        const converted = opts.allConverted || r.Converted === 1;
        const id = newId('alert');
        return {
          id,
          tenantId: t.id,
          leadId,
          kind,
          probability: 0.6,
          reasons: [],
          dedupeKey: id,
          features: { Visits: r.Visits!, Source: r.Source!, 'Valuation Checks': r['Valuation Checks']!, 'Days Since Contact': r['Days Since Contact']! },
          converted,
          status: converted ? ('converted' as const) : ('dismissed' as const),
        };
      }),
    );
  });
  return opts.allConverted ? n : data.positives;
}

const mine = (body: any, t: TestTenant) => body.trainings.filter((q: any) => q.tenantId === t.id);

describe('POST /jobs/retrain', () => {
  it('queues a run for each kind with enough new outcomes; the run trains from the alerts through the same versioning', async () => {
    const t = await provisionTestTenant();
    const positives = await seedOutcomes(t, 'buy', 260, 21);
    await seedOutcomes(t, 'sell', 120, 22); // below 200 outcomes
    await seedOutcomes(t, 'invest', 230, 23, { allConverted: true }); // enough, but one outcome only

    const first = await deliverJob('/jobs/retrain');
    expect(first.status).toBe(200);
    const planned = await json(first);
    expect(planned).toMatchObject({ job: 'retrain', duplicate: false });
    expect(planned.tooFewPerOutcome).toBeGreaterThanOrEqual(1);
    expect(mine(planned, t)).toEqual([{ tenantId: t.id, kind: 'buy', trainingId: expect.stringMatching(/^trn_/), outcomes: 260 }]);
    const trainingId = mine(planned, t)[0].trainingId;

    const queued = await json(await api(`/v1/models/trainings/${trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(queued).toMatchObject({ status: 'queued', source: 'outcomes', kind: 'buy', label: 'converted', createdBy: null });
    // Planned again before it ran: the queued run is left alone.
    expect(mine(await json(await deliverJob('/jobs/retrain')), t)).toEqual([]);

    const ran = await json(await deliverJob('/jobs/train', { trainingId }));
    expect(ran).toMatchObject({ status: 'succeeded' });
    const done = await json(await api(`/v1/models/trainings/${trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(done).toMatchObject({ status: 'succeeded', progress: { rowsParsed: 260, rowsTotal: 260, foldsDone: 5, phase: 'done' }, result: { version: 1, status: 'active' } });
    expect(done.result.metrics.auc).toBeGreaterThan(0.75);

    const buy = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models.find((m: any) => m.kind === 'buy');
    expect(buy.active).toMatchObject({ version: 1, source: 'outcomes' });
    expect(buy.active.metrics).toMatchObject({ n: 260, positives });
    expect(buy.active.features.sort()).toEqual(['Days Since Contact', 'Source', 'Valuation Checks', 'Visits']);
    expect(buy.alerts).toEqual({ alertsWithOutcome: 260, converted: positives, precision: positives / 260 });

    // Nothing new since: no run. Fifty more outcomes: a second version, judged against v1 on the same rows.
    expect(mine(await json(await deliverJob('/jobs/retrain')), t)).toEqual([]);
    await seedOutcomes(t, 'buy', 60, 24);
    const next = mine(await json(await deliverJob('/jobs/retrain')), t);
    expect(next).toEqual([expect.objectContaining({ kind: 'buy', outcomes: 320 })]);
    expect((await json(await deliverJob('/jobs/train', { trainingId: next[0].trainingId }))).status).toMatch(/^(succeeded|rejected)$/);
    const versions = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models.find((m: any) => m.kind === 'buy').versions;
    expect(versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(versions[0].metrics.n).toBe(320);
    expect(versions[0].decision).toMatch(/for active v1 on the same 320 rows/);
  });
});
