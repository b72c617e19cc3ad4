/**
 * Experiments through the API: create (validated per lever), start/stop, exposures and
 * conversions logged from outside, and the report (lift, interval, z-test, sample-ratio check)
 * over known synthetic data.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { experimentConversions, experimentExposures } from '../../../db/schema';
import { bucketOf, variantFor } from '../../../intelligence/experiments/bucketing';
import { openSystemContext } from '../../../services/clients';
import { exposeUnit, recordConversion } from '../../../services/experiments/experiments';
import { env, json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

let t: TestTenant;
beforeAll(async () => {
  t = await provisionTestTenant();
});

const uniq = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const scriptExperiment = (key = uniq('script'), weights = [50, 50]) => ({
  key,
  name: 'Script A vs B',
  lever: 'assistant_script',
  variants: [
    { key: 'control', weight: weights[0], config: { scriptVariant: 'standard' } },
    { key: 'treatment', weight: weights[1], config: { scriptVariant: 'direct' } },
  ],
});

async function create(tenant: TestTenant, body: unknown) {
  const res = await api('/v1/experiments', { token: tenant.owner.token, ip: tenant.ip, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).experiment as { id: string; key: string; status: string };
}
const post = (tenant: TestTenant, path: string, body?: unknown, token = tenant.owner.token) => api(`/v1${path}`, { method: 'POST', token, ip: tenant.ip, body });

/** Synthetic exposures and conversions, written as the service would store them. */
async function seed(tenantId: string, experimentId: string, arms: Record<string, [exposures: number, conversions: number]>) {
  const exposures = Object.entries(arms).flatMap(([variant, [n]]) => Array.from({ length: n }, (_, i) => ({ tenantId, experimentId, unit: `${variant}-${i}`, variant })));
  const conversions = Object.entries(arms).flatMap(([variant, [, x]]) => Array.from({ length: x }, (_, i) => ({ tenantId, experimentId, unit: `${variant}-${i}`, event: 'lead_qualified' })));
  await withDb(async (db) => {
    for (let i = 0; i < exposures.length; i += 500) await db.insert(experimentExposures).values(exposures.slice(i, i + 500));
    for (let i = 0; i < conversions.length; i += 500) await db.insert(experimentConversions).values(conversions.slice(i, i + 500));
  });
}

const report = async (tenant: TestTenant, id: string) => json(await api(`/v1/experiments/${id}`, { token: tenant.owner.token, ip: tenant.ip }));

