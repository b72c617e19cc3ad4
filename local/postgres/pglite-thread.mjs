// PGlite (Postgres compiled to WASM) and its TCP socket server, in a worker thread: PGlite runs
// each query synchronously, and on the main thread that would stall every other stand-in
// (Redis, QStash, GHL, the Neon bridge) for the query's duration. Plain JS so any loader can start it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepQueriesWhole } from './pglite-queue.mjs';

const { dataDir, host, port } = workerData;
const db = await PGlite.create(dataDir ? { dataDir } : {});
const server = new PGLiteSocketServer({ db, host, port, maxConnections: 256 });
keepQueriesWhole(server.queryQueue);
await server.start();
const conn = server.getServerConn();
parentPort.postMessage({ type: 'ready', port: Number(conn.slice(conn.lastIndexOf(':') + 1)) });

parentPort.on('message', async (msg) => {
  if (msg.type === 'stats') parentPort.postMessage({ type: 'stats', id: msg.id, stats: server.getStats() });
  if (msg.type === 'close') {
    await server.stop();
    await db.close();
    parentPort.postMessage({ type: 'closed' });
  }
});
