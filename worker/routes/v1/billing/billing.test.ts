import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, webhookDeliveries } from '../../../db/schema';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, TEST_PASSWORD, type TestTenant } from '../../../testing/factory';
import { connectGhl, contactId, createTestLead, eventually, ghlEvent, postGhl, sentTo, type GhlTenant } from '../../../testing/ghl';
import { postStripe, stripeEvent, subscriptionObject } from '../../../testing/stripe';

async function billing(t: TestTenant, token = t.owner.token) {
  const res = await api('/v1/billing', { token, ip: t.ip });
  expect(res.status).toBe(200);
  return json(res);
}

/** Event time, one second further each call: each subscription change is newer than the last. */
let clock = Math.floor(Date.now() / 1000);

/** Puts the tenant on a subscription in the given state, the way Stripe would. */
async function subscribe(t: TestTenant, status: string, quantity: number, plan = 'team') {
  const res = await postStripe(
    stripeEvent('customer.subscription.updated', subscriptionObject({ tenantId: t.id, id: `sub_${t.id}`, customer: `cus_${t.id}`, status, quantity, plan }), ++clock),
  );
  expect(res.status).toBe(200);
  expect((await json(res)).outcome).toBe('processed');
}

const addUser = (t: TestTenant, label: string) =>
  api('/v1/users', { token: t.owner.token, ip: t.ip, body: { email: `${label}-${crypto.randomUUID().slice(0, 6)}@${t.slug}.test`, name: `${label} person`, role: 'agent', password: TEST_PASSWORD } });

/** Waits until the delivery has been handled (the bot's reply, if any, is out by then). */
async function inbound(t: GhlTenant, contact: string, body: string) {
  const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: contact, body }));
  expect(res.status).toBe(200);
  const { deliveryId } = await json(res);
  await eventually(
    () => withDb(async (db) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]?.status === 'processed'),
    `delivery ${deliveryId} processed`,
  );
}

describe('GET /v1/billing', () => {
  it('shows a new tenant on the free plan, and only its own subscription', async () => {
    const a = await provisionTestTenant({ plan: 'free' });
    const b = await provisionTestTenant({ plan: 'free' });
    expect(await billing(a)).toEqual({
      plan: 'free',
      status: 'none',
      seats: 3,
      seatsUsed: 1,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      automation: true,
      features: expect.arrayContaining(['seller_bot', 'alerts']),
    });
    await subscribe(a, 'active', 12, 'brokerage');
    expect(await billing(a)).toMatchObject({ plan: 'brokerage', status: 'active', seats: 12, features: expect.arrayContaining(['coaching']) });
    // B reads its own row only, whoever asks (its API key included).
    expect(await billing(b)).toMatchObject({ plan: 'free', status: 'none', seats: 3 });
    expect(await billing(b, b.apiKey)).toMatchObject({ plan: 'free', status: 'none' });
    // Any member may read it; without credentials nobody may.
    const agent = await memberWithRole(a, 'agent');
    expect(await billing(a, agent.token)).toMatchObject({ plan: 'brokerage', seatsUsed: 2 });
    expect((await api('/v1/billing', { ip: a.ip })).status).toBe(401);
  });
});

describe('seats', () => {
  it('refuses a user beyond the plan’s seats with seat_limit_reached, and allows it once seats are bought', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    expect((await addUser(t, 'second')).status).toBe(201);
    expect((await addUser(t, 'third')).status).toBe(201);
    const refused = await addUser(t, 'fourth');
    expect(refused.status).toBe(402);
    const body = await json(refused);
    expect(body.error.code).toBe('seat_limit_reached');
    expect(body.error.details).toEqual({ seatsUsed: 3, seatsAllowed: 3, plan: 'free' });
    expect(body.error.message).toMatch(/3 seats/);
    expect((await billing(t)).seatsUsed).toBe(3);

    await subscribe(t, 'active', 4);
    expect((await addUser(t, 'fourth')).status).toBe(201);
    expect((await addUser(t, 'fifth')).status).toBe(402);
    expect(await billing(t)).toMatchObject({ seats: 4, seatsUsed: 4 });
  });

  it('counts concurrent additions one after the other', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((l) => addUser(t, l)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 402, 402]);
    expect((await billing(t)).seatsUsed).toBe(3);
  });
});

describe('POST /v1/billing/checkout', () => {
  it('is for owners and admins only, validates the plan, and says clearly when billing is not configured', async () => {
    const t = await provisionTestTenant();
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const m = await memberWithRole(t, role);
      const res = await api('/v1/billing/checkout', { token: m.token, ip: t.ip, body: { plan: 'team', seats: 5 } });
      expect(res.status, role).toBe(403);
    }
    const bad = await api('/v1/billing/checkout', { token: t.owner.token, ip: t.ip, body: { plan: 'free', seats: 5 } });
    expect(bad.status).toBe(422);
    const zero = await api('/v1/billing/checkout', { token: t.owner.token, ip: t.ip, body: { plan: 'team', seats: 0 } });
    expect(zero.status).toBe(422);
    // The test stack has no Stripe secret key: a clear 503, not a 500.
    const admin = await memberWithRole(t, 'admin');
    for (const token of [t.owner.token, admin.token]) {
      const res = await api('/v1/billing/checkout', { token, ip: t.ip, body: { plan: 'team', seats: 5 } });
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.error.code).toBe('billing_not_configured');
      expect(body.error.message).toMatch(/STRIPE_SECRET_KEY/);
    }
  });
});

describe('automation while past due', () => {
  it('stops the bot (the inbound is stored, no reply is sent) while every read keeps working', async () => {
    const healthy = await connectGhl(await provisionTestTenant());
    const pastDue = await connectGhl(await provisionTestTenant());
    // Past due before anything of this tenant has run (nothing is cached yet anywhere).
    await subscribe(pastDue, 'past_due', 5);
    expect(await billing(pastDue)).toMatchObject({ status: 'past_due', automation: false });

    const control = contactId('billing-ok');
    await createTestLead(healthy, { id: control, name: 'Sam Seller' });
    await inbound(healthy, control, 'Hi, I am thinking about selling my house');
    expect((await sentTo(control)).length, 'the healthy tenant’s bot answers').toBeGreaterThan(0);

    const quiet = contactId('billing-past-due');
    const lead = await createTestLead(pastDue, { id: quiet, name: 'Pat Seller' });
    await inbound(pastDue, quiet, 'Hi, I am thinking about selling my house');
    expect(await sentTo(quiet)).toEqual([]);
    const stored = await withDb((db) => db.select().from(messages).where(and(eq(messages.leadId, lead.id as string), eq(messages.direction, 'inbound'))));
    expect(stored.map((m) => m.body)).toEqual(['Hi, I am thinking about selling my house']);
    const bot = await withDb((db) => db.select().from(messages).where(and(eq(messages.leadId, lead.id as string), eq(messages.direction, 'outbound'))));
    expect(bot).toEqual([]);

    // Data stays readable.
    const leads = await api('/v1/leads', { token: pastDue.owner.token, ip: pastDue.ip });
    expect(leads.status).toBe(200);
    expect((await json(leads)).leads.map((l: { id: string }) => l.id)).toContain(lead.id);
    const thread = await api(`/v1/leads/${lead.id}/messages`, { token: pastDue.owner.token, ip: pastDue.ip });
    expect(thread.status).toBe(200);

    // Paid again: the bot answers the next message.
    await subscribe(pastDue, 'active', 5);
    await inbound(pastDue, quiet, 'Are you still there? I want to sell');
    expect((await sentTo(quiet)).length).toBeGreaterThan(0);
  });
});
