import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QStashApi, type ApiResult } from './api';
import { DeliveryEngine } from './delivery';
import { bagFromNode } from './headers';
import { QueueRegistry } from './queues';
import { ScheduleManager } from './schedules';
import { Timers, VirtualClock } from './scheduler';
import { deadLetterJson } from './serialize';
import { Signer } from './signing';
import { Store } from './store';
import { HttpError, type DeadLetter, type DeliveryRecord, type Logger } from './types';

export type { DeadLetter, DeliveryRecord } from './types';

export interface QStashStandInOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** 0 or undefined = ephemeral port. */
  port?: number;
  /** Bearer token the SDK Client must present. */
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /**
   * Compressed clock for local dev/tests: 1 = real time; 60 = one virtual minute per
   * real second. Applies to Upstash-Delay / Not-Before, retry backoff, cron evaluation
   * and the 10-minute deduplication window.
   */
  timeScale?: number;
  /** Delivery transport (default: global fetch). */
  fetch?: typeof fetch;
  log?: Logger;
  /**
   * Real milliseconds a destination gets to answer before the attempt counts as a
   * failure (default 30 000). Not compressed by timeScale: the destination runs at
   * real speed. `Upstash-Timeout` on a message overrides it (also in real time).
   */
  deliveryTimeoutMs?: number;
  /** Largest accepted message body (default 1 MiB, QStash's free-plan limit). */
  maxMessageBytes?: number;
}

