/**
 * The routing_strategy lever: with an experiment running, each lead's alerts are routed by its
 * variant's strategy instead of the matched rule's (the why-log names the experiment and the
 * variant), the lead is exposed once however often it is routed (the SLA ladder included), the
 * preview exposes nobody, converting the alert is a conversion, and without a running experiment
 * the rule's own strategy decides again.
 */
// First: zod 4 gives a schema `.openapi()` only if @hono/zod-openapi was loaded before the schema
// was built, and the service imports below reach schema modules the routes extend.
import '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { experimentConversions, experimentExposures, experiments, leads } from '../../db/schema';
import { newId } from '../../lib/ids';
import { openSystemContext } from '../clients';
import { raiseAlert } from '../alerts/alerts';
import { escalateAlert, LEVEL } from '../alerts/escalation';
import { previewRoute } from './routing';
import { bucketOf, variantFor } from '../../intelligence/experiments/bucketing';
import { env, json, withDb } from '../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../testing/factory';

const RULE = { id: 'everyone-rr', name: 'Everyone in turn', when: {}, pool: { preferTerritory: false }, strategy: 'round_robin', slaMinutes: 10 } as const;
const VARIANTS = [
  { key: 'load', weight: 1, config: { strategy: 'least_loaded' } },
  { key: 'all', weight: 1, config: { strategy: 'broadcast' } },
];

/** Lead ids chosen so that both variants get one (assignment is a hash of key and id). */
async function leadIdsCovering(key: string, n: number): Promise<Record<string, string[]>> {
  const byVariant: Record<string, string[]> = { load: [], all: [] };
  while (byVariant.load!.length < n || byVariant.all!.length < n) {
    const id = newId('lead');
    const list = byVariant[variantFor(VARIANTS, await bucketOf(key, id)).key]!;
    if (list.length < n) list.push(id);
  }
  return byVariant;
}

async function addLeads(t: TestTenant, ids: string[], over: Partial<typeof leads.$inferInsert> = {}) {
  await withDb((db) => db.insert(leads).values(ids.map((id) => ({ id, tenantId: t.id, source: 'api' as const, name: 'Routing Lead', ...over }))));
}

async function exposuresOf(experimentId: string) {
  return withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, experimentId)));
}

