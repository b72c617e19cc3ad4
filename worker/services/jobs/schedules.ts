/**
 * Every recurring job, keyed by a stable schedule id so that syncing is an idempotent upsert
 * (QStash's Upstash-Schedule-Id). Crons are evaluated by QStash in UTC.
 */
export interface JobSchedule {
  scheduleId: string;
  path: `/jobs/${string}`;
  cron: string;
  description: string;
}

export const JOB_SCHEDULES: readonly JobSchedule[] = [
  { scheduleId: 'leadpulse-heartbeat', path: '/jobs/heartbeat', cron: '* * * * *', description: 'scheduler heartbeat' },
  { scheduleId: 'leadpulse-ghl-redrive', path: '/jobs/ghl-redrive', cron: '* * * * *', description: 'finish GHL deliveries left unprocessed' },
  { scheduleId: 'leadpulse-models-retrain', path: '/jobs/retrain', cron: '17 3 * * *', description: 'retrain models from recorded alert outcomes (nightly, 03:17 UTC)' },
  { scheduleId: 'leadpulse-webhook-redrive', path: '/jobs/webhook-redrive', cron: '* * * * *', description: 'republish tenant webhook deliveries QStash never got' },
  { scheduleId: 'leadpulse-coaching', path: '/jobs/coaching', cron: '43 4 * * *', description: 'coach every agent on the last 30 days (nightly, 04:43 UTC)' },
  { scheduleId: 'leadpulse-score', path: '/jobs/score', cron: '*/5 * * * *', description: 'rescore leads with new events, raise alerts, expire stale alerts' },
  { scheduleId: 'leadpulse-impact', path: '/jobs/impact', cron: '7 0 * * *', description: 'daily impact roll-up per tenant and feature (yesterday and today)' },
  { scheduleId: 'leadpulse-churn', path: '/jobs/churn', cron: '23 * * * *', description: 'assess churn risk, start going-cold episodes and their interventions, resolve finished episodes (hourly)' },
];
