import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of the TCP server (what psql, drizzle-kit or the WebSocket bridge connect to). */
  url: string;
  host: string;
  port: number;
  /** Open client connections (each held by a socket until the client terminates). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Real Postgres (PGlite, compiled to WASM) served over the Postgres wire protocol on TCP.
 * PGlite is a single session: pglite-socket queues every connection's messages and keeps a
 * connection that is inside a transaction exclusive until it ends, so several clients can share
 * it safely. Closing flushes the data folder, which is why `close()` must run on shutdown.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const host = opts.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections: 256 });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    host,
    port,
    connections: () => server.getStats().activeConnections,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
