/**
 * The conversation levers, end to end through a signed GHL webhook: a lead in a running
 * follow_up_cadence experiment gets its variant's cadence (the room's scheduled follow-up says
 * so), its exposure is recorded, and qualifying the lead records the conversion; a lead in a
 * running assistant_script experiment is written to in its variant's words from the first
 * message on. (The routing lever is tested beside routing: services/routing/routing-experiment.test.ts.)
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { experimentConversions, experimentExposures, experiments, webhookDeliveries } from '../../db/schema';
import { newId } from '../../lib/ids';
import { openSystemContext } from '../clients';
import { assistantScriptFor, followUpCadenceFor } from './levers';
import { SCRIPTS } from '../../assistant/scripts';
import { bucketOf, variantFor } from '../../intelligence/experiments/bucketing';
import { roomName } from '../../conversations/rooms';
import { env, json, withDb } from '../../testing/client';
import { api, provisionTestTenant } from '../../testing/factory';
import { contactId, eventually, ghlEvent, ghlTenant, leadByContact, postGhl, sentTo, type GhlTenant } from '../../testing/ghl';

async function say(t: GhlTenant, contact: string, body: string) {
  const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: contact, body }));
  expect(res.status).toBe(200);
  const { deliveryId } = await json(res);
  await eventually(
    () => withDb(async (db) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]?.status === 'processed'),
    `delivery ${deliveryId} processed`,
  );
}

const CADENCES: Record<string, number[]> = { fast: [17, 60], slow: [997] };

describe('the follow-up cadence lever', () => {
  it("schedules the lead's follow-up on its variant's cadence and counts its qualification as a conversion", async () => {
    const t = await ghlTenant();
    const key = `cadence-${crypto.randomUUID().slice(0, 8)}`;
    const variants = [
      { key: 'fast', weight: 1, config: { cadenceMinutes: CADENCES.fast } },
      { key: 'slow', weight: 1, config: { cadenceMinutes: CADENCES.slow } },
    ];
    const created = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: { key, name: 'Fast vs slow nudges', lever: 'follow_up_cadence', variants } });
    expect(created.status).toBe(201);
    const exp = (await json(created)).experiment;
    expect((await api(`/v1/experiments/${exp.id}/start`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);

    const c = contactId('cadence');
    const before = Date.now();
    await say(t, c, 'Hi, I got your postcard about selling');
    const lead = await eventually(() => leadByContact(t, c), 'the lead');
    const expected = variantFor(variants, await bucketOf(key, lead.id as string));

    // The exposure row: this lead, the deterministic variant.
    const exposures = await withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, exp.id)));
    expect(exposures).toEqual([expect.objectContaining({ unit: lead.id, variant: expected.key, tenantId: t.id })]);

    // The room's pending follow-up is due after the variant's first step, not the tenant's 240 minutes.
    const room = env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(roomName(t.id, lead.id as string)));
    const followUp = (await room.schedule()).find((task) => task.kind === 'follow_up');
    expect(followUp, 'a scheduled follow-up').toBeTruthy();
    const minutes = (Number(followUp!.due) - before) / 60_000;
    const firstStep = CADENCES[expected.key]![0]!;
    expect(minutes).toBeGreaterThanOrEqual(firstStep - 0.1);
    expect(minutes).toBeLessThan(firstStep + 1);

    // Qualify the lead (Q1–Q4): one conversion for this experiment's event.
    await say(t, c, "We're relocating for a new job in Denver, have to be there by March");
    await say(t, c, 'within 30 days ideally');
    await say(t, c, "It's move-in ready, we just redid the kitchen");
    await say(t, c, 'hoping for around $450k');
    await eventually(async () => (await leadByContact(t, c))?.stage === 'qualified', 'a qualified lead');
    const conversions = await withDb((db) =>
      db.select().from(experimentConversions).where(and(eq(experimentConversions.experimentId, exp.id), eq(experimentConversions.unit, lead.id as string))),
    );
    expect(conversions).toEqual([expect.objectContaining({ event: 'lead_qualified' })]);
    // Still one exposure after five turns.
    const after = await withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, exp.id)));
    expect(after).toHaveLength(1);

    const report = await json(await api(`/v1/experiments/${exp.id}`, { token: t.owner.token, ip: t.ip }));
    const arm = report.report.arms.find((a: { key: string }) => a.key === expected.key);
    expect(arm).toMatchObject({ exposures: 1, conversions: 1 });
  });

  it("falls back to the tenant's cadence without a running experiment or with an unusable variant config", async () => {
    const t = await provisionTestTenant();
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await followUpCadenceFor(ctx, 'lead_none', [240, 1440])).toEqual([240, 1440]);
      // A config no API would accept (written by hand): the conversation keeps the tenant's cadence.
      const id = newId('experiment');
      await withDb((db) =>
        db.insert(experiments).values({
          id,
          tenantId: t.id,
          key: 'hand-edited',
          name: 'Broken',
          lever: 'follow_up_cadence',
          variants: [{ key: 'only', weight: 1, config: { cadenceMinutes: 'soon' } }],
          conversionEvent: 'lead_qualified',
          status: 'running',
        }),
      );
      expect(await followUpCadenceFor(ctx, 'lead_x', [240])).toEqual([240]);
    } finally {
      await close();
    }
  });
});

describe('the assistant script lever', () => {
  const direct = SCRIPTS.direct;
  const directWords = (text: string) => /a few quick questions\./.test(text) || Object.values(direct.questions!).flat().some((q) => text.includes(q));

  it("words each lead's messages in its variant's script from the first message on, and exposes it once", async () => {
    const t = await ghlTenant();
    const key = `script-${crypto.randomUUID().slice(0, 8)}`;
    const variants = [
      { key: 'control', weight: 1, config: { scriptVariant: 'standard' } },
      { key: 'direct', weight: 1, config: { scriptVariant: 'direct' } },
    ];
    const created = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: { key, name: 'Standard vs direct', lever: 'assistant_script', variants } });
    expect(created.status).toBe(201);
    const exp = (await json(created)).experiment;
    expect((await api(`/v1/experiments/${exp.id}/start`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);

    // New sellers until both variants have one (the split is a hash of the lead id).
    const seen: Record<string, { contact: string; leadId: string }> = {};
    for (let i = 0; i < 16 && !(seen.control && seen.direct); i++) {
      const c = contactId('script');
      await say(t, c, 'Hi, I got your postcard about selling');
      const lead = await eventually(() => leadByContact(t, c), 'the lead');
      seen[variantFor(variants, await bucketOf(key, lead.id as string)).key] ??= { contact: c, leadId: lead.id as string };
    }
    expect(Object.keys(seen).sort()).toEqual(['control', 'direct']);

    const first = async (c: string) => (await eventually(async () => (await sentTo(c))[0], 'the first reply')).message;
    const treated = await first(seen.direct!.contact);
    // The direct opening (the tenant persona's name, the AI disclosure) and question.
    expect(direct.opening!('Ava', 'BRAND').map((o) => o.split('BRAND')[0]!).some((o) => treated.includes(o)), treated).toBe(true);
    expect(direct.questions!.motivation.some((q) => treated.includes(q)), treated).toBe(true);
    const control = await first(seen.control!.contact);
    expect(directWords(control), control).toBe(false);
    for (const text of [treated, control]) {
      expect(text).toContain('AI assistant');
      expect(text).toMatch(/Reply STOP to opt out\.$/);
    }

    // The next turn keeps the lead's script (asked the timeline the direct way), with no new exposure.
    await say(t, seen.direct!.contact, "We're relocating for a new job in Denver");
    const second = await eventually(async () => (await sentTo(seen.direct!.contact))[1], 'the second reply');
    expect(direct.questions!.timeline.some((q) => second.message.includes(q)), second.message).toBe(true);
    const exposures = await withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, exp.id)));
    expect(exposures.find((e) => e.unit === seen.direct!.leadId)?.variant).toBe('direct');
    expect(exposures.find((e) => e.unit === seen.control!.leadId)?.variant).toBe('control');
    expect(new Set(exposures.map((e) => e.unit)).size).toBe(exposures.length);
  });

  it('keeps the standard script without an experiment, with an unusable config, and for a lead that was not enrolled at its first message', async () => {
    const t = await provisionTestTenant();
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await assistantScriptFor(ctx, 'lead_none', true)).toBe('standard');
      const id = newId('experiment');
      await withDb((db) =>
        db.insert(experiments).values({ id, tenantId: t.id, key: 'hand-edited', name: 'Broken', lever: 'assistant_script', variants: [{ key: 'only', weight: 1, config: { scriptVariant: 'shouty' } }], conversionEvent: 'lead_qualified', status: 'running' }),
      );
      expect(await assistantScriptFor(ctx, 'lead_x', true)).toBe('standard');
      // Mid-conversation when the experiment started: not enrolled, no exposure written.
      await withDb((db) => db.update(experiments).set({ variants: [{ key: 'only', weight: 1, config: { scriptVariant: 'consultative' } }] }).where(eq(experiments.id, id)));
      expect(await assistantScriptFor(ctx, 'lead_midway', false)).toBe('standard');
      expect(await assistantScriptFor(ctx, 'lead_new', true)).toBe('consultative');
      expect(await assistantScriptFor(ctx, 'lead_new', false)).toBe('consultative');
      const units = (await withDb((db) => db.select().from(experimentExposures).where(eq(experimentExposures.experimentId, id)))).map((e) => e.unit).sort();
      expect(units).toEqual(['lead_new', 'lead_x']);
    } finally {
      await close();
    }
  });
});
