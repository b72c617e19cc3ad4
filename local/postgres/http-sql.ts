/**
 * Neon's HTTP query endpoint (`POST /sql`), for `neon()` / `drizzle-orm/neon-http`: one query
 * (`{query, params}`) or a batch (`{queries: [...]}`, one transaction), answered with raw text
 * values and the fields' type OIDs, which the driver parses itself. Errors are HTTP 400 with
 * Postgres's error fields. Requests run on a small pool of persistent connections held here
 * (through the WebSocket side of this same bridge), as Neon's proxy holds them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from '@neondatabase/serverless';
import { readBody } from '../http-body';
import { localNeonPool } from './neon-node';

interface QueryData {
  query: string;
  params?: Array<string | null>;
}

const ERROR_FIELDS = ['severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine'] as const;
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
const ISOLATION = new Set(['ReadUncommitted', 'ReadCommitted', 'RepeatableRead', 'Serializable']);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function neonHttpHandler(opts: { allowed: Set<string>; wsProxy: () => string }) {
  const pools = new Map<string, Pool>();
  const poolFor = (connectionString: string) => {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = localNeonPool(connectionString, opts.wsProxy(), 8);
      pool.on('error', () => {});
      pools.set(connectionString, pool);
    }
    return pool;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const connectionString = req.headers['neon-connection-string'];
    if (typeof connectionString !== 'string') return send(400, { message: 'missing Neon-Connection-String header' });
    let target: string;
    try {
      const u = new URL(connectionString);
      target = `${u.hostname}:${u.port || 5432}`;
    } catch {
      return send(400, { message: 'invalid Neon-Connection-String' });
    }
    if (!opts.allowed.has(target)) return send(400, { message: `target ${target} not allowed` });

    let body: { query?: string; params?: unknown[]; queries?: QueryData[] };
    try {
      const raw = await readBody(req, MAX_BODY_BYTES);
      if (raw === 'too-large') return send(413, { message: 'request body too large' });
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return send(400, { message: `invalid JSON body: ${(err as Error).message}` });
    }
    const pool = poolFor(connectionString);
    try {
      if (Array.isArray(body.queries)) {
        const client = await pool.connect();
        try {
          const level = String(req.headers['neon-batch-isolation-level'] ?? '');
          const readOnly = req.headers['neon-batch-read-only'] === 'true';
          const deferrable = req.headers['neon-batch-deferrable'] === 'true';
          const mode = [ISOLATION.has(level) ? `ISOLATION LEVEL ${level.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()}` : '', readOnly ? 'READ ONLY' : '', deferrable ? 'DEFERRABLE' : ''].filter(Boolean).join(' ');
          await client.query(`BEGIN ${mode}`);
          const results = [];
          try {
            for (const q of body.queries) results.push(shape(await client.query({ text: q.query, values: q.params ?? [], rowMode: 'array', types: RAW_TEXT })));
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => {});
            throw err;
          }
          return send(200, { results });
        } finally {
          client.release();
        }
      }
      if (typeof body.query !== 'string') return send(400, { message: 'body needs query or queries' });
      const result = await pool.query({ text: body.query, values: body.params ?? [], rowMode: 'array', types: RAW_TEXT });
      return send(200, shape(result));
    } catch (err) {
      const e = err as Record<string, unknown> & { message?: string };
      const out: Record<string, unknown> = { message: e.message ?? String(err) };
      for (const f of ERROR_FIELDS) if (e[f] !== undefined) out[f] = e[f];
      return send(400, out);
    }
  }

  return {
    handle: (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `bridge error: ${(err as Error).message}` }));
      });
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => {})));
      pools.clear();
    },
  };
}

function shape(r: { fields: Array<{ name: string; dataTypeID: number; tableID?: number; columnID?: number; dataTypeSize?: number; dataTypeModifier?: number; format?: string }>; rows: unknown[][]; command: string; rowCount: number | null }) {
  return {
    fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, tableID: f.tableID ?? 0, columnID: f.columnID ?? 0, dataTypeSize: f.dataTypeSize ?? -1, dataTypeModifier: f.dataTypeModifier ?? -1, format: 'text' })),
    rows: r.rows,
    command: r.command,
    rowCount: r.rowCount,
    rowAsArray: true,
  };
}

