/**
 * Outbound LeadConnector (GoHighLevel API v2) client: the three calls the speed-to-lead loop
 * makes — send an SMS, tag a contact, leave a note — over plain fetch (workerd and Node).
 *
 * Failure policy, decided per call by whether repeating it could hurt the lead:
 *   - 429 (GHL rejected before doing anything), 503, and network errors raised before the
 *     request could have left (connection refused, DNS) are retried with exponential backoff
 *     and jitter, honouring `Retry-After` and GHL's `X-RateLimit-*` headers, within
 *     `maxAttempts` and `maxTotalMs`;
 *   - a timeout, a connection lost mid-request, a 502 or a 504 may mean GHL received the
 *     request: `sendSms` reports these as `ambiguous` and never retries them, so a lead is never
 *     double-texted (the caller decides, e.g. by checking the conversation); tags and notes
 *     are retried (re-adding a tag is a no-op; a repeated note is an internal duplicate at worst);
 *   - any other 4xx is final.
 * A wait that would not fit in the remaining budget is not slept: the error carries
 * `retryAfterMs` so the caller can reschedule (Durable Object alarm, QStash delay).
 */
import { z } from 'zod';

/** `Version` header per API family, as GHL documents each operation. */
export const GHL_API_VERSIONS = { conversations: '2021-04-15', contacts: '2021-07-28' } as const;

export interface GhlRateLimitDecision {
  allowed: boolean;
  retryAfterMs: number;
}

export interface GhlClientOptions {
  /** e.g. https://services.leadconnectorhq.com, or the local stand-in. */
  baseUrl: string;
  /** Location (sub-account) access token or private integration token. */
  token: string;
  locationId: string;
  fetch?: typeof fetch;
  /** Per attempt. Default 8000. */
  timeoutMs?: number;
  /** HTTP attempts per call, first one included. Default 4. */
  maxAttempts?: number;
  /** Upper bound for a whole call, waits included. Default 30 000. */
  maxTotalMs?: number;
  /**
   * Longest single wait (for the limiter, or a 429's Retry-After) the call sleeps through; a
   * longer one ends the call as retryable with its `retryAfterMs`, for the caller to reschedule
   * rather than hold its worker. Default: any wait that fits in maxTotalMs.
   */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Asked before every attempt; lets the caller hold all its workers to GHL's budget of
   * 100 requests / 10 s per location (e.g. with @upstash/ratelimit) instead of finding out by 429.
   */
  limiter?: (locationId: string) => Promise<GhlRateLimitDecision>;
  /** Jitter source, [0, 1). Default Math.random; tests pin it. */
  random?: () => number;
}

export interface SendSmsInput {
  contactId: string;
  message: string;
  /** Sender number when the location has several; GHL picks the default otherwise. */
  fromNumber?: string;
}

export interface SendSmsResult {
  messageId: string;
  conversationId: string;
}

/** What the last response said about the location's budget (GHL's X-RateLimit-* headers). */
export interface GhlRateLimitSnapshot {
  burstMax?: number;
  burstRemaining?: number;
  intervalMs?: number;
  dailyLimit?: number;
  dailyRemaining?: number;
  at: number;
}

export interface GhlClient {
  sendSms(input: SendSmsInput): Promise<SendSmsResult>;
  addTags(contactId: string, tags: string[]): Promise<void>;
  addNote(contactId: string, body: string): Promise<void>;
  /** The rate-limit headers of the most recent response, if any carried them. */
  rateLimit(): GhlRateLimitSnapshot | undefined;
}

export type GhlErrorCode =
  | 'http' // GHL answered with an error status
  | 'rate_limited' // GHL answered 429 and no retry fitted
  | 'local_rate_limited' // our own limiter said no and the wait did not fit
  | 'timeout'
  | 'network'
  | 'bad_response'; // 2xx whose body we could not read

export class GhlError extends Error {
  readonly code: GhlErrorCode;
  readonly status?: number;
  /**
   * Worth trying again later (after retryAfterMs when set). Always false when `ambiguous` on a
   * call that must not repeat (sendSms).
   */
  readonly retryable: boolean;
  /**
   * true when the request may have reached GHL (timeout after sending, connection lost, 502/504):
   * never retried for sendSms, so a lead is never double-texted.
   */
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;
  /** HTTP attempts made. */
  readonly attempts: number;

  constructor(
    message: string,
    o: { code: GhlErrorCode; status?: number; retryable: boolean; ambiguous?: boolean; retryAfterMs?: number; attempts: number; cause?: unknown },
  ) {
    super(message, { cause: o.cause });
    this.name = 'GhlError';
    this.code = o.code;
    this.status = o.status;
    this.retryable = o.retryable;
    this.ambiguous = o.ambiguous ?? false;
    this.retryAfterMs = o.retryAfterMs;
    this.attempts = o.attempts;
  }
}

const SendMessageResponse = z.looseObject({ messageId: z.string().min(1), conversationId: z.string().min(1) });

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;
/** Bound on consecutive local-limiter denials in one call, whatever the budget. */
const MAX_LIMITER_WAITS = 20;

