/**
 * Going-cold prevention end to end inside the Worker: the hourly job assesses leads and starts
 * episodes (once, whatever QStash redelivers), the steps act on the real outbound path (the GHL
 * stand-in records what was texted), a reply saves the episode, the holdout gets nothing, and
 * the summary's numbers match a hand-computed fixture.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { alerts, churnAssessments, churnEpisodes, churnInterventions, leads, messages, notifications, subscriptions } from '../../db/schema';
import { forgetStanding } from '../../services/billing/billing';
import { churnGroup, wilson } from '../../intelligence/churn/model';
import { newId } from '../../lib/ids';
import { json, withDb } from '../../testing/client';
import { api, memberWithRole } from '../../testing/factory';
import { contactId, createTestLead, eventually, ghlEvent, ghlTenant, postGhl, sentTo, type GhlTenant } from '../../testing/ghl';
import { deliverJob } from '../../testing/qstash';

const DAY = 86_400_000;
const CHURN_TEXT = /sold for lately/;

/**
 * A fixed-offset zone where it is early afternoon now. The test leads have a non-US number and
 * no address, so the tenant's zone is theirs, and the federal 8:00–21:00 window is open whenever
 * the tests run.
 */
function middayZone(): string {
  const offset = ((13 - new Date().getUTCHours() + 36) % 24) - 12; // −12…+11
  // Etc/GMT signs are inverted: Etc/GMT-5 is UTC+5.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** A connected tenant whose proactive window is the whole day (so step 1 is not deferred) and with the given churn settings. */
async function churnTenant(churn: Record<string, unknown> = { holdoutPct: 0 }, timezone = middayZone()): Promise<GhlTenant> {
  const t = await ghlTenant();
  const res = await api('/v1/tenant', {
    method: 'PATCH',
    token: t.owner.token,
    ip: t.ip,
    body: { timezone, settings: { quietHours: { start: '00:00', end: '23:59', stateRules: false }, churn } },
  });
  expect(res.status).toBe(200);
  return t;
}

/** A consenting lead whose first touch has gone out (so nothing else is in flight). */
async function newLead(t: GhlTenant, label: string, firstTouch: 'sent' | 'deferred' = 'sent') {
  const c = contactId(label);
  const lead = await createTestLead(t, { id: c, name: 'Dana Seller', phone: '+447700900123', city: 'Boulder', tags: ['sms-consent'] });
  // The first touch must have settled (sent) before the test ages the lead: nothing else in flight.
  await eventually(
    () => withDb(async (db) => (await db.select().from(messages).where(and(eq(messages.leadId, lead.id), eq(messages.kind, 'first_touch'), eq(messages.status, firstTouch))))[0]),
    `first touch sent to ${c}`,
  );
  return { id: lead.id as string, contact: c };
}

/** Silent for 20 days after three more texts: well over the 0.6 threshold. */
async function makeCold(t: GhlTenant, leadId: string) {
  const now = Date.now();
  await withDb(async (db) => {
    await db
      .update(leads)
      .set({ stage: 'q2', createdAt: new Date(now - 30 * DAY), lastInboundAt: new Date(now - 20 * DAY) })
      .where(eq(leads.id, leadId));
    await db.insert(messages).values(
      [10, 5, 2].map((d) => ({ id: newId('message'), tenantId: t.id, leadId, direction: 'outbound' as const, sender: 'bot' as const, body: 'Still thinking about selling?', kind: 'follow_up', status: 'sent' as const, at: new Date(now - d * DAY), sentAt: new Date(now - d * DAY) })),
    );
  });
}

/** Answered a minute ago, warmly. */
async function makeWarm(t: GhlTenant, leadId: string) {
  await withDb(async (db) => {
    await db.update(leads).set({ lastInboundAt: new Date() }).where(eq(leads.id, leadId));
    await db.insert(messages).values({ id: newId('message'), tenantId: t.id, leadId, direction: 'inbound', sender: 'lead', body: 'Yes, still interested, call me', status: 'received', at: new Date() });
  });
}

const episodesOf = (t: GhlTenant) => withDb((db) => db.select().from(churnEpisodes).where(eq(churnEpisodes.tenantId, t.id)));
const stepsOf = (episodeId: string) => withDb((db) => db.select().from(churnInterventions).where(eq(churnInterventions.episodeId, episodeId)).orderBy(churnInterventions.step));
const churnTexts = async (contact: string) => (await sentTo(contact)).filter((m) => CHURN_TEXT.test(m.message));

async function step(interventionId: string) {
  const res = await deliverJob('/jobs/churn-step', { interventionId });
  expect(res.status).toBe(200);
  return json(res);
}

/** A fresh cold lead with a treated episode and its three steps. */
async function coldEpisode(label: string) {
  const t = await churnTenant();
  const lead = await newLead(t, label);
  await makeCold(t, lead.id);
  const run = await deliverJob('/jobs/churn');
  expect(run.status).toBe(200);
  const [episode] = await episodesOf(t);
  expect(episode).toBeDefined();
  return { t, lead, episode: episode!, steps: await stepsOf(episode!.id) };
}

describe('/jobs/churn', () => {
  it('assesses every active lead and starts one treated episode per at-risk lead, once', async () => {
    const t = await churnTenant();
    const cold = await newLead(t, 'cold');
    const warm = await newLead(t, 'warm');
    await makeCold(t, cold.id);
    await makeWarm(t, warm.id);

    const messageId = `msg_${crypto.randomUUID()}`;
    const first = await json(await deliverJob('/jobs/churn', {}, { messageId }));
    expect(first).toMatchObject({ job: 'churn', duplicate: false });
    expect(first.assessed).toBeGreaterThanOrEqual(2);

    const assessments = await withDb((db) => db.select().from(churnAssessments).where(eq(churnAssessments.tenantId, t.id)));
    const riskOf = (id: string) => assessments.find((a) => a.leadId === id)!.risk;
    expect(assessments).toHaveLength(2);
    expect(riskOf(cold.id)).toBeGreaterThanOrEqual(0.6);
    expect(riskOf(warm.id)).toBeLessThan(0.3);

    const episodes = await episodesOf(t);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ leadId: cold.id, group: 'treated', outcome: 'pending', stageAtDetection: 'q2' });
    const steps = await stepsOf(episodes[0]!.id);
    expect(steps.map((s) => [s.step, s.kind, s.status])).toEqual([
      [1, 're_engage', 'scheduled'],
      [2, 'agent_task', 'scheduled'],
      [3, 'escalate', 'scheduled'],
    ]);
    const detected = episodes[0]!.detectedAt.getTime();
    expect(steps.map((s) => Math.round((s.scheduledFor.getTime() - detected) / 60_000))).toEqual([0, 1440, 4320]);

    // QStash redelivers the same message: acknowledged, nothing runs again.
    expect(await json(await deliverJob('/jobs/churn', {}, { messageId }))).toEqual({ job: 'churn', duplicate: true });
    // The next hourly run (the tenant is due again): a new assessment, no second episode.
    await withDb((db) => db.update(churnAssessments).set({ assessedAt: sql`${churnAssessments.assessedAt} - interval '2 hours'` }).where(eq(churnAssessments.tenantId, t.id)));
    await deliverJob('/jobs/churn');
    expect(await episodesOf(t)).toHaveLength(1);
    expect(await withDb((db) => db.select().from(churnAssessments).where(eq(churnAssessments.tenantId, t.id)))).toHaveLength(4);

    // A tenant that asked for every 3 hours: a run inside that interval leaves it alone.
    expect((await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { churn: { everyMinutes: 180 } } } })).status).toBe(200);
    await deliverJob('/jobs/churn');
    expect(await withDb((db) => db.select().from(churnAssessments).where(eq(churnAssessments.tenantId, t.id)))).toHaveLength(4);

    // The lead's churn view: risk, drivers with evidence, history, the episode and its steps.
    const view = await json(await api(`/v1/leads/${cold.id}/churn`, { token: t.owner.token, ip: t.ip }));
    expect(view.risk).toBeGreaterThanOrEqual(0.6);
    expect(view.drivers.map((d: { driver: string }) => d.driver)).toContain('unanswered_outbound');
    expect(view.drivers.find((d: { driver: string }) => d.driver === 'reply_recency').evidence).toBe('no reply for 20 days');
    expect(view.history).toHaveLength(2);
    expect(view.episode).toMatchObject({ group: 'treated', outcome: 'pending' });
    expect(view.episode.interventions).toHaveLength(3);
    const none = await json(await api(`/v1/leads/${warm.id}/churn`, { token: t.owner.token, ip: t.ip }));
    expect(none.episode).toBeNull();
  });

  it('holds out leads deterministically: a held-out episode gets no intervention', async () => {
    const t = await churnTenant({ holdoutPct: 0.5 });
    const created: Array<{ id: string; contact: string; group: string }> = [];
    // Half the leads are held out by the hash; a few leads are enough to have both groups.
    while (!created.some((l) => l.group === 'holdout') || !created.some((l) => l.group === 'treated')) {
      const l = await newLead(t, `ho${created.length}`);
      created.push({ ...l, group: await churnGroup(t.id, l.id, 0.5) });
      if (created.length > 12) throw new Error('hash never split 12 leads at 50 %');
    }
    for (const l of created) await makeCold(t, l.id);
    await deliverJob('/jobs/churn');
    const episodes = await episodesOf(t);
    expect(episodes).toHaveLength(created.length);
    for (const l of created) {
      const e = episodes.find((x) => x.leadId === l.id)!;
      expect(e.group).toBe(l.group);
      expect(await stepsOf(e.id)).toHaveLength(l.group === 'holdout' ? 0 : 3);
      if (l.group === 'holdout') expect(await churnTexts(l.contact)).toHaveLength(0);
    }
  });

  it('resolves episodes: re-qualified within 7 days is saved, 7 silent days is not', async () => {
    const t = await churnTenant();
    const a = await newLead(t, 'requal');
    const b = await newLead(t, 'expire');
    await makeCold(t, a.id);
    await makeCold(t, b.id);
    await deliverJob('/jobs/churn');
    const [ea, eb] = [(await episodesOf(t)).find((e) => e.leadId === a.id)!, (await episodesOf(t)).find((e) => e.leadId === b.id)!];
    await withDb(async (db) => {
      await db.update(leads).set({ stage: 'qualified', qualifiedAt: new Date() }).where(eq(leads.id, a.id));
      await db.update(churnEpisodes).set({ detectedAt: new Date(Date.now() - 8 * DAY) }).where(eq(churnEpisodes.id, eb.id));
    });
    const run = await json(await deliverJob('/jobs/churn'));
    expect(run.resolved).toBeGreaterThanOrEqual(2);
    const after = await episodesOf(t);
    expect(after.find((e) => e.id === ea.id)!.outcome).toBe('saved');
    expect(after.find((e) => e.id === eb.id)!.outcome).toBe('not_saved');
    expect((await stepsOf(eb.id)).every((s) => s.status === 'cancelled')).toBe(true);
  });
});

