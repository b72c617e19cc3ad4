/**
 * The eleven behavioural signals of PRODUCT.md §3.4, computed from a lead's recent events, its
 * conversation fields and property facts. Pure: the scorer hands in what it loaded. Each signal
 * has a strength (how strongly it points at a move, 0–1) and a confidence (how much data it
 * rests on, 0–1), plus evidence an agent can read.
 *
 * Fair Housing: no signal reads a protected attribute or a proxy for one. "Life event" counts
 * only events about the property or the owner's stated plans (job relocation, probate/estate,
 * retirement-driven downsizing the owner declared) — never marriage, divorce, births or age.
 */

export const SIGNAL_CATEGORIES = {
  listing_view_spike: 'engagement',
  saved_search: 'engagement',
  home_valuation_request: 'engagement',
  email_engagement: 'engagement',
  return_visit_frequency: 'engagement',
  equity_milestone: 'financial',
  rate_drop_opportunity: 'financial',
  mortgage_calculator_use: 'financial',
  tenure_threshold: 'life_property',
  nearby_market_activity: 'life_property',
  life_event: 'life_property',
} as const;

export type SignalType = keyof typeof SIGNAL_CATEGORIES;
export type SignalCategory = (typeof SIGNAL_CATEGORIES)[SignalType];

export interface Signal {
  type: SignalType;
  category: SignalCategory;
  strength: number;
  confidence: number;
  evidence: string;
}

export interface SignalEvent {
  type: string;
  occurredAt: Date;
  properties?: Record<string, unknown>;
}

const DAY = 86_400_000;

/** The windows (days back from now) the signals and the feature row count events over. */
export const SUMMARY_WINDOWS = [7, 14, 30, 37] as const;
/** How far back a life event still counts. */
export const LIFE_EVENT_DAYS = 180;
/** Site visits are counted as distinct days over this window. */
export const VISIT_DAYS_WINDOW = 14;

/**
 * What the signals read of a lead's events: per type, how many fell in each window (`counts[type]`
 * in SUMMARY_WINDOWS order, each window ending now, so future-dated events never count), the
 * distinct UTC days with a site visit in the last 14 days, and the `kind` of each life event of
 * the last 180 days. The scorer has Postgres aggregate it (services/scoring/score.ts); anything
 * holding raw events uses summarizeEvents. Both must agree: a test compares them.
 */
export interface EventSummary {
  counts: Record<string, readonly [d7: number, d14: number, d30: number, d37: number]>;
  siteVisitDays14: number;
  lifeEventKinds: string[];
}

export function summarizeEvents(events: readonly SignalEvent[], now: Date): EventSummary {
  const at = now.getTime();
  const counts: Record<string, [number, number, number, number]> = {};
  const visitDays = new Set<number>();
  const lifeEventKinds: string[] = [];
  for (const e of events) {
    const t = e.occurredAt.getTime();
    if (t > at) continue;
    const age = at - t;
    if (e.type === 'life_event' && age <= LIFE_EVENT_DAYS * DAY) lifeEventKinds.push(String(e.properties?.kind ?? ''));
    if (age > SUMMARY_WINDOWS[3] * DAY) continue;
    const c = (counts[e.type] ??= [0, 0, 0, 0]);
    SUMMARY_WINDOWS.forEach((days, i) => {
      if (age <= days * DAY) c[i]!++;
    });
    if (e.type === 'site_visit' && age <= VISIT_DAYS_WINDOW * DAY) visitDays.add(Math.floor(t / DAY));
  }
  return { counts, siteVisitDays14: visitDays.size, lifeEventKinds };
}

/** Events of a type in the last `days` (one of SUMMARY_WINDOWS). */
export function countWithin(summary: EventSummary, types: readonly string[], days: (typeof SUMMARY_WINDOWS)[number]): number {
  const i = SUMMARY_WINDOWS.indexOf(days);
  let n = 0;
  for (const type of types) n += summary.counts[type]?.[i] ?? 0;
  return n;
}

/** Per type, the events of the last 30 days (the feature row's `ev_*_30d` columns). */
export function countsLast30Days(summary: EventSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, c] of Object.entries(summary.counts)) if (c[2] > 0) out[type] = c[2];
  return out;
}

export interface PropertyFacts {
  purchaseDate?: Date | null;
  estimateCents?: number | null;
  mortgageBalanceCents?: number | null;
  mortgageRatePct?: number | null;
}

export interface MarketFacts {
  currentRatePct?: number | null;
  nearbyListings30d?: number | null;
  nearbySales30d?: number | null;
}

/** Tenant-tunable thresholds (tenant settings `signalThresholds`); these are the defaults. */
export interface SignalThresholds {
  listingViewSpikeRatio: number;
  listingViewMinimum: number;
  emailEngagementMinimum: number;
  returnVisitDays: number;
  equityMilestonePct: number;
  rateDropPoints: number;
  tenureYears: number;
  nearbyActivityMinimum: number;
}

export const DEFAULT_SIGNAL_THRESHOLDS: SignalThresholds = {
  listingViewSpikeRatio: 3,
  listingViewMinimum: 5,
  emailEngagementMinimum: 3,
  returnVisitDays: 3,
  equityMilestonePct: 0.5,
  rateDropPoints: 0.75,
  tenureYears: 7,
  nearbyActivityMinimum: 3,
};

const LIFE_EVENTS = new Set(['job_relocation', 'job_change', 'probate', 'estate_settlement', 'inheritance', 'downsizing_planned', 'upsizing_planned', 'rental_vacancy']);

