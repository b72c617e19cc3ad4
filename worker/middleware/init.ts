import type { Client as QStashClient } from '@upstash/qstash';
import type { Redis } from '@upstash/redis/cloudflare';
import { createMiddleware } from 'hono/factory';
import { loadConfig } from '../config';
import { createDatabase, createHttpDatabase, type Database, type HttpDatabase } from '../db/client';
import type { HonoEnv, Services } from '../env';
import { newId } from '../lib/ids';
import { createLogger, type LogLevel } from '../lib/logger';
import { createQStash, createRedis } from '../services/clients';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Request id, structured logger and one access-log line per request. Runs for every path,
 * including liveness, and does no I/O.
 */
export const requestContext = createMiddleware<HonoEnv>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newId('request');
  c.set('requestId', requestId);
  c.header('x-request-id', requestId);
  const started = Date.now();
  const level = (c.env as { LOG_LEVEL?: LogLevel } | undefined)?.LOG_LEVEL ?? 'info';
  c.set('logger', createLogger({ requestId }, level));
  try {
    await next();
  } finally {
    c.get('logger').info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
    });
  }
});

/**
 * Parsed configuration and lazily-created clients. Nothing is shared across requests (a Neon
 * socket must not outlive its request); the pool is closed after the response via waitUntil.
 */
export const init = createMiddleware<HonoEnv>(async (c, next) => {
  const config = loadConfig(c.env);
  c.set('config', config);

  let database: { db: Database; close: () => Promise<void> } | undefined;
  let sql: HttpDatabase | undefined;
  let redis: Redis | undefined;
  let qstash: QStashClient | undefined;
  const services: Services = {
    get db() {
      database ??= createDatabase(config);
      return database.db;
    },
    get sql() {
      sql ??= createHttpDatabase(config);
      return sql;
    },
    get redis() {
      redis ??= createRedis(config);
      return redis;
    },
    get qstash() {
      qstash ??= createQStash(config);
      return qstash;
    },
    afterResponse(work) {
      const task = work().catch((err: Error) => c.var.logger.warn('work after the response failed', { error: err.message }));
      background.push(task);
      c.executionCtx.waitUntil(task);
    },
  };
  const background: Promise<unknown>[] = [];
  c.set('services', services);

  try {
    await next();
  } finally {
    if (database) {
      const db = database;
      const close = Promise.allSettled(background).then(() => db.close().catch(() => {}));
      try {
        c.executionCtx.waitUntil(close);
      } catch {
        await close; // no execution context (app.request() in unit tests)
      }
    }
  }
});
