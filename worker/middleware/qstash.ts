import { Receiver } from '@upstash/qstash';
import { createMiddleware } from 'hono/factory';
import type { HonoEnv } from '../env';
import { Unauthorized } from '../lib/errors';

/**
 * Job endpoints only run for QStash: the `Upstash-Signature` JWT must verify against the current
 * or next signing key (rotation), be addressed to this exact URL (`sub`), and carry the SHA-256
 * of the raw body we received.
 */
export const verifyQStash = createMiddleware<HonoEnv>(async (c, next) => {
  const signature = c.req.header('upstash-signature');
  if (!signature) throw new Unauthorized('Missing Upstash-Signature');
  const { config } = c.var;
  const receiver = new Receiver({
    currentSigningKey: config.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: config.QSTASH_NEXT_SIGNING_KEY,
  });
  const incoming = new URL(c.req.url);
  const url = new URL(incoming.pathname + incoming.search, config.APP_URL).toString();
  const body = await c.req.text();
  const valid = await receiver.verify({ signature, body, url, clockTolerance: 5 }).catch(() => false);
  if (!valid) throw new Unauthorized('Invalid Upstash-Signature');
  await next();
});

export function jobDelivery(c: { req: { header(name: string): string | undefined } }, job: string) {
  return {
    job,
    messageId: c.req.header('upstash-message-id') ?? `unsigned-${crypto.randomUUID()}`,
    attempt: Number(c.req.header('upstash-retried') ?? 0) || 0,
  };
}
