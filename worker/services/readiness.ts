import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Services } from '../env';

export type ProviderMode = 'embedded' | 'local-server' | 'managed';

export interface Check {
  status: 'ok' | 'down';
  latencyMs: number;
  mode: ProviderMode;
  error?: string;
}

export interface Readiness {
  status: 'ok' | 'degraded';
  checks: { postgres: Check; redis: Check; qstash: Check };
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Probes every required dependency in parallel, each bounded by a timeout so a hung provider
 * turns into "down" rather than a hung health check. Errors are summarised, never echoed raw
 * (they can contain connection strings).
 */
export async function checkReadiness(services: Services, config: Config): Promise<Readiness> {
  const [postgres, redis, qstash] = await Promise.all([
    probe(config.POSTGRES_MODE, async () => {
      await services.db.execute(sql`select 1`);
    }),
    probe(config.REDIS_MODE, async () => {
      const pong = await services.redis.ping();
      if (pong !== 'PONG') throw new Error('unexpected PING reply');
    }),
    probe(config.QSTASH_MODE, async () => {
      await services.qstash.schedules.list();
    }),
  ]);
  const checks = { postgres, redis, qstash };
  const status = Object.values(checks).every((c) => c.status === 'ok') ? 'ok' : 'degraded';
  return { status, checks };
}

async function probe(mode: ProviderMode, fn: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok', latencyMs: elapsed(started), mode };
  } catch (err) {
    return { status: 'down', latencyMs: elapsed(started), mode, error: summarise(err) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function elapsed(started: number) {
  return Math.round((performance.now() - started) * 10) / 10;
}

function summarise(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.message?.startsWith('timed out')) return e.message;
  if (e?.code) return `error ${e.code}`;
  return e?.name ?? 'error';
}
