import { newRouter } from '../../lib/router';
import { ServiceError } from '../../lib/errors';
import { handleStripeWebhook } from '../../services/billing/stripe-events';

/** Stripe events are a few KB; a body near this is not one of theirs. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * POST /webhooks/stripe — subscription lifecycle events. The 200 means "stored and applied" (one
 * transaction): Stripe retries anything else for days, so a 400 is only for deliveries that can
 * never verify, and storage failures answer 503.
 */
export const stripeWebhookRoute = newRouter().post('/stripe', async (c) => {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new ServiceError('payload_too_large', `Webhook bodies are limited to ${MAX_BODY_BYTES} bytes`);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (raw.byteLength > MAX_BODY_BYTES) throw new ServiceError('payload_too_large', `Webhook bodies are limited to ${MAX_BODY_BYTES} bytes`);
  const result = await handleStripeWebhook(
    { db: c.var.services.db, config: c.var.config, logger: c.var.logger },
    raw,
    c.req.header('stripe-signature'),
  );
  return c.json({ received: true, duplicate: result.duplicate, outcome: result.outcome }, 200);
});
