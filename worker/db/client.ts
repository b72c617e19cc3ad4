import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Config } from '../config';
import * as schema from './schema';

export type Database = NeonDatabase<typeof schema>;

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
  const db = drizzle({ client: pool, schema });
  return { db, close: () => pool.end() };
}
