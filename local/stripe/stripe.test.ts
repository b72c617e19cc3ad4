import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStripeForm, startStripeStandIn, type StripeStandIn } from './server';

let standIn: StripeStandIn;
let stripe: Stripe;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  const u = new URL(standIn.url);
  // The same client shape the Worker builds: fetch-based, pointed at the stand-in.
  stripe = new Stripe(standIn.secretKey, { httpClient: Stripe.createFetchHttpClient(), host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
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
    const wrong = new Stripe('sk_test_wrong', { httpClient: Stripe.createFetchHttpClient(), host: '127.0.0.1', port: Number(new URL(standIn.url).port), protocol: 'http', maxNetworkRetries: 0 });
    const base = { mode: 'subscription' as const, success_url: 'http://localhost/ok' };
    await expect(wrong.checkout.sessions.create({ ...base, line_items: [{ price: standIn.prices.team, quantity: 1 }] })).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    await expect(stripe.checkout.sessions.create({ ...base, line_items: [{ price: 'price_nope', quantity: 1 }] })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'line_items[0][price]' });
    await expect(stripe.checkout.sessions.create({ ...base, line_items: [{ price: standIn.prices.team, quantity: 0 }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('decodes Stripe’s bracket encoding', () => {
    expect(decodeStripeForm('a[b][0][c]=1&a[b][1][c]=2&m[k]=v&x=y')).toEqual({ a: { b: [{ c: '1' }, { c: '2' }] }, m: { k: 'v' }, x: 'y' });
  });
});
