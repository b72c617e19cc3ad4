import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { jobRuns } from '../../db/schema';
import { newId } from '../../lib/ids';

export interface JobDelivery {
  job: string;
  /** Upstash-Message-Id: stable across QStash's redeliveries of one message. */
  messageId: string;
  /** Upstash-Retried. */
  attempt: number;
}

export type JobOutcome<T> = { duplicate: true } | { duplicate: false; result: T };

/**
 * Runs a job at most once to success per QStash message. A redelivery of a message that already
 * succeeded is acknowledged without running again; one whose earlier attempt failed (or died
 * mid-run) runs again. A thrown error marks the run failed and propagates, so the endpoint
 * answers 5xx and QStash retries.
 */
export async function runJobOnce<T extends Record<string, unknown>>(
  db: Database,
  delivery: JobDelivery,
  work: () => Promise<T>,
): Promise<JobOutcome<T>> {
  const [claimed] = await db
    .insert(jobRuns)
    .values({ id: newId('jobRun'), job: delivery.job, messageId: delivery.messageId, status: 'running', attempt: delivery.attempt })
    .onConflictDoUpdate({
      target: jobRuns.messageId,
      set: { status: 'running', attempt: delivery.attempt, startedAt: sql`now()`, finishedAt: null },
      // Only a run that has not succeeded may be claimed again.
      setWhere: sql`${jobRuns.status} <> 'succeeded'`,
    })
    .returning({ id: jobRuns.id });
  if (!claimed) return { duplicate: true };

  try {
    const result = await work();
    await db
      .update(jobRuns)
      .set({ status: 'succeeded', finishedAt: sql`now()`, detail: result })
      .where(eq(jobRuns.id, claimed.id));
    return { duplicate: false, result };
  } catch (err) {
    await db
      .update(jobRuns)
      .set({ status: 'failed', finishedAt: sql`now()`, detail: { error: (err as Error).name } })
      .where(eq(jobRuns.id, claimed.id))
      .catch(() => {});
    throw err;
  }
}

/** The newest run of each job, for operators. */
export async function lastJobRuns(db: Database): Promise<Record<string, { lastRunAt: string | null; status: string | null }>> {
  const rows = await db
    .selectDistinctOn([jobRuns.job], { job: jobRuns.job, startedAt: jobRuns.startedAt, status: jobRuns.status })
    .from(jobRuns)
    .orderBy(jobRuns.job, desc(jobRuns.startedAt));
  return Object.fromEntries(rows.map((r) => [r.job, { lastRunAt: r.startedAt.toISOString(), status: r.status }]));
}

export async function countSucceededRuns(db: Database, job: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.status, 'succeeded')));
  return row?.n ?? 0;
}
