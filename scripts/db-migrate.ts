import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import { isLoopback } from '../local/options';
import { localNeonPool } from '../local/postgres/neon-node';
import { startNeonWsBridge } from '../local/postgres/ws-bridge';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * Applies the SQL in drizzle/ with the same Neon driver the Worker uses. drizzle records what
 * ran in drizzle.__drizzle_migrations, so running it again applies only what is new.
 */
export async function migrateDatabase(databaseUrl: string, wsProxy?: string): Promise<void> {
  const pool = localNeonPool(databaseUrl, wsProxy, 1);
  try {
    // Quieten "relation already exists, skipping" notices from drizzle's bookkeeping DDL.
    pool.on('connect', (client: { on(event: 'notice', fn: () => void): void }) => client.on('notice', () => {}));
    await migrate(drizzle({ client: pool }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await pool.end();
  }
}

// `npm run db:migrate`: DATABASE_URL is Neon (direct) or a local server (through a transient bridge).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set: point it at the database to migrate (Neon or a local PostgreSQL).');
    process.exit(2);
  }
  let bridge: Awaited<ReturnType<typeof startNeonWsBridge>> | undefined;
  let wsProxy = process.env.NEON_WS_PROXY;
  if (!wsProxy && isLoopback(databaseUrl)) {
    const u = new URL(databaseUrl);
    bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
    wsProxy = bridge.wsProxy;
  }
  try {
    await migrateDatabase(databaseUrl, wsProxy);
    console.log('Migrations applied.');
  } catch (err) {
    console.error(`Migration failed: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await bridge?.close();
  }
}
