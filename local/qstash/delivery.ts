import { compileRetryDelay } from './retry-delay';
import type { VirtualClock, Timers, TimerHandle } from './scheduler';
import type { QueueRegistry } from './queues';
import type { Signer } from './signing';
import type { DlqEntry, Store } from './store';
import type { CallbackSpec, Logger, MessageState, NewMessage, StoredMessage } from './types';
import { headersToRecord, pairsToRecord, parseDuration, randomId } from './util';

export type TerminalOutcome = 'DELIVERED' | 'FAILED' | 'CANCELED';

export interface DeliveryEngineOptions {
  clock: VirtualClock;
  timers: Timers;
  store: Store;
  queues: QueueRegistry;
  signer: Signer;
  fetch: typeof fetch;
  log: Logger;
  /** Real milliseconds an attempt may take before it counts as failed. */
  deliveryTimeoutMs: number;
  /** Called once per message when it reaches a terminal state (used by schedules). */
  onTerminal?: (message: StoredMessage, outcome: TerminalOutcome) => void;
}

interface Runtime {
  timer?: TimerHandle;
  inFlight: boolean;
  settle: () => void;
  settled: Promise<void>;
}

interface EventExtra {
  nextDeliveryTime?: number;
  error?: string;
  responseStatus?: number;
}

interface AttemptResult {
  status: number | null;
  headers?: Headers;
  body?: Buffer;
  error?: string;
}

const MAX_BACKOFF_S = 86_400;
const TERMINAL: ReadonlySet<MessageState> = new Set(['DELIVERED', 'FAILED', 'CANCELED']);

/**
 * Owns every message from publish to a terminal state: waits for notBefore, signs
 * and sends each attempt, applies QStash's retry policy, dead-letters, and emits the
 * callback / failure-callback messages. Delivery is at-least-once, like QStash: a
 * destination that times out after doing its work will see the message again.
 */
export class DeliveryEngine {
  readonly #o: DeliveryEngineOptions;
  readonly #runtime = new Map<string, Runtime>();
  readonly #aborts = new Set<AbortController>();
  #closed = false;

  constructor(options: DeliveryEngineOptions) {
    this.#o = options;
  }