interface Operation {
  name: string;
  method: 'POST' | 'DELETE';
  path: string;
  version: string;
  body: unknown;
  /** Safe to repeat when the first try may have reached GHL. */
  repeatable: boolean;
}

type AttemptOutcome =
  | { kind: 'response'; response: Response; text: string }
  | { kind: 'timeout' }
  | { kind: 'network'; error: unknown; sent: boolean };

export function createGhlClient(o: GhlClientOptions): GhlClient {
  if (!o.token) throw new TypeError('createGhlClient: a token is required');
  if (!o.locationId) throw new TypeError('createGhlClient: a locationId is required');
  const baseUrl = o.baseUrl.replace(/\/+$/, '');
  // Resolved per call so a test that stubs globalThis.fetch later still takes effect.
  const doFetch: typeof fetch = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = o.timeoutMs ?? 8_000;
  const maxAttempts = Math.max(1, o.maxAttempts ?? 4);
  const maxTotalMs = o.maxTotalMs ?? 30_000;
  const maxWaitMs = o.maxWaitMs ?? Infinity;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = o.random ?? Math.random;
  // A wait is only worth it if an attempt still fits after it: an attempt squeezed into the
  // last few ms of the budget would just time out, and a timed-out sendSms is ambiguous.
  const minAttemptMs = Math.min(timeoutMs, 1_000);
  let lastRateLimit: GhlRateLimitSnapshot | undefined;

  async function call(op: Operation): Promise<{ response: Response; text: string; attempts: number }> {
    const started = Date.now();
    // Time spent "waiting" is counted at its nominal length, so an injected no-op sleep (tests)
    // is budgeted like a real one and the maxTotalMs rule behaves identically.
    let waitedNominal = 0;
    let waitedActual = 0;
    const spent = () => Date.now() - started - waitedActual + waitedNominal;
    const wait = async (ms: number) => {
      const before = Date.now();
      await sleep(ms);
      waitedActual += Date.now() - before;
      waitedNominal += ms;
    };

    let attempts = 0;
    let limiterWaits = 0;
    for (;;) {
      if (o.limiter) {
        const decision = await o.limiter(o.locationId);
        if (!decision.allowed) {
          const delay = Math.max(0, decision.retryAfterMs);
          if (++limiterWaits > MAX_LIMITER_WAITS || delay > maxWaitMs || spent() + delay + minAttemptMs > maxTotalMs) {
            throw new GhlError(`${op.name}: local GHL rate limit for location reached`, {
              code: 'local_rate_limited',
              retryable: true,
              retryAfterMs: delay,
              attempts,
            });
          }
          await wait(delay);
          continue;
        }
      }

      attempts++;
      const remaining = maxTotalMs - spent();
      const outcome = await attempt(op, Math.max(1, Math.min(timeoutMs, remaining)));

      let failure: GhlError;
      let hintMs: number | undefined;
      if (outcome.kind === 'response') {
        const { response, text } = outcome;
        recordRateLimit(response.headers);
        if (response.ok) return { response, text, attempts };
        const status = response.status;
        hintMs = retryHintMs(response.headers, status);
        const detail = errorDetail(text);
        const rateLimited = status === 429;
        // 429 and 503 are refusals before the work; 502/504 are a gateway giving up on an
        // upstream that may have done it.
        const retryable = rateLimited || status === 502 || status === 503 || status === 504;
        const ambiguous = status === 502 || status === 504;
        failure = new GhlError(`${op.name}: GHL answered ${status}${detail ? ` (${detail})` : ''}`, {
          code: rateLimited ? 'rate_limited' : 'http',
          status,
          retryable,
          ambiguous,
          retryAfterMs: hintMs,
          attempts,
        });
      } else if (outcome.kind === 'timeout') {
        failure = new GhlError(`${op.name}: no answer from GHL within ${Math.min(timeoutMs, remaining)} ms`, {
          code: 'timeout',
          retryable: true,
          ambiguous: true,
          attempts,
        });
      } else {
        failure = new GhlError(`${op.name}: network error talking to GHL`, {
          code: 'network',
          retryable: true,
          ambiguous: outcome.sent,
          attempts,
          cause: outcome.error,
        });
      }

      if (!failure.retryable) throw failure;
      // Not retryable for this call: a naive `if (retryable) resend` must not double-text.
      if (failure.ambiguous && !op.repeatable) throw copyError(failure, { retryable: false });
      // Daily quota gone: nothing in this call's budget will fix it.
      if (hintMs !== undefined && hintMs > maxTotalMs) throw failure;
      if (attempts >= maxAttempts) throw failure;

      const backoff = backoffMs(attempts, random);
      const delay = hintMs !== undefined ? hintMs + Math.floor(random() * Math.min(250, hintMs / 10 + 1)) : backoff;
      if (delay > maxWaitMs || spent() + delay + minAttemptMs > maxTotalMs) throw copyError(failure, { retryAfterMs: failure.retryAfterMs ?? delay });
      await wait(delay);
    }
  }

  async function attempt(op: Operation, attemptTimeoutMs: number): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, attemptTimeoutMs);
    try {
      const response = await doFetch(`${baseUrl}${op.path}`, {
        method: op.method,
        headers: {
          Authorization: `Bearer ${o.token}`,
          Version: op.version,
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(op.body),
        signal: controller.signal,
      });
      // The body is read under the same timer: a response that stalls mid-body is a timeout too.
      const text = await response.text();
      return { kind: 'response', response, text };
    } catch (error) {
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'network', error, sent: !failedBeforeSending(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  function recordRateLimit(headers: Headers): void {
    const snapshot: GhlRateLimitSnapshot = {
      burstMax: intHeader(headers, 'x-ratelimit-max'),
      burstRemaining: intHeader(headers, 'x-ratelimit-remaining'),
      intervalMs: intHeader(headers, 'x-ratelimit-interval-milliseconds'),
      dailyLimit: intHeader(headers, 'x-ratelimit-limit-daily'),
      dailyRemaining: intHeader(headers, 'x-ratelimit-daily-remaining'),
      at: Date.now(),
    };
    if (snapshot.burstRemaining !== undefined || snapshot.dailyRemaining !== undefined) lastRateLimit = snapshot;
  }

  const contactPath = (contactId: string, tail: string) => {
    if (!contactId) throw new TypeError('contactId is required');
    return `/contacts/${encodeURIComponent(contactId)}/${tail}`;
  };

  return {
    async sendSms(input) {
      if (!input.contactId) throw new TypeError('sendSms: contactId is required');
      if (!input.message) throw new TypeError('sendSms: message is required');
      const { text, attempts } = await call({
        name: 'sendSms',
        method: 'POST',
        path: '/conversations/messages',
        version: GHL_API_VERSIONS.conversations,
        body: {
          type: 'SMS',
          contactId: input.contactId,
          message: input.message,
          ...(input.fromNumber ? { fromNumber: input.fromNumber } : {}),
        },
        repeatable: false,
      });
      const parsed = SendMessageResponse.safeParse(safeJson(text));
      if (!parsed.success) {
        // GHL said yes, so the text is probably on its way: report it as sent-but-unknown.
        throw new GhlError('sendSms: GHL accepted the message but the response had no messageId/conversationId', {
          code: 'bad_response',
          retryable: false,
          ambiguous: true,
          attempts,
        });
      }
      return { messageId: parsed.data.messageId, conversationId: parsed.data.conversationId };
    },

    async addTags(contactId, tags) {
      const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
      if (unique.length === 0) return;
      await call({
        name: 'addTags',
        method: 'POST',
        path: contactPath(contactId, 'tags'),
        version: GHL_API_VERSIONS.contacts,
        body: { tags: unique },
        repeatable: true,
      });
    },

    async addNote(contactId, body) {
      if (!body) throw new TypeError('addNote: body is required');
      await call({
        name: 'addNote',
        method: 'POST',
        path: contactPath(contactId, 'notes'),
        version: GHL_API_VERSIONS.contacts,
        body: { body },
        repeatable: true,
      });
    },

    rateLimit: () => lastRateLimit,
  };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so waits spread out but never collapse to 0. */
function backoffMs(attempt: number, random: () => number): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.floor(exp / 2 + random() * (exp / 2));
}

/**
 * How long the server asked us to wait: `Retry-After` (seconds or an HTTP date) first; on a
 * 429 without it, GHL's rate-limit headers — daily quota exhausted means "until the next UTC
 * day" (GHL does not publish its reset time, so that is an estimate), an empty burst window
 * means one full interval.
 */
export function retryHintMs(headers: Headers, status: number, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  if (status !== 429) return undefined;
  if (intHeader(headers, 'x-ratelimit-daily-remaining') === 0) {
    const next = new Date(now);
    next.setUTCHours(24, 0, 0, 0);
    return next.getTime() - now;
  }
  const interval = intHeader(headers, 'x-ratelimit-interval-milliseconds');
  if (intHeader(headers, 'x-ratelimit-remaining') === 0 && interval !== undefined) return interval;
  return undefined;
}

/**
 * Errors that prove the request never left this machine. Everything else (reset, socket
 * closed, workerd's opaque "Network connection lost") may have delivered the request.
 */
function failedBeforeSending(error: unknown): boolean {
  const codes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
  }
  return false;
}

function copyError(error: GhlError, changes: { retryable?: boolean; retryAfterMs?: number }): GhlError {
  return new GhlError(error.message, {
    code: error.code,
    status: error.status,
    retryable: changes.retryable ?? error.retryable,
    ambiguous: error.ambiguous,
    retryAfterMs: changes.retryAfterMs ?? error.retryAfterMs,
    attempts: error.attempts,
    cause: error.cause,
  });
}

function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GHL's error bodies are `{ statusCode, message: string | string[] }`; keep a short, secret-free summary. */
function errorDetail(text: string): string {
  const json = safeJson(text) as { message?: unknown } | undefined;
  const message = json?.message;
  const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
  return detail.slice(0, 200);
}