describe('experiments', () => {
  it('reports lift, 95 % interval and significance for control 100/1000 vs treatment 150/1000', async () => {
    const exp = await create(t, scriptExperiment());
    await seed(t.id, exp.id, { control: [1000, 100], treatment: [1000, 150] });
    const { report: r } = await report(t, exp.id);
    expect(r.arms.map((a: any) => [a.key, a.exposures, a.conversions])).toEqual([['control', 1000, 100], ['treatment', 1000, 150]]);
    expect(r.arms[0].conversionRate).toBeCloseTo(0.1, 10);
    expect(r.arms[0].vsControl).toBeNull();
    const v = r.arms[1].vsControl;
    expect(v.absoluteLift).toBeCloseTo(0.05, 10);
    expect(v.relativeLift).toBeCloseTo(0.5, 10);
    expect(v.interval95.low).toBeGreaterThan(0.019);
    expect(v.interval95.high).toBeLessThan(0.081);
    expect(v.pValue).toBeCloseTo(0.000723, 5);
    expect(v.verdict).toBe('significant at 95 %');
    expect(r.verdict).toBe('significant at 95 %');
    expect(r.sampleRatio.mismatch).toBe(false);
  });

  it('says "not significant yet" with the minimum-sample note on a small sample', async () => {
    const exp = await create(t, scriptExperiment());
    await seed(t.id, exp.id, { control: [30, 3], treatment: [30, 9] });
    const { report: r } = await report(t, exp.id);
    expect(r.verdict).toBe('not significant yet');
    expect(r.arms[1].vsControl.note).toMatch(/at least 100 exposed units/);
    expect(r.minimumSample).toMatch(/100/);
  });

  it('flags a sample-ratio mismatch for a 600/400 split at 50/50 weights', async () => {
    const exp = await create(t, scriptExperiment());
    await seed(t.id, exp.id, { control: [600, 60], treatment: [400, 40] });
    const { report: r } = await report(t, exp.id);
    expect(r.sampleRatio.chiSquare).toBeCloseTo(40, 6);
    expect(r.sampleRatio.pValue).toBeLessThan(0.001);
    expect(r.sampleRatio.mismatch).toBe(true);
    expect(r.sampleRatio.note).toMatch(/do not match/);
  });

  it('runs a lifecycle: draft → running → stopped, with exposures and conversions from outside', async () => {
    const key = uniq('life');
    const exp = await create(t, scriptExperiment(key, [1, 3]));
    expect(exp.status).toBe('draft');
    // Not running yet: no exposures.
    expect((await post(t, `/experiments/${exp.id}/exposures`, { unit: 'lead_a' })).status).toBe(409);
    const started = await post(t, `/experiments/${exp.id}/start`);
    expect(started.status).toBe(200);
    expect((await json(started)).experiment.status).toBe('running');
    expect((await post(t, `/experiments/${exp.id}/start`)).status).toBe(409);

    // The API key (an outside system) exposes units; the variant is the deterministic one and sticks.
    const units = ['lead_a', 'lead_b', 'lead_c', 'lead_d', 'lead_e', 'lead_f'];
    const variants = [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 3 }];
    for (const unit of units) {
      const expected = variantFor(variants, await bucketOf(key, unit)).key;
      for (let i = 0; i < 2; i++) {
        const res = await post(t, `/experiments/${exp.id}/exposures`, { unit }, t.apiKey);
        expect(res.status).toBe(200);
        const body = await json(res);
        expect(body.variant).toBe(expected);
        expect(body.config).toEqual({ scriptVariant: expected === 'control' ? 'standard' : 'direct' });
      }
    }
    // Conversions: once per unit; an unexposed unit converts nothing; another event is not counted.
    expect(await json(await post(t, `/experiments/${exp.id}/conversions`, { unit: 'lead_a' }, t.apiKey))).toEqual({ recorded: true, event: 'lead_qualified', counted: true });
    expect((await json(await post(t, `/experiments/${exp.id}/conversions`, { unit: 'lead_a' }, t.apiKey))).recorded).toBe(false);
    expect((await json(await post(t, `/experiments/${exp.id}/conversions`, { unit: 'lead_zzz' }, t.apiKey))).recorded).toBe(false);
    expect(await json(await post(t, `/experiments/${exp.id}/conversions`, { unit: 'lead_b', event: 'replied' }, t.apiKey))).toEqual({ recorded: false, event: 'replied', counted: false });

    // Service verbs: by key, and "every running experiment counting this event".
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const viaKey = await exposeUnit(ctx, key, 'lead_b');
      expect(viaKey?.variant).toBe(variantFor(variants, await bucketOf(key, 'lead_b')).key);
      expect(await exposeUnit(ctx, 'no-such-experiment', 'lead_b')).toBeNull();
      expect(await recordConversion(ctx, null, 'lead_b', 'lead_qualified')).toEqual([exp.id]);
    } finally {
      await close();
    }

    const { report: r } = await report(t, exp.id);
    expect(r.arms.reduce((s: number, a: any) => s + a.exposures, 0)).toBe(units.length);
    expect(r.arms.reduce((s: number, a: any) => s + a.conversions, 0)).toBe(2);
    expect(r.verdict).toBe('not significant yet');

    const stopped = await post(t, `/experiments/${exp.id}/stop`);
    expect((await json(stopped)).experiment.status).toBe('stopped');
    expect((await post(t, `/experiments/${exp.id}/exposures`, { unit: 'lead_new' }, t.apiKey)).status).toBe(409);
    expect((await post(t, `/experiments/${exp.id}/start`)).status).toBe(409);
    // A unit exposed while it ran still converts after the stop.
    expect((await json(await post(t, `/experiments/${exp.id}/conversions`, { unit: 'lead_c' }, t.apiKey))).recorded).toBe(true);

    const listed = await json(await api('/v1/experiments', { token: t.owner.token, ip: t.ip }));
    expect(listed.experiments.map((e: { id: string }) => e.id)).toContain(exp.id);
  });

  it('runs one experiment per lever at a time', async () => {
    const other = await provisionTestTenant();
    const a = await create(other, scriptExperiment());
    const b = await create(other, scriptExperiment());
    expect((await post(other, `/experiments/${a.id}/start`)).status).toBe(200);
    const clash = await post(other, `/experiments/${b.id}/start`);
    expect(clash.status).toBe(409);
    expect((await json(clash)).error.details.runningExperimentId).toBe(a.id);
  });

  it('validates the body per lever with 422 and field paths, and a duplicate key with 409', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...scriptExperiment(), lever: 'follow_up_cadence' }, 'cadenceMinutes'],
      [{ ...scriptExperiment(), variants: [{ key: 'a', weight: 1, config: { scriptVariant: 'standard' } }] }, 'variants'],
      // A script the assistant does not have would be an experiment that changes nothing.
      [{ ...scriptExperiment(), variants: [{ key: 'a', weight: 1, config: { scriptVariant: 'standard' } }, { key: 'b', weight: 1, config: { scriptVariant: 'shouty' } }] }, 'scriptVariant'],
      [scriptExperiment(uniq('zero'), [0, 0]), 'variants'],
      [scriptExperiment(uniq('neg'), [-1, 2]), 'weight'],
      [{ ...scriptExperiment(), lever: 'routing_strategy', variants: [{ key: 'a', weight: 1, config: { strategy: 'random' } }, { key: 'b', weight: 1, config: { strategy: 'broadcast' } }] }, 'strategy'],
      [{ ...scriptExperiment(), lever: 'follow_up_cadence', variants: [{ key: 'a', weight: 1, config: { cadenceMinutes: [] } }, { key: 'b', weight: 1, config: { cadenceMinutes: ['soon'] } }] }, 'cadenceMinutes'],
      [{ ...scriptExperiment(), variants: [{ key: 'same', weight: 1, config: { scriptVariant: 'standard' } }, { key: 'same', weight: 1, config: { scriptVariant: 'direct' } }] }, 'key'],
      [{ ...scriptExperiment(), lever: 'pricing' }, 'lever'],
      [{ ...scriptExperiment(), key: 'Has Spaces' }, 'key'],
    ];
    for (const [body, path] of cases) {
      const res = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify((await json(res)).error.details), JSON.stringify(body)).toContain(path);
    }
    const key = uniq('dup');
    await create(t, scriptExperiment(key));
    expect((await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: scriptExperiment(key) })).status).toBe(409);
    expect((await post(t, '/experiments/exp_1111111111111111111111/exposures', {})).status).toBe(422);
  });

  it("keeps tenants apart and checks roles", async () => {
    const other = await provisionTestTenant();
    const exp = await create(t, scriptExperiment());
    await post(t, `/experiments/${exp.id}/start`);
    expect((await api(`/v1/experiments/${exp.id}`, { token: other.owner.token, ip: other.ip })).status).toBe(404);
    expect((await post(other, `/experiments/${exp.id}/exposures`, { unit: 'lead_x' }, other.apiKey)).status).toBe(404);
    expect((await post(other, `/experiments/${exp.id}/stop`)).status).toBe(404);
    expect((await json(await api('/v1/experiments', { token: other.owner.token, ip: other.ip }))).experiments).toEqual([]);
    // The same key in another tenant is its own experiment.
    expect((await api('/v1/experiments', { token: other.owner.token, ip: other.ip, body: scriptExperiment(exp.key) })).status).toBe(201);

    const agent = await memberWithRole(t, 'agent');
    expect((await api(`/v1/experiments/${exp.id}`, { token: agent.token, ip: t.ip })).status).toBe(200);
    expect((await api('/v1/experiments', { token: agent.token, ip: t.ip, body: scriptExperiment() })).status).toBe(403);
    expect((await post(t, `/experiments/${exp.id}/stop`, undefined, agent.token)).status).toBe(403);
    // Agents (leads:write) may log exposures.
    expect((await post(t, `/experiments/${exp.id}/exposures`, { unit: 'lead_agent' }, agent.token)).status).toBe(200);
    const viewer = await memberWithRole(t, 'viewer');
    expect((await post(t, `/experiments/${exp.id}/exposures`, { unit: 'lead_viewer' }, viewer.token)).status).toBe(403);
  });
});
