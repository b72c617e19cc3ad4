import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

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
  connections(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Real Postgres (PGlite, compiled to WASM) served over the Postgres wire protocol on TCP, in its
 * own thread (see pglite-thread.mjs). PGlite is a single session: pglite-socket queues every
 * connection's messages and keeps a connection that is inside a transaction exclusive until it
 * ends, so several clients can share it safely. Closing flushes the data folder, which is why
 * `close()` must run on shutdown.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const thread = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { dataDir: opts.dataDir, host, port: opts.port ?? 0 } });
  const [ready] = (await Promise.race([once(thread, 'message'), once(thread, 'error').then(([err]) => Promise.reject(err))])) as [{ type: string; port: number }];
  const port = ready.port;
  let nextId = 0;
  let closed: Promise<void> | undefined;
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    host,
    port,
    connections: async () => {
      const id = ++nextId;
      thread.postMessage({ type: 'stats', id });
      for (;;) {
        const [msg] = (await once(thread, 'message')) as [{ type: string; id?: number; stats?: { activeConnections: number } }];
        if (msg.type === 'stats' && msg.id === id) return msg.stats!.activeConnections;
      }
    },
    close: () =>
      (closed ??= (async () => {
        thread.postMessage({ type: 'close' });
        for (;;) {
          const [msg] = (await once(thread, 'message')) as [{ type: string }];
          if (msg.type === 'closed') break;
        }
        await thread.terminate();
      })()),
  };
}
