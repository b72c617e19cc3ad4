/**
 * A local receiver for the tenant webhooks LeadPulse sends (PRODUCT.md §3.4 "Delivery"): it
 * accepts any request on any path, keeps the headers and the raw body exactly as they arrived
 * (a signature is checked over those bytes), and answers 200 — or, when told to, fails the next
 * N requests on a path with a given status, after a delay, or by dropping the connection.
 *
 * Inspection API for tests and developers, unauthenticated, under /_sink/:
 *   GET    /_sink/requests?path=&method=   what was received, oldest first
 *   POST   /_sink/faults {path, status, count, delayMs?}   fail the next `count` requests on `path`
 *   DELETE /_sink[?path=]                  forget everything (or only one path's requests and faults)
 *   GET    /_sink/health
 *
 * Tests running side by side share one sink: give each test its own path.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from '../http-body';

export interface WebhookSinkOptions {
  /** 0 or undefined = ephemeral port. */
  port?: number;
  /** Default 127.0.0.1 (what the Worker inside workerd can reach). */
  host?: string;
  /** Bodies above this are answered 413 and recorded without their body. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface ReceivedRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names, as received. */
  headers: Record<string, string>;
  /** The body exactly as received, decoded as UTF-8 (what a receiver verifies a signature over). */
  body: string;
  /** What the sink answered (0 = connection dropped). */
  status: number;
  /** Set when an injected fault produced the answer. */
  fault?: boolean;
}

export interface SinkFault {
  /** Only requests on exactly this path are affected. */
  path: string;
  /** An HTTP status to answer with (any, 2xx included: a slow but successful receiver), or 0 to drop the connection. */
  status: number;
  /** How many upcoming requests on the path get the fault. */
  count: number;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
}

export interface WebhookSink {
  url: string;
  requests(filter?: { path?: string; method?: string }): ReceivedRequest[];
  injectFault(fault: SinkFault): void;
  /** Forgets everything, or only one path's requests and pending faults. */
  reset(path?: string): void;
  close(): Promise<void>;
}

const MAX_RECORDED = 10_000;

interface Reply {
  status: number;
  json?: unknown;
}

export async function startWebhookSink(opts: WebhookSinkOptions = {}): Promise<WebhookSink> {
  const host = opts.host ?? '127.0.0.1';
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  let received: ReceivedRequest[] = [];
  let faults: SinkFault[] = [];
  let seq = 0;
  const state = { closing: false };

  const api = {
    requests(filter?: { path?: string; method?: string }) {
      return received
        .filter((r) => (!filter?.path || r.path === filter.path) && (!filter?.method || r.method === filter.method.toUpperCase()))
        .map((r) => structuredClone(r));
    },
    injectFault(fault: SinkFault) {
      faults.push(validateFault(fault));
    },
    reset(path?: string) {
      if (path === undefined) {
        received = [];
        faults = [];
        return;
      }
      received = received.filter((r) => r.path !== path);
      faults = faults.filter((f) => f.path !== path);
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, { status: 500, json: { error: `sink error: ${String(error)}` } }, state);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sink');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/_sink' || url.pathname.startsWith('/_sink/')) return write(res, await inspection(req, method, url), state);

    const raw = await readBody(req, maxBodyBytes);
    const record: ReceivedRequest = {
      seq: ++seq,
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: headersOf(req),
      body: raw === 'too-large' ? '' : raw.toString('utf8'),
      status: 0,
    };

    const fault = faults.find((f) => f.path === record.path);
    if (fault) {
      if (--fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
      record.fault = true;
      if (fault.delayMs) await sleep(fault.delayMs, undefined, { ref: false });
      if (fault.status === 0) {
        remember(record);
        req.socket.destroy();
        return;
      }
      record.status = fault.status;
      remember(record);
      return write(res, { status: fault.status, json: { error: `injected fault ${fault.status}` } }, state);
    }

    record.status = raw === 'too-large' ? 413 : 200;
    remember(record);
    write(res, record.status === 200 ? { status: 200, json: { received: true, seq: record.seq } } : { status: 413, json: { error: 'body too large' } }, state);
  }

  async function inspection(req: IncomingMessage, method: string, url: URL): Promise<Reply> {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/_sink/faults' && method === 'POST') {
      const raw = await readBody(req, 64 * 1024);
      try {
        const fault = validateFault(JSON.parse(raw === 'too-large' ? '' : raw.toString('utf8')) as SinkFault);
        faults.push(fault);
        return { status: 201, json: { fault } };
      } catch (error) {
        return { status: 400, json: { error: `fault must be {path, status, count, delayMs?}: ${(error as Error).message}` } };
      }
    }
    req.resume();
    if (path === '/_sink/requests' && method === 'GET') {
      const filter = { path: url.searchParams.get('path') || undefined, method: url.searchParams.get('method') || undefined };
      return { status: 200, json: { requests: api.requests(filter) } };
    }
    if (path === '/_sink' && method === 'DELETE') {
      api.reset(url.searchParams.get('path') ?? undefined);
      return { status: 204 };
    }
    if (path === '/_sink/health' && method === 'GET') return { status: 200, json: { ok: true } };
    return { status: 404, json: { error: `no sink endpoint ${method} ${url.pathname}` } };
  }

  function remember(record: ReceivedRequest): void {
    received.push(record);
    if (received.length > MAX_RECORDED) received.splice(0, received.length - MAX_RECORDED);
  }

  // events.once rejects on 'error' (EADDRINUSE) as well.
  await once(server.listen(opts.port ?? 0, host), 'listening');
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...api,
    close() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      state.closing = true;
      // Nothing a sink holds is worth waiting for: requests parked in an injected delay end here.
      server.closeAllConnections();
      return closed;
    },
  };
}

function validateFault(input: SinkFault): SinkFault {
  if (typeof input?.path !== 'string' || !input.path.startsWith('/')) throw new Error('path must start with /');
  const status = Number(input.status);
  const count = Number(input.count);
  if (!Number.isInteger(status) || (status !== 0 && (status < 200 || status > 599))) throw new Error('status must be 0 or an HTTP status');
  if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
  const fault: SinkFault = { path: input.path, status, count };
  if (input.delayMs !== undefined) {
    const d = Number(input.delayMs);
    if (!Number.isFinite(d) || d < 0 || d > 120_000) throw new Error('delayMs must be between 0 and 120000');
    fault.delayMs = d;
  }
  return fault;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function write(res: ServerResponse, reply: Reply, state: { closing: boolean }): void {
  const body = reply.json === undefined ? '' : JSON.stringify(reply.json);
  res.writeHead(reply.status, {
    ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(body),
    ...(state.closing ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

