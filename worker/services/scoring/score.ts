/**
 * Scoring: a lead's events, conversation and property facts → the 11 signals → the four model
 * probabilities (the tenant's active trained model for a kind, else the documented prior) → the
 * 0–100 lead score, written to `lead_scores` and the lead; an alert is raised for each kind whose
 * probability crosses the tenant's threshold.
 *
 * Batched: a call scores up to a few hundred leads with a fixed number of statements (leads,
 * events, previous scores, one upsert, one update), so the 5-minute job and the immediate path
 * after a strong event share the same code.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { events, leads, leadScores, MODEL_KINDS, type ModelKind } from '../../db/schema';
import { computeSignals, countsLast30Days, countWithin, LIFE_EVENT_DAYS, SUMMARY_WINDOWS, VISIT_DAYS_WINDOW, type EventSummary } from '../../intelligence/signals/signals';
import { compileReasons, featureRow, leadScore, PRIOR_VERSION, scoreWithPrior, toCsvRow, type FeatureRow, type KindScore, type PropertyFeatureFacts } from '../../intelligence/scoring';
import { predict, type ScoringModel } from '../../intelligence/models';
import type { ServiceContext } from '../context';
import { getTenant } from '../tenants/tenant';

/** What scoring needs of the tenant's trained models (services/models/active.ts supplies them). */
export type ActiveModels = Partial<Record<ModelKind, { versionId: string; model: ScoringModel }>>;

export interface LeadScoring {
  leadId: string;
  leadScore: number;
  features: FeatureRow;
  models: Record<ModelKind, KindScore & { modelVersion: string; previous: number | null }>;
  signals: ReturnType<typeof computeSignals>;
}

const DAY = 86_400_000;
/** Types whose latest properties describe the home and its market rather than behaviour. */
const FACT_TYPES = ['property_facts', 'market_facts'];

const SCORED_LEAD_COLUMNS = {
  id: leads.id,
  kind: leads.kind,
  stage: leads.stage,
  temperature: leads.temperature,
  timelineDays: leads.timelineDays,
  motivationCategory: leads.motivationCategory,
  condition: leads.condition,
  priceCents: leads.priceCents,
  estimateCents: leads.estimateCents,
  lastInboundAt: leads.lastInboundAt,
  phone: leads.phone,
  optedOut: leads.optedOut,
  dnd: leads.dnd,
};
type LeadRow = { [K in keyof typeof SCORED_LEAD_COLUMNS]: (typeof leads.$inferSelect)[K] };

