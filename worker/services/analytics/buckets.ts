/**
 * The dashboard's fixed vocabulary: stage order, distribution buckets and the words that explain
 * each figure. Kept apart from the queries so the SQL and the answer are built from the same
 * lists (a bucket cannot exist in one and not the other).
 */

/** The qualification funnel in order; `lost` is not a step but an exit from any of them. */
export const FUNNEL_STAGES = ['new', 'q1', 'q2', 'q3', 'q4', 'qualified', 'appointment', 'contract', 'closed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Stages still in play: what the commission forecast weighs by close probability. */
export const OPEN_STAGES = ['new', 'q1', 'q2', 'q3', 'q4', 'qualified', 'appointment', 'contract'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];

export const QUALIFIED_RANK = FUNNEL_STAGES.indexOf('qualified');

/** Half-open [min, max) ranges; `max: null` is open-ended. */
export interface RangeBucket<L extends string> {
  bucket: L;
  min: number;
  max: number | null;
}

export const TIMELINE_BUCKETS = [
  { bucket: '0-30d', min: 0, max: 31 },
  { bucket: '31-90d', min: 31, max: 91 },
  { bucket: '91-180d', min: 91, max: 181 },
  { bucket: '180d+', min: 181, max: null },
] as const satisfies ReadonlyArray<RangeBucket<string>>;
export type TimelineBucket = (typeof TIMELINE_BUCKETS)[number]['bucket'] | 'unknown';

export const PRICE_BUCKETS = [
  { bucket: '<$250k', min: 0, max: 250_000_00 },
  { bucket: '$250k-500k', min: 250_000_00, max: 500_000_00 },
  { bucket: '$500k-750k', min: 500_000_00, max: 750_000_00 },
  { bucket: '$750k-1M', min: 750_000_00, max: 1_000_000_00 },
  { bucket: '$1M+', min: 1_000_000_00, max: null },
] as const satisfies ReadonlyArray<RangeBucket<string>>;

export const SPEED_BUCKETS = [
  { bucket: '<10s', min: 0, max: 10_000 },
  { bucket: '10-30s', min: 10_000, max: 30_000 },
  { bucket: '30-60s', min: 30_000, max: 60_000 },
  { bucket: '1-5m', min: 60_000, max: 300_000 },
  { bucket: '>5m', min: 300_000, max: null },
] as const satisfies ReadonlyArray<RangeBucket<string>>;
export type SpeedBucket = (typeof SPEED_BUCKETS)[number]['bucket'];

/** Who counts as a lead on the dashboard; shared by every lead figure's definition. */
const COHORT =
  'leads created in the range (sellers from the CRM or API, and homeowners once they have written to us; homeowners known only from behaviour events are prospects, not leads)';

export const DEFINITIONS = {
  cohort: `Every lead figure counts ${COHORT}.`,
  newLeads: 'Leads created in the range.',
  qualified: 'Leads created in the range that reached the qualified stage or beyond (all four questions answered), including those lost after qualifying.',
  hot: 'Leads created in the range the assistant classified hot (all four answers, a short timeline, strong motivation, a realistic price).',
  medianSpeedToLeadMs: "Median time from a lead's first message to our first reply, over leads created in the range that have both.",
  conversionRate: 'Share of the leads created in the range that are now closed (won).',
  funnel:
    "Leads created in the range that reached at least each stage, by today's stage. A lost lead counts up to the stage its record shows it reached before it was lost: qualified if it was qualified, else the question the assistant was asking (the first one still unanswered), else new. Appointment and contract are set by people and leave no trace once a lead is lost.",
  temperature: 'Leads created in the range by their current temperature; unknown = not classified yet.',
  timeline: 'Leads created in the range by the selling timeline they gave, in days; unknown = not given.',
  price: 'Leads created in the range by the price they expect, in cents; minCents inclusive, maxCents exclusive (null = no upper bound); unknown = no price given.',
  speedToLead: 'Time from first inbound message to first reply for leads created in the range that have both; p50/p90 interpolated.',
  commission:
    "forecastCents = Σ over open leads created in the range of closeProbability(current stage) × averageSalePrice × commissionRate × teamSplit (byStage shows each term, rounded to the cent). actualCents = Σ over leads created in the range that are now closed of (their stated price when known, else averageSalePrice) × commissionRate × teamSplit. All assumptions are the tenant's business rules.",
  alertsByModel:
    'Alerts raised in the range, per kind. acknowledged = seen by an agent; converted, dismissed and expired = current status; medianAckMs = median time from raised to acknowledged; precision = converted ÷ (converted + dismissed), the share of alerts with a known outcome that converted (null until one has).',
  leaderboard:
    "Per person: leads = leads created in the range assigned to them; qualified and converted (closed) among those; medianSpeedToLeadMs over those leads; alertsAcknowledged = alerts raised in the range routed to them and acknowledged (an alert claimed by a colleague counts only for the claimer, since the alert records when it was acknowledged, not by whom); alertsClaimed = alerts raised in the range they claimed. Sorted by converted, then qualified, then leads, then fastest median speed-to-lead.",
} as const;
