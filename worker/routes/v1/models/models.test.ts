import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, modelTrainings } from '../../../db/schema';
import { call, json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';
import { syntheticLeads } from '../../../testing/models';
import { deliverJob } from '../../../testing/qstash';

function train(t: TestTenant, kind: string, body: string | FormData, query: Record<string, string>, opts: { token?: string; contentType?: string | null } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? t.owner.token}`, 'cf-connecting-ip': t.ip };
  if (typeof body === 'string' && opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'text/csv';
  return call(`/v1/models/${kind}/train?${new URLSearchParams(query)}`, { method: 'POST', headers, body });
}

const LABEL = { label: 'Converted', exclude: 'Lead Id' };
const signal = syntheticLeads(600, 1);
// Few rows, a fifth of the outcomes flipped, thirty columns of noise: cross-validation on this
// must rank worse than a model trained on the clean 600 rows does on the same rows.
const noisy = syntheticLeads(100, 7, { flip: 0.2, noiseColumns: 30 });

describe('training, versions and rollback', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await provisionTestTenant();
  });

  it('trains on a CSV with a known signal, stores v1 active, then rejects a worse candidate and rolls back by hand', async () => {
    const first = await train(t, 'sell', signal.csv, LABEL);
    expect(first.status).toBe(200);
    const v1 = await json(first);
    expect(v1).toMatchObject({ version: 1, status: 'active', badRows: [], badRowCount: 0 });
    expect(v1.modelVersion).toMatch(/^mdl_/);
    expect(v1.metrics.auc).toBeGreaterThan(0.8);
    expect(v1.metrics).toMatchObject({ folds: 5, n: 600, positives: signal.positives, threshold: 0.5 });
    expect(v1.metrics.precisionAtThreshold).toBeGreaterThan(signal.positives / 600);
    expect(v1.metrics.brier).toBeLessThan(0.2);
    expect(v1.decision).toMatch(/First sell model/);

    const run = await json(await api(`/v1/models/trainings/${v1.trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(run).toMatchObject({ status: 'succeeded', kind: 'sell', source: 'csv', label: 'Converted', exclude: ['Lead Id'], error: null });
    expect(run.progress).toMatchObject({ rowsParsed: 600, rowsTotal: 600, foldsDone: 5, foldsTotal: 5, phase: 'done' });
    expect(run.result).toMatchObject({ modelVersion: v1.modelVersion, version: 1, status: 'active' });
    expect(run.finishedAt).toBeTruthy();
    // The upload is not kept once the run has ended.
    const [stored] = await withDb((db) => db.select({ csv: modelTrainings.csv }).from(modelTrainings).where(eq(modelTrainings.id, v1.trainingId)));
    expect(stored!.csv).toBeNull();

    const second = await train(t, 'sell', noisy.csv, LABEL);
    expect(second.status).toBe(200);
    const v2 = await json(second);
    expect(v2).toMatchObject({ version: 2, status: 'rejected' });
    // Both numbers are in the decision: the candidate's cross-validated AUC and the active model's on the same rows.
    const [candidateAuc, activeAuc] = [...v2.decision.matchAll(/(\d\.\d{3})/g)].map((m) => Number(m[1]));
    expect(candidateAuc).toBeCloseTo(v2.metrics.auc, 3);
    expect(activeAuc! - candidateAuc!).toBeGreaterThan(0.005);
    expect(v2.decision).toMatch(/v1 stays active/);
    expect((await json(await api(`/v1/models/trainings/${v2.trainingId}`, { token: t.owner.token, ip: t.ip }))).status).toBe('rejected');

    let models = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models;
    let sell = models.find((m: any) => m.kind === 'sell');
    expect(sell.prior).toBe(false);
    expect(sell.active).toMatchObject({ id: v1.modelVersion, version: 1, source: 'csv' });
    expect(sell.active.features.sort()).toEqual(['Days Since Contact', 'Source', 'Valuation Checks', 'Visits']);
    expect(sell.versions.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'rejected'],
      [1, 'active'],
    ]);
    expect(sell.versions[0]).not.toHaveProperty('model');
    for (const other of models.filter((m: any) => m.kind !== 'sell')) expect(other).toMatchObject({ active: null, prior: true, versions: [] });

    const predictOne = async () =>
      json(await api('/v1/models/sell/predict', { token: t.owner.token, ip: t.ip, body: { rows: [{ Visits: 11, Source: 'Referral', 'Valuation Checks': 3, 'Days Since Contact': 2 }] } }));
    expect((await predictOne()).modelVersion).toBe(v1.modelVersion);

    // Manual roll-forward to the rejected v2, then back to v1: both audited, scoring follows at once.
    const forward = await api('/v1/models/sell/versions/2/activate', { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(forward.status).toBe(200);
    expect(await json(forward)).toMatchObject({ version: { version: 2, status: 'active' }, changed: true, replaced: 1 });
    expect((await predictOne()).modelVersion).toBe(v2.modelVersion);
    const back = await json(await api('/v1/models/sell/versions/1/activate', { method: 'POST', token: t.owner.token, ip: t.ip }));
    expect(back).toMatchObject({ version: { version: 1, status: 'active' }, changed: true, replaced: 2 });
    expect(back.version.decision).toMatch(/Reactivated manually, replacing v2/);
    expect((await predictOne()).modelVersion).toBe(v1.modelVersion);
    const again = await json(await api('/v1/models/sell/versions/1/activate', { method: 'POST', token: t.owner.token, ip: t.ip }));
    expect(again).toMatchObject({ changed: false, replaced: null });

    sell = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models.find((m: any) => m.kind === 'sell');
    expect(sell.versions.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'retired'],
      [1, 'active'],
    ]);
    const audited = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.tenantId, t.id), eq(auditLog.action, 'model.version_reactivated'))));
    expect(audited.map((a) => a.details)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'sell', version: 2, replaced: 1 }), expect.objectContaining({ kind: 'sell', version: 1, replaced: 2 })]),
    );
    expect(audited.every((a) => a.actorId === t.owner.id)).toBe(true);

    expect((await api('/v1/models/sell/versions/9/activate', { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(404);
    expect((await api('/v1/models/buy/versions/1/activate', { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(404);
  });

  it('predicts probabilities with reasons from the active model, and answers 409 for a kind without one', async () => {
    const res = await api('/v1/models/sell/predict', {
      token: t.apiKey,
      ip: t.ip,
      body: {
        rows: [
          { Visits: 11, Source: 'Referral', 'Valuation Checks': 3, 'Days Since Contact': 2 },
          { Visits: 0, Source: 'Google', 'Valuation Checks': 0, 'Days Since Contact': 80 },
          { Visits: null, Unknown: 'x' },
        ],
        topReasons: 2,
      },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.version).toBe(1);
    const [hot, cold, sparse] = body.predictions;
    expect(hot.probability).toBeGreaterThan(0.8);
    expect(cold.probability).toBeLessThan(0.1);
    expect(sparse.probability).toBeGreaterThan(0);
    expect(hot.reasons).toHaveLength(2);
    expect(hot.reasons.every((r: any) => r.contribution > 0)).toBe(true);
    expect(['Visits', 'Source', 'Valuation Checks', 'Days Since Contact']).toEqual(expect.arrayContaining(hot.reasons.map((r: any) => r.feature)));

    const none = await api('/v1/models/invest/predict', { token: t.owner.token, ip: t.ip, body: { rows: [{ Visits: 3 }] } });
    expect(none.status).toBe(409);
    expect((await json(none)).error.message).toMatch(/No trained invest model yet.*priors/);
    expect((await api('/v1/models/sell/predict', { token: t.owner.token, ip: t.ip, body: { rows: [] } })).status).toBe(422);
  });
});

describe('what a CSV gets back when it cannot be used as it is', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await provisionTestTenant();
  });

  it('lists bad rows with their line numbers in the file and trains on the rest', async () => {
    const lines = signal.csv.trimEnd().split('\n').slice(0, 201);
    lines.splice(3, 0, 'X1,4,Zillow,1,10,maybe'); // line 4: label not 0/1
    lines.splice(6, 0, 'X2,4,Zillow,1,10'); // line 7: a field short
    lines.splice(9, 0, 'X3,"two\nlines",Zillow,1,10,'); // lines 10–11: one record (a quoted newline), empty label
    lines.push('X4,1,Google,0,5,yes,extra'); // line 206 (X3 took two lines): a field too many
    lines.push('X5,1,"Open House,0,5,1'); // line 207: unterminated quote
    const res = await train(t, 'buy', `${lines.join('\r\n')}\r\n`, LABEL);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.badRowCount).toBe(5);
    expect(body.badRows.map((b: any) => b.line)).toEqual([4, 7, 10, 206, 207]);
    expect(body.badRows[0].message).toMatch(/"Converted" is "maybe", not 1\/0/);
    expect(body.badRows[1].message).toMatch(/expected 6 fields, found 5/);
    expect(body.badRows[2].message).toMatch(/"Converted" is empty/);
    expect(body.badRows[3].message).toMatch(/found 7/);
    expect(body.badRows[4].message).toMatch(/unterminated/);
    expect(body.metrics.n).toBe(200);
    const run = await json(await api(`/v1/models/trainings/${body.trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(run.badRows).toEqual(body.badRows);
    expect(run.badRowCount).toBe(5);
  });

  it('refuses protected-class columns under the Fair Housing rule, and accepts the file once they are excluded', async () => {
    const withRace = signal.csv.trimEnd().split('\n').map((l, i) => (i === 0 ? `${l},Race` : `${l},A`)).join('\n');
    const res = await train(t, 'sell', withRace, LABEL);
    expect(res.status).toBe(422);
    const err = (await json(res)).error;
    expect(err.code).toBe('validation_failed');
    expect(err.message).toMatch(/Fair Housing: "Race" names a protected class/);
    expect(err.details).toEqual([{ path: 'Race', message: expect.stringMatching(/protected class/) }]);
    // Nothing was stored for the refused upload.
    const runs = await withDb((db) => db.select().from(modelTrainings).where(eq(modelTrainings.tenantId, t.id)));
    expect(runs.filter((r) => r.kind === 'sell')).toEqual([]);

    const excluded = await train(t, 'sell', withRace, { label: 'Converted', exclude: 'Lead Id,Race', wait: 'false' });
    expect(excluded.status).toBe(202);
  });

  it.each([
    ['no label parameter', 'x,Converted\n1,1\n', {}, /not valid/, 'label'],
    ['a label column the file lacks', signal.csv, { label: 'Sold' }, /label column "Sold" is not in the CSV header/, 'label'],
    ['an empty file', '', { label: 'Converted' }, /CSV is empty/, 'body'],
    ['a header but no rows', 'a,Converted\n', { label: 'Converted' }, /header but no data rows/, 'body'],
    ['one outcome only', 'a,Converted\n' + Array.from({ length: 40 }, (_, i) => `${i},1`).join('\n'), { label: 'Converted' }, /same outcome/, 'label'],
    ['too few of one outcome', 'a,Converted\n' + Array.from({ length: 40 }, (_, i) => `${i},${i < 4 ? 1 : 0}`).join('\n'), { label: 'Converted' }, /at least 10 rows of each outcome/, 'label'],
    ['only excluded columns', 'a,Converted\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2}`).join('\n'), { label: 'Converted', exclude: 'a' }, /No usable feature columns/, 'exclude'],
    ['an exclude naming no column', signal.csv, { label: 'Converted', exclude: 'Lead ID' }, /exclude names column\(s\) the CSV does not have: Lead ID/, 'exclude'],
    ['a duplicate header', 'a,a,Converted\n1,2,1\n', { label: 'Converted' }, /header line cannot be used/, 'line 1'],
    ['a binary file', 'a,Converted\n1,\u00001\n', { label: 'Converted' }, /NUL bytes/, 'body'],
  ])('answers 422 to %s', async (_what, csv, query, message, path) => {
    const res = await train(t, 'refinance', csv, query as Record<string, string>);
    expect(res.status).toBe(422);
    const err = (await json(res)).error;
    expect(err.message).toMatch(message);
    expect(err.details[0].path).toBe(path);
  });

  it('records the failure of a run that fails on its rows', async () => {
    const csv = 'a,Converted\n' + Array.from({ length: 40 }, (_, i) => `${i},${i < 4 ? 1 : 0}`).join('\n');
    expect((await train(t, 'invest', csv, { label: 'Converted' })).status).toBe(422);
    const [run] = await withDb((db) => db.select().from(modelTrainings).where(and(eq(modelTrainings.tenantId, t.id), eq(modelTrainings.kind, 'invest'))));
    expect(run).toMatchObject({ status: 'failed', csv: null, modelVersionId: null });
    expect(run!.error).toMatch(/at least 10 rows of each outcome/);
  });

  it('takes the CSV as a multipart file, and refuses other media types and oversized bodies', async () => {
    const form = new FormData();
    form.append('file', new File([signal.csv.split('\n').slice(0, 151).join('\n')], 'leads.csv', { type: 'text/csv' }));
    const res = await train(t, 'buy', form, LABEL);
    expect(res.status).toBe(200);
    expect((await json(res)).metrics.n).toBe(150);

    const noFile = new FormData();
    noFile.append('other', 'x');
    const missing = await train(t, 'buy', noFile, LABEL);
    expect(missing.status).toBe(422);
    expect((await json(missing)).error.details[0].path).toBe('file');

    const asJson = await train(t, 'buy', JSON.stringify({ csv: signal.csv }), LABEL, { contentType: 'application/json' });
    expect(asJson.status).toBe(415);
    expect((await json(asJson)).error.code).toBe('unsupported_media_type');

    const huge = await train(t, 'buy', `a,Converted\n${'1,1\n'.repeat(5_300_000)}`, LABEL);
    expect(huge.status).toBe(413);
    expect((await json(huge)).error.message).toMatch(/limited to 20 MB/);
  });
});

describe('asynchronous training', () => {
  it('answers 202 at once, and the QStash-delivered job trains with its progress recorded', async () => {
    const t = await provisionTestTenant();
    const res = await train(t, 'refinance', signal.csv, { ...LABEL, wait: 'false' });
    expect(res.status).toBe(202);
    const { trainingId, status } = await json(res);
    expect(status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/models/trainings/${trainingId}`);
    const queued = await json(await api(`/v1/models/trainings/${trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(queued).toMatchObject({ status: 'queued', result: null, progress: { foldsDone: 0, foldsTotal: 5, phase: 'queued' } });
    const [kept] = await withDb((db) => db.select({ csv: modelTrainings.csv }).from(modelTrainings).where(eq(modelTrainings.id, trainingId)));
    expect(kept!.csv).toBe(signal.csv);

    const job = await deliverJob('/jobs/train', { trainingId });
    expect(job.status).toBe(200);
    expect(await json(job)).toMatchObject({ job: 'train', duplicate: false, trainingId, status: 'succeeded' });

    const done = await json(await api(`/v1/models/trainings/${trainingId}`, { token: t.owner.token, ip: t.ip }));
    expect(done).toMatchObject({ status: 'succeeded', error: null, badRowCount: 0, progress: { rowsParsed: 600, rowsTotal: 600, foldsDone: 5, foldsTotal: 5, phase: 'done' } });
    expect(done.result).toMatchObject({ version: 1, status: 'active' });
    expect(done.result.metrics.auc).toBeGreaterThan(0.8);
    expect(Date.parse(done.startedAt)).toBeLessThanOrEqual(Date.parse(done.finishedAt));
    const [cleared] = await withDb((db) => db.select({ csv: modelTrainings.csv }).from(modelTrainings).where(eq(modelTrainings.id, trainingId)));
    expect(cleared!.csv).toBeNull();

    // A second delivery of the same run (another message) finds it finished and trains nothing.
    const again = await json(await deliverJob('/jobs/train', { trainingId }));
    expect(again).toMatchObject({ duplicate: false, status: 'succeeded' });
    const models = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models;
    expect(models.find((m: any) => m.kind === 'refinance').versions).toHaveLength(1);

    expect((await deliverJob('/jobs/train', { trainingId: 'nope' })).status).toBe(422);
  });
});

describe('runs in flight', () => {
  it('allows three per tenant at once; a fourth waits until one has finished', async () => {
    const t = await provisionTestTenant();
    const small = signal.csv.split('\n').slice(0, 101).join('\n');
    const ids: string[] = [];
    for (const kind of ['sell', 'buy', 'sell']) {
      const res = await train(t, kind, small, { ...LABEL, wait: 'false' });
      expect(res.status).toBe(202);
      ids.push((await json(res)).trainingId);
    }
    for (const wait of ['false', 'true']) {
      const res = await train(t, 'invest', small, { ...LABEL, wait });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('30');
      expect((await json(res)).error.message).toMatch(/3 training runs are still in progress/);
    }
    expect(await json(await deliverJob('/jobs/train', { trainingId: ids[0] }))).toMatchObject({ status: 'succeeded' });
    expect((await train(t, 'invest', small, { ...LABEL, wait: 'false' })).status).toBe(202);
  });
});

describe('access', () => {
  it('keeps tenants apart and lets only owners and admins train', async () => {
    const [mine, theirs] = await Promise.all([provisionTestTenant(), provisionTestTenant()]);
    const small = signal.csv.split('\n').slice(0, 121).join('\n');
    const trained = await json(await train(mine, 'sell', small, LABEL));
    expect(trained.status).toBe('active');

    expect((await api(`/v1/models/trainings/${trained.trainingId}`, { token: theirs.owner.token, ip: theirs.ip })).status).toBe(404);
    const theirModels = (await json(await api('/v1/models', { token: theirs.owner.token, ip: theirs.ip }))).models;
    expect(theirModels.every((m: any) => m.prior && m.versions.length === 0)).toBe(true);
    expect((await api('/v1/models/sell/predict', { token: theirs.owner.token, ip: theirs.ip, body: { rows: [{ Visits: 1 }] } })).status).toBe(409);
    expect((await api('/v1/models/sell/versions/1/activate', { method: 'POST', token: theirs.owner.token, ip: theirs.ip })).status).toBe(404);

    const viewer = await memberWithRole(mine, 'viewer');
    const manager = await memberWithRole(mine, 'manager');
    const agent = await memberWithRole(mine, 'agent');
    for (const who of [viewer, manager, agent]) {
      const res = await train(mine, 'sell', small, LABEL, { token: who.token });
      expect(res.status).toBe(403);
    }
    expect((await api('/v1/models/sell/versions/1/activate', { method: 'POST', token: manager.token, ip: mine.ip })).status).toBe(403);
    expect((await api('/v1/models', { token: viewer.token, ip: mine.ip })).status).toBe(200);
    expect((await api('/v1/models', { token: agent.token, ip: mine.ip })).status).toBe(403);
    expect((await api('/v1/models/sell/predict', { token: agent.token, ip: mine.ip, body: { rows: [{ Visits: 1 }] } })).status).toBe(200);
    // Only the owner's run exists.
    const runs = await withDb((db) => db.select().from(modelTrainings).where(eq(modelTrainings.tenantId, mine.id)));
    expect(runs).toHaveLength(1);
  });
});
