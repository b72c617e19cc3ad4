import { newRouter } from '../../lib/router';
import { ServiceError } from '../../lib/errors';
import { acceptGhlWebhook, processGhlDelivery } from '../../services/webhooks/ghl';
import { inProcessingLane } from '../../lib/background-lane';
import { stripeWebhookRoute } from './stripe';

/** GHL payloads are small (an SMS, a contact); anything near this is not one of theirs. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * POST /webhooks/ghl — every tenant's GoHighLevel events, routed by locationId. The 200 means
 * "stored"; the work (lead upsert, the conversation turn, the bot's reply) runs after it.
 */
export const ghlWebhookRoute = newRouter().post('/ghl', async (c) => {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new ServiceError('payload_too_large', `Webhook bodies are limited to ${MAX_BODY_BYTES} bytes`);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (raw.byteLength > MAX_BODY_BYTES) throw new ServiceError('payload_too_large', `Webhook bodies are limited to ${MAX_BODY_BYTES} bytes`);

  const { sql, redis } = c.var.services;
  const accepted = await acceptGhlWebhook({ db: sql, redis, config: c.var.config, logger: c.var.logger }, raw, c.req.raw.headers);
  const logger = c.var.logger.with({ tenantId: accepted.tenantId, deliveryId: accepted.deliveryId, event: accepted.type });
  if (!accepted.duplicate) {
    // After the response: if this isolate dies first (or its lane's backlog is full), the redrive
    // job picks the stored row up. Processing opens its own connections, so any request may run it.
    const env = c.env;
    const handle = () =>
      processGhlDelivery(env, accepted.tenantId, accepted.deliveryId, logger).catch((err: Error) =>
        logger.warn('ghl delivery not processed now; the redrive job retries it', { error: err.message }),
      );
    // A lead's text is waiting for its reply: it goes before contact and tag updates.
    c.executionCtx.waitUntil(inProcessingLane({ here: handle, portable: handle, priority: accepted.type === 'InboundMessage' ? 'urgent' : 'bulk' }));
  }
  logger.info('ghl webhook accepted', { duplicate: accepted.duplicate, timings: accepted.timings });
  c.header('server-timing', Object.entries(accepted.timings).map(([k, v]) => `${k};dur=${v}`).join(', '));
  return c.json({ received: true, deliveryId: accepted.deliveryId, duplicate: accepted.duplicate }, 200);
});

export const webhookRoutes = newRouter();
webhookRoutes.route('/', ghlWebhookRoute);
webhookRoutes.route('/', stripeWebhookRoute);
