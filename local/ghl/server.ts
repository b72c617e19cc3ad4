/**
 * A local stand-in for the slice of the LeadConnector (GoHighLevel API v2) REST API that
 * LeadPulse calls, so the whole speed-to-lead loop runs and can be observed without GHL:
 *
 *   POST   /conversations/messages   (Version 2021-04-15)  {type, contactId, message} → 200 {conversationId, messageId, msg}
 *   POST   /contacts/:id/tags        (Version 2021-07-28)  {tags}                     → 201 {tags}
 *   DELETE /contacts/:id/tags        (Version 2021-07-28)  {tags}                     → 200 {tags}
 *   POST   /contacts/:id/notes       (Version 2021-07-28)  {body, userId?}            → 201 {note}
 *
 * Like GHL: `Authorization: Bearer` required; a missing or unpublished `Version` is a 401;
 * validation errors are 422 `{statusCode, message: string[], error}`; every authenticated
 * response carries the `X-RateLimit-*` headers; more than `limitPerInterval` requests in
 * `intervalMs` per token (= per location), or `dailyLimit` per UTC day, is a 429 with
 * `Retry-After`. Everything is recorded; faults can be injected. See README.md.
 *
 * Inspection API for other processes (tests, `npm run ghl -- sent`), unauthenticated:
 *   GET /_standin/requests?contactId=&path=&method=   DELETE /_standin/requests   POST /_standin/faults
 *   DELETE /_standin/faults[?contactId=]   (all pending faults, or one contact's)
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ghlId } from './ids';
import { readBody as readLimitedBody } from '../http-body';

export interface GhlStandInOptions {
  /** 0 or undefined = ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Burst budget per token (GHL: 100). */
  limitPerInterval?: number;
  /** Burst window (GHL: 10 000 ms). */
  intervalMs?: number;
  /** Per token per UTC day (GHL: 200 000). */
  dailyLimit?: number;
  /** Accept only these bearer tokens; by default any non-empty token is a location's token. */
  tokens?: string[];
  /**
   * Refuse (400) a published `Version` that is not the one GHL documents for the endpoint.
   * Production accepts any published version on these paths; the stand-in is stricter by
   * default so a client sending the wrong one is caught here. Default true.
   */
  strictVersions?: boolean;
  /** Clock for rate limiting and timestamps (tests). Default Date.now. */
  now?: () => number;
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased request headers without `authorization`. */
  headers: Record<string, string>;
  /** First 12 hex of SHA-256(token): tells locations apart without keeping the token. */
  tokenFingerprint?: string;
  /** Parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** From the path (`/contacts/:id/…`) or the body (`contactId`). */
  contactId?: string;
  status: number;
  response?: unknown;
  /** Set when an injected fault produced this answer. */
  fault?: boolean;
}

export interface RequestFilter {
  contactId?: string;
  /** Matches the path exactly or as a prefix. */
  path?: string;
  method?: string;
}

export interface GhlFault {
  /**
   * Status to answer with. 2xx = answer normally after `delayMs` (a slow GHL: the request IS
   * processed); 0 = drop the connection without answering (after `delayMs`).
   */
  status: number;
  /** How many upcoming API requests get this fault. */
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Only requests for this contact get the fault (tests running side by side share one stand-in). */
  contactId?: string;
}

export interface SentMessage {
  contactId: string;
  type: string;
  message: string;
  fromNumber?: string;
  messageId: string;
  conversationId: string;
  at: string;
  tokenFingerprint?: string;
}

export interface GhlStandIn {
  url: string;
  close(): Promise<void>;
  requests(filter?: RequestFilter): RecordedRequest[];
  /** Messages the stand-in accepted for sending, oldest first. */
  sentMessages(filter?: { contactId?: string }): SentMessage[];
  /** Tags the stand-in holds for a contact (starts empty; fed by the tag endpoints). */
  contactTags(contactId: string): string[];
  /** Forgets requests, contacts, pending faults and rate-limit counters. */
  reset(): void;
  injectFaults(fault: GhlFault): void;
}