/** Loads what a page of leads needs and computes their scores (no writes: see saveScores). */
export async function scoreLeads(ctx: ServiceContext, leadIds: readonly string[], models: ActiveModels, now = new Date()): Promise<LeadScoring[]> {
  if (!leadIds.length) return [];
  const ids = [...new Set(leadIds)];
  const [tenant, rows, summaries, facts, previous] = await Promise.all([
    getTenant(ctx),
    // Only what scoring reads: a lead row also carries its conversation state and CRM fields.
    ctx.db
      .select(SCORED_LEAD_COLUMNS)
      .from(leads)
      .where(and(eq(leads.tenantId, ctx.tenantId), inArray(leads.id, ids), isNull(leads.deletedAt))),
    // Behaviour, aggregated where it lives: per lead, the counts per type and window, the
    // site-visit days and the life-event kinds (EventSummary). A 10 000-lead tenant has some
    // 120 000 recent events; shipping each row to the Worker was most of a rescore's time.
    eventSummaries(ctx.db, ctx.tenantId, ids, now),
    ctx.db
      .selectDistinctOn([events.leadId, events.type], { leadId: events.leadId, type: events.type, properties: events.properties })
      .from(events)
      .where(and(eq(events.tenantId, ctx.tenantId), inArray(events.leadId, ids), inArray(events.type, FACT_TYPES)))
      .orderBy(events.leadId, events.type, sql`${events.occurredAt} desc`),
    ctx.db
      .select({ leadId: leadScores.leadId, kind: leadScores.kind, probability: leadScores.probability })
      .from(leadScores)
      .where(and(eq(leadScores.tenantId, ctx.tenantId), inArray(leadScores.leadId, ids))),
  ]);
  if (!rows.length) return [];

  const factsOf = groupBy(facts, (f) => f.leadId);
  const previousOf = new Map(previous.map((p) => [`${p.leadId}:${p.kind}`, p.probability]));
  const thresholds = tenant.settings.signalThresholds;

  const results = rows.map((lead) => {
    const summary = summaries.get(lead.id) ?? NO_EVENTS;
    const property = propertyFacts(lead, factsOf.get(lead.id) ?? []);
    const market = marketFacts(factsOf.get(lead.id) ?? [], summary);
    const signals = computeSignals({ now, summary, property, market, thresholds });
    const counts = countsLast30Days(summary);
    const features = featureRow({ now, lead, signals, eventCounts30d: counts, property: { ...property, currentRatePct: market.currentRatePct } });
    const csvRow = toCsvRow(features);
    const scored = {} as LeadScoring['models'];
    for (const kind of MODEL_KINDS) {
      const active = models[kind];
      const s = active ? compileReasons(predict(active.model, csvRow, { topReasons: 5 })) : scoreWithPrior(kind, features);
      scored[kind] = { ...s, modelVersion: active?.versionId ?? PRIOR_VERSION, previous: previousOf.get(`${lead.id}:${kind}`) ?? null };
    }
    const answered = [lead.motivationCategory, lead.timelineDays, lead.condition, lead.priceCents].filter((v) => v != null).length;
    const score = leadScore({
      probabilities: MODEL_KINDS.map((k) => scored[k].probability),
      answered,
      temperature: lead.temperature,
      replied: lead.lastInboundAt != null,
      reachable: lead.phone != null && !lead.optedOut && !lead.dnd,
    });
    return { leadId: lead.id, leadScore: score, features, models: scored, signals };
  });

  return results;
}

/**
 * Writes a scoring run: the four probabilities per lead (one upsert) and each lead's score and
 * signals (one update). Rows travel as one JSON parameter: a 500-lead page as 2 000 VALUES rows
 * would be 16 000 bind parameters for Postgres to parse. The feature row is not written here:
 * nothing reads it from lead_scores (an alert keeps its own snapshot, which is what outcomes
 * train on), and four copies per lead were most of a rescore's write time.
 */
export async function saveScores(ctx: ServiceContext, results: readonly LeadScoring[], now: Date): Promise<void> {
  if (!results.length) return;
  const scores = JSON.stringify(
    results.flatMap((r) => MODEL_KINDS.map((kind) => ({ lead_id: r.leadId, kind, probability: r.models[kind].probability, model_version: r.models[kind].modelVersion, reasons: r.models[kind].reasons }))),
  );
  const perLead = JSON.stringify(results.map((r) => ({ id: r.leadId, score: r.leadScore, signals: r.signals })));
  await Promise.all([
    ctx.db.execute(sql`
      insert into ${leadScores} (tenant_id, lead_id, kind, probability, model_version, reasons, scored_at)
      select ${ctx.tenantId}::text, v.lead_id, v.kind, v.probability, v.model_version, v.reasons, ${now}::timestamptz
      from jsonb_to_recordset(${scores}::jsonb) as v(lead_id text, kind text, probability real, model_version text, reasons jsonb)
      on conflict (lead_id, kind) do update set probability = excluded.probability, model_version = excluded.model_version,
        reasons = excluded.reasons, scored_at = excluded.scored_at`),
    ctx.db.execute(sql`
      update ${leads} set lead_score = v.score, signals = v.signals, scored_at = ${now}::timestamptz, updated_at = now()
      from jsonb_to_recordset(${perLead}::jsonb) as v(id text, score int, signals jsonb)
      where ${leads.id} = v.id and ${leads.tenantId} = ${ctx.tenantId}::text`),
  ]);
}

const NO_EVENTS: EventSummary = { counts: {}, siteVisitDays14: 0, lifeEventKinds: [] };

/**
 * Each lead's EventSummary, aggregated by Postgres; leads without events in the windows are
 * absent. Must agree with summarizeEvents (signals.ts) on the same events; a test checks it.
 */
