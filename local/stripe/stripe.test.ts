import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStripeForm, startStripeStandIn, type StripeStandIn } from './server';

let standIn: StripeStandIn;
let stripe: Stripe;

/** The same client shape the Worker builds: fetch-based, pointed at the stand-in. */
function sdk(key: string): Stripe {
  const u = new URL(standIn.url);
  return new Stripe(key, { httpClient: Stripe.createFetchHttpClient(), host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
}

beforeAll(async () => {
  standIn = await startStripeStandIn();
  stripe = sdk(standIn.secretKey);
});
afterAll(() => standIn.close());

describe('the Stripe stand-in', () => {
  it('creates a subscription Checkout Session through the official SDK', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: standIn.prices.team, quantity: 7 }],
      client_reference_id: 'tnt_1',
      metadata: { tenantId: 'tnt_1', plan: 'team' },
      subscription_data: { metadata: { tenantId: 'tnt_1', plan: 'team' } },
      success_url: 'http://localhost:8787/billing?checkout=success',
      cancel_url: 'http://localhost:8787/billing?checkout=cancelled',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${standIn.url}/pay/${session.id}`);
    expect(session.client_reference_id).toBe('tnt_1');
    const stored = standIn.sessions().find((s) => s.id === session.id)!;
    expect(stored.line_items).toEqual([{ price: standIn.prices.team, quantity: 7 }]);
    expect(stored.subscription_data).toEqual({ metadata: { tenantId: 'tnt_1', plan: 'team' } });
    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
  });

  it('answers as Stripe does: wrong key, unknown price, bad quantity', async () => {
    const wrong = sdk('sk_test_wrong');
    const base = { mode: 'subscription' as const, success_url: 'http://localhost/ok' };
    await expect(wrong.checkout.sessions.create({ ...base, line_items: [{ price: standIn.prices.team, quantity: 1 }] })).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    await expect(stripe.checkout.sessions.create({ ...base, line_items: [{ price: 'price_nope', quantity: 1 }] })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'line_items[0][price]' });
    await expect(stripe.checkout.sessions.create({ ...base, line_items: [{ price: standIn.prices.team, quantity: 0 }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('creates a Customer Portal session through the official SDK, and refuses what Stripe refuses', async () => {
    const session = await stripe.billingPortal.sessions.create({ customer: 'cus_local1', return_url: 'http://localhost:8787/billing' });
    expect(session).toMatchObject({ object: 'billing_portal.session', customer: 'cus_local1', return_url: 'http://localhost:8787/billing' });
    expect(session.id).toMatch(/^bps_/);
    expect(session.url).toBe(`${standIn.url}/portal/${session.id}`);
    expect(standIn.portalSessions().map((s) => s.id)).toContain(session.id);
    await expect(stripe.billingPortal.sessions.create({ customer: 'nobody' })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'customer', statusCode: 400 });
    await expect(stripe.billingPortal.sessions.create({ customer: 'cus_local1', return_url: 'javascript:alert(1)' })).rejects.toMatchObject({ param: 'return_url' });
    const wrong = sdk('sk_test_wrong');
    await expect(wrong.billingPortal.sessions.create({ customer: 'cus_local1' })).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
  });

  it('decodes Stripe’s bracket encoding', () => {
    expect(decodeStripeForm('a[b][0][c]=1&a[b][1][c]=2&m[k]=v&x=y')).toEqual({ a: { b: [{ c: '1' }, { c: '2' }] }, m: { k: 'v' }, x: 'y' });
  });
});
