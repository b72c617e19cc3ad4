/**
 * POST /webhooks/ghl end to end inside workerd: signature and freshness checks, durable storage
 * before the 200, dedupe of replays, and what the stored delivery sets in motion — the lead, the
 * ConversationRoom's turn, and the bot's reply as received by the GHL stand-in.
 */
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema';
import { json, withDb } from '../../testing/client';
import { api } from '../../testing/factory';
import { contactId, eventually, ghlEvent, ghlTenant, leadByContact, postGhl, sentTo } from '../../testing/ghl';

const deliveriesOf = (tenantId: string) =>
  withDb(async (db) => (await db.select({ n: sql<number>`count(*)::int` }).from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, tenantId)))[0]!.n);

describe('POST /webhooks/ghl: authenticity', () => {
  it('refuses an unsigned, a tampered, a stale and a future-dated delivery, storing nothing', async () => {
    const t = await ghlTenant();
    const c_auth = contactId('auth');
    const event = () => ghlEvent('InboundMessage', t.locationId, { contactId: c_auth, body: 'hello' });
    const unsigned = await postGhl(event(), { scheme: 'none' });
    expect(unsigned.status).toBe(401);
    expect((await json(unsigned)).error.code).toBe('unauthorized');
    expect((await postGhl(event(), { tamper: true })).status).toBe(401);
    const stale = { ...event(), timestamp: new Date(Date.now() - 6 * 60_000).toISOString() };
    expect((await postGhl(stale)).status).toBe(401);
    const future = { ...event(), timestamp: new Date(Date.now() + 6 * 60_000).toISOString() };
    expect((await postGhl(future)).status).toBe(401);
    expect(await deliveriesOf(t.id)).toBe(0);
    expect(await leadByContact(t, c_auth)).toBeUndefined();
  });

  it('accepts the legacy RSA signature (x-wh-signature)', async () => {
    const t = await ghlTenant();
    const c_rsa = contactId('rsa');
    const res = await postGhl(ghlEvent('ContactCreate', t.locationId, { id: c_rsa, name: 'Rita Rsa', phone: '+15125550101' }), { scheme: 'rsa' });
    expect(res.status).toBe(200);
    await eventually(() => leadByContact(t, c_rsa), 'lead from the RSA-signed delivery');
  });

  it('answers 404 for a location no tenant connected, and 422 for a malformed known event', async () => {
    const t = await ghlTenant();
    const unknown = await postGhl(ghlEvent('ContactCreate', 'loc_nobody_has_this', { id: 'c1' }));
    expect(unknown.status).toBe(404);
    const malformed = await postGhl({ ...ghlEvent('InboundMessage', t.locationId, {}), contactId: undefined });
    expect(malformed.status).toBe(422);
    expect((await json(malformed)).error.details.some((d: { path: string }) => d.path === 'contactId')).toBe(true);
    const notJson = await postGhl({}, { raw: '{"type":' });
    expect(notJson.status).toBe(400);
  });

  it('stores and ignores event types it does not act on', async () => {
    const t = await ghlTenant();
    const res = await postGhl(ghlEvent('AppointmentCreate', t.locationId, { id: 'apt1' }));
    expect(res.status).toBe(200);
    expect(await deliveriesOf(t.id)).toBe(1);
  });
});

describe('an inbound SMS from a new contact', () => {
  it('creates the lead, answers with the AI disclosure, records speed-to-lead, and a replay changes nothing', async () => {
    const t = await ghlTenant();
    const c_new = contactId('new');
    const event = ghlEvent('InboundMessage', t.locationId, { contactId: c_new, body: "Hi, I'm thinking about selling my house" });
    const res = await postGhl(event);
    expect(res.status).toBe(200);
    const accepted = await json(res);
    expect(accepted).toMatchObject({ received: true, duplicate: false });

    const replies = await eventually(async () => ((await sentTo(c_new)).length ? sentTo(c_new) : null), 'the bot reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.message).toMatch(/AI/i);
    expect(replies[0]!.message).toMatch(new RegExp(`Team ${t.slug}`));
    expect(replies[0]!.message).toMatch(/STOP/);

    const lead = await eventually(async () => {
      const l = await leadByContact(t, c_new);
      return l?.speedToLeadMs != null ? l : null;
    }, 'speed-to-lead on the lead');
    expect(lead.stage).toBe('q1');
    expect(lead.botState).toBe('active');
    expect(lead.speedToLeadMs).toBeGreaterThanOrEqual(0);

    const thread = await json(await api(`/v1/leads/${lead.id}/messages`, { token: t.owner.token, ip: t.ip }));
    expect(thread.messages.map((m: { sender: string; status: string }) => `${m.sender}:${m.status}`)).toEqual(['lead:received', 'bot:sent']);
    expect(thread.messages[1].replyLatencyMs).toBeGreaterThanOrEqual(0);

    // GHL redelivers (same webhookId / messageId): acknowledged, nothing new.
    const replay = await postGhl(event);
    expect(replay.status).toBe(200);
    expect((await json(replay)).duplicate).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sentTo(c_new)).toHaveLength(1);
    expect(await deliveriesOf(t.id)).toBe(1);
  });
});
