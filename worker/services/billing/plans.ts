import type { SubscriptionStatus } from '../../db/schema';

/**
 * The plans LeadPulse sells (PRODUCT.md §3.9).
 * - free: 3 seats; the seller bot and alerts — enough for a small team to see value.
 * - team: seats = the Stripe subscription's quantity; adds routing rules, scoring models, churn
 *   recovery, the dashboard and tenant webhooks.
 * - brokerage: seats = quantity; everything in team plus coaching, experiments and SLA escalation.
 * Seats are enforced (creating a user beyond them is refused); the feature list is what the
 * billing screen shows and what later gates read.
 */
export const PLANS = ['free', 'team', 'brokerage'] as const;
export type Plan = (typeof PLANS)[number];
export const PAID_PLANS = ['team', 'brokerage'] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];

export const FREE_SEATS = 3;

const FREE_FEATURES = ['seller_bot', 'alerts'];
const TEAM_FEATURES = [...FREE_FEATURES, 'routing_rules', 'scoring_models', 'churn_recovery', 'dashboard', 'tenant_webhooks'];
const BROKERAGE_FEATURES = [...TEAM_FEATURES, 'coaching', 'experiments', 'sla_escalation'];

export const PLAN_FEATURES: Record<Plan, readonly string[]> = { free: FREE_FEATURES, team: TEAM_FEATURES, brokerage: BROKERAGE_FEATURES };

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
