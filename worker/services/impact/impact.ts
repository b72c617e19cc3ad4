/**
 * GET /v1/impact: the measured roll-ups priced with the tenant's own assumptions. Every figure
 * carries the assumption it rests on, so a team lead can see why the number is what it is and
 * change what they disagree with (PATCH /v1/tenant settings.impact).
 *
 *   value per success   = average sale × commission rate × team split   (business rules)
 *   revenue impact      = successes × conversion lift × value per success
 *   time saved          = uses × minutes saved per use; its value = hours × agent hour
 *   operating cost      = infra per day ÷ 4 features × days + AI tokens × price (or recorded cost)
 *   net impact          = revenue impact + time value − operating cost;  ROI = net ÷ cost
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { IMPACT_FEATURES, impactDaily, type ImpactFeature } from '../../db/schema';
import type { ServiceContext } from '../context';
import { getTenant } from '../tenants/tenant';
import { IMPACT_DEFINITIONS } from './rollup';

export async function getImpact(ctx: ServiceContext, range: { from: string; to: string }) {
  const tenant = await getTenant(ctx);
  const { impact: a, businessRules: b } = tenant.settings;
  const rows = await ctx.db
    .select({
      feature: impactDaily.feature,
      uses: sql<number>`sum(${impactDaily.uses})::int`,
      successes: sql<number>`sum(${impactDaily.successes})::int`,
      inputTokens: sql<number>`sum(${impactDaily.inputTokens})::bigint`,
      outputTokens: sql<number>`sum(${impactDaily.outputTokens})::bigint`,
      aiCostMicroUsd: sql<number>`sum(${impactDaily.aiCostMicroUsd})::bigint`,
      lastComputedAt: sql<Date | null>`max(${impactDaily.computedAt})`,
    })
    .from(impactDaily)
    .where(and(eq(impactDaily.tenantId, ctx.tenantId), gte(impactDaily.day, range.from), lt(impactDaily.day, nextDay(range.to))))
    .groupBy(impactDaily.feature);
  const byFeature = new Map(rows.map((r) => [r.feature, r]));
  const days = Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
  const valuePerSuccessCents = Math.round(b.averageSalePriceCents * b.commissionRate * b.teamSplit);

  const features = IMPACT_FEATURES.map((feature: ImpactFeature) => {
    const m = byFeature.get(feature);
    const f = a.features[feature];
    const uses = Number(m?.uses ?? 0);
    const successes = Number(m?.successes ?? 0);
    const inputTokens = Number(m?.inputTokens ?? 0);
    const outputTokens = Number(m?.outputTokens ?? 0);
    // Coaching records what each analysis cost; otherwise tokens × the tenant's prices.
    const recordedCents = Number(m?.aiCostMicroUsd ?? 0) / 10_000;
    const aiCostCents = Math.round(recordedCents > 0 ? recordedCents : (inputTokens * a.aiInputCentsPerMTok + outputTokens * a.aiOutputCentsPerMTok) / 1_000_000);
    const infraCostCents = Math.round((a.infraCostPerDayCents / IMPACT_FEATURES.length) * days);
    const revenueImpactCents = Math.round(successes * f.conversionLift * valuePerSuccessCents);
    const timeSavedHours = Math.round(((uses * f.minutesSavedPerUse) / 60) * 10) / 10;
    const timeValueCents = Math.round(timeSavedHours * a.agentHourCents);
    const operatingCostCents = aiCostCents + infraCostCents;
    const netImpactCents = revenueImpactCents + timeValueCents - operatingCostCents;
    return {
      feature,
      measured: { uses, successes, inputTokens, outputTokens, definitions: IMPACT_DEFINITIONS[feature] },
      assumptions: { conversionLift: f.conversionLift, valuePerSuccessCents, minutesSavedPerUse: f.minutesSavedPerUse, agentHourCents: a.agentHourCents },
      revenueImpactCents,
      timeSavedHours,
      timeValueCents,
      cost: { aiCents: aiCostCents, infraCents: infraCostCents, totalCents: operatingCostCents },
      netImpactCents,
      roi: operatingCostCents > 0 ? Math.round((netImpactCents / operatingCostCents) * 100) / 100 : null,
    };
  });
  const sum = (pick: (f: (typeof features)[number]) => number) => features.reduce((s, f) => s + pick(f), 0);
  const cost = sum((f) => f.cost.totalCents);
  const net = sum((f) => f.netImpactCents);
  return {
    range: { ...range, days },
    features,
    totals: {
      revenueImpactCents: sum((f) => f.revenueImpactCents),
      timeValueCents: sum((f) => f.timeValueCents),
      operatingCostCents: cost,
      netImpactCents: net,
      roi: cost > 0 ? Math.round((net / cost) * 100) / 100 : null,
    },
    assumptions: {
      valuePerSuccess: `average sale ${b.averageSalePriceCents / 100} × commission ${b.commissionRate} × team split ${b.teamSplit} (Admin → Business rules)`,
      infraCostPerDayCents: a.infraCostPerDayCents,
      aiCentsPerMTok: { input: a.aiInputCentsPerMTok, output: a.aiOutputCentsPerMTok },
    },
    computedAt: rows.reduce<Date | null>((latest, r) => (r.lastComputedAt && (!latest || r.lastComputedAt > latest) ? r.lastComputedAt : latest), null),
  };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