  publish(input: NewMessage): StoredMessage {
    const { clock, store, timers } = this.#o;
    const now = clock.now();
    const message: StoredMessage = {
      ...input,
      messageId: randomId('msg_'),
      createdAt: now,
      state: 'CREATED',
      retried: 0,
    };
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const runtime: Runtime = { inFlight: false, settle, settled };
    store.messages.set(message.messageId, message);
    this.#runtime.set(message.messageId, runtime);
    this.#event(message, 'CREATED');
    this.#o.log({
      event: 'publish',
      messageId: message.messageId,
      kind: message.kind,
      url: message.url,
      notBefore: new Date(message.notBefore).toISOString(),
      scheduleId: message.scheduleId,
      queueName: message.queueName,
    });
    runtime.timer = timers.at(Math.max(now, message.notBefore), () => this.#ready(message));
    return message;
  }

  /** Returns false when the message is unknown or already finished. */
  cancel(messageId: string): boolean {
    const message = this.#o.store.messages.get(messageId);
    if (!message || TERMINAL.has(message.state)) return false;
    const runtime = this.#runtime.get(messageId);
    this.#o.timers.cancel(runtime?.timer);
    // An attempt already on the wire is not aborted: QStash documents that a message in
    // flight "might be too late to cancel"; we only prevent further attempts.
    this.#finish(message, 'CANCELED');
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const ac of this.#aborts) ac.abort(new Error('stand-in closed'));
    this.#aborts.clear();
  }

  #ready(message: StoredMessage): void {
    if (TERMINAL.has(message.state)) return;
    if (message.queueName) {
      const runtime = this.#runtime.get(message.messageId)!;
      this.#o.queues.submit(message.queueName, message, async () => {
        await this.#attempt(message);
        await runtime.settled;
      });
    } else {
      void this.#attempt(message);
    }
  }

  async #attempt(message: StoredMessage): Promise<void> {
    if (TERMINAL.has(message.state) || this.#closed) return;
    const runtime = this.#runtime.get(message.messageId);
    if (!runtime) return;
    runtime.inFlight = true;
    message.state = 'ACTIVE';
    this.#event(message, 'ACTIVE');

    const startedVirtual = this.#o.clock.now();
    const startedReal = Date.now();
    const result = await this.#send(message);
    runtime.inFlight = false;

    this.#o.store.addDelivery({
      messageId: message.messageId,
      kind: message.kind,
      url: message.url,
      method: message.method,
      attempt: message.retried + 1,
      retried: message.retried,
      status: result.status,
      error: result.error,
      scheduleId: message.scheduleId,
      at: startedVirtual,
      realAt: startedReal,
    });
    this.#o.log({
      event: 'deliver',
      messageId: message.messageId,
      kind: message.kind,
      url: message.url,
      retried: message.retried,
      status: result.status,
      error: result.error,
      ms: Date.now() - startedReal,
    });

    if (this.#closed) return;
    // Canceled while the request was in flight: the destination saw it, but nothing follows.
    if (TERMINAL.has(message.state)) return;

    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (result.status !== null) this.#emitCallback(message, result);

    if (ok) {
      this.#finish(message, 'DELIVERED');
      return;
    }

    this.#event(message, 'ERROR', { error: result.error ?? `status ${result.status}`, responseStatus: result.status ?? undefined });

    // 489 + Upstash-NonRetryable-Error: true is QStash's "do not retry" escape hatch.
    const nonRetryable = result.status === 489 && result.headers?.get('upstash-nonretryable-error')?.trim().toLowerCase() === 'true';
    if (nonRetryable || message.retried >= message.maxRetries) {
      this.#deadLetter(message, result);
      return;
    }

    const delayMs = this.#retryDelay(message, result.headers);
    message.retried += 1;
    message.state = 'RETRY';
    const nextAt = this.#o.clock.now() + delayMs;
    this.#event(message, 'RETRY', { nextDeliveryTime: Math.floor(nextAt) });
    this.#o.log({ event: 'retry', messageId: message.messageId, retried: message.retried, inMs: delayMs, nextDeliveryTime: new Date(nextAt).toISOString() });
    runtime.timer = this.#o.timers.at(nextAt, () => this.#attempt(message));
  }

  async #send(message: StoredMessage): Promise<AttemptResult> {
    // fetch cannot send a body with GET/HEAD; QStash likewise delivers those without one.
    const body = message.method === 'GET' ? new Uint8Array(0) : new Uint8Array(message.body);
    const headers = new Headers();
    for (const [name, value] of message.forward) {
      try {
        headers.append(name, value);
      } catch {
        // Header names/values fetch rejects are skipped rather than failing the delivery.
      }
    }
    if (message.contentType) headers.set('Content-Type', message.contentType);
    headers.set('User-Agent', 'Upstash-QStash');
    headers.set('Upstash-Message-Id', message.messageId);
    headers.set('Upstash-Retried', String(message.retried));
    if (message.scheduleId) headers.set('Upstash-Schedule-Id', message.scheduleId);
    if (message.callerIp) headers.set('Upstash-Caller-Ip', message.callerIp);
    headers.set('Upstash-Signature', await this.#o.signer.sign(message.url, body));

    const ac = new AbortController();
    this.#aborts.add(ac);
    const timeoutMs = message.timeoutMs ?? this.#o.deliveryTimeoutMs;
    const timeout = setTimeout(() => ac.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const res = await this.#o.fetch(message.url, {
        method: message.method,
        headers,
        body: body.length > 0 ? body : undefined,
        signal: ac.signal,
      });
      const resBody = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body: resBody };
    } catch (err) {
      const reason = ac.signal.aborted ? ac.signal.reason : err;
      const cause = (err as { cause?: unknown })?.cause;
      const detail = reason instanceof Error ? reason.message : String(reason);
      return { status: null, error: cause instanceof Error && !ac.signal.aborted ? `${detail}: ${cause.message}` : detail };
    } finally {
      clearTimeout(timeout);
      this.#aborts.delete(ac);
    }
  }

  /**
   * Delay before the next attempt, in virtual ms. Precedence: a Retry-After style
   * response header (QStash honours it if it is at most one day), then the message's
   * Upstash-Retry-Delay expression, then QStash's default min(86400, e^(2.5·n)) s
   * where n is the number of the retry about to happen (1 for the first retry).
   */
  #retryDelay(message: StoredMessage, headers: Headers | undefined): number {
    const fromResponse = headers ? retryAfterMs(headers) : undefined;
    if (fromResponse !== undefined) return fromResponse;
    if (message.retryDelayExpression) {
      try {
        const ms = compileRetryDelay(message.retryDelayExpression)(message.retried);
        if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), MAX_BACKOFF_S * 1000);
      } catch {
        // Validated at publish time; fall through to the default backoff just in case.
      }
    }
    const n = message.retried + 1;
    return Math.min(MAX_BACKOFF_S, Math.exp(2.5 * n)) * 1000;
  }

  #deadLetter(message: StoredMessage, result: AttemptResult): void {
    const { store, clock } = this.#o;
    const now = clock.now();
    const entry: DlqEntry = {
      dlqId: store.nextDlqId(now),
      message,
      at: now,
      responseStatus: result.status ?? undefined,
      responseHeader: result.headers ? headersToRecord(result.headers) : undefined,
      responseBody: result.body,
    };
    store.dlq.set(entry.dlqId, entry);
    this.#o.log({ event: 'dlq', messageId: message.messageId, dlqId: entry.dlqId, url: message.url, status: result.status, error: result.error });
    this.#finish(message, 'FAILED', { error: result.error ?? `status ${result.status}`, responseStatus: result.status ?? undefined });
    if (message.failureCallback && message.kind === 'message') {
      this.#publishCallback('failureCallback', message.failureCallback, message, {
        ...this.#callbackBody(message, result),
        dlqId: entry.dlqId,
      });
    }
  }

  /** QStash calls the callback after every attempt that got an HTTP response. */
  #emitCallback(message: StoredMessage, result: AttemptResult): void {
    if (!message.callback || message.kind !== 'message') return;
    this.#publishCallback('callback', message.callback, message, this.#callbackBody(message, result));
  }

  #callbackBody(message: StoredMessage, result: AttemptResult): Record<string, unknown> {
    const sourceHeader = pairsToRecord(message.forward);
    if (message.contentType) sourceHeader['Content-Type'] = [message.contentType];
    return {
      status: result.status ?? 0,
      header: result.headers ? headersToRecord(result.headers) : {},
      body: (result.body ?? Buffer.alloc(0)).toString('base64'),
      retried: message.retried,
      maxRetries: message.maxRetries,
      sourceMessageId: message.messageId,
      url: message.url,
      method: message.method,
      sourceHeader,
      sourceBody: message.body.toString('base64'),
      notBefore: Math.floor(message.notBefore),
      createdAt: Math.floor(message.createdAt),
      ...(message.scheduleId ? { scheduleId: message.scheduleId } : {}),
      ...(message.queueName ? { queueName: message.queueName } : {}),
      ...(message.callerIp ? { callerIP: message.callerIp } : {}),
    };
  }

  /**
   * Callbacks are ordinary messages (own messageId, signed, retried): QStash "publishes
   * a new message with the response to the callback URL", configured by the
   * Upstash-Callback-* / Upstash-Failure-Callback-* headers of the source message and
   * otherwise inheriting its retry count.
   */
  #publishCallback(kind: 'callback' | 'failureCallback', spec: CallbackSpec, source: StoredMessage, payload: Record<string, unknown>): void {
    if (this.#closed) return;
    const now = this.#o.clock.now();
    this.publish({
      kind,
      url: spec.url,
      method: spec.method ?? 'POST',
      body: Buffer.from(JSON.stringify(payload)),
      contentType: 'application/json',
      forward: spec.forward,
      maxRetries: spec.retries ?? source.maxRetries,
      timeoutMs: spec.timeoutMs,
      labels: source.labels,
      notBefore: now + (spec.delayMs ?? 0),
      scheduleId: source.scheduleId,
      callerIp: source.callerIp,
    });
  }

  #finish(message: StoredMessage, outcome: TerminalOutcome, extra: EventExtra = {}): void {
    message.state = outcome;
    this.#event(message, outcome, extra);
    this.#o.store.messages.delete(message.messageId);
    const runtime = this.#runtime.get(message.messageId);
    this.#runtime.delete(message.messageId);
    runtime?.settle();
    this.#o.onTerminal?.(message, outcome);
  }

  #event(message: StoredMessage, state: MessageState, extra: EventExtra = {}): void {
    this.#o.store.addEvent({
      time: Math.floor(this.#o.clock.now()),
      state,
      messageId: message.messageId,
      url: message.url,
      scheduleId: message.scheduleId,
      queueName: message.queueName,
      labels: message.labels,
      ...extra,
    });
  }
}

const RETRY_AFTER_HEADERS = ['retry-after', 'x-ratelimit-reset', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens'];

/**
 * QStash lets the destination pick the next retry time via Retry-After (or the
 * X-RateLimit-Reset* family): seconds, an HTTP date, or a Go duration ("6m5s").
 * Values beyond one day are ignored in favour of the default backoff.
 */
function retryAfterMs(headers: Headers): number | undefined {
  for (const name of RETRY_AFTER_HEADERS) {
    const raw = headers.get(name)?.trim();
    if (!raw) continue;
    let ms: number | undefined;
    if (/^\d+(\.\d+)?$/.test(raw)) ms = Number(raw) * 1000;
    else ms = parseDuration(raw) ?? dateDelta(raw);
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) continue;
    if (ms > MAX_BACKOFF_S * 1000) return undefined;
    return ms;
  }
  return undefined;
}

function dateDelta(raw: string): number | undefined {
  const t = Date.parse(raw);
  if (Number.isNaN(t)) return undefined;
  // An absolute date is a real-world instant; its distance from now is then applied on
  // the virtual clock like any other retry delay.
  return Math.max(0, t - Date.now());
}
