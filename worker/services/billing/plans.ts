import type { SubscriptionStatus } from '../../db/schema';

/**
 * The plans LeadPulse sells (PRODUCT.md §3.9).
 * - free: 3 seats; the seller bot, alerts (routed to everyone, without the SLA ladder) and the
 *   dashboard — enough for a small team to see value.
 * - team: seats = the Stripe subscription's quantity; adds routing rules, trained scoring models,
 *   churn recovery and tenant webhooks.
 * - brokerage: seats = quantity; everything in team plus coaching, experiments and SLA escalation.
 * Seats are enforced (creating a user beyond them is refused); a paid feature gates its writes
 * and its jobs (requirePlanFeature / planAllows in billing.ts), never the reading of data a
 * tenant already has: a tenant that drops to free still reads its rules, models and reports.
 * The dashboard is a read, so it is on every plan.
 */
export const PLANS = ['free', 'team', 'brokerage'] as const;
export type Plan = (typeof PLANS)[number];
export const PAID_PLANS = ['team', 'brokerage'] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];

export const FREE_SEATS = 3;

const FREE_FEATURES = ['seller_bot', 'alerts', 'dashboard'] as const;
const TEAM_FEATURES = [...FREE_FEATURES, 'routing_rules', 'scoring_models', 'churn_recovery', 'tenant_webhooks'] as const;
const BROKERAGE_FEATURES = [...TEAM_FEATURES, 'coaching', 'experiments', 'sla_escalation'] as const;
export type PlanFeature = (typeof BROKERAGE_FEATURES)[number];

export const PLAN_FEATURES: Record<Plan, readonly PlanFeature[]> = { free: FREE_FEATURES, team: TEAM_FEATURES, brokerage: BROKERAGE_FEATURES };

/** How a refusal names a feature ("Routing rules are part of the Team plan"). */
const FEATURE_NAMES: Record<PlanFeature, { name: string; plural: boolean }> = {
  seller_bot: { name: 'The seller bot', plural: false },
  alerts: { name: 'Alerts', plural: true },
  dashboard: { name: 'The dashboard', plural: false },
  routing_rules: { name: 'Routing rules', plural: true },
  scoring_models: { name: 'Trained scoring models', plural: true },
  churn_recovery: { name: 'Churn recovery', plural: false },
  tenant_webhooks: { name: 'Outbound webhooks', plural: true },
  coaching: { name: 'Coaching', plural: false },
  experiments: { name: 'Experiments', plural: true },
  sla_escalation: { name: 'SLA escalation', plural: false },
};

export function asPlan(value: string | null | undefined): Plan | null {
  return value && (PLANS as readonly string[]).includes(value) ? (value as Plan) : null;
}

/**
 * Statuses in which a tenant loses automation (bot replies and follow-ups, alerts, scoring jobs)
 * but keeps reading everything. `incomplete`/`incomplete_expired` are a first payment that never
 * went through: the tenant keeps what it had before (the free plan's automation).
 */
const AUTOMATION_OFF: ReadonlySet<SubscriptionStatus> = new Set(['past_due', 'canceled', 'unpaid', 'paused']);

export function automationAllowedFor(status: SubscriptionStatus): boolean {
  return !AUTOMATION_OFF.has(status);
}

/**
 * Statuses in which the subscription still exists, so the tenant keeps its plan's features.
 * A dunning tenant (past_due, unpaid, paused) may still edit what it paid for — its automation is
 * off by AUTOMATION_OFF, and taking its settings away would punish a late card twice. A canceled
 * or never-paid subscription (none, incomplete, incomplete_expired) is the free plan.
 */
const SUBSCRIBED: ReadonlySet<SubscriptionStatus> = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);

/** The plan whose features apply: the subscription's while it exists, free otherwise. */
export function featurePlanFor(plan: Plan, status: SubscriptionStatus): Plan {
  return SUBSCRIBED.has(status) ? plan : 'free';
}

export function planHas(plan: Plan, feature: PlanFeature): boolean {
  return PLAN_FEATURES[plan].includes(feature);
}

/** The cheapest plan that includes the feature (what a refusal tells the buyer to upgrade to). */
export function cheapestPlanWith(feature: PlanFeature): Plan {
  return PLANS.find((p) => planHas(p, feature))!;
}

const planName = (plan: Plan) => plan[0]!.toUpperCase() + plan.slice(1);

/** "Routing rules are part of the Team plan; this tenant is on Free (its Team subscription is canceled)". */
export function featureRefusal(feature: PlanFeature, subscribed: { plan: Plan; status: SubscriptionStatus }, effective: Plan): string {
  const { name, plural } = FEATURE_NAMES[feature];
  const lapsed = subscribed.plan !== effective && subscribed.status !== 'none' ? ` (its ${planName(subscribed.plan)} subscription is ${subscribed.status.replace(/_/g, ' ')})` : '';
  return `${name} ${plural ? 'are' : 'is'} part of the ${planName(cheapestPlanWith(feature))} plan; this tenant is on ${planName(effective)}${lapsed}`;
}