export interface QStashStandIn {
  url: string;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /** Every delivery attempt so far (including callbacks), oldest first. */
  deliveries(): DeliveryRecord[];
  /** Current DLQ content, in the JSON shape of `GET /v2/dlq`. */
  deadLetters(): DeadLetter[];
  /** Virtual epoch ms (the clock used for delays, schedules and API timestamps). */
  now(): number;
  /** Stops timers, aborts in-flight deliveries and closes the HTTP server. */
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * In-process stand-in for the Upstash QStash v2 REST API. State is kept in memory
 * only (see README.md in this folder).
 */
export async function startQStashStandIn(opts: QStashStandInOptions): Promise<QStashStandIn> {
  if (!opts.token) throw new Error('QStash stand-in: token is required');
  if (!opts.currentSigningKey || !opts.nextSigningKey) throw new Error('QStash stand-in: both signing keys are required');

  const sink = opts.log;
  const log: Logger = sink
    ? (entry) => sink(Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)))
    : () => {};
  const clock = new VirtualClock(opts.timeScale ?? 1);
  const timers = new Timers(clock, (err) => log({ event: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) }));
  const store = new Store();
  const queues = new QueueRegistry(() => clock.now());
  let schedules: ScheduleManager | undefined;
  const engine = new DeliveryEngine({
    clock,
    timers,
    store,
    queues,
    signer: new Signer(opts.currentSigningKey),
    // Resolved per call so tests that stub globalThis.fetch later still take effect.
    fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    log,
    deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 30_000,
    onTerminal: (message, outcome) => schedules?.onTerminal(message, outcome),
  });
  schedules = new ScheduleManager(clock, timers, engine, log);
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const api = new QStashApi({
    clock,
    store,
    engine,
    schedules,
    queues,
    log,
    keys: { current: opts.currentSigningKey, next: opts.nextSigningKey },
    maxMessageBytes,
  });

  const expectedAuth = `Bearer ${opts.token}`;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log({ event: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) });
      if (!res.headersSent) send(res, { status: 500, json: { error: 'internal error' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.headers.authorization !== expectedAuth) {
        req.resume();
        throw new HttpError(401, 'unauthorized: invalid or missing bearer token');
      }
      const result = await route(req);
      send(res, result);
    } catch (err) {
      if (err instanceof HttpError) {
        log({ event: 'api.error', method: req.method, path: redactPath(req.url), status: err.status, error: err.message });
        send(res, { status: err.status, json: { error: err.message } });
        return;
      }
      throw err;
    }
  }

  async function route(req: IncomingMessage): Promise<ApiResult> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const params = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    const callerIp = req.socket.remoteAddress;
    const bag = () => bagFromNode(req.headers);
    const body = async (limit = maxMessageBytes) => readBody(req, limit);
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) {
        req.resume();
        throw new HttpError(405, `method ${method} not allowed on ${path.split('/').slice(0, 3).join('/')}`);
      }
    };

    // Destinations are taken from the raw URL (not the decoded path) so their own
    // query strings and percent-escapes reach the destination untouched.
    if (path.startsWith('/v2/publish/')) {
      allow('POST');
      return api.publish(rawUrl.slice('/v2/publish/'.length), bag(), await body(), callerIp);
    }
    if (path.startsWith('/v2/enqueue/')) {
      allow('POST');
      const rest = rawUrl.slice('/v2/enqueue/'.length);
      const slash = rest.indexOf('/');
      if (slash <= 0) throw new HttpError(400, 'expected /v2/enqueue/<queue>/<destination>');
      const queueName = decodeSegment(rest.slice(0, slash));
      return api.publish(rest.slice(slash + 1), bag(), await body(), callerIp, queueName);
    }
    if (path === '/v2/batch') {
      allow('POST');
      return api.batch(await body(maxMessageBytes * 100), callerIp);
    }
    if (path.startsWith('/v2/schedules/') && method === 'POST') {
      return api.createSchedule(rawUrl.slice('/v2/schedules/'.length), bag(), await body(), callerIp);
    }

    const segments = path.split('/').slice(1).map(decodeSegment);
    if (segments[0] !== 'v2') throw new HttpError(404, `not found: ${method} ${path}`);
    const [, resource, id, action, ...extra] = segments;
    if (extra.length > 0) throw new HttpError(404, `not found: ${method} ${path}`);
    req.resume();

    switch (resource) {
      case 'keys':
        if (id === undefined) {
          allow('GET');
          return api.keys();
        }
        break;
      case 'messages':
        if (id === undefined) {
          allow('DELETE');
          return api.cancelMessages(params);
        }
        if (action === undefined) {
          allow('GET', 'DELETE');
          return method === 'GET' ? api.getMessage(id) : api.cancelMessage(id);
        }
        break;
      case 'dlq':
        if (id === undefined) {
          allow('GET', 'DELETE');
          return method === 'GET' ? api.listDlq(params) : api.deleteDlqBulk(params);
        }
        if (id === 'retry' && action === undefined) {
          allow('POST');
          return api.retryDlq(params);
        }
        if (action === undefined) {
          allow('GET', 'DELETE');
          return method === 'GET' ? api.getDlq(id) : api.deleteDlq(id);
        }
        break;
      case 'schedules':
        if (id === undefined) {
          allow('GET');
          return api.listSchedules();
        }
        if (action === undefined) {
          allow('GET', 'DELETE');
          return method === 'GET' ? api.getSchedule(id) : api.deleteSchedule(id);
        }
        if (action === 'pause' || action === 'resume') {
          allow('PATCH');
          return api.pauseSchedule(id, action === 'pause');
        }
        break;
      case 'queues':
        if (id === undefined) {
          allow('GET', 'POST');
          return method === 'GET' ? api.listQueues() : api.upsertQueue(await body());
        }
        if (action === undefined) {
          allow('GET', 'DELETE');
          return method === 'GET' ? api.getQueue(id) : api.deleteQueue(id);
        }
        if (action === 'pause' || action === 'resume') {
          allow('POST');
          return api.pauseQueue(id, action === 'pause');
        }
        break;
      case 'events':
      case 'logs':
        if (id === undefined) {
          allow('GET');
          return api.events(params);
        }
        break;
    }
    throw new HttpError(404, `not found: ${method} ${path}`);
  }

  await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(opts.host ?? '127.0.0.1')}:${address.port}`;
  log({ event: 'listening', url, timeScale: clock.timeScale });

  let closing: Promise<void> | undefined;
  return {
    url,
    token: opts.token,
    currentSigningKey: opts.currentSigningKey,
    nextSigningKey: opts.nextSigningKey,
    deliveries: () => store.deliveries.map((r) => ({ ...r })),
    deadLetters: () => [...store.dlq.values()].map(deadLetterJson),
    now: () => clock.now(),
    close: () => {
      closing ??= (async () => {
        timers.close();
        engine.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        log({ event: 'closed', url });
      })();
      return closing;
    },
  };
}

function send(res: ServerResponse, result: ApiResult): void {
  if (result.json === undefined) {
    res.writeHead(result.status, { 'Content-Length': '0' });
    res.end();
    return;
  }
  const payload = JSON.stringify(result.json);
  res.writeHead(result.status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, `message body exceeds the maximum size of ${limit} bytes`);
  }
  // Keep draining past the limit (instead of destroying the stream) so the 413 can
  // still be written on the same connection.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) reject(new HttpError(413, `message body exceeds the maximum size of ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `invalid path segment "${segment}"`);
  }
}

/** Logs should not carry destination query strings (they often hold tokens). */
function redactPath(url: string | undefined): string {
  return (url ?? '').replace(/\?.*$/, '');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
