/**
 * Whole conversations driven through signed GHL webhooks, as production drives them: the
 * seller assistant's Q1–Q4, classification and hand-off, compliance (opt-out on every path,
 * quiet hours for proactive messages), and the agent's controls (take over, release, reply).
 */
import { runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { consentEvents, messages, notifications, webhookDeliveries } from '../db/schema';
import { env, json, withDb } from '../testing/client';
import { api, memberWithRole } from '../testing/factory';
import { contactId, createTestLead, eventually, ghlEvent, ghlTenant, leadByContact, postGhl, sentTo, type GhlTenant } from '../testing/ghl';
import { roomName } from './rooms';

/** Sends the lead's text and waits until the room has handled it (its reply, if any, is out). */
async function say(t: GhlTenant, contact: string, body: string, expectReply = true) {
  const before = (await sentTo(contact)).length;
  const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: contact, body }));
  expect(res.status).toBe(200);
  const { deliveryId } = await json(res);
  await eventually(
    () => withDb(async (db) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]?.status === 'processed'),
    `delivery ${deliveryId} processed`,
  );
  const sent = await sentTo(contact);
  if (expectReply) expect(sent.length, `a reply to "${body}"`).toBe(before + 1);
  return sent.at(-1)?.message;
}

/**
 * The lead's outbound message once the gate has decided it. The row is written `queued` before
 * the compliance gate runs, so a read in between sees `queued`; wait past that (and `sending`).
 */
async function settledOutbound(leadId: string, kind: 'first_touch' | null, what: string) {
  return eventually(
    () =>
      withDb(async (db) => {
        const [row] = await db
          .select()
          .from(messages)
          .where(and(eq(messages.leadId, leadId), kind ? eq(messages.kind, kind) : eq(messages.direction, 'outbound')));
        return row && row.status !== 'queued' && row.status !== 'sending' ? row : undefined;
      }),
    what,
  );
}