/** Every Version value GHL publishes; anything else is "version header is invalid". */
const PUBLISHED_VERSIONS = new Set(['2021-04-15', '2021-07-28', '2023-02-21', 'v3']);
const MESSAGE_TYPES = ['SMS', 'RCS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'TIKTOK'];
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDED = 10_000;

interface Contact {
  tags: Set<string>;
  conversationId: string;
  notes: Array<{ id: string; body: string; userId?: string; dateAdded: string; contactId: string }>;
}

interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

class Unprocessable extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

export async function startGhlStandIn(opts: GhlStandInOptions = {}): Promise<GhlStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const limit = opts.limitPerInterval ?? 100;
  const intervalMs = opts.intervalMs ?? 10_000;
  const dailyLimit = opts.dailyLimit ?? 200_000;
  const strictVersions = opts.strictVersions ?? true;
  const now = opts.now ?? Date.now;
  const allowedTokens = opts.tokens ? new Set(opts.tokens) : undefined;

  let recorded: RecordedRequest[] = [];
  let sent: SentMessage[] = [];
  let seq = 0;
  let contacts = new Map<string, Contact>();
  let faults: GhlFault[] = [];
  /** Per token: accepted request times within the burst window, and the day's count. */
  let windows = new Map<string, number[]>();
  let daily = new Map<string, { day: string; count: number }>();
  const state = { closing: false };

  const api = {
    requests(filter?: RequestFilter) {
      return recorded.filter((r) => matches(r, filter)).map((r) => structuredClone(r));
    },
    sentMessages(filter?: { contactId?: string }) {
      return sent.filter((m) => !filter?.contactId || m.contactId === filter.contactId).map((m) => ({ ...m }));
    },
    contactTags(contactId: string) {
      return [...(contacts.get(contactId)?.tags ?? [])];
    },
    reset() {
      recorded = [];
      sent = [];
      contacts = new Map();
      faults = [];
      windows = new Map();
      daily = new Map();
    },
    injectFaults(fault: GhlFault) {
      faults.push(validateFault(fault));
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, { status: 500, json: { statusCode: 500, message: `stand-in error: ${String(error)}` } }, state);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/(.)\/+$/, '$1');
    const method = (req.method ?? 'GET').toUpperCase();

    if (path.startsWith('/_standin/')) return write(res, await inspection(req, method, path, url), state);

    const raw = await readBody(req);
    const record: RecordedRequest = {
      seq: ++seq,
      at: new Date(now()).toISOString(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(req),
      body: raw === 'too-large' ? '(too large)' : parseBody(raw),
      status: 0,
    };
    const token = bearer(req.headers.authorization);
    if (token) record.tokenFingerprint = fingerprint(token);
    record.contactId = contactIdOf(path, record.body);

    const reply = await respond(req, method, path, raw, token, record);
    if (reply === 'drop') {
      record.status = 0;
      remember(record);
      req.socket.destroy();
      return;
    }
    record.status = reply.status;
    record.response = reply.json;
    remember(record);
    write(res, reply, state);
  }

  async function respond(
    req: IncomingMessage,
    method: string,
    path: string,
    raw: Buffer | 'too-large',
    token: string | undefined,
    record: RecordedRequest,
  ): Promise<Reply | 'drop'> {
    if (!token || (allowedTokens && !allowedTokens.has(token))) {
      return { status: 401, json: { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' } };
    }
    const version = String(req.headers.version ?? '').trim();
    if (!version) return { status: 401, json: { statusCode: 401, message: 'version header was not found.' } };
    if (!PUBLISHED_VERSIONS.has(version)) return { status: 401, json: { statusCode: 401, message: 'version header is invalid' } };

    const route = matchRoute(method, path);
    if (!route) return { status: 404, json: { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' } };
    if (strictVersions && version !== route.version) {
      return {
        status: 400,
        json: {
          statusCode: 400,
          message: `[stand-in strict mode] ${method} ${route.pattern} is documented with Version ${route.version}, got ${version}`,
          error: 'Bad Request',
        },
      };
    }

    const fault = faults.find((f) => !f.contactId || f.contactId === record.contactId);
    if (fault) {
      if (--fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
      record.fault = true;
      if (fault.delayMs) await delay(fault.delayMs);
      if (fault.status === 0) return 'drop';
      if (fault.status < 200 || fault.status >= 300) {
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
        return { status: fault.status, json: { statusCode: fault.status, message: `injected fault ${fault.status}` }, headers };
      }
      // 2xx fault: a slow GHL that still does the work below.
    }

    const limited = takeBudget(token);
    if (!limited.allowed) {
      return {
        status: 429,
        json: { statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' },
        headers: { ...limited.headers, 'Retry-After': String(limited.retryAfterSeconds) },
      };
    }

    if (raw === 'too-large') return { status: 413, json: { statusCode: 413, message: 'request entity too large' }, headers: limited.headers };
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        return { status: 400, json: { statusCode: 400, message: `Unexpected JSON: ${(error as Error).message}`, error: 'Bad Request' }, headers: limited.headers };
      }
    }
    try {
      const result = route.handle(body, route.params, record);
      return { ...result, headers: { ...limited.headers, ...result.headers } };
    } catch (error) {
      if (error instanceof Unprocessable) {
        return { status: 422, json: { statusCode: 422, message: error.messages, error: 'Unprocessable Entity' }, headers: limited.headers };
      }
      throw error;
    }
  }

  function takeBudget(token: string): { allowed: boolean; retryAfterSeconds: number; headers: Record<string, string> } {
    const t = now();
    const windowStart = t - intervalMs;
    const times = (windows.get(token) ?? []).filter((at) => at > windowStart);
    windows.set(token, times);
    const day = new Date(t).toISOString().slice(0, 10);
    let today = daily.get(token);
    if (!today || today.day !== day) daily.set(token, (today = { day, count: 0 }));

    const headers = (burstUsed: number, dayUsed: number) => ({
      'X-RateLimit-Limit-Daily': String(dailyLimit),
      'X-RateLimit-Daily-Remaining': String(Math.max(0, dailyLimit - dayUsed)),
      'X-RateLimit-Interval-Milliseconds': String(intervalMs),
      'X-RateLimit-Max': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - burstUsed)),
    });

    if (today.count >= dailyLimit) {
      const midnight = new Date(t);
      midnight.setUTCHours(24, 0, 0, 0);
      return { allowed: false, retryAfterSeconds: Math.ceil((midnight.getTime() - t) / 1000), headers: headers(times.length, today.count) };
    }
    if (times.length >= limit) {
      // Sliding window: room opens when the oldest request in it ages out.
      const retryAfterMs = times[0]! + intervalMs - t;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), headers: headers(times.length, today.count) };
    }
    times.push(t);
    today.count++;
    return { allowed: true, retryAfterSeconds: 0, headers: headers(times.length, today.count) };
  }

  function contact(id: string): Contact {
    let c = contacts.get(id);
    if (!c) contacts.set(id, (c = { tags: new Set(), conversationId: ghlId(), notes: [] }));
    return c;
  }

  interface Route {
    pattern: string;
    version: string;
    params: Record<string, string>;
    handle(body: unknown, params: Record<string, string>, record: RecordedRequest): Reply;
  }

  function matchRoute(method: string, path: string): Route | undefined {
    if (path === '/conversations/messages' && method === 'POST') {
      return { pattern: '/conversations/messages', version: '2021-04-15', params: {}, handle: sendMessage };
    }
    const m = /^\/contacts\/([^/]+)\/(tags|notes)$/.exec(path);
    if (!m) return undefined;
    const params = { contactId: decodeURIComponent(m[1]!) };
    if (m[2] === 'tags' && method === 'POST') return { pattern: '/contacts/:contactId/tags', version: '2021-07-28', params, handle: addTags };
    if (m[2] === 'tags' && method === 'DELETE') return { pattern: '/contacts/:contactId/tags', version: '2021-07-28', params, handle: removeTags };
    if (m[2] === 'notes' && method === 'POST') return { pattern: '/contacts/:contactId/notes', version: '2021-07-28', params, handle: addNote };
    return undefined;
  }

  function sendMessage(body: unknown, _params: Record<string, string>, record: RecordedRequest): Reply {
    const b = objectBody(body);
    const problems: string[] = [];
    if (typeof b.type !== 'string' || !MESSAGE_TYPES.includes(b.type)) {
      problems.push(`type must be one of the following values: ${MESSAGE_TYPES.join(', ')}`);
    }
    if (typeof b.contactId !== 'string' || !b.contactId.trim()) problems.push('contactId should not be empty', 'contactId must be a string');
    if (b.message !== undefined && typeof b.message !== 'string') problems.push('message must be a string');
    if (b.fromNumber !== undefined && typeof b.fromNumber !== 'string') problems.push('fromNumber must be a string');
    const attachments = Array.isArray(b.attachments) ? b.attachments : [];
    if (b.type === 'SMS' && !(typeof b.message === 'string' && b.message.trim()) && attachments.length === 0) {
      problems.push('message should not be empty');
    }
    if (problems.length) throw new Unprocessable(problems);

    const contactId = b.contactId as string;
    const conversationId = contact(contactId).conversationId;
    const messageId = ghlId();
    sent.push({
      contactId,
      type: b.type as string,
      message: typeof b.message === 'string' ? b.message : '',
      ...(typeof b.fromNumber === 'string' ? { fromNumber: b.fromNumber } : {}),
      messageId,
      conversationId,
      at: record.at,
      ...(record.tokenFingerprint ? { tokenFingerprint: record.tokenFingerprint } : {}),
    });
    return { status: 200, json: { conversationId, messageId, msg: 'Message queued successfully.' } };
  }

  function tagList(body: unknown): string[] {
    const b = objectBody(body);
    if (!Array.isArray(b.tags)) throw new Unprocessable(['tags must be an array']);
    if (!b.tags.every((t) => typeof t === 'string')) throw new Unprocessable(['each value in tags must be a string']);
    return b.tags as string[];
  }

  function addTags(body: unknown, params: Record<string, string>): Reply {
    const c = contact(params.contactId!);
    for (const tag of tagList(body)) if (tag.trim()) c.tags.add(tag.trim());
    return { status: 201, json: { tags: [...c.tags] } };
  }

  function removeTags(body: unknown, params: Record<string, string>): Reply {
    const c = contact(params.contactId!);
    for (const tag of tagList(body)) c.tags.delete(tag.trim());
    return { status: 200, json: { tags: [...c.tags] } };
  }

  function addNote(body: unknown, params: Record<string, string>, record: RecordedRequest): Reply {
    const b = objectBody(body);
    if (typeof b.body !== 'string' || !b.body.trim()) throw new Unprocessable(['body should not be empty', 'body must be a string']);
    if (b.userId !== undefined && typeof b.userId !== 'string') throw new Unprocessable(['userId must be a string']);
    const contactId = params.contactId!;
    const note = { id: ghlId(), body: b.body, ...(typeof b.userId === 'string' ? { userId: b.userId } : {}), dateAdded: record.at, contactId };
    contact(contactId).notes.push(note);
    return { status: 201, json: { note } };
  }

  async function inspection(req: IncomingMessage, method: string, path: string, url: URL): Promise<Reply> {
    if (path === '/_standin/requests' && method === 'GET') {
      req.resume();
      const filter: RequestFilter = {
        contactId: url.searchParams.get('contactId') || undefined,
        path: url.searchParams.get('path') || undefined,
        method: url.searchParams.get('method') || undefined,
      };
      return { status: 200, json: { requests: api.requests(filter) } };
    }
    if (path === '/_standin/messages' && method === 'GET') {
      req.resume();
      return { status: 200, json: { messages: api.sentMessages({ contactId: url.searchParams.get('contactId') || undefined }) } };
    }
    if (path === '/_standin/requests' && method === 'DELETE') {
      req.resume();
      api.reset();
      return { status: 204 };
    }
    if (path === '/_standin/faults' && method === 'DELETE') {
      req.resume();
      const only = url.searchParams.get('contactId');
      const before = faults.length;
      faults = faults.filter((f) => only !== null && f.contactId !== only);
      return { status: 200, json: { cleared: before - faults.length } };
    }
    if (path === '/_standin/faults' && method === 'POST') {
      const raw = await readBody(req);
      try {
        const fault = validateFault(JSON.parse(raw === 'too-large' ? '' : raw.toString('utf8')) as GhlFault);
        faults.push(fault);
        return { status: 201, json: { queued: faults.reduce((n, f) => n + f.count, 0) } };
      } catch (error) {
        return { status: 400, json: { error: `fault must be {status, count, retryAfterSeconds?, delayMs?}: ${(error as Error).message}` } };
      }
    }
    if (path === '/_standin/health' && method === 'GET') {
      req.resume();
      return { status: 200, json: { ok: true } };
    }
    req.resume();
    return { status: 404, json: { error: `no stand-in endpoint ${method} ${path}` } };
  }

  function remember(record: RecordedRequest): void {
    recorded.push(record);
    if (recorded.length > MAX_RECORDED) recorded.splice(0, recorded.length - MAX_RECORDED);
  }

  await listen(server, opts.port ?? 0, host);
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...api,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        state.closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests parked in an injected delay would otherwise hold close() open.
        setTimeout(() => server.closeAllConnections(), 100).unref();
      })),
  };
}

