import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { LimitExceeded } from '../lib/errors';
import type { Logger } from '../lib/logger';

/** Every limit in one place: requests per window, sliding. */
export const LIMITS = {
  loginPerIp: { tokens: 30, window: '10 m' },
  loginPerAccount: { tokens: 8, window: '15 m' },
  refreshPerIp: { tokens: 60, window: '10 m' },
  provisionPerIp: { tokens: 10, window: '1 h' },
  apiPerTenant: { tokens: 1200, window: '1 m' },
  apiPerKey: { tokens: 600, window: '1 m' },
  /** GHL bursts on bulk imports (300/s); generous, but a runaway location cannot starve the others. */
  ghlWebhookPerLocation: { tokens: 3000, window: '10 s' },
} as const satisfies Record<string, { tokens: number; window: `${number} ${'s' | 'm' | 'h'}` }>;

export type LimitName = keyof typeof LIMITS;

/**
 * Counts one request against a named limit; over the limit → 429 with Retry-After.
 * Redis is an accelerator, not a gate: if it is unreachable the request is let through and
 * the outage logged, rather than locking every user out.
 */
export async function enforceLimit(redis: Redis, logger: Logger, name: LimitName, key: string): Promise<void> {
  const { tokens, window } = LIMITS[name];
  const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(tokens, window), prefix: `rl:${name}`, analytics: false });
  let result: Awaited<ReturnType<Ratelimit['limit']>>;
  try {
    result = await limiter.limit(key);
  } catch (err) {
    logger.warn('rate limiter unavailable; allowing request', { limit: name, error: (err as Error).name });
    return;
  }
  if (!result.success) {
    const retryAfter = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000));
    throw new LimitExceeded(`Too many requests; try again in ${retryAfter} s`, retryAfter);
  }
}
