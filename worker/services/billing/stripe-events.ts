/**
 * Stripe webhooks: verify, then store the delivery and apply its effect in ONE transaction, so a
 * redelivered event (Stripe retries for days) is a no-op and a crash leaves neither half.
 *
 * Ordering rule (deliveries repeat and arrive out of order): every state-bearing event is
 * stamped with its own `created` (seconds), and `subscriptions.stateAt` keeps the newest stamp
 * applied. An event older than stateAt changes nothing; equal stamps apply (the later delivery
 * wins). Two more rules keep a reordered sequence from moving backwards:
 * - a deleted (canceled) subscription never comes back: later updates for the same subscription
 *   id are ignored (a renewal is a new subscription, with a new id);
 * - events about another subscription than the tenant's current live one are ignored, unless
 *   they are newer and the current one is over (canceled / incomplete_expired).
 */
import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { subscriptions, tenants, webhookDeliveries, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../db/schema';
import { BadRequest, DependencyUnavailable } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { Transaction } from '../context';
import { billingNotConfigured, forgetStanding } from './billing';
import { asPlan, type Plan } from './plans';

/** Stripe's default: a signature older than 5 minutes is a replay. */
const TOLERANCE_S = 300;

export interface StripeDeliveryResult {
  eventId: string;
  type: string;
  tenantId: string | null;
  duplicate: boolean;
  outcome: 'processed' | 'ignored';
  reason?: string;
}

const id = z.string().min(1).max(255);
/** An id field that Stripe sends either bare or expanded into the object. */
const ref = z.union([id, z.object({ id }).transform((o) => o.id)]).nullish();
const metadata = z.record(z.string(), z.string()).nullish();

const EventSchema = z.object({
  id,
  type: z.string().min(1).max(200),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const CheckoutSession = z.object({
  client_reference_id: z.string().max(255).nullish(),
  metadata,
  customer: ref,
  subscription: ref,
  status: z.string().nullish(),
  payment_status: z.string().nullish(),
});

const Price = z.object({ id: z.string().nullish(), lookup_key: z.string().nullish(), metadata }).nullish();
const Subscription = z.object({
  id,
  customer: ref,
  status: z.enum(SUBSCRIPTION_STATUSES.filter((s) => s !== 'none') as [SubscriptionStatus, ...SubscriptionStatus[]]),
  metadata,
  quantity: z.number().int().nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  current_period_end: z.number().int().nullish(),
  items: z
    .object({ data: z.array(z.object({ quantity: z.number().int().nullish(), current_period_end: z.number().int().nullish(), price: Price })) })
    .nullish(),
});

const Invoice = z.object({
  customer: ref,
  subscription: ref,
  /** Newer API versions move the subscription under parent.subscription_details. */
  parent: z.object({ subscription_details: z.object({ subscription: ref, metadata }).nullish() }).nullish(),
  subscription_details: z.object({ metadata }).nullish(),
});

type Row = typeof subscriptions.$inferSelect;
type Event = z.infer<typeof EventSchema>;

export async function handleStripeWebhook(deps: { db: Database; config: Config; logger: Logger }, raw: Uint8Array, signature: string | undefined): Promise<StripeDeliveryResult> {
  const secret = deps.config.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw billingNotConfigured('STRIPE_WEBHOOK_SECRET');
  if (!signature) throw new BadRequest('Missing Stripe-Signature header');
  const payload = new TextDecoder().decode(raw);
  try {
    await Stripe.webhooks.constructEventAsync(payload, signature, secret, TOLERANCE_S, Stripe.createSubtleCryptoProvider());
  } catch {
    throw new BadRequest('Stripe-Signature does not verify (wrong secret, tampered body, or older than 5 minutes)');
  }
  // Verified bytes, parsed by us: every field we use is checked, so no payload can 500.
  let parsed: Event;
  try {
    const result = EventSchema.safeParse(JSON.parse(payload));
    if (!result.success) throw new Error('shape');
    parsed = result.data;
  } catch {
    throw new BadRequest('The body is not a Stripe event');
  }
  const event = parsed;

  try {
    const result = await deps.db.transaction(async (tx) => {
      const tenantId = await resolveTenant(tx, event);
      const [stored] = await tx
        .insert(webhookDeliveries)
        .values({ id: newId('webhookDelivery'), provider: 'stripe', tenantId, dedupeKey: event.id, type: event.type, payload: event as unknown as Record<string, unknown> })
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      if (!stored) return { eventId: event.id, type: event.type, tenantId, duplicate: true, outcome: 'ignored' as const, reason: 'duplicate' };
      const reason = tenantId ? await applyEvent(tx, tenantId, event, priceMap(deps.config)) : 'no tenant for this event';
      const outcome = reason ? ('ignored' as const) : ('processed' as const);
      await tx
        .update(webhookDeliveries)
        .set({ status: outcome, processedAt: sql`now()`, attempts: 1, error: reason })
        .where(eq(webhookDeliveries.id, stored.id));
      return { eventId: event.id, type: event.type, tenantId, duplicate: false, outcome, ...(reason ? { reason } : {}) };
    });
    if (result.tenantId && result.outcome === 'processed') forgetStanding(result.tenantId);
    deps.logger.info('stripe webhook', { ...result });
    return result;
  } catch (err) {
    if (err instanceof BadRequest) throw err;
    // Stripe retries any non-2xx for days: a 503 here loses nothing.
    deps.logger.error('stripe webhook not stored', { eventId: event.id, type: event.type, error: err });
    throw new DependencyUnavailable('The database', err, 30);
  }
}

/** The tenant an event is about: named by our metadata / client_reference_id, else by its customer. */
async function resolveTenant(tx: Transaction, event: Event): Promise<string | null> {
  const obj = event.data.object;
  const named: Array<string | null | undefined> = [];
  let customer: string | null | undefined;
  if (event.type === 'checkout.session.completed') {
    const s = CheckoutSession.safeParse(obj);
    if (s.success) {
      named.push(s.data.client_reference_id, s.data.metadata?.tenantId);
      customer = s.data.customer;
    }
  } else if (event.type.startsWith('customer.subscription.')) {
    const s = Subscription.safeParse(obj);
    if (s.success) {
      named.push(s.data.metadata?.tenantId);
      customer = s.data.customer;
    }
  } else if (event.type.startsWith('invoice.')) {
    const s = Invoice.safeParse(obj);
    if (s.success) {
      named.push(s.data.parent?.subscription_details?.metadata?.tenantId, s.data.subscription_details?.metadata?.tenantId);
      customer = s.data.customer;
    }
  } else {
    const loose = z.object({ customer: ref, metadata }).safeParse(obj);
    if (loose.success) {
      named.push(loose.data.metadata?.tenantId);
      customer = loose.data.customer;
    }
  }
  for (const candidate of named) {
    if (!candidate || candidate.length > 64) continue;
    const [t] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, candidate)).limit(1);
    if (t) return t.id;
  }
  if (customer) {
    const [s] = await tx.select({ tenantId: subscriptions.tenantId }).from(subscriptions).where(eq(subscriptions.stripeCustomerId, customer)).limit(1);
    if (s) return s.tenantId;
  }
  return null;
}

/** The event types that change a subscription; any other is stored and ignored. */
const APPLIED = new Set(['checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed']);

/** Applies one event to the tenant's subscription (row locked); returns why it was ignored, or null. */
async function applyEvent(tx: Transaction, tenantId: string, event: Event, prices: PriceMap): Promise<string | null> {
  if (!APPLIED.has(event.type)) return `event type ${event.type} is not used`;
  await tx.insert(subscriptions).values({ tenantId }).onConflictDoNothing();
  const [current] = await tx.select().from(subscriptions).where(eq(subscriptions.tenantId, tenantId)).for('update').limit(1);
  const row = current!;
  const at = new Date(event.created * 1000);
  const older = row.stateAt !== null && at.getTime() < row.stateAt.getTime();
  const obj = event.data.object;

  let patch: Partial<Row> | string;
  switch (event.type) {
    case 'checkout.session.completed':
      patch = checkoutPatch(row, CheckoutSession.safeParse(obj), older);
      break;
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      patch = subscriptionPatch(row, Subscription.safeParse(obj), event.type === 'customer.subscription.deleted', older, prices);
      break;
    case 'invoice.paid':
    case 'invoice.payment_failed':
      patch = invoicePatch(row, Invoice.safeParse(obj), event.type === 'invoice.paid', older);
      break;
    default:
      return `event type ${event.type} is not used`;
  }
  if (typeof patch === 'string') return patch;
  await tx
    .update(subscriptions)
    .set({ ...patch, stateAt: older ? row.stateAt : at, lastEventId: event.id, updatedAt: sql`now()` })
    .where(eq(subscriptions.tenantId, tenantId));
  return null;
}

type Parsed<T> = { success: true; data: T } | { success: false };

function checkoutPatch(row: Row, s: Parsed<z.infer<typeof CheckoutSession>>, older: boolean): Partial<Row> | string {
  if (!s.success) return 'checkout session without the expected fields';
  const { customer, subscription, metadata: meta } = s.data;
  if (!subscription) return 'checkout session without a subscription';
  // Identity always: the customer id is how later invoice events find this tenant.
  const patch: Partial<Row> = customer ? { stripeCustomerId: customer } : {};
  if (row.stripeSubscriptionId === subscription) return patch; // its own events carry the state
  if (older && row.stripeSubscriptionId) return row.stripeCustomerId ? 'older than the state on file' : patch;
  patch.stripeSubscriptionId = subscription;
  const plan = asPlan(meta?.plan);
  if (plan && plan !== 'free') patch.plan = plan;
  // Paid at checkout: active until the subscription's own events say more.
  if (s.data.payment_status === 'paid' || s.data.payment_status === 'no_payment_required') patch.status = 'active';
  return patch;
}

function planOf(sub: z.infer<typeof Subscription>, config: PriceMap): Plan | null {
  const price = sub.items?.data[0]?.price;
  if (price?.id && config[price.id]) return config[price.id]!;
  return asPlan(price?.lookup_key) ?? asPlan(price?.metadata?.plan) ?? asPlan(sub.metadata?.plan);
}

type PriceMap = Record<string, Plan>;

/** STRIPE_PRICE_TEAM → team, STRIPE_PRICE_BROKERAGE → brokerage. */
function priceMap(config: Config): PriceMap {
  const map: PriceMap = {};
  if (config.STRIPE_PRICE_TEAM) map[config.STRIPE_PRICE_TEAM] = 'team';
  if (config.STRIPE_PRICE_BROKERAGE) map[config.STRIPE_PRICE_BROKERAGE] = 'brokerage';
  return map;
}

function subscriptionPatch(row: Row, s: Parsed<z.infer<typeof Subscription>>, deleted: boolean, older: boolean, prices: PriceMap): Partial<Row> | string {
  if (!s.success) return 'subscription without the expected fields';
  const sub = s.data;
  const same = row.stripeSubscriptionId === sub.id;
  if (older) return 'older than the state on file';
  if (same && row.status === 'canceled') return 'the subscription is already canceled';
  if (!same && row.stripeSubscriptionId && !['canceled', 'incomplete_expired'].includes(row.status)) {
    return `another subscription (${row.stripeSubscriptionId}) is current`;
  }
  const item = sub.items?.data[0];
  const periodEnd = sub.current_period_end ?? item?.current_period_end ?? null;
  const seats = item?.quantity ?? sub.quantity;
  const plan = planOf(sub, prices);
  return {
    stripeSubscriptionId: sub.id,
    ...(sub.customer ? { stripeCustomerId: sub.customer } : {}),
    status: deleted ? 'canceled' : sub.status,
    ...(plan ? { plan } : {}),
    ...(seats && seats > 0 ? { seats } : {}),
    currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : row.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
  };
}

function invoicePatch(row: Row, s: Parsed<z.infer<typeof Invoice>>, paid: boolean, older: boolean): Partial<Row> | string {
  if (!s.success) return 'invoice without the expected fields';
  const subscription = s.data.subscription ?? s.data.parent?.subscription_details?.subscription;
  if (!subscription) return 'invoice is not for a subscription';
  if (subscription !== row.stripeSubscriptionId) return 'invoice for a subscription that is not current';
  if (older) return 'older than the state on file';
  if (paid) {
    // A payment settles a dunning state; it never revives a canceled subscription or ends a trial early.
    if (!['past_due', 'unpaid', 'incomplete', 'active'].includes(row.status)) return `invoice paid while ${row.status}: status kept`;
    return { status: 'active' };
  }
  if (!['active', 'trialing', 'past_due'].includes(row.status)) return `payment failed while ${row.status}: status kept`;
  return { status: 'past_due' };
}
