/**
 * A local stand-in for the Upstash Redis REST API, so that the unmodified `@upstash/redis` client (and
 * `@upstash/ratelimit`) run against it exactly as against Upstash:
 *
 *   POST /            ["set","k","v","ex",60]          → {"result": …}    (error: 400 {"error": "ERR …"})
 *   POST /pipeline    [["incr","a"],["get","a"]]       → [{"result": …} | {"error": …}, …]  (always 200)
 *   POST /multi-exec  same body, run in MULTI/EXEC     → same shape
 *
 * `Authorization: Bearer <token>` is required (401 {"error":"Unauthorized"} otherwise). With the
 * request header `Upstash-Encoding: base64` (the client's default) strings in results are base64.
 * Commands run in memory, or on a real Redis when `redisUrl` is given (see engine.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, RedisError, type Engine } from './engine';
import { BadRequest, encodeEntries, encodeResult, parseCommand, parseCommandList } from './protocol';
import { readBody as readLimitedBody } from '../http-body';

export interface RedisStandInOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The bearer token clients must send (UPSTASH_REDIS_REST_TOKEN). */
  token: string;
  /** When set, forward every command to this real Redis (ioredis) instead of the in-memory engine. */
  redisUrl?: string;
}

export interface RedisStandIn {
  /** http://host:port — the UPSTASH_REDIS_REST_URL for clients. */
  url: string;
  token: string;
  mode: 'embedded' | 'local-server';
  /** Stops the HTTP server and the engine (disconnecting from Redis). Safe to call twice. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const ROUTES = { '/': 'command', '/pipeline': 'pipeline', '/multi-exec': 'transaction' } as const;
type Route = (typeof ROUTES)[keyof typeof ROUTES];

export async function startRedisStandIn(opts: RedisStandInOptions): Promise<RedisStandIn> {
  if (!opts.token) throw new Error('startRedisStandIn: a token is required');
  const host = opts.host ?? '127.0.0.1';
  const engine = await createEngine(opts.redisUrl);
  const state = { closing: false };

  const server = createServer((req, res) => {
    handle(req, res, engine, opts.token, state).catch((error: unknown) => {
      send(res, 500, { error: `ERR ${error instanceof Error ? error.message : String(error)}` }, state);
    });
  });

  try {
    await listen(server, opts.port ?? 0, host);
  } catch (error) {
    await engine.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token: opts.token,
    mode: engine.mode,
    close: () =>
      (closed ??= (async () => {
        state.closing = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections(); // keep-alive sockets would otherwise hold close() open
        });
        await engine.close();
      })()),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  engine: Engine,
  token: string,
  state: { closing: boolean },
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://stand-in').pathname.replace(/(.)\/+$/, '$1');
  const route: Route | undefined = Object.hasOwn(ROUTES, path) ? ROUTES[path as keyof typeof ROUTES] : undefined;
  if (!route || req.method !== 'POST') {
    req.resume();
    return send(res, 404, { error: `Not Found: ${req.method ?? ''} ${path}` }, state);
  }
  if (!authorized(req.headers.authorization, token)) {
    req.resume();
    return send(res, 401, { error: 'Unauthorized' }, state);
  }

  const body = await readBody(req);
  if (body === 'too-large') return send(res, 413, { error: `ERR request body larger than ${MAX_BODY_BYTES} bytes` }, state);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return send(res, 400, { error: 'ERR failed to parse the request body as JSON' }, state);
  }

  // The client sends "Upstash-Encoding: base64" unless created with responseEncoding: false.
  const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
  try {
    switch (route) {
      case 'command':
        return send(res, 200, { result: encodeResult(await engine.command(parseCommand(json)), base64) }, state);
      case 'pipeline':
        return send(res, 200, encodeEntries(await engine.pipeline(parseCommandList(json)), base64), state);
      case 'transaction':
        return send(res, 200, encodeEntries(await engine.transaction(parseCommandList(json)), base64), state);
    }
  } catch (error) {
    // Error replies of a single command (and EXECABORT) are HTTP 400, like Upstash.
    if (error instanceof RedisError || error instanceof BadRequest) {
      return send(res, 400, { error: error.message }, state);
    }
    throw error;
  }
}

function authorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const readBody = (req: IncomingMessage) => readLimitedBody(req, MAX_BODY_BYTES);

function send(res: ServerResponse, status: number, value: unknown, state: { closing: boolean }): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    // While shutting down, do not leave keep-alive sockets behind that would delay close().
    ...(state.closing || status === 413 ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
