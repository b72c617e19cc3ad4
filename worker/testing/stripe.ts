/**
 * Stripe from the tests' side: events shaped like Stripe's, signed the way Stripe signs them
 * (the SDK's own test-header helper, with the stack's generated whsec_ secret).
 */
import Stripe from 'stripe';
import { call, env } from './client';

export interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export function stripeEvent(type: string, object: Record<string, unknown>, created: number): StripeEvent {
  return { id: `evt_${crypto.randomUUID().replace(/-/g, '')}`, object: 'event', type, created, data: { object } };
}

export async function stripeSignature(payload: string, secret = env.STRIPE_WEBHOOK_SECRET as string, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });
}

export async function postStripe(event: object, opts: { secret?: string; signature?: string | null; raw?: string } = {}) {
  const body = opts.raw ?? JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = opts.signature === undefined ? await stripeSignature(body, opts.secret) : opts.signature;
  if (signature !== null) headers['stripe-signature'] = signature;
  return call('/webhooks/stripe', { method: 'POST', headers, body });
}

export interface SubscriptionShape {
  tenantId?: string;
  id: string;
  customer: string;
  status: string;
  quantity?: number;
  plan?: string;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
}

/** A subscription object as the current API version sends it (period end on the item). */
export function subscriptionObject(s: SubscriptionShape): Record<string, unknown> {
  return {
    id: s.id,
    object: 'subscription',
    customer: s.customer,
    status: s.status,
    metadata: s.tenantId ? { tenantId: s.tenantId } : {},
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    items: {
      object: 'list',
      data: [{ id: `si_${s.id}`, quantity: s.quantity ?? 1, current_period_end: s.periodEnd ?? 1_900_000_000, price: { id: `price_${s.plan ?? 'team'}`, lookup_key: s.plan ?? 'team', metadata: {} } }],
    },
  };
}

export function invoiceObject(subscription: string, customer: string): Record<string, unknown> {
  return { id: `in_${crypto.randomUUID().slice(0, 12)}`, object: 'invoice', customer, parent: { type: 'subscription_details', subscription_details: { subscription, metadata: {} } } };
}
