import { neon, neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle as drizzleHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Config } from '../config';

// No relational `schema` passed to drizzle(): building its relational config costs CPU on every
// per-request instance, and the services use the query builder only.
export type Database = NeonDatabase;
export type HttpDatabase = NeonHttpDatabase;

/**
 * A Neon WebSocket pool for one request (a socket must not outlive the request that opened it
 * on Workers). Against the local stack the same driver goes through the WebSocket bridge named
 * by NEON_WS_PROXY; against Neon it connects directly.
 */
export function createDatabase(config: Config): { db: Database; close: () => Promise<void> } {
  if (config.NEON_WS_PROXY) {
    neonConfig.wsProxy = config.NEON_WS_PROXY;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4, connectionTimeoutMillis: 5_000 });
  // A broken idle client must not crash the isolate; the next query reports the failure.
  pool.on('error', () => {});
  const db = drizzle({ client: pool });
  return { db, close: () => pool.end() };
}

/**
 * Neon's HTTP driver: one HTTPS request per query, no connection to open, no interactive
 * transactions. For hot one-shot paths (a webhook's acknowledgement) where the WebSocket pool's
 * connection setup would be most of the time. Locally it goes to the bridge's `/sql` endpoint.
 */
export function createHttpDatabase(config: Config): HttpDatabase {
  if (config.NEON_HTTP_ENDPOINT) {
    const endpoint = config.NEON_HTTP_ENDPOINT;
    neonConfig.fetchEndpoint = () => endpoint;
  }
  return drizzleHttp({ client: neon(config.DATABASE_URL) });
}
