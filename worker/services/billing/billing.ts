/**
 * A tenant's billing as the rest of LeadPulse sees it: the plan and its seats, whether automation
 * may run, which paid features it may use, and the Stripe Checkout and Customer Portal pages.
 * The subscription row is written only by the Stripe webhook (stripe-events.ts); a tenant without
 * one is on the free plan.
 */
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Config } from '../../config';
import { subscriptions, users, type SubscriptionStatus } from '../../db/schema';
import { Conflict, DependencyUnavailable, PlanFeatureRequired, SeatLimitReached, ServiceError, ValidationFailed } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { asPlan, automationAllowedFor, cheapestPlanWith, featurePlanFor, featureRefusal, FREE_SEATS, PLAN_FEATURES, planHas, type PaidPlan, type Plan, type PlanFeature } from './plans';

export interface Billing {
  plan: Plan;
  status: SubscriptionStatus;
  seats: number;
  seatsUsed: number;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  automation: boolean;
  features: string[];
}

interface Entitlement {
  plan: Plan;
  status: SubscriptionStatus;
  seats: number;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
}

async function entitlement(ctx: ServiceContext): Promise<Entitlement> {
  const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.tenantId, ctx.tenantId)).limit(1);
  if (!row) return { plan: 'free', status: 'none', seats: FREE_SEATS, currentPeriodEnd: null, cancelAtPeriodEnd: false, stripeCustomerId: null, stripeSubscriptionId: null };
  return {
    plan: asPlan(row.plan) ?? 'free',
    status: row.status,
    seats: row.seats,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    stripeCustomerId: row.stripeCustomerId,
    stripeSubscriptionId: row.stripeSubscriptionId,
  };
}

async function seatsUsed(ctx: ServiceContext): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(users).where(and(eq(users.tenantId, ctx.tenantId), isNull(users.deletedAt)));
  return Number(row?.n ?? 0);
}

export async function getBilling(ctx: ServiceContext): Promise<Billing> {
  const [e, used] = await Promise.all([entitlement(ctx), seatsUsed(ctx)]);
  return {
    plan: e.plan,
    status: e.status,
    seats: e.seats,
    seatsUsed: used,
    currentPeriodEnd: e.currentPeriodEnd,
    cancelAtPeriodEnd: e.cancelAtPeriodEnd,
    automation: automationAllowedFor(e.status),
    // What the gates allow: a canceled subscription shows its plan but the free plan's features.
    features: [...PLAN_FEATURES[featurePlanFor(e.plan, e.status)]],
  };
}

/**
 * Refuses a new user when every seat is taken. Call inside the transaction that inserts the user:
 * the per-tenant advisory lock makes two concurrent additions count one after the other.
 */