describe('the routing strategy lever', () => {
  it("routes each lead by its variant's strategy, exposes it once, never in a preview, and counts a converted alert", async () => {
    const t = await provisionTestTenant();
    const busy = await memberWithRole(t, 'agent');
    const free = await memberWithRole(t, 'agent');
    expect((await api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules: [RULE] } })).status).toBe(200);
    // `busy` already works one open lead, so least loaded always means `free`.
    await addLeads(t, [newId('lead')], { assignedAgentId: busy.id, assignedAt: new Date() });

    const key = `rr-vs-load-${crypto.randomUUID().slice(0, 6)}`;
    const ids = await leadIdsCovering(key, 2);
    const [before, previewed] = [newId('lead'), newId('lead')];
    await addLeads(t, [...ids.load!, ...ids.all!, before, previewed]);
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      // No experiment yet: the rule's own round robin, one agent, nothing about experiments.
      const plain = (await raiseAlert(ctx, { leadId: before, kind: 'hot_lead', reasons: ['test'] })).alert;
      expect(plain.routing).toMatchObject({ strategy: 'round_robin' });
      expect(plain.assignedAgentIds).toHaveLength(1);
      expect(plain.routing!.why.join(' | ')).not.toMatch(/experiment/);

      const created = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: { key, name: 'Round robin vs load', lever: 'routing_strategy', variants: VARIANTS, conversionEvent: 'alert_converted' } });
      expect(created.status).toBe(201);
      const exp = (await json(created)).experiment;
      expect((await api(`/v1/experiments/${exp.id}/start`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);

      const raised = new Map<string, Awaited<ReturnType<typeof raiseAlert>>['alert']>();
      for (const leadId of [...ids.load!, ...ids.all!]) raised.set(leadId, (await raiseAlert(ctx, { leadId, kind: 'hot_lead', reasons: ['test'] })).alert);
      for (const leadId of ids.load!) {
        const a = raised.get(leadId)!;
        expect(a.assignedAgentIds, `least loaded → the free agent: ${a.routing!.why.join(' | ')}`).toEqual([free.id]);
        expect(a.routing).toMatchObject({ ruleId: RULE.id, strategy: 'least_loaded' });
        expect(a.routing!.why).toContain(`experiment ${key}: variant load → least_loaded (instead of round_robin)`);
      }
      for (const leadId of ids.all!) {
        const a = raised.get(leadId)!;
        expect([...a.assignedAgentIds].sort(), 'broadcast → both agents').toEqual([busy.id, free.id].sort());
        expect(a.routing).toMatchObject({ strategy: 'broadcast' });
        expect(a.routing!.why).toContain(`experiment ${key}: variant all → broadcast (instead of round_robin)`);
      }

      // The SLA ladder routes the same alert again without `free`: same variant, no second exposure.
      const lapsed = raised.get(ids.load![0]!)!;
      expect(await escalateAlert(ctx, lapsed.id, LEVEL.firstAgent)).not.toBeNull();
      const second = await json(await api(`/v1/alerts/${lapsed.id}/routing`, { token: t.owner.token, ip: t.ip }));
      expect(second.assignedAgentIds).toEqual([busy.id]);
      expect(second.why.filter((w: string) => w.startsWith(`experiment ${key}: variant load`))).toHaveLength(2);
      // A second alert about a lead reuses its exposure too.
      await raiseAlert(ctx, { leadId: ids.all![0]!, kind: 'human_requested', reasons: ['test'] });

      const exposed = await exposuresOf(exp.id);
      expect(exposed.map((e) => [e.unit, e.variant]).sort()).toEqual(
        [...ids.load!.map((u) => [u, 'load']), ...ids.all!.map((u) => [u, 'all'])].sort(),
      );

      // The preview is a what-if: it shows the lead's variant but exposes nobody (nor does the API's).
      const expectedPreview = variantFor(VARIANTS, await bucketOf(key, previewed));
      const what = await previewRoute(ctx, { leadId: previewed, kind: 'hot_lead' });
      expect(what.strategy).toBe(expectedPreview.config.strategy);
      expect(what.why).toContain(`experiment ${key}: variant ${expectedPreview.key} → ${expectedPreview.config.strategy} (instead of round_robin)`);
      expect((await api('/v1/routing/preview', { token: t.owner.token, ip: t.ip, body: { kind: 'hot_lead' } })).status).toBe(200);
      expect(await exposuresOf(exp.id)).toHaveLength(exposed.length);

      // Converting the alert is the experiment's conversion, credited to the lead's variant.
      const won = raised.get(ids.all![1]!)!;
      expect((await api(`/v1/alerts/${won.id}/outcome`, { token: t.owner.token, ip: t.ip, body: { converted: true } })).status).toBe(200);
      const conversions = await withDb((db) => db.select().from(experimentConversions).where(eq(experimentConversions.experimentId, exp.id)));
      expect(conversions).toEqual([expect.objectContaining({ unit: ids.all![1], event: 'alert_converted' })]);
      const report = await json(await api(`/v1/experiments/${exp.id}`, { token: t.owner.token, ip: t.ip }));
      expect(report.report.arms.map((a: { key: string; exposures: number; conversions: number }) => [a.key, a.exposures, a.conversions])).toEqual([
        ['load', 2, 0],
        ['all', 2, 1],
      ]);

      // Stopped: the rule's round robin again, even for an exposed lead.
      expect((await api(`/v1/experiments/${exp.id}/stop`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);
      const after = (await raiseAlert(ctx, { leadId: ids.all![1]!, kind: 'churn_risk', reasons: ['test'] })).alert;
      expect(after.routing).toMatchObject({ strategy: 'round_robin' });
      expect(after.assignedAgentIds).toHaveLength(1);
      expect(after.routing!.why.join(' | ')).not.toMatch(/experiment/);
    } finally {
      await close();
    }
  });

  it("keeps the rule's strategy when the variant's config is unusable", async () => {
    const t = await provisionTestTenant();
    await memberWithRole(t, 'agent');
    await memberWithRole(t, 'agent');
    expect((await api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules: [RULE] } })).status).toBe(200);
    // A config no API would accept (written by hand).
    await withDb((db) =>
      db.insert(experiments).values({
        id: newId('experiment'),
        tenantId: t.id,
        key: 'hand-edited',
        name: 'Broken',
        lever: 'routing_strategy',
        variants: [{ key: 'only', weight: 1, config: { strategy: 'random' } }],
        conversionEvent: 'alert_converted',
        status: 'running',
      }),
    );
    const lead = newId('lead');
    await addLeads(t, [lead]);
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const { alert } = await raiseAlert(ctx, { leadId: lead, kind: 'hot_lead', reasons: ['test'] });
      expect(alert.routing).toMatchObject({ strategy: 'round_robin' });
      expect(alert.assignedAgentIds).toHaveLength(1);
      expect(alert.routing!.why.join(' | ')).not.toMatch(/experiment/);
      const rows = await withDb((db) => db.select().from(experimentExposures).where(and(eq(experimentExposures.tenantId, t.id), eq(experimentExposures.unit, lead))));
      expect(rows).toHaveLength(1); // exposed (it saw the experiment), but routed by the rule
    } finally {
      await close();
    }
  });
});