describe('the seller assistant over SMS', () => {
  it('qualifies a seller through Q1–Q4, classifies hot with reasons and hands the lead to an agent', async () => {
    const t = await ghlTenant();
    const agent = await memberWithRole(t, 'agent');
    const c = contactId('q14');
    const first = await say(t, c, 'Hi, I got your postcard about selling');
    expect(first).toMatch(/AI/i);
    await say(t, c, "We're relocating for a new job in Denver, have to be there by March");
    await say(t, c, 'within 30 days ideally');
    await say(t, c, "It's move-in ready, we just redid the kitchen");
    const handoff = await say(t, c, 'hoping for around $450k');
    expect(handoff).toBeTruthy();

    const lead = await eventually(async () => {
      const l = await leadByContact(t, c);
      return l?.stage === 'qualified' ? l : null;
    }, 'a qualified lead');
    expect(lead.qualification.motivation.category).toBe('relocation');
    expect(lead.qualification.timelineDays).toBeLessThanOrEqual(45);
    expect(lead.qualification.condition).toBe('move_in_ready');
    expect(lead.qualification.priceCents).toBe(450_000_00);
    expect(lead.temperature).toBe('hot');
    expect(lead.temperatureReasons.length).toBeGreaterThan(0);
    expect(lead.assignedAgentId).toBe(agent.id);
    const notes = await withDb((db) => db.select().from(notifications).where(and(eq(notifications.leadId, lead.id), eq(notifications.kind, 'hot_lead'))));
    expect(notes.map((n) => n.userId)).toEqual([agent.id]);
    const mine = await json(await api('/v1/notifications?unread=true', { token: agent.token, ip: t.ip }));
    expect(mine.notifications).toEqual([expect.objectContaining({ kind: 'hot_lead', leadId: lead.id })]);
    const read = await api(`/v1/notifications/${mine.notifications[0].id}/read`, { method: 'POST', token: agent.token, ip: t.ip });
    expect((await json(read)).notification.readAt).toBeTruthy();
    expect((await json(await api('/v1/notifications?unread=true', { token: agent.token, ip: t.ip }))).notifications).toEqual([]);
  });

  it('takes several answers in one message and a correction', async () => {
    const t = await ghlTenant();
    const c = contactId('multi');
    await say(t, c, 'Inherited my moms house, want to sell it in about 2 months, it needs a new roof');
    let lead = await leadByContact(t, c);
    expect(lead!.qualification.motivation?.category).toBe('inheritance');
    expect(lead!.qualification.condition).toBe('needs_some_work');
    expect(lead!.stage).toBe('q4');
    await say(t, c, 'actually more like 90 days');
    lead = await leadByContact(t, c);
    expect(lead!.qualification.timelineDays).toBeGreaterThanOrEqual(80);
  });

  it('STOP opts the lead out with exactly one confirmation and silences every automated path', async () => {
    const t = await ghlTenant();
    const c = contactId('stop');
    await say(t, c, 'thinking of selling');
    const confirmation = await say(t, c, 'STOP');
    expect(confirmation).toMatch(/unsubscribed|opted out|no more/i);
    const lead = await leadByContact(t, c);
    expect(lead!.optedOut).toBe(true);
    // No second confirmation, no reply to anything else.
    await say(t, c, 'stop', false);
    await say(t, c, 'why did you text me', false);
    expect(await sentTo(c)).toHaveLength(2);
    const ledger = await withDb((db) => db.select().from(consentEvents).where(eq(consentEvents.leadId, lead!.id)));
    expect(ledger.map((e) => `${e.action}:${e.method}`)).toEqual(expect.arrayContaining(['granted:inbound_message', 'revoked:keyword']));
    // An agent cannot text an opted-out lead either.
    const blocked = await api(`/v1/leads/${lead!.id}/messages`, { token: t.owner.token, ip: t.ip, body: { body: 'Hi, following up' } });
    expect(blocked.status).toBe(409);
  });

  it('reads "please stop texting me" as an opt-out but not "can you stop by Tuesday?"', async () => {
    const t = await ghlTenant();
    const c1 = contactId('plain');
    await say(t, c1, 'who is this');
    await say(t, c1, 'please stop texting me');
    expect((await leadByContact(t, c1))!.optedOut).toBe(true);
    const c2 = contactId('near');
    await say(t, c2, 'we might sell this year');
    await say(t, c2, 'can you stop by Tuesday?');
    expect((await leadByContact(t, c2))!.optedOut).toBe(false);
  });

  it("respects GHL's do-not-disturb: a DND contact gets no automated text, and the ledger says why", async () => {
    const t = await ghlTenant();
    const c = contactId('dnd');
    await say(t, c, 'thinking about selling next year');
    const res = await postGhl(ghlEvent('ContactDndUpdate', t.locationId, { id: c, dnd: true, dndSettings: { SMS: { status: 'active' } } }));
    expect(res.status).toBe(200);
    const lead = await eventually(async () => {
      const l = await leadByContact(t, c);
      return l?.dnd ? l : null;
    }, 'the DND flag on the lead');
    await say(t, c, 'hello?', false);
    const ledger = await withDb((db) => db.select().from(consentEvents).where(eq(consentEvents.leadId, lead.id)));
    expect(ledger.map((e) => `${e.action}:${e.method}`)).toContain('revoked:crm_dnd');
  });

  it('goes silent on takeover until released, and sends the agent’s own reply', async () => {
    const t = await ghlTenant();
    const c = contactId('takeover');
    await say(t, c, 'want to sell my rental, tired of tenants');
    const lead = (await leadByContact(t, c))!;
    const taken = await api(`/v1/leads/${lead.id}/takeover`, { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(taken.status).toBe(200);
    expect((await json(taken)).lead.botState).toBe('human');
    await say(t, c, 'hello?', false);

    const reply = await api(`/v1/leads/${lead.id}/messages`, { token: t.owner.token, ip: t.ip, body: { body: "Hi, this is the owner — when's a good time to call?", idempotencyKey: 'owner-reply-1' } });
    expect(reply.status).toBe(201);
    expect((await json(reply)).message).toMatchObject({ sender: 'agent', status: 'sent' });
    // Same idempotency key: no second text.
    await api(`/v1/leads/${lead.id}/messages`, { token: t.owner.token, ip: t.ip, body: { body: "Hi, this is the owner — when's a good time to call?", idempotencyKey: 'owner-reply-1' } });
    expect((await sentTo(c)).filter((m) => m.message.startsWith('Hi, this is the owner'))).toHaveLength(1);

    const released = await api(`/v1/leads/${lead.id}/release`, { method: 'POST', token: t.owner.token, ip: t.ip });
    expect((await json(released)).lead.botState).toBe('active');
    await say(t, c, 'sure, 2 months');
  });

  it('asks for a human → the bot stops and a person is notified', async () => {
    const t = await ghlTenant();
    const c = contactId('human');
    await say(t, c, 'I might sell');
    await say(t, c, 'can I just talk to a real person please');
    const lead = (await leadByContact(t, c))!;
    expect(lead.botState).toBe('human');
    await say(t, c, 'hello??', false);
    const notes = await withDb((db) => db.select().from(notifications).where(eq(notifications.leadId, lead.id)));
    expect(notes.some((n) => n.kind === 'human_requested')).toBe(true);
  });
});

describe('proactive messages', () => {
  it('defer a first touch in quiet hours to the next allowed minute', async () => {
    const t = await ghlTenant();
    // The tenant's window is a single minute three hours from now (local), so now is quiet.
    const now = new Date();
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const h = Number(local.find((p) => p.type === 'hour')!.value);
    const windowHour = 12 + ((h + 3) % 8); // 12–19 h: inside every state rule, never the current hour
    const start = `${String(windowHour).padStart(2, '0')}:00`;
    const end = `${String(windowHour).padStart(2, '0')}:30`;
    const patch = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { timezone: 'America/Chicago', settings: { quietHours: { start, end, stateRules: true } } } });
    expect(patch.status).toBe(200);

    const c = contactId('quiet');
    const lead = await createTestLead(t, { id: c, phone: '+15125550177', state: 'TX', tags: ['sms-consent'] });
    const deferred = await settledOutbound(lead.id, 'first_touch', 'the deferred first touch');
    expect(deferred.status).toBe('deferred');
    const due = deferred.scheduledFor!;
    const dueLocal = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(due);
    expect(dueLocal).toBe(start);
    expect(due.getTime()).toBeGreaterThan(now.getTime());
    expect(await sentTo(c)).toHaveLength(0);

  });

  it('a reply GHL refused for now (429) waits in the room and goes out when its alarm fires', async () => {
    const t = await ghlTenant();
    const c = contactId('busy');
    // GHL answers 429 to everything for this contact for a while: the client's retries run out.
    await fetch(`${inject('ghlStandInUrl')}/_standin/faults`, { method: 'POST', body: JSON.stringify({ status: 429, count: 50, retryAfterSeconds: 1, contactId: c }) });
    await say(t, c, 'looking to sell my condo', false);
    const lead = (await leadByContact(t, c))!;
    const deferred = await settledOutbound(lead.id, null, 'the deferred reply');
    expect(deferred.status).toBe('deferred');
    // GHL recovers.
    await fetch(`${inject('ghlStandInUrl')}/_standin/faults?contactId=${c}`, { method: 'DELETE' });
    const stub = env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(roomName(t.id, lead.id)));
    const pending = await stub.schedule();
    expect(pending.some((task) => task.kind === 'deliver' && task.ref === deferred.id)).toBe(true);
    // Time passes (the room's clock is real, so bring the task due now) and the alarm fires.
    await runInDurableObject(stub, async (room: { alarm(): Promise<void> }, state) => {
      state.storage.sql.exec(`UPDATE tasks SET due = 0 WHERE kind = 'deliver'`);
      await room.alarm();
    });
    const row = await withDb(async (db) => (await db.select().from(messages).where(eq(messages.id, deferred.id)))[0]!);
    expect(row.status).toBe('sent');
    const sent = (await sentTo(c)).map((m) => m.message);
    expect(sent).toHaveLength(1);
  });

  it('never first-touches a contact without consent when the tenant requires it', async () => {
    const t = await ghlTenant();
    const c = contactId('noconsent');
    const lead = await createTestLead(t, { id: c, phone: '+15125550178' });
    const row = await settledOutbound(lead.id, 'first_touch', 'the first-touch record');
    expect(row.status).toBe('suppressed');
    expect(row.error).toBe('no_consent');
    expect(await sentTo(c)).toHaveLength(0);
  });
});

