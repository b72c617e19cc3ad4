/**
 * The manager dashboard (PRODUCT.md §3.7): hero metrics, funnel, distributions, commission
 * forecast, alert outcomes per model and the agent leaderboard for a date range, computed in
 * Postgres on every call (one aggregate statement, with the tenant's business rules). Nothing is
 * cached: the figures are as fresh as the rows. Every figure travels with the definition that
 * produced it, so the UI can explain itself.
 */
import { NotFound, ValidationFailed } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { TenantSettingsSchema } from '../tenants/settings';
import { DEFINITIONS, FUNNEL_STAGES, OPEN_STAGES, PRICE_BUCKETS, SPEED_BUCKETS, TIMELINE_BUCKETS, type FunnelStage, type OpenStage, type SpeedBucket, type TimelineBucket } from './buckets';
import { dashboardFigures, type AlertKindRow, type LeaderboardRow } from './queries';

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export interface DashboardQuery {
  from?: Date;
  to?: Date;
  agentId?: string;
}

/**
 * [from, to): to defaults to now, from to 30 days before `to`. The range must be positive and
 * at most 366 days (a leap year), which also bounds the work one call can ask for.
 */
export function resolveRange(q: Pick<DashboardQuery, 'from' | 'to'>, now = new Date()): { from: Date; to: Date } {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (to.getTime() <= from.getTime()) throw new ValidationFailed('The range is not valid', [{ path: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationFailed('The range is not valid', [{ path: 'from', message: `the range may span at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from, to };
}

interface Metric<V> {
  value: V;
  definition: string;
}

export interface Dashboard {
  range: { from: string; to: string; agentId: string | null };
  hero: {
    newLeads: Metric<number>;
    qualified: Metric<number>;
    hot: Metric<number>;
    medianSpeedToLeadMs: Metric<number | null>;
    conversionRate: Metric<number | null>;
  };
  funnel: Array<{ stage: FunnelStage; count: number }>;
  temperature: { hot: number; warm: number; cold: number; unknown: number };
  timeline: Array<{ bucket: TimelineBucket; count: number }>;
  price: Array<{ bucket: string; minCents: number | null; maxCents: number | null; count: number }>;
  speedToLead: { buckets: Array<{ bucket: SpeedBucket; count: number }>; p50Ms: number | null; p90Ms: number | null; measured: number };
  commission: {
    forecastCents: number;
    actualCents: number;
    closedLeads: number;
    closedLeadsWithPrice: number;
    assumptions: { averageSalePriceCents: number; commissionRate: number; teamSplit: number };
    byStage: Array<{ stage: OpenStage; leads: number; closeProbability: number; expectedCents: number }>;
  };
  alertsByModel: Array<AlertKindRow & { precision: number | null }>;
  leaderboard: LeaderboardRow[];
  definitions: typeof DEFINITIONS;
  generatedAt: string;
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);
const ms = (v: number | null) => (v === null ? null : Math.round(v));

export async function getDashboard(ctx: ServiceContext, q: DashboardQuery): Promise<Dashboard> {
  const range = resolveRange(q);
  const figures = await dashboardFigures(ctx, { ...range, agentId: q.agentId });
  if (figures.settings === null) throw new NotFound('Tenant');
  // The leaderboard always holds the filtered person when they belong to this tenant.
  if (q.agentId && figures.leaderboard.length === 0) throw new NotFound('Agent');
  const { totals: leads, alertsByKind: alerts, leaderboard: people } = figures;

  const rules = TenantSettingsSchema.parse(figures.settings).businessRules;
  const perLeadCents = rules.averageSalePriceCents * rules.commissionRate * rules.teamSplit;
  const byStage = OPEN_STAGES.map((stage, i) => {
    const count = leads.openByStage[i] ?? 0;
    const closeProbability = rules.stageCloseProbabilities[stage] ?? 0;
    return { stage, leads: count, closeProbability, expectedCents: Math.round(count * closeProbability * perLeadCents) };
  });
  const closedPriceCents = leads.closedKnownPriceCents + (leads.closed - leads.closedWithPrice) * rules.averageSalePriceCents;
  const [p50, p90] = leads.speedPercentiles ?? [null, null];
  const measured = leads.speed.reduce((a, b) => a + b, 0);

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString(), agentId: q.agentId ?? null },
    hero: {
      newLeads: { value: leads.total, definition: DEFINITIONS.newLeads },
      qualified: { value: leads.funnel[FUNNEL_STAGES.indexOf('qualified')] ?? 0, definition: DEFINITIONS.qualified },
      hot: { value: leads.hot, definition: DEFINITIONS.hot },
      medianSpeedToLeadMs: { value: ms(p50), definition: DEFINITIONS.medianSpeedToLeadMs },
      conversionRate: { value: ratio(leads.closed, leads.total), definition: DEFINITIONS.conversionRate },
    },
    funnel: FUNNEL_STAGES.map((stage, i) => ({ stage, count: leads.funnel[i] ?? 0 })),
    temperature: { hot: leads.hot, warm: leads.warm, cold: leads.cold, unknown: leads.unclassified },
    timeline: [...TIMELINE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: leads.timeline[i] ?? 0 })), { bucket: 'unknown' as const, count: leads.timelineUnknown }],
    price: [
      ...PRICE_BUCKETS.map((b, i) => ({ bucket: b.bucket, minCents: b.min, maxCents: b.max, count: leads.price[i] ?? 0 })),
      { bucket: 'unknown', minCents: null, maxCents: null, count: leads.priceUnknown },
    ],
    speedToLead: { buckets: SPEED_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: leads.speed[i] ?? 0 })), p50Ms: ms(p50), p90Ms: ms(p90), measured },
    commission: {
      forecastCents: byStage.reduce((sum, s) => sum + s.expectedCents, 0),
      actualCents: Math.round(closedPriceCents * rules.commissionRate * rules.teamSplit),
      closedLeads: leads.closed,
      closedLeadsWithPrice: leads.closedWithPrice,
      assumptions: { averageSalePriceCents: rules.averageSalePriceCents, commissionRate: rules.commissionRate, teamSplit: rules.teamSplit },
      byStage,
    },
    alertsByModel: alerts.map((a) => ({ ...a, medianAckMs: ms(a.medianAckMs), precision: ratio(a.converted, a.converted + a.dismissed) })),
    leaderboard: people.map((p) => ({ ...p, medianSpeedToLeadMs: ms(p.medianSpeedToLeadMs) })).sort(byPerformance),
    definitions: DEFINITIONS,
    generatedAt: new Date().toISOString(),
  };
}

/** Converted, then qualified, then volume, then the faster responder (unmeasured last), then name. */
function byPerformance(a: LeaderboardRow, b: LeaderboardRow): number {
  return (
    b.converted - a.converted ||
    b.qualified - a.qualified ||
    b.leads - a.leads ||
    (a.medianSpeedToLeadMs ?? Infinity) - (b.medianSpeedToLeadMs ?? Infinity) ||
    a.name.localeCompare(b.name) ||
    a.agentId.localeCompare(b.agentId)
  );
}
