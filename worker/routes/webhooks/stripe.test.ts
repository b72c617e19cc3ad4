import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { subscriptions, webhookDeliveries } from '../../db/schema';
import { json, withDb } from '../../testing/client';
import { api, provisionTestTenant, type TestTenant } from '../../testing/factory';
import { invoiceObject, postStripe, stripeEvent, stripeSignature, subscriptionObject, type StripeEvent } from '../../testing/stripe';

const deliveryOf = (eventId: string) =>
  withDb(async (db) => (await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.provider, 'stripe'), eq(webhookDeliveries.dedupeKey, eventId))))[0]);
const subscriptionOf = (tenantId: string) => withDb(async (db) => (await db.select().from(subscriptions).where(eq(subscriptions.tenantId, tenantId)))[0]);

async function billing(t: TestTenant) {
  const res = await api('/v1/billing', { token: t.owner.token, ip: t.ip });
  expect(res.status).toBe(200);
  return json(res);
}

async function deliver(event: StripeEvent) {
  const res = await postStripe(event);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

const PERIOD_END = 1_950_000_000;

/**
 * A tenant's whole lifecycle as Stripe would send it: checkout, the subscription appears, a
 * payment fails (dunning), it is paid, the team grows and upgrades, then schedules cancellation.
 */
function lifecycle(tenantId: string, t0: number): StripeEvent[] {
  const u = crypto.randomUUID().slice(0, 8);
  const customer = `cus_${u}`;
  const id = `sub_${u}`;
  const s = (status: string, extra: Partial<Parameters<typeof subscriptionObject>[0]> = {}) =>
    subscriptionObject({ tenantId, id, customer, status, quantity: 5, plan: 'team', periodEnd: PERIOD_END - 1000, ...extra });
  return [
    stripeEvent('checkout.session.completed', { id: `cs_${u}`, object: 'checkout.session', client_reference_id: tenantId, customer, subscription: id, payment_status: 'paid', metadata: { tenantId, plan: 'team' } }, t0),
    stripeEvent('customer.subscription.created', s('active'), t0 + 1),
    stripeEvent('invoice.payment_failed', invoiceObject(id, customer), t0 + 10),
    stripeEvent('customer.subscription.updated', s('past_due'), t0 + 10),
    stripeEvent('invoice.paid', invoiceObject(id, customer), t0 + 20),
    stripeEvent('customer.subscription.updated', s('active'), t0 + 20),
    stripeEvent('customer.subscription.updated', s('active', { quantity: 8, plan: 'brokerage', periodEnd: PERIOD_END }), t0 + 30),
    stripeEvent('customer.subscription.updated', s('active', { quantity: 8, plan: 'brokerage', periodEnd: PERIOD_END, cancelAtPeriodEnd: true }), t0 + 40),
  ];
}

const FINAL = { plan: 'brokerage', status: 'active', seats: 8, cancelAtPeriodEnd: true, currentPeriodEnd: new Date(PERIOD_END * 1000).toISOString(), automation: true };

describe('POST /webhooks/stripe', () => {
  it('applies a subscription lifecycle in order', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const events = lifecycle(t.id, Math.floor(Date.now() / 1000) - 100);
    // Mid-way (payment failed) the tenant is past due and automation is off.
    for (const e of events.slice(0, 4)) await deliver(e);
    expect(await billing(t)).toMatchObject({ plan: 'team', status: 'past_due', seats: 5, automation: false });
    for (const e of events.slice(4)) await deliver(e);
    expect(await billing(t)).toMatchObject(FINAL);
    expect((await subscriptionOf(t.id))!.lastEventId).toBe(events.at(-1)!.id);
  });

  it('ends in the same state when the sequence is reversed, shuffled and replayed', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 100;
    const reversed = await provisionTestTenant({ plan: 'free' });
    const events = lifecycle(reversed.id, t0);
    for (const e of [...events].reverse()) await deliver(e);
    expect(await billing(reversed)).toMatchObject(FINAL);

    const shuffled = await provisionTestTenant({ plan: 'free' });
    const again = lifecycle(shuffled.id, t0);
    // A fixed interleaving: late dunning events after the recovery, then everything once more.
    const order = [7, 1, 0, 5, 3, 2, 6, 4];
    for (const i of order) await deliver(again[i]!);
    for (const e of again) {
      const body = await deliver(e);
      expect(body.duplicate).toBe(true);
    }
    expect(await billing(shuffled)).toMatchObject(FINAL);
    // One delivery row per event, whatever the replays.
    const rows = await withDb((db) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, shuffled.id)));
    expect(rows).toHaveLength(again.length);
  });

  it('never revives a deleted subscription from a late update; a new subscription replaces it', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const t0 = Math.floor(Date.now() / 1000) - 100;
    const base = { tenantId: t.id, id: 'sub_old_' + t.id, customer: 'cus_' + t.id, quantity: 4, plan: 'team' };
    await deliver(stripeEvent('customer.subscription.deleted', subscriptionObject({ ...base, status: 'canceled' }), t0 + 50));
    await deliver(stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'active' }), t0 + 40));
    await deliver(stripeEvent('invoice.paid', invoiceObject(base.id, base.customer), t0 + 60));
    expect(await billing(t)).toMatchObject({ status: 'canceled', automation: false });
    // Resubscribing is a new subscription id, newer than the cancellation.
    await deliver(stripeEvent('customer.subscription.created', subscriptionObject({ ...base, id: 'sub_new_' + t.id, status: 'active', quantity: 6 }), t0 + 70));
    expect(await billing(t)).toMatchObject({ status: 'active', seats: 6, automation: true });
  });

  it('finds the tenant by customer id when the event does not name it', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const t0 = Math.floor(Date.now() / 1000) - 100;
    const customer = `cus_${crypto.randomUUID().slice(0, 8)}`;
    const id = `sub_${crypto.randomUUID().slice(0, 8)}`;
    await deliver(stripeEvent('customer.subscription.created', subscriptionObject({ tenantId: t.id, id, customer, status: 'active', quantity: 4 }), t0));
    const failed = stripeEvent('invoice.payment_failed', { id: 'in_x', object: 'invoice', customer, subscription: id }, t0 + 5);
    expect(await deliver(failed)).toMatchObject({ outcome: 'processed' });
    expect(await billing(t)).toMatchObject({ status: 'past_due', automation: false });
    expect((await deliveryOf(failed.id))!.tenantId).toBe(t.id);
  });

  it('stores nothing when the signature is bad, missing, stale or for another body', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const e = stripeEvent('customer.subscription.created', subscriptionObject({ tenantId: t.id, id: 'sub_forged', customer: 'cus_forged', status: 'active', quantity: 99 }), Math.floor(Date.now() / 1000));
    const wrongSecret = await postStripe(e, { secret: 'whsec_not_the_real_one' });
    const missing = await postStripe(e, { signature: null });
    const garbage = await postStripe(e, { signature: 't=1,v1=deadbeef' });
    // Correctly signed, ten minutes ago: a captured delivery replayed later.
    const stale = await postStripe(e, { signature: await stripeSignature(JSON.stringify(e), undefined, Math.floor(Date.now() / 1000) - 600) });
    // Signed for one body, sent with another (seats changed in flight).
    const signed = await stripeSignature(JSON.stringify(e));
    const tampered = await postStripe(e, { signature: signed, raw: JSON.stringify(e).replace('"quantity":99', '"quantity":999') });
    for (const res of [wrongSecret, missing, garbage, stale, tampered]) {
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('bad_request');
    }
    expect(await deliveryOf(e.id)).toBeUndefined();
    expect(await subscriptionOf(t.id)).toBeUndefined();
    expect(await billing(t)).toMatchObject({ plan: 'free', status: 'none', seats: 3 });
  });

  it('stores an unknown event type as ignored and answers 200 (once)', async () => {
    const e = stripeEvent('customer.tax_id.created', { id: 'txi_1', object: 'tax_id', customer: 'cus_nobody' }, Math.floor(Date.now() / 1000));
    expect(await deliver(e)).toMatchObject({ received: true, duplicate: false, outcome: 'ignored' });
    expect(await deliver(e)).toMatchObject({ duplicate: true });
    const row = await deliveryOf(e.id);
    expect(row).toMatchObject({ status: 'ignored', type: 'customer.tax_id.created', tenantId: null });
  });

  it('answers 4xx, never 500, to verified bodies of the wrong shape', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const notJson = await postStripe({}, { raw: '{"id": "evt_1", ' });
    expect(notJson.status).toBe(400);
    const notEvent = await postStripe({ hello: 'world' });
    expect(notEvent.status).toBe(400);
    // A known type with a malformed object is stored and ignored; the state is untouched.
    const odd = stripeEvent('customer.subscription.updated', { id: 'sub_odd', status: 'exploded', metadata: { tenantId: t.id }, items: 'nope' }, Math.floor(Date.now() / 1000));
    expect(await deliver(odd)).toMatchObject({ outcome: 'ignored' });
    expect(await billing(t)).toMatchObject({ plan: 'free', status: 'none' });
    const huge = await postStripe({}, { raw: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
  });
});