describe('/jobs/churn-step', () => {
  it('step 1 texts the lead once through the compliant path; step 2 raises a churn_risk alert; step 3 escalates to nurture', async () => {
    const { t, lead, episode, steps } = await coldEpisode('steps');
    const r1 = await step(steps[0]!.id);
    expect(r1).toMatchObject({ outcome: 'done', step: 1 });
    const texts = await churnTexts(lead.contact);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.message).toMatch(/^Hi Dana, it's Ava, .*automated assistant/);
    expect(texts[0]!.message).toMatch(/Reply STOP to opt out\.$/);
    // QStash delivers the same step again (a new attempt, a new message id): no second text.
    expect(await step(steps[0]!.id)).toMatchObject({ outcome: 'already_settled' });
    expect(await churnTexts(lead.contact)).toHaveLength(1);
    const [s1] = await stepsOf(episode.id);
    expect(s1).toMatchObject({ status: 'done' });
    expect(s1!.detail).toMatchObject({ outcome: 'sent' });
    const [e1] = await episodesOf(t);
    expect(e1!.firstActionAt).not.toBeNull();
    expect(e1!.firstActionAt!.getTime()).toBeGreaterThanOrEqual(e1!.jobStartedAt!.getTime());

    expect(await step(steps[1]!.id)).toMatchObject({ outcome: 'done', step: 2 });
    const raised = await withDb((db) => db.select().from(alerts).where(and(eq(alerts.tenantId, t.id), eq(alerts.leadId, lead.id), eq(alerts.kind, 'churn_risk'))));
    expect(raised).toHaveLength(1);
    expect(raised[0]!.probability).toBeGreaterThanOrEqual(0.6);
    expect(raised[0]!.reasons.join(' ')).toMatch(/unanswered/);
    await step(steps[1]!.id);
    expect(await withDb((db) => db.select().from(alerts).where(and(eq(alerts.tenantId, t.id), eq(alerts.kind, 'churn_risk'))))).toHaveLength(1);

    expect(await step(steps[2]!.id)).toMatchObject({ outcome: 'done', step: 3 });
    const notes = await withDb((db) => db.select().from(notifications).where(and(eq(notifications.tenantId, t.id), eq(notifications.kind, 'churn_escalation'))));
    expect(notes.map((n) => n.userId)).toEqual([t.owner.id]);
    const [row] = await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id)));
    expect(row!.tags).toContain('nurture');
    expect(row!.botState).toBe('paused');
    expect(row!.stage).toBe('q2');
  });

  it('an attempt that died after texting (its settle lost) is re-run without a second text', async () => {
    const { lead, episode, steps } = await coldEpisode('crash');
    await step(steps[0]!.id);
    expect(await churnTexts(lead.contact)).toHaveLength(1);
    // As if the worker died between the send and recording it: the step is still `scheduled`.
    await withDb((db) => db.update(churnInterventions).set({ status: 'scheduled', executedAt: null }).where(eq(churnInterventions.id, steps[0]!.id)));
    expect(await step(steps[0]!.id)).toMatchObject({ outcome: 'done', step: 1 });
    expect(await churnTexts(lead.contact)).toHaveLength(1);
    const [s1] = await stepsOf(episode.id);
    expect(s1).toMatchObject({ status: 'done' });
    expect(s1!.detail).toMatchObject({ outcome: 'sent' });
  });

  it('respects opt-out: no text, the step is skipped with the reason', async () => {
    const { lead, episode, steps } = await coldEpisode('optout');
    await withDb((db) => db.update(leads).set({ optedOut: true, optedOutAt: new Date() }).where(eq(leads.id, lead.id)));
    expect(await step(steps[0]!.id)).toMatchObject({ outcome: 'skipped', reason: 'opted_out' });
    expect(await churnTexts(lead.contact)).toHaveLength(0);
    const [s1] = await stepsOf(episode.id);
    expect(s1).toMatchObject({ status: 'skipped' });
    expect(s1!.detail).toMatchObject({ reason: 'opted_out' });
  });

  it('a tenant whose plan no longer has churn recovery gets no rescue: the due step is cancelled with the reason, not retried', async () => {
    const { t, lead, episode, steps } = await coldEpisode('downgraded');
    // The subscription is gone (free plan, automation still on), and this isolate forgets the paid standing it cached.
    await withDb((db) => db.delete(subscriptions).where(eq(subscriptions.tenantId, t.id)));
    forgetStanding(t.id);
    expect(await step(steps[0]!.id)).toMatchObject({ outcome: 'cancelled', step: 1, reason: 'plan_lacks_churn_recovery' });
    expect(await churnTexts(lead.contact)).toHaveLength(0);
    const [s1] = await stepsOf(episode.id);
    expect(s1).toMatchObject({ status: 'cancelled' });
    expect(s1!.detail).toMatchObject({ reason: 'plan_lacks_churn_recovery' });
    expect(await step(steps[0]!.id)).toMatchObject({ outcome: 'already_settled' });
  });

  it("the lead's reply saves the episode and cancels the steps still pending", async () => {
    const { t, lead, episode, steps } = await coldEpisode('reply');
    await step(steps[0]!.id);
    expect(await churnTexts(lead.contact)).toHaveLength(1);
    const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: lead.contact, body: 'Yes please, send me the numbers' }));
    expect(res.status).toBe(200);
    const saved = await eventually(async () => (await episodesOf(t)).find((e) => e.id === episode.id && e.outcome === 'saved'), 'the episode saved');
    expect(saved.resolvedAt).not.toBeNull();
    const after = await stepsOf(episode.id);
    expect(after.map((s) => s.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(after[1]!.detail).toMatchObject({ reason: 'lead_replied' });
    // Their QStash messages still arrive: nothing happens.
    expect(await step(steps[1]!.id)).toMatchObject({ outcome: 'already_settled' });
    expect(await withDb((db) => db.select().from(alerts).where(and(eq(alerts.tenantId, t.id), eq(alerts.kind, 'churn_risk'))))).toHaveLength(0);
  });

  it('a reply that opts out is not a save: the next sweep closes the episode as not saved', async () => {
    const { t, lead, episode, steps } = await coldEpisode('stop');
    await step(steps[0]!.id);
    const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: lead.contact, body: 'please stop texting me' }));
    expect(res.status).toBe(200);
    await eventually(async () => (await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id))))[0]!.optedOut, 'the opt-out');
    expect((await episodesOf(t))[0]!.outcome).toBe('pending');
    await deliverJob('/jobs/churn');
    expect((await episodesOf(t)).find((e) => e.id === episode.id)!.outcome).toBe('not_saved');
    expect((await stepsOf(episode.id)).map((s) => s.status)).toEqual(['done', 'cancelled', 'cancelled']);
  });

  it('in quiet hours the text is deferred (the action is taken); when due, a lead who replied meanwhile gets nothing', async () => {
    // Three in the morning for the lead: the federal 8:00–21:00 window is closed.
    const offset = ((3 - new Date().getUTCHours() + 36) % 24) - 12;
    const night = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const t = await churnTenant({ holdoutPct: 0 }, night);
    const lead = await newLead(t, 'night', 'deferred');
    await makeCold(t, lead.id);
    await deliverJob('/jobs/churn');
    const [episode] = await episodesOf(t);
    const [s1] = await stepsOf(episode!.id);
    expect(await step(s1!.id)).toMatchObject({ outcome: 'done', step: 1, reason: 'deferred' });
    const [done] = await stepsOf(episode!.id);
    expect(done!.detail).toMatchObject({ outcome: 'deferred' });
    const [text] = await withDb((db) => db.select().from(messages).where(eq(messages.id, String(done!.detail!.messageId))));
    expect(text).toMatchObject({ status: 'deferred', kind: 'follow_up' });
    expect(text!.scheduledFor!.getTime()).toBeGreaterThan(Date.now());
    expect((await episodesOf(t))[0]!.firstActionAt).not.toBeNull();
    expect(await churnTexts(lead.contact)).toHaveLength(0);

    // The lead writes back before morning; QStash brings the deferred step back: nothing goes out.
    await withDb((db) => db.update(leads).set({ lastInboundAt: new Date() }).where(eq(leads.id, lead.id)));
    expect(await step(s1!.id)).toMatchObject({ outcome: 'cancelled', reason: 'lead_replied' });
    const [after] = await withDb((db) => db.select().from(messages).where(eq(messages.id, text!.id)));
    expect(after).toMatchObject({ status: 'suppressed', error: 'churn: lead_replied' });
    expect(await churnTexts(lead.contact)).toHaveLength(0);
  });

  it('refuses a malformed intervention id (422) and answers a missing one without acting', async () => {
    expect((await deliverJob('/jobs/churn-step', { interventionId: 'nope' })).status).toBe(422);
    expect(await step('chi_1111111111111111111111')).toMatchObject({ outcome: 'missing' });
  });
});
