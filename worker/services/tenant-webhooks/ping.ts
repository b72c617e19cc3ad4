import { eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema';
import { Conflict, DependencyUnavailable, NotFound } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { queueTenantEvent } from './emit';

/**
 * A `webhook.test` event, so a tenant can check their receiver (and its signature check) without
 * waiting for a real alert. It goes through the same queue, signing and retries as any event.
 */
export async function sendTestWebhook(ctx: ServiceContext): Promise<{ deliveryId: string }> {
  const [endpoint] = await ctx.db.select({ enabled: webhookEndpoints.enabled }).from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, ctx.tenantId)).limit(1);
  if (!endpoint) throw new NotFound('Webhook endpoint');
  if (!endpoint.enabled) throw new Conflict('The webhook is disabled; enable it to send a test event');
  const result = await queueTenantEvent(ctx, {
    type: 'webhook.test',
    dedupeKey: `webhook.test:${crypto.randomUUID()}`,
    data: { message: 'A test event from LeadPulse: your endpoint is receiving signed deliveries.', requestedBy: ctx.actor.id },
  });
  if (!result.deliveryId) throw new DependencyUnavailable('The delivery queue');
  return { deliveryId: result.deliveryId };
}
