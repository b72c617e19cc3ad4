import { Client as QStashClient } from '@upstash/qstash';
import { Redis } from '@upstash/redis/cloudflare';
import { loadConfig, type Config } from '../config';
import { createDatabase } from '../db/client';
import { createLogger, type Logger } from '../lib/logger';
import type { ServiceContext } from './context';

export function createRedis(config: Config): Redis {
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    // Fail fast instead of retrying inside the request: callers decide what an outage means.
    retry: { retries: 1, backoff: () => 50 },
  });
}

export function createQStash(config: Config): QStashClient {
  return new QStashClient({ baseUrl: config.QSTASH_URL, token: config.QSTASH_TOKEN });
}

/**
 * A service context for work that no HTTP caller owns: a Durable Object handling a lead's
 * message, a webhook delivery processed after its 200, a job. The actor is the system; the
 * database pool belongs to this unit of work and must be closed by the caller.
 */
export function openSystemContext(env: unknown, tenantId: string, logger?: Logger): { ctx: ServiceContext; close: () => Promise<void> } {
  const config = loadConfig(env);
  const database = createDatabase(config);
  const ctx: ServiceContext = {
    tenantId,
    actor: { type: 'system', id: null },
    db: database.db,
    redis: createRedis(config),
    config,
    logger: (logger ?? createLogger({}, config.LOG_LEVEL)).with({ tenantId }),
    ip: null,
    rooms: (env as Partial<Env>).CONVERSATION_ROOM,
    hubs: (env as Partial<Env>).REALTIME_HUB,
    desks: (env as Partial<Env>).ALERT_DESK,
  };
  return { ctx, close: () => database.close().catch(() => {}) };
}
