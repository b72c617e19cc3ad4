/**
 * Churn (going-cold) risk of one lead, 0–1, from what the leads and messages tables record.
 *
 * Features (all computed at `now`, documented because the drivers quote them):
 * - `days_silent`: days since the lead's last inbound text (never wrote: since the first text we
 *   sent, or since the lead was created). Capped at 30: past a month the lead is simply cold.
 * - `response_rate_recent` / `response_rate_before`: answered share of our texts in the last 14
 *   days and before that, as min(1, inbound ÷ outbound) per window; `response_rate_decay` is how
 *   far the recent rate fell below the earlier one (0 when either window has no outbound text:
 *   no evidence of a decay is not a decay).
 * - `unanswered_outbound`: our texts sent since the lead's last reply (capped at 5).
 * - `stage_days`: how long the lead has sat in its current stage. The schema keeps no per-stage
 *   timestamp, so: before qualification, days since the lead was created (it is still working
 *   through Q1–Q4); from qualified on, days since `qualified_at`. Capped at 60.
 * - `sentiment`: −1…1 over the lead's last three texts (newest weighted most) from a small
 *   lexicon — "not interested", "stop bugging", "already sold", "no thanks" pull down; "yes",
 *   "interested", "call me", "thanks" pull up. A plain lexicon on purpose: it is deterministic,
 *   explainable in the driver's evidence, and runs for 10 000 leads in the job.
 *
 * Documented prior (`churn-prior-v1`), a small logistic model written by hand:
 *
 *   risk = σ(−2.4 + 0.5·min(days_silent,30)/7 + 1.5·response_rate_decay
 *            + 0.6·min(unanswered_outbound,5) + 0.4·min(stage_days,60)/30 − 1.2·sentiment)
 *
 * so a lead who answered today sits near 0.1–0.15, a week of silence after three unanswered
 * texts reaches ≈ 0.5, and two weeks of silence after four texts ≈ 0.8 (over the default 0.6
 * threshold). Drivers are each term's log-odds contribution, largest first.
 *
 * Once the tenant has an active `churn` model (trained on a CSV or, nightly, on its own resolved
 * episodes: services/models), that model's calibrated probability on the same feature row is
 * the risk, and its per-column reasons are the drivers (same names and evidence).
 */
import type { ChurnDriver } from '../../db/schema/engagement';
import { predict, type CsvRow, type ScoringModel } from '../models';

export const CHURN_PRIOR_VERSION = 'churn-prior-v1';

export const RECENT_WINDOW_DAYS = 14;
const DAY = 86_400_000;

/** What the job reads per lead (one SQL row). */
export interface ChurnInput {
  stage: string;
  createdAt: Date;
  qualifiedAt: Date | null;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  firstOutboundAt: Date | null;
  outboundRecent: number;
  inboundRecent: number;
  outboundBefore: number;
  inboundBefore: number;
  /** Outbound texts sent after the last inbound one. */
  unansweredOutbound: number;
  /** The lead's last inbound texts, newest first. */
  recentInbound: string[];
}

/** The feature row: what an assessment stores and what a trained model would learn from. */
export interface ChurnFeatures {
  days_silent: number;
  response_rate_recent: number | null;
  response_rate_before: number | null;
  response_rate_decay: number;
  unanswered_outbound: number;
  stage_days: number;
  sentiment: number;
  stage: string;
  [key: string]: string | number | null;
}

