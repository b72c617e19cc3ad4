import { z } from 'zod';
import { RoutingRulesSchema } from '../../intelligence/routing/rules';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM');

export const STAGES = ['new', 'q1', 'q2', 'q3', 'q4', 'qualified', 'appointment', 'contract', 'closed', 'lost'] as const;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'unknown IANA time zone');

/**
 * Tenant settings. Every field has a default, so a new tenant is usable at once and PATCH can
 * send any subset. Money in integer cents; rates as fractions (0.03 = 3 %).
 */
export const TenantSettingsSchema = z.object({
  quietHours: z
    .object({
      /** Proactive messages only inside [start, end) in the recipient's local time. */
      start: hhmm.default('08:00'),
      end: hhmm.default('21:00'),
      /** Apply stricter state rules (FL, OK, MD, MS, NJ, CT, TX, RI) on top of the window. */
      stateRules: z.boolean().default(true),
    })
    // An empty window would leave proactive messages nowhere to go.
    .refine((q) => q.start < q.end, { message: 'start must be before end', path: ['end'] })
    .prefault({}),
  consent: z
    .object({
      /** No automated message to a lead without recorded consent. */
      required: z.boolean().default(true),
      maxFollowUpsPerDay: z.number().int().min(0).max(10).default(2),
      maxFollowUpsPerWeek: z.number().int().min(0).max(30).default(5),
    })
    .prefault({}),
  businessRules: z
    .object({
      averageSalePriceCents: z.number().int().min(0).max(1_000_000_000_00).default(450_000_00),
      commissionRate: z.number().min(0).max(0.2).default(0.03),
      teamSplit: z.number().min(0).max(1).default(0.7),
      stageCloseProbabilities: z
        .record(z.enum(STAGES), z.number().min(0).max(1))
        .default({ new: 0.02, q1: 0.04, q2: 0.06, q3: 0.08, q4: 0.1, qualified: 0.2, appointment: 0.35, contract: 0.8, closed: 1, lost: 0 }),
    })
    .prefault({}),
  botPersona: z
    .object({
      name: z.string().min(1).max(40).default('Ava'),
      tone: z.enum(['friendly', 'professional', 'casual']).default('friendly'),
      signature: z.string().max(80).default(''),
    })
    .prefault({}),
  /** An alert is raised when a model's probability reaches this (PRODUCT.md §3.4: default 0.5). */
  alertThreshold: z.number().min(0.05).max(0.99).default(0.5),
  alerting: z
    .object({
      /** One alert per lead and kind within this many hours. */
      windowHours: z.number().int().min(1).max(24 * 30).default(24),
      /** An alert nobody settles within this many hours becomes expired. */
      expireAfterHours: z.number().int().min(1).max(24 * 60).default(72),
    })
    .prefault({}),
  /** When SLA clocks run (tenant time zone): an alert raised at night escalates from the next opening. */
  businessHours: z
    .object({
      start: hhmm.default('08:00'),
      end: hhmm.default('20:00'),
      /** ISO weekdays, 1 = Monday … 7 = Sunday. */
      days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6]),
    })
    .refine((b) => b.start < b.end, { message: 'start must be before end', path: ['end'] })
    .prefault({}),
  /** Going-cold prevention (PRODUCT.md §3.5). */
  churn: z
    .object({
      enabled: z.boolean().default(true),
      /** How often the churn job looks at this tenant's leads (the QStash cron runs hourly; a tenant can ask for less often). */
      everyMinutes: z.number().int().min(60).max(24 * 60).default(60),
      /** Risk at or above which a lead is at risk and an episode starts. */
      riskThreshold: z.number().min(0.05).max(0.99).default(0.6),
      /** Share of at-risk leads held out (no intervention), so saves are measured against them. */
      holdoutPct: z.number().min(0).max(0.5).default(0.1),
      /** Minutes after detection for steps 1 (re-engagement message), 2 (agent task), 3 (manager escalation / nurture). */
      stepDelaysMinutes: z.array(z.number().int().min(0).max(60 * 24 * 30)).length(3).default([0, 1440, 4320]),
    })
    .prefault({}),
  /**
   * Business-impact assumptions (GET /v1/impact): what a success is worth and what an automated
   * use saves. Usage and successes are measured; these numbers are the tenant's to edit.
   */
  impact: z
    .object({
      /** Infrastructure cost per day, split evenly across the features. */
      infraCostPerDayCents: z.number().int().min(0).max(10_000_000).default(300),
      /** AI price per million tokens (Claude Haiku 4.5 list price: $1 in, $5 out). */
      aiInputCentsPerMTok: z.number().min(0).max(100_000).default(100),
      aiOutputCentsPerMTok: z.number().min(0).max(100_000).default(500),
      /** What an agent hour is worth, for time saved. */
      agentHourCents: z.number().int().min(0).max(1_000_000).default(5000),
      features: z
        .record(
          z.enum(['intelligence', 'churn_prevention', 'coaching', 'seller_assistant']),
          z.object({
            /** Extra chance a success turns into a closed deal because of the feature. */
            conversionLift: z.number().min(0).max(1),
            /** Agent minutes one use saves. */
            minutesSavedPerUse: z.number().min(0).max(600),
          }),
        )
        .default({
          intelligence: { conversionLift: 0.05, minutesSavedPerUse: 5 },
          churn_prevention: { conversionLift: 0.1, minutesSavedPerUse: 10 },
          coaching: { conversionLift: 0.02, minutesSavedPerUse: 30 },
          seller_assistant: { conversionLift: 0.03, minutesSavedPerUse: 6 },
        }),
    })
    .prefault({}),
  /** Signal thresholds (intelligence/signals); any subset overrides the defaults. */
  signalThresholds: z
    .object({
      listingViewSpikeRatio: z.number().min(1).max(50),
      listingViewMinimum: z.number().int().min(1).max(1000),
      emailEngagementMinimum: z.number().int().min(1).max(1000),
      returnVisitDays: z.number().int().min(1).max(14),
      equityMilestonePct: z.number().min(0.05).max(1),
      rateDropPoints: z.number().min(0.05).max(10),
      tenureYears: z.number().min(0.5).max(50),
      nearbyActivityMinimum: z.number().int().min(1).max(1000),
    })
    .partial()
    .default({}),
  followUps: z
    .object({
      /** Minutes of lead silence before each automated follow-up (then the bot stops). */
      cadenceMinutes: z.array(z.number().int().min(5).max(60 * 24 * 30)).max(6).default([240, 1440, 4320]),
    })
    .prefault({}),
  /** Ordered alert-routing rules (GET|PUT /v1/routing/rules); none = everyone, least loaded. */
  routing: z.object({ rules: RoutingRulesSchema.default([]) }).prefault({}),
  /** GHL contact tags that record SMS consent given on a form (first touch needs consent when required). */
  consentTags: z.array(z.string().min(1).max(64)).max(20).default(['sms-consent', 'sms_opt_in']),
});

export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

export function defaultSettings(): TenantSettings {
  return TenantSettingsSchema.parse({});
}
