/**
 * What a tenant that leaves a paid plan stops getting, beyond the 402 on writes (billing.test.ts):
 * its trained models stop scoring (the priors do, the versions stay) and a running experiment stops
 * steering its leads. And a conversion that arrives after an experiment stopped is still credited
 * to the variant the lead had.
 */
import '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { experimentConversions, experimentExposures, subscriptions } from '../../db/schema';
import { call, env, json, withDb } from '../../testing/client';
import { api, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { syntheticLeads } from '../../testing/models';
import { openSystemContext } from '../clients';
import { followUpCadenceFor, leadQualified } from '../experiments/levers';
import { forgetStanding } from './billing';

async function cancelSubscription(t: TestTenant) {
  await withDb((db) => db.update(subscriptions).set({ status: 'canceled' }).where(eq(subscriptions.tenantId, t.id)));
  // As the Stripe webhook does for the isolate it lands on (others follow within 30 s).
  forgetStanding(t.id);
}

async function cadenceExperiment(t: TestTenant) {
  const key = `cadence-${crypto.randomUUID().slice(0, 8)}`;
  const variants = [
    { key: 'fast', weight: 1, config: { cadenceMinutes: [17] } },
    { key: 'slow', weight: 1, config: { cadenceMinutes: [997] } },
  ];
  const created = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: { key, name: 'Nudges', lever: 'follow_up_cadence', variants } });
  expect(created.status).toBe(201);
  const exp = (await json(created)).experiment;
  expect((await api(`/v1/experiments/${exp.id}/start`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);
  return exp as { id: string };
}

const exposuresOf = (experimentId: string) => withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, experimentId)));

describe('after an experiment stops', () => {
  it("a lead it exposed that qualifies later is still counted as its variant's conversion", async () => {
    const t = await provisionTestTenant();
    const exp = await cadenceExperiment(t);
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const cadence = await followUpCadenceFor(ctx, 'lead_late1', [240]);
      expect([[17], [997]]).toContainEqual(cadence);
      expect((await api(`/v1/experiments/${exp.id}/stop`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);
      // Stopped: new leads get the tenant's cadence and no exposure…
      expect(await followUpCadenceFor(ctx, 'lead_late2', [240])).toEqual([240]);
      // …but the lead exposed while it ran still converts for its variant.
      await leadQualified(ctx, 'lead_late1');
      await leadQualified(ctx, 'lead_late2');
    } finally {
      await close();
    }
    const conversions = await withDb((db) => db.select().from(experimentConversions).where(eq(experimentConversions.experimentId, exp.id)));
    expect(conversions.map((c) => c.unit)).toEqual(['lead_late1']);
    expect((await exposuresOf(exp.id)).map((e) => e.unit)).toEqual(['lead_late1']);
  });
});

describe('a tenant whose paid plan ended', () => {
  it('is no longer steered by its running experiment: leads get the tenant’s own cadence and are not exposed', async () => {
    const t = await provisionTestTenant();
    const exp = await cadenceExperiment(t);
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await followUpCadenceFor(ctx, 'lead_paid', [240])).not.toEqual([240]);
      await cancelSubscription(t);
      expect(await followUpCadenceFor(ctx, 'lead_lapsed', [240])).toEqual([240]);
    } finally {
      await close();
    }
    expect((await exposuresOf(exp.id)).map((e) => e.unit)).toEqual(['lead_paid']);
  });

  it('is scored by the priors, not its trained model, which stays stored and readable', async () => {
    const t = await provisionTestTenant();
    const csv = syntheticLeads(300, 3).csv;
    const trained = await call(`/v1/models/sell/train?${new URLSearchParams({ label: 'Converted', exclude: 'Lead Id' })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.owner.token}`, 'cf-connecting-ip': t.ip, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(trained.status).toBe(200);
    const versionId = (await json(trained)).modelVersion as string;
    const sellVersionOf = async (externalId: string) => {
      const ingest = await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: [{ externalId, type: 'listing_viewed', occurredAt: new Date().toISOString() }] } });
      expect(ingest.status).toBe(202);
      const lead = (await json(await api(`/v1/leads?externalId=${externalId}`, { token: t.owner.token, ip: t.ip }))).leads[0];
      return (await json(await api(`/v1/leads/${lead.id}/scores`, { token: t.owner.token, ip: t.ip }))).models.sell.modelVersion as string;
    };
    expect(await sellVersionOf(`home-${crypto.randomUUID().slice(0, 8)}`)).toBe(versionId);
    await cancelSubscription(t);
    expect(await sellVersionOf(`home-${crypto.randomUUID().slice(0, 8)}`)).toBe('prior-v1');
    const models = (await json(await api('/v1/models', { token: t.owner.token, ip: t.ip }))).models;
    expect(models.find((m: { kind: string }) => m.kind === 'sell').active.id).toBe(versionId);
  });
});