describe('lead access', () => {
  it("agents see their own and unassigned leads, not a colleague's", async () => {
    const t = await ghlTenant();
    const [a1, a2] = [await memberWithRole(t, 'agent'), await memberWithRole(t, 'agent')];
    const lead = await createTestLead(t, { id: contactId('access') });
    expect((await api(`/v1/leads/${lead.id}`, { token: a1.token, ip: t.ip })).status).toBe(200);
    await api(`/v1/leads/${lead.id}/takeover`, { method: 'POST', token: a2.token, ip: t.ip });
    expect((await api(`/v1/leads/${lead.id}`, { token: a1.token, ip: t.ip })).status).toBe(404);
    expect((await api(`/v1/leads/${lead.id}`, { token: a2.token, ip: t.ip })).status).toBe(200);
    const list = await json(await api('/v1/leads', { token: a1.token, ip: t.ip }));
    expect(list.leads.map((l: { id: string }) => l.id)).not.toContain(lead.id);
  });

  it('paginates with a cursor and filters', async () => {
    const t = await ghlTenant();
    for (let i = 0; i < 3; i++) await createTestLead(t, { id: contactId(`page${i}`) });
    const p1 = await json(await api('/v1/leads?limit=2', { token: t.owner.token, ip: t.ip }));
    expect(p1.leads).toHaveLength(2);
    const p2 = await json(await api(`/v1/leads?limit=2&cursor=${p1.nextCursor}`, { token: t.owner.token, ip: t.ip }));
    expect(p2.leads).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.leads, ...p2.leads].map((l: { id: string }) => l.id)).size).toBe(3);
    const hot = await json(await api('/v1/leads?temperature=hot', { token: t.owner.token, ip: t.ip }));
    expect(hot.leads).toEqual([]);
    expect((await api('/v1/leads?temperature=boiling', { token: t.owner.token, ip: t.ip })).status).toBe(422);
  });
});