function validateFault(input: GhlFault): GhlFault {
  const status = Number(input?.status);
  const count = Number(input?.count);
  if (!Number.isInteger(status) || (status !== 0 && (status < 200 || status > 599))) throw new Error('status must be 0 or an HTTP status');
  if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
  const fault: GhlFault = { status, count };
  if (input.contactId !== undefined) {
    if (typeof input.contactId !== 'string' || !input.contactId) throw new Error('contactId must be a non-empty string');
    fault.contactId = input.contactId;
  }
  if (input.retryAfterSeconds !== undefined) {
    const s = Number(input.retryAfterSeconds);
    if (!Number.isFinite(s) || s < 0) throw new Error('retryAfterSeconds must be ≥ 0');
    fault.retryAfterSeconds = s;
  }
  if (input.delayMs !== undefined) {
    const d = Number(input.delayMs);
    if (!Number.isFinite(d) || d < 0) throw new Error('delayMs must be ≥ 0');
    fault.delayMs = d;
  }
  return fault;
}

function matches(r: RecordedRequest, filter?: RequestFilter): boolean {
  if (!filter) return true;
  if (filter.contactId && r.contactId !== filter.contactId) return false;
  if (filter.path && r.path !== filter.path && !r.path.startsWith(filter.path.endsWith('/') ? filter.path : `${filter.path}/`)) return false;
  if (filter.method && r.method !== filter.method.toUpperCase()) return false;
  return true;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Unprocessable(['body must be a JSON object']);
  return body as Record<string, unknown>;
}

function contactIdOf(path: string, body: unknown): string | undefined {
  const m = /^\/contacts\/([^/]+)\//.exec(path);
  if (m) {
    try {
      return decodeURIComponent(m[1]!);
    } catch {
      return m[1];
    }
  }
  const fromBody = body && typeof body === 'object' ? (body as { contactId?: unknown }).contactId : undefined;
  return typeof fromBody === 'string' ? fromBody : undefined;
}

const readBody = (req: IncomingMessage) => readLimitedBody(req, MAX_BODY_BYTES);

function write(res: ServerResponse, reply: Reply, state: { closing: boolean }): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = reply.json === undefined ? '' : JSON.stringify(reply.json);
  res.writeHead(reply.status, {
    ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
    ...(state.closing ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