const clamp = (x: number) => Math.max(0, Math.min(1, x));
/** Confidence from how many observations a signal rests on: 1 → 0.3, 5 → ~0.8, 10+ → ~0.95. */
const confidenceFrom = (n: number) => clamp(1 - Math.exp(-n / 3.5));
const round = (x: number) => Math.round(x * 100) / 100;

export function computeSignals(input: {
  now: Date;
  /** Either the raw events or their summary (the scorer's, aggregated in Postgres). */
  events?: readonly SignalEvent[];
  summary?: EventSummary;
  property?: PropertyFacts;
  market?: MarketFacts;
  thresholds?: Partial<SignalThresholds>;
}): Signal[] {
  const t = { ...DEFAULT_SIGNAL_THRESHOLDS, ...input.thresholds };
  const now = input.now.getTime();
  const summary = input.summary ?? summarizeEvents(input.events ?? [], input.now);
  const count = (types: string[], days: (typeof SUMMARY_WINDOWS)[number]) => countWithin(summary, types, days);
  const out: Signal[] = [];
  const add = (type: SignalType, strength: number, confidence: number, evidence: string) =>
    out.push({ type, category: SIGNAL_CATEGORIES[type], strength: round(clamp(strength)), confidence: round(clamp(confidence)), evidence });

  // Engagement
  const views7 = count(['listing_viewed'], 7);
  const viewsPrior = count(['listing_viewed'], 37) - views7;
  const baseline = Math.max(viewsPrior / (30 / 7), 0.5);
  const ratio = views7 / baseline;
  if (views7 >= t.listingViewMinimum && ratio >= t.listingViewSpikeRatio) {
    add('listing_view_spike', 0.4 + 0.6 * clamp((ratio - t.listingViewSpikeRatio) / (t.listingViewSpikeRatio * 2)), confidenceFrom(views7), `${views7} listing views this week, ${ratio.toFixed(1)}× the usual`);
  }
  const searches = count(['saved_search'], 30);
  if (searches) add('saved_search', 0.5 + 0.1 * Math.min(searches - 1, 5), confidenceFrom(searches + 2), `${searches} saved search${searches > 1 ? 'es' : ''} in 30 days`);
  const valuations = count(['home_valuation_requested', 'home_valuation_viewed'], 30);
  if (valuations) {
    const requested = count(['home_valuation_requested'], 30) > 0;
    add('home_valuation_request', requested ? 0.85 : 0.55 + 0.05 * Math.min(valuations, 6), confidenceFrom(valuations + (requested ? 3 : 0)), requested ? 'asked for a home valuation' : `checked their home's value ${valuations}× in 30 days`);
  }
  const emails = count(['email_opened', 'email_clicked'], 30);
  const clicks = count(['email_clicked'], 30);
  if (emails >= t.emailEngagementMinimum) add('email_engagement', 0.3 + 0.1 * Math.min(clicks, 5), confidenceFrom(emails), `${emails} email opens/clicks (${clicks} clicks) in 30 days`);
  const visitDays = summary.siteVisitDays14;
  if (visitDays >= t.returnVisitDays) add('return_visit_frequency', 0.3 + 0.1 * Math.min(visitDays - t.returnVisitDays, 6), confidenceFrom(visitDays), `back on the site ${visitDays} different days in 2 weeks`);

  // Financial
  const p = input.property ?? {};
  if (p.estimateCents && p.mortgageBalanceCents != null && p.estimateCents > 0) {
    const equity = (p.estimateCents - p.mortgageBalanceCents) / p.estimateCents;
    if (equity >= t.equityMilestonePct) add('equity_milestone', 0.4 + 0.6 * clamp((equity - t.equityMilestonePct) / (1 - t.equityMilestonePct + 1e-9)), 0.7, `about ${Math.round(equity * 100)} % equity`);
  }
  const rate = input.market?.currentRatePct;
  if (p.mortgageRatePct != null && rate != null && p.mortgageRatePct - rate >= t.rateDropPoints) {
    const drop = p.mortgageRatePct - rate;
    add('rate_drop_opportunity', 0.4 + 0.3 * Math.min(drop - t.rateDropPoints, 2), 0.75, `mortgage at ${p.mortgageRatePct} % vs ${rate} % today (−${drop.toFixed(2)} points)`);
  }
  const calc = count(['mortgage_calculator_used'], 30);
  if (calc) add('mortgage_calculator_use', 0.4 + 0.1 * Math.min(calc - 1, 5), confidenceFrom(calc + 1), `used the mortgage calculator ${calc}× in 30 days`);

  // Life & property
  if (p.purchaseDate) {
    const years = (now - p.purchaseDate.getTime()) / (365.25 * DAY);
    if (years >= t.tenureYears) add('tenure_threshold', 0.3 + 0.05 * Math.min(years - t.tenureYears, 8), 0.8, `owned for ${Math.floor(years)} years`);
  }
  const nearby = (input.market?.nearbyListings30d ?? 0) + (input.market?.nearbySales30d ?? 0);
  if (nearby >= t.nearbyActivityMinimum) add('nearby_market_activity', 0.2 + 0.05 * Math.min(nearby - t.nearbyActivityMinimum, 10), 0.6, `${nearby} listings/sales nearby in 30 days`);
  const life = summary.lifeEventKinds.filter((kind) => LIFE_EVENTS.has(kind));
  if (life.length) add('life_event', 0.7, confidenceFrom(life.length + 2), `life event: ${[...new Set(life.map((kind) => kind.replace(/_/g, ' ')))].join(', ')}`);

  return out;
}
