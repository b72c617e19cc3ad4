import type { Database } from '../../db/client';
import type { Logger } from '../../lib/logger';
import { pendingGhlDeliveries, processGhlDelivery } from '../webhooks/ghl';

const REDRIVE_CONCURRENCY = 4;

/**
 * Safety net for accepted GHL deliveries whose processing never finished (the isolate died
 * after the 200, Postgres or the room failed mid-way): runs them again. Processing is
 * idempotent, so a delivery caught while still in flight is harmless.
 */
export async function redriveGhlDeliveries(env: unknown, db: Database, logger: Logger) {
  const pending = (await pendingGhlDeliveries(db)).filter((d) => d.tenantId);
  const outcomes: Record<string, number> = {};
  // A few at a time, all within this job's request (not the isolate's webhook lane, whose
  // backlog other requests drain: this job counts its outcomes).
  let next = 0;
  const worker = async () => {
    for (let d = pending[next++]; d; d = pending[next++]) {
      const outcome = await processGhlDelivery(env, d.tenantId!, d.id, logger).catch((err: Error) => {
        logger.warn('ghl redrive: delivery not processed', { deliveryId: d.id, error: err.message });
        return 'failed' as const;
      });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(REDRIVE_CONCURRENCY, pending.length) }, worker));
  return { picked: pending.length, ...outcomes };
}
