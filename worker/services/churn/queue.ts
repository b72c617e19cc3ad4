import type { Client as QStashClient } from '@upstash/qstash';
import type { Config } from '../../config';

/** What the churn job needs of QStash (the real client, or the local stand-in speaking its protocol). */
export type ChurnQueue = Pick<QStashClient, 'batchJSON' | 'publishJSON'>;

export const CHURN_STEP_PATH = '/jobs/churn-step';
/** QStash retries a failed step this many times (backoff e^(2.5·n) s) before dead-lettering it. */
const STEP_RETRIES = 3;
/** QStash accepts at most 100 messages per batch call. */
const BATCH = 100;

export interface StepMessage {
  interventionId: string;
  /** When the step is due; null or past → deliver now. */
  notBefore: Date | null;
  /** Defaults to the intervention id: a repeated publish of one step creates no second message. */
  deduplicationId?: string;
}

/**
 * Publishes step deliveries to /jobs/churn-step in batches. The intervention id is the
 * deduplication id, so publishing a step twice (a retried job run) within QStash's window makes
 * one message; outside it the step itself is idempotent.
 */
export async function publishSteps(config: Config, queue: ChurnQueue, steps: readonly StepMessage[]): Promise<void> {
  const url = new URL(CHURN_STEP_PATH, config.APP_URL).toString();
  const now = Date.now();
  for (let i = 0; i < steps.length; i += BATCH) {
    await queue.batchJSON(
      steps.slice(i, i + BATCH).map((s) => ({
        url,
        body: { interventionId: s.interventionId },
        deduplicationId: s.deduplicationId ?? s.interventionId,
        retries: STEP_RETRIES,
        ...(s.notBefore && s.notBefore.getTime() > now + 1000 ? { notBefore: Math.ceil(s.notBefore.getTime() / 1000) } : {}),
      })),
    );
  }
}