const NEGATIVE: Array<[RegExp, number]> = [
  [/\bnot interested\b/, 1],
  [/\bstop (bugging|texting|messaging|contacting)\b/, 1],
  [/\b(leave me alone|go away|remove me|lose my number)\b/, 1],
  [/\balready (sold|listed|signed)\b/, 1],
  [/\b(no thanks|no thank you|not now|not selling|not anymore|changed my mind)\b/, 0.8],
  [/\b(busy|later|maybe next year|someday)\b/, 0.4],
  [/\b(annoying|annoyed|scam|spam|waste)\b/, 0.8],
  [/^\s*no\b/, 0.5],
];
const POSITIVE: Array<[RegExp, number]> = [
  [/\b(interested|call me|let'?s talk|sounds good|set (it|that|something) up|when can)\b/, 0.8],
  [/\b(yes|yeah|sure|ok(ay)?|great|perfect)\b/, 0.5],
  [/\b(thanks|thank you|appreciate)\b/, 0.3],
];

/** −1…1 polarity of one text: the strongest negative cue against the strongest positive one. */
export function textPolarity(text: string): { polarity: number; cue: string | null } {
  const t = text.toLowerCase();
  let neg = 0;
  let pos = 0;
  let cue: string | null = null;
  let cueWeight = 0;
  for (const [re, w] of NEGATIVE) {
    const m = t.match(re);
    if (m && w > neg) neg = w;
    if (m && w > cueWeight) [cue, cueWeight] = [m[0].trim(), w];
  }
  // "not interested" contains "interested": a negative cue wins the words it covers.
  for (const [re, w] of POSITIVE) {
    const m = t.match(re);
    if (m && !(neg && t.includes(`not ${m[0]}`)) && w > pos) pos = w;
    if (m && !neg && w > cueWeight) [cue, cueWeight] = [m[0].trim(), w];
  }
  return { polarity: Math.max(-1, Math.min(1, pos - neg)), cue };
}

/** Newest-weighted mean polarity of the last texts (weights 3, 2, 1). */
export function sentimentOf(recentInbound: string[]): { sentiment: number; cue: string | null } {
  const texts = recentInbound.slice(0, 3);
  if (!texts.length) return { sentiment: 0, cue: null };
  let sum = 0;
  let weights = 0;
  let cue: string | null = null;
  texts.forEach((text, i) => {
    const w = 3 - i;
    const p = textPolarity(text);
    sum += w * p.polarity;
    weights += w;
    if (!cue && p.cue) cue = p.cue;
  });
  return { sentiment: Math.round((sum / weights) * 1000) / 1000, cue };
}

const rate = (inbound: number, outbound: number) => (outbound > 0 ? Math.min(1, inbound / outbound) : null);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function churnFeatures(input: ChurnInput, now: Date): ChurnFeatures & { _cue: string | null } {
  const since = input.lastInboundAt ?? input.firstOutboundAt ?? input.createdAt;
  const daysSilent = Math.max(0, (now.getTime() - since.getTime()) / DAY);
  const recent = rate(input.inboundRecent, input.outboundRecent);
  const before = rate(input.inboundBefore, input.outboundBefore);
  const decay = recent !== null && before !== null ? Math.max(0, before - recent) : 0;
  const qualifiedOrLater = ['qualified', 'appointment', 'contract'].includes(input.stage);
  const stageSince = qualifiedOrLater && input.qualifiedAt ? input.qualifiedAt : input.createdAt;
  const { sentiment, cue } = sentimentOf(input.recentInbound);
  return {
    days_silent: round(Math.min(daysSilent, 30), 2),
    response_rate_recent: recent === null ? null : round(recent),
    response_rate_before: before === null ? null : round(before),
    response_rate_decay: round(decay),
    unanswered_outbound: Math.min(input.unansweredOutbound, 5),
    stage_days: round(Math.min(Math.max(0, (now.getTime() - stageSince.getTime()) / DAY), 60), 2),
    sentiment,
    stage: input.stage,
    _cue: cue,
  };
}

export const CHURN_PRIOR = {
  intercept: -2.4,
  /** Per week of silence. */
  daysSilentPerWeek: 0.5,
  responseRateDecay: 1.5,
  unansweredOutbound: 0.6,
  /** Per 30 days in the stage. */
  stageDaysPer30: 0.4,
  /** Applied to −sentiment: negative texts raise the risk, warm ones lower it. */
  sentiment: 1.2,
} as const;

export interface ChurnAssessment {
  risk: number;
  drivers: ChurnDriver[];
  features: ChurnFeatures;
  modelVersion: string;
}

/** A tenant's trained churn model (services/models keeps the active one per tenant). */
export interface ChurnModel {
  versionId: string;
  model: ScoringModel;
}

export type ChurnDriverName = 'reply_recency' | 'response_rate_decay' | 'unanswered_outbound' | 'stage_stagnation' | 'sentiment_trend';

/**
 * Which driver a feature column speaks for. A trained model gives every column its own
 * contribution; the three response-rate columns and the two stage columns each tell one story,
 * so they are summed into one driver (contributions still add up to the log-odds).
 */
const DRIVER_OF_FEATURE: Record<string, ChurnDriverName> = {
  days_silent: 'reply_recency',
  response_rate_recent: 'response_rate_decay',
  response_rate_before: 'response_rate_decay',
  response_rate_decay: 'response_rate_decay',
  unanswered_outbound: 'unanswered_outbound',
  stage_days: 'stage_stagnation',
  stage: 'stage_stagnation',
  sentiment: 'sentiment_trend',
};

const fmtDays = (d: number) => (d < 1 ? `${Math.round(d * 24)} hours` : `${Math.round(d)} day${Math.round(d) === 1 ? '' : 's'}`);
const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

/** What each driver saw, in the words GET /v1/leads/:id/churn shows, whichever model weighed it. */
function driverEvidence(input: ChurnInput, features: ChurnFeatures, cue: string | null): Record<ChurnDriverName, string> {
  return {
    reply_recency: input.lastInboundAt ? `no reply for ${fmtDays(features.days_silent)}` : `has never replied (${fmtDays(features.days_silent)} since first contact)`,
    response_rate_decay: `answered ${pct(features.response_rate_recent)} of texts in the last ${RECENT_WINDOW_DAYS} days vs ${pct(features.response_rate_before)} before`,
    unanswered_outbound: `${input.unansweredOutbound} text${input.unansweredOutbound === 1 ? '' : 's'} unanswered since the last reply`,
    stage_stagnation: `in stage ${input.stage} for ${fmtDays(features.stage_days)}`,
    sentiment_trend: input.recentInbound.length
      ? `recent replies read ${features.sentiment < -0.05 ? 'negative' : features.sentiment > 0.05 ? 'positive' : 'neutral'}${cue ? ` ("${cue}")` : ''}`
      : 'no replies to read',
  };
}

/** Drivers as stored: negligible ones dropped, rounded, the ones raising the risk most first. */
function rankDrivers(terms: ChurnDriver[]): ChurnDriver[] {
  return terms
    .filter((t) => Math.abs(t.contribution) >= 0.001)
    .map((t) => ({ ...t, contribution: round(t.contribution) }))
    .sort((a, b) => b.contribution - a.contribution);
}

/**
 * The churn risk of one lead with its drivers: the tenant's trained model when it has one
 * (`model`), else the documented prior.
 */
export function assessChurn(input: ChurnInput, now: Date, model?: ChurnModel): ChurnAssessment {
  const { _cue: cue, ...features } = churnFeatures(input, now);
  const evidence = driverEvidence(input, features, cue);
  return model ? assessWithModel(model, features, evidence) : assessWithPrior(features, evidence);
}

/** The prior's risk: each term's log-odds contribution is its driver's. */
function assessWithPrior(features: ChurnFeatures, evidence: Record<ChurnDriverName, string>): ChurnAssessment {
  const p = CHURN_PRIOR;
  const contributions: Record<ChurnDriverName, number> = {
    reply_recency: (p.daysSilentPerWeek * features.days_silent) / 7,
    response_rate_decay: p.responseRateDecay * features.response_rate_decay,
    unanswered_outbound: p.unansweredOutbound * features.unanswered_outbound,
    stage_stagnation: (p.stageDaysPer30 * features.stage_days) / 30,
    sentiment_trend: -p.sentiment * features.sentiment,
  };
  const terms = (Object.keys(contributions) as ChurnDriverName[]).map((driver) => ({ driver, contribution: contributions[driver], evidence: evidence[driver] }));
  const z = p.intercept + terms.reduce((s, t) => s + t.contribution, 0);
  return { risk: round(1 / (1 + Math.exp(-z)), 4), drivers: rankDrivers(terms), features, modelVersion: CHURN_PRIOR_VERSION };
}

/**
 * A trained model's calibrated probability on the same feature row, and its per-column reasons
 * (log-odds relative to an average training row) summed per driver. A column the live row does
 * not have (a CSV model trained on extra columns) counts as missing and is named as such.
 */
function assessWithModel(m: ChurnModel, features: ChurnFeatures, evidence: Record<ChurnDriverName, string>): ChurnAssessment {
  const p = predict(m.model, churnFeatureRow(features));
  const byDriver = new Map<string, ChurnDriver>();
  for (const r of p.reasons) {
    const driver = DRIVER_OF_FEATURE[r.feature] ?? r.feature;
    const known = DRIVER_OF_FEATURE[r.feature] !== undefined;
    const d = byDriver.get(driver) ?? { driver, contribution: 0, evidence: known ? evidence[driver as ChurnDriverName] : `${r.feature}: not in the churn feature row (counted as missing)` };
    d.contribution += r.contribution;
    byDriver.set(driver, d);
  }
  return { risk: round(p.probability, 4), drivers: rankDrivers([...byDriver.values()]), features, modelVersion: m.versionId };
}

/** The outcome column of churn training rows (CSV imports name theirs in `label`). */
export const CHURN_LABEL = 'churned';

/** A feature row as the model library reads it: the values a CSV would hold. */
function churnFeatureRow(features: Readonly<Record<string, string | number | null>>): CsvRow {
  const row: CsvRow = {};
  for (const [k, v] of Object.entries(features)) row[k] = v === null || v === undefined ? '' : String(v);
  return row;
}

/**
 * The row a tenant model trains on (worker/intelligence/models `trainModel`): the stored
 * feature row (`stage` a categorical column) and `churned` = the episode's outcome, 1 not_saved,
 * 0 saved. The label is set last, so a snapshot can never carry its own outcome in.
 */
export function churnTrainingRow(features: Readonly<Record<string, string | number | null>>, label: 0 | 1): CsvRow {
  const row = churnFeatureRow(features);
  row[CHURN_LABEL] = String(label);
  return row;
}

/**
 * Treated or holdout, from a SHA-256 of the tenant and the lead: stable across runs and episodes
 * (a lead held out once stays held out, so no lead is measured in both groups), and uniform, so
 * the held-out share converges to `holdoutPct`.
 */
export async function churnGroup(tenantId: string, leadId: string, holdoutPct: number): Promise<'treated' | 'holdout'> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`churn-holdout:${tenantId}:${leadId}`)));
  const u = ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!;
  return u / 2 ** 32 < holdoutPct ? 'holdout' : 'treated';
}

/** Wilson score interval (95 %) for k successes in n trials. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [round(Math.max(0, centre - half), 4), round(Math.min(1, centre + half), 4)];
}

export function percentile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
