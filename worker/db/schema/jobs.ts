import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per QStash delivery a job endpoint accepted. QStash delivers at least once, so the
 * message id is unique: a redelivered message finds its row and does nothing twice.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    messageId: text('message_id').notNull().unique(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    attempt: integer('attempt').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('job_runs_job_started_idx').on(t.job, t.startedAt)],
);