export async function eventSummaries(db: ServiceContext['db'], tenantId: string, leadIds: readonly string[], now: Date): Promise<Map<string, EventSummary>> {
  const { rows } = await db.execute<{ lead_id: string; counts: EventSummary['counts'] | null; visit_days: number; life_kinds: string[] | null }>(eventSummaryQuery(tenantId, leadIds, now));
  return new Map(rows.map((r) => [r.lead_id, { counts: r.counts ?? {}, siteVisitDays14: r.visit_days, lifeEventKinds: r.life_kinds ?? [] }]));
}

/**
 * One row per lead with events in the windows: `counts` maps each type to its counts over
 * SUMMARY_WINDOWS (each window ends now: future-dated events never count), `visit_days` is the
 * distinct UTC days with a site visit in the last 14 days, `life_kinds` the kind of each life
 * event of the last 180 days.
 */
function eventSummaryQuery(tenantId: string, leadIds: readonly string[], now: Date) {
  const since = (days: number) => new Date(now.getTime() - days * DAY);
  const [w7, w14, w30, w37] = SUMMARY_WINDOWS.map(since) as [Date, Date, Date, Date];
  const visitSince = since(VISIT_DAYS_WINDOW);
  const lifeSince = since(LIFE_EVENT_DAYS);
  return sql`
    select lead_id,
      jsonb_object_agg(type, jsonb_build_array(d7, d14, d30, d37)) filter (where d37 > 0) as counts,
      coalesce(max(visit_days), 0)::int as visit_days,
      (array_agg(life) filter (where life is not null))[1] as life_kinds
    from (
      select ${events.leadId} as lead_id, ${events.type} as type,
        count(*) filter (where ${events.occurredAt} >= ${w7})::int as d7,
        count(*) filter (where ${events.occurredAt} >= ${w14})::int as d14,
        count(*) filter (where ${events.occurredAt} >= ${w30})::int as d30,
        count(*) filter (where ${events.occurredAt} >= ${w37})::int as d37,
        count(distinct floor(extract(epoch from ${events.occurredAt}) / 86400))
          filter (where ${events.type} = 'site_visit' and ${events.occurredAt} >= ${visitSince})::int as visit_days,
        jsonb_agg(coalesce(${events.properties} ->> 'kind', ''))
          filter (where ${events.type} = 'life_event' and ${events.occurredAt} >= ${lifeSince}) as life
      from ${events}
      where ${events.tenantId} = ${tenantId} and ${inArray(events.leadId, [...leadIds])} and ${events.occurredAt} <= ${now}
        and (${events.occurredAt} >= ${w37} or (${events.type} = 'life_event' and ${events.occurredAt} >= ${lifeSince}))
      group by 1, 2
    ) per_type
    group by lead_id`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const date = (v: unknown): Date | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

/**
 * Property facts come from the newest `property_facts` event ({ purchaseDate, estimateCents,
 * mortgageBalanceCents, mortgageRatePct }); the lead's own estimate (from the CRM) wins when set.
 */
function propertyFacts(lead: LeadRow, facts: Array<{ type: string; properties: Record<string, unknown> }>): PropertyFeatureFacts {
  const p = facts.find((f) => f.type === 'property_facts')?.properties ?? {};
  return {
    purchaseDate: date(p.purchaseDate),
    estimateCents: lead.estimateCents ?? num(p.estimateCents),
    mortgageBalanceCents: num(p.mortgageBalanceCents),
    mortgageRatePct: num(p.mortgageRatePct),
  };
}

/**
 * Market facts: the newest `market_facts` event ({ currentRatePct, nearbyListings30d,
 * nearbySales30d }), with `nearby_listing` / `nearby_sale` events in the last 30 days counted
 * when the feed sends them one by one.
 */
function marketFacts(facts: Array<{ type: string; properties: Record<string, unknown> }>, summary: EventSummary) {
  const m = facts.find((f) => f.type === 'market_facts')?.properties ?? {};
  const recent = (type: string) => countWithin(summary, [type], 30);
  return {
    currentRatePct: num(m.currentRatePct),
    nearbyListings30d: (num(m.nearbyListings30d) ?? 0) + recent('nearby_listing'),
    nearbySales30d: (num(m.nearbySales30d) ?? 0) + recent('nearby_sale'),
  };
}
