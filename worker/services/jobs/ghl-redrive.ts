import type { Database } from '../../db/client';
import type { Logger } from '../../lib/logger';
import { pendingGhlDeliveries, processGhlDelivery } from '../webhooks/ghl';
import { inProcessingLane } from '../../lib/background-lane';

/**
 * Safety net for accepted GHL deliveries whose processing never finished (the isolate died
 * after the 200, Postgres or the room failed mid-way): runs them again. Processing is
 * idempotent, so a delivery caught while still in flight is harmless.
 */
export async function redriveGhlDeliveries(env: unknown, db: Database, logger: Logger) {
  const pending = await pendingGhlDeliveries(db);
  const outcomes: Record<string, number> = {};
  await Promise.all(
    pending
      .filter((d) => d.tenantId)
      .map((d) =>
        inProcessingLane(async () => {
          const outcome = await processGhlDelivery(env, d.tenantId!, d.id, logger);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }),
      ),
  );
  return { picked: pending.length, ...outcomes };
}