export async function assertSeatAvailable(ctx: ServiceContext): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`seats:${ctx.tenantId}`}))`);
  const [e, used] = await Promise.all([entitlement(ctx), seatsUsed(ctx)]);
  if (used >= e.seats) throw new SeatLimitReached(used, e.seats, e.plan);
}

/**
 * Automation (bot replies and follow-ups, alerts, scoring jobs) and plan features are checked on
 * hot paths, so the subscription's plan and status are kept per isolate for STANDING_TTL_MS; a
 * Stripe webhook handled in this isolate forgets them at once, other isolates follow within the TTL.
 */
const STANDING_TTL_MS = 30_000;
const standingCache = new Map<string, { plan: Plan; status: SubscriptionStatus; until: number }>();

async function standing(ctx: ServiceContext): Promise<{ plan: Plan; status: SubscriptionStatus }> {
  const hit = standingCache.get(ctx.tenantId);
  if (hit && hit.until > Date.now()) return hit;
  const [row] = await ctx.db.select({ plan: subscriptions.plan, status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.tenantId, ctx.tenantId)).limit(1);
  const fresh = { plan: asPlan(row?.plan) ?? 'free', status: row?.status ?? 'none', until: Date.now() + STANDING_TTL_MS };
  standingCache.set(ctx.tenantId, fresh);
  return fresh;
}

export async function automationAllowed(ctx: ServiceContext): Promise<boolean> {
  return automationAllowedFor((await standing(ctx)).status);
}

/** Whether the tenant's plan includes the feature: for jobs, which skip a tenant quietly. */
export async function planAllows(ctx: ServiceContext, feature: PlanFeature): Promise<boolean> {
  const s = await standing(ctx);
  return planHas(featurePlanFor(s.plan, s.status), feature);
}

/**
 * Refuses a write or action of a paid feature the tenant's plan lacks (402 plan_feature_required).
 * Never called on reads: a tenant that dropped to free still sees what it made on a paid plan.
 */
export async function requirePlanFeature(ctx: ServiceContext, feature: PlanFeature): Promise<void> {
  const s = await standing(ctx);
  const plan = featurePlanFor(s.plan, s.status);
  if (planHas(plan, feature)) return;
  throw new PlanFeatureRequired(featureRefusal(feature, s, plan), { feature, plan, requiredPlan: cheapestPlanWith(feature) });
}

export function forgetStanding(tenantId: string): void {
  standingCache.delete(tenantId);
}

export function billingNotConfigured(what: string): ServiceError {
  return new ServiceError('billing_not_configured', `Billing is not configured on this deployment (${what} is not set); paid plans cannot be bought here`, {
    details: { variables: [what] },
  });
}

/**
 * The Stripe API client: fetch-based (Workers have no Node http), pointed at STRIPE_API_BASE_URL
 * when that is set (a local stand-in), at api.stripe.com otherwise.
 */
export function stripeClient(config: Config): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw billingNotConfigured('STRIPE_SECRET_KEY');
  const base = config.STRIPE_API_BASE_URL ? new URL(config.STRIPE_API_BASE_URL) : null;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
    timeout: 10_000,
    ...(base ? { host: base.hostname, port: Number(base.port || (protocol === 'http' ? 80 : 443)), protocol } : {}),
  });
}

const PRICE_VARIABLE: Record<PaidPlan, 'STRIPE_PRICE_TEAM' | 'STRIPE_PRICE_BROKERAGE'> = { team: 'STRIPE_PRICE_TEAM', brokerage: 'STRIPE_PRICE_BROKERAGE' };

/** A Stripe Checkout page for a paid plan; the webhook records the subscription once it is paid. */
export async function createCheckout(ctx: ServiceContext, input: { plan: PaidPlan; seats: number }): Promise<{ url: string }> {
  const stripe = stripeClient(ctx.config);
  const price = ctx.config[PRICE_VARIABLE[input.plan]];
  if (!price) throw billingNotConfigured(PRICE_VARIABLE[input.plan]);
  const [e, used] = await Promise.all([entitlement(ctx), seatsUsed(ctx)]);
  if (input.seats < used) {
    throw new ValidationFailed(`The team already has ${used} users; buy at least ${used} seats`, [{ path: 'seats', message: `must be at least ${used}` }]);
  }
  if (e.stripeSubscriptionId && ['active', 'trialing', 'past_due'].includes(e.status)) {
    throw new Conflict('This account already has a subscription; change it from the billing portal', { status: e.status, plan: e.plan });
  }
  const session = await callStripe(ctx, 'checkout', () =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price, quantity: input.seats }],
      client_reference_id: ctx.tenantId,
      metadata: { tenantId: ctx.tenantId, plan: input.plan },
      // The subscription carries the tenant too: its events can arrive before the session's.
      subscription_data: { metadata: { tenantId: ctx.tenantId, plan: input.plan } },
      ...(e.stripeCustomerId ? { customer: e.stripeCustomerId } : {}),
      success_url: `${billingPage(ctx)}?checkout=success`,
      cancel_url: `${billingPage(ctx)}?checkout=cancelled`,
    }),
  );
  if (!session.url) throw new DependencyUnavailable('Stripe');
  ctx.logger.info('stripe checkout created', { plan: input.plan, seats: input.seats, sessionId: session.id });
  return { url: session.url };
}

/**
 * A Stripe Customer Portal page, where the buyer changes seats or plan, updates the card, reads
 * invoices or cancels; what they change comes back through the webhook like any other update.
 */
export async function createPortal(ctx: ServiceContext): Promise<{ url: string }> {
  const stripe = stripeClient(ctx.config);
  const e = await entitlement(ctx);
  if (!e.stripeCustomerId) {
    throw new Conflict('This account has no Stripe customer yet (it has never subscribed); choose a plan through checkout first', { plan: e.plan, status: e.status });
  }
  const session = await callStripe(ctx, 'billing portal', () => stripe.billingPortal.sessions.create({ customer: e.stripeCustomerId!, return_url: billingPage(ctx) }));
  ctx.logger.info('stripe billing portal created', { sessionId: session.id });
  return { url: session.url };
}

/** Where Stripe sends the buyer back to. */
function billingPage(ctx: ServiceContext): string {
  return `${ctx.config.APP_URL.replace(/\/$/, '')}/billing`;
}

/** Any Stripe failure (down, refused, misconfigured account) is a 503 for our caller; the detail goes to the log. */
async function callStripe<T>(ctx: ServiceContext, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    ctx.logger.warn(`stripe ${what} failed`, { error: (err as Error).message });
    throw new DependencyUnavailable('Stripe', err);
  }
}
