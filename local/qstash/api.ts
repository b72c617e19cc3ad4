import type { DeliveryEngine } from './delivery';
import { applyFilters, hasFilters, paginate, type FieldMap } from './filters';
import { bagFromObject, contentDedupKey, parsePublishHeaders, type HeaderBag } from './headers';
import type { QueueRegistry } from './queues';
import { parseCron, type VirtualClock } from './scheduler';
import type { ScheduleManager } from './schedules';
import { deadLetterJson, eventJson, messageJson } from './serialize';
import type { DlqEntry, EventEntry, Store } from './store';
import { HttpError, type Logger, type NewMessage, type StoredMessage } from './types';
import { isHttpUrl } from './util';

/** An endpoint's answer; `json: undefined` means an empty body. */
export interface ApiResult {
  status: number;
  json?: unknown;
}

export interface ApiDeps {
  clock: VirtualClock;
  store: Store;
  engine: DeliveryEngine;
  schedules: ScheduleManager;
  queues: QueueRegistry;
  log: Logger;
  keys: { current: string; next: string };
  maxMessageBytes: number;
}

interface PreparedPublish {
  message: NewMessage;
  dedupKey?: string;
}

const MESSAGE_FIELDS: FieldMap<StoredMessage> = {
  messageIds: (m) => m.messageId,
  url: (m) => m.url,
  scheduleId: (m) => m.scheduleId,
  queueName: (m) => m.queueName,
  label: (m) => m.labels,
  callerIp: (m) => m.callerIp,
  flowControlKey: (m) => m.flowControlKey,
  host: (m) => safeUrl(m.url)?.host,
  path: (m) => safeUrl(m.url)?.pathname,
  // Only URL destinations exist here, so a topic/urlGroup filter can never match.
  topicName: () => undefined,
};

const DLQ_FIELDS: FieldMap<DlqEntry> = {
  dlqIds: (e) => e.dlqId,
  messageId: (e) => e.message.messageId,
  url: (e) => e.message.url,
  scheduleId: (e) => e.message.scheduleId,
  queueName: (e) => e.message.queueName,
  label: (e) => e.message.labels,
  callerIp: (e) => e.message.callerIp,
  flowControlKey: (e) => e.message.flowControlKey,
  responseStatus: (e) => e.responseStatus,
  topicName: () => undefined,
};

const EVENT_FIELDS: FieldMap<EventEntry> = {
  messageIds: (e) => e.messageId,
  messageId: (e) => e.messageId,
  state: (e) => e.state,
  url: (e) => e.url,
  scheduleId: (e) => e.scheduleId,
  queueName: (e) => e.queueName,
  label: (e) => e.labels,
  host: (e) => safeUrl(e.url)?.host,
  path: (e) => safeUrl(e.url)?.pathname,
  topicName: () => undefined,
};

/** Endpoint semantics, independent of node:http (server.ts does parsing and routing). */
export class QStashApi {
  constructor(private readonly d: ApiDeps) {}

  keys(): ApiResult {
    return { status: 200, json: { current: this.d.keys.current, next: this.d.keys.next } };
  }

  // ---- publish / enqueue / batch -------------------------------------------------

  publish(rawDestination: string, bag: HeaderBag, body: Buffer, callerIp: string | undefined, queueName?: string): ApiResult {
    const prepared = this.#prepare(rawDestination, bag, body, callerIp, queueName);
    const result = this.#commit(prepared);
    return { status: result.deduplicated ? 202 : 201, json: result };
  }

  batch(rawBody: Buffer, callerIp: string | undefined): ApiResult {
    let items: unknown;
    try {
      items = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new HttpError(400, 'batch body must be a JSON array of messages');
    }
    if (!Array.isArray(items)) throw new HttpError(400, 'batch body must be a JSON array of messages');
    // Validate everything first so a bad entry does not leave half the batch published.
    const prepared = items.map((item, i) => {
      if (typeof item !== 'object' || item === null) throw new HttpError(400, `batch[${i}] must be an object`);
      const { destination, headers, body, queue } = item as Record<string, unknown>;
      if (typeof destination !== 'string' || destination.length === 0) {
        throw new HttpError(400, `batch[${i}].destination is required`);
      }
      if (body !== undefined && body !== null && typeof body !== 'string') {
        throw new HttpError(400, `batch[${i}].body must be a string`);
      }
      const buf = Buffer.from(typeof body === 'string' ? body : '', 'utf8');
      if (buf.length > this.d.maxMessageBytes) throw new HttpError(413, `batch[${i}] body exceeds ${this.d.maxMessageBytes} bytes`);
      return this.#prepare(destination, bagFromObject(headers), buf, callerIp, typeof queue === 'string' && queue ? queue : undefined);
    });
    return { status: 201, json: prepared.map((p) => this.#commit(p)) };
  }

  #prepare(rawDestination: string, bag: HeaderBag, body: Buffer, callerIp: string | undefined, queueName: string | undefined): PreparedPublish {
    const url = resolveDestination(rawDestination);
    const parsed = parsePublishHeaders(bag);
    const now = this.d.clock.now();
    // Upstash-Not-Before wins over Upstash-Delay when both are present (documented).
    const notBefore = parsed.notBeforeMs ?? now + (parsed.delayMs ?? 0);
    let dedupKey: string | undefined;
    if (parsed.deduplicationId !== undefined) dedupKey = `id:${parsed.deduplicationId}`;
    else if (parsed.contentBasedDeduplication) {
      dedupKey = contentDedupKey(url, body, parsed.template.contentType, parsed.template.forward);
    }
    return {
      message: { ...parsed.template, url, body, kind: 'message', notBefore, callerIp, queueName },
      dedupKey,
    };
  }

  #commit(p: PreparedPublish): { messageId: string; url: string; deduplicated?: true } {
    const now = this.d.clock.now();
    if (p.dedupKey) {
      const hit = this.d.store.findDuplicate(p.dedupKey, now);
      if (hit) {
        this.d.log({ event: 'deduplicated', messageId: hit.messageId, url: hit.url });
        return { messageId: hit.messageId, url: hit.url, deduplicated: true };
      }
    }
    const message = this.d.engine.publish(p.message);
    if (p.dedupKey) this.d.store.rememberDedup(p.dedupKey, message.messageId, message.url, now);
    return { messageId: message.messageId, url: message.url };
  }

  // ---- messages ----------------------------------------------------------------------

  getMessage(id: string): ApiResult {
    const m = this.d.store.messages.get(id);
    if (!m) throw new HttpError(404, 'message not found');
    return { status: 200, json: messageJson(m) };
  }

  cancelMessage(id: string): ApiResult {
    if (!this.d.engine.cancel(id)) throw new HttpError(404, 'message not found');
    return { status: 200, json: { cancelled: 1 } };
  }

  cancelMessages(params: URLSearchParams): ApiResult {
    // No filter at all is how the SDK spells `cancel({ all: true })`.
    const candidates = applyFilters([...this.d.store.messages.values()], params, MESSAGE_FIELDS, (m) => m.createdAt);
    let cancelled = 0;
    for (const m of candidates) if (this.d.engine.cancel(m.messageId)) cancelled++;
    return { status: 200, json: { cancelled } };
  }

  // ---- DLQ ---------------------------------------------------------------------------

  listDlq(params: URLSearchParams): ApiResult {
    const matched = applyFilters([...this.d.store.dlq.values()], params, DLQ_FIELDS, (e) => e.at);
    const { page, cursor } = paginate(matched, params);
    return { status: 200, json: { messages: page.map(deadLetterJson), ...(cursor ? { cursor } : {}) } };
  }

  getDlq(dlqId: string): ApiResult {
    const e = this.d.store.dlq.get(dlqId);
    if (!e) throw new HttpError(404, 'message not found in dlq');
    return { status: 200, json: deadLetterJson(e) };
  }

  deleteDlq(dlqId: string): ApiResult {
    if (!this.d.store.dlq.delete(dlqId)) throw new HttpError(404, 'message not found in dlq');
    return { status: 200 };
  }

  deleteDlqBulk(params: URLSearchParams): ApiResult {
    const { batch, more } = this.#dlqBatch(params);
    for (const e of batch) this.d.store.dlq.delete(e.dlqId);
    return { status: 200, json: { deleted: batch.length, ...(more ? { cursor: String(batch.length) } : {}) } };
  }

  retryDlq(params: URLSearchParams): ApiResult {
    const { batch, more } = this.#dlqBatch(params);
    const responses = batch.map((e) => {
      this.d.store.dlq.delete(e.dlqId);
      const { messageId: _id, createdAt: _c, state: _s, retried: _r, ...template } = e.message;
      const again = this.d.engine.publish({ ...template, notBefore: this.d.clock.now() });
      return { messageId: again.messageId };
    });
    return { status: 200, json: { responses, ...(more ? { cursor: String(batch.length) } : {}) } };
  }

  /**
   * Bulk DLQ actions remove what they touch, so each call simply takes the first
   * `count` matches; a cursor is returned while matches remain (its value is opaque).
   */
  #dlqBatch(params: URLSearchParams): { batch: DlqEntry[]; more: boolean } {
    const matched = applyFilters([...this.d.store.dlq.values()], params, DLQ_FIELDS, (e) => e.at);
    if (params.has('dlqIds')) return { batch: matched, more: false };
    const count = Math.max(1, Number(params.get('count') ?? 100) || 100);
    return { batch: matched.slice(0, count), more: matched.length > count };
  }

  // ---- schedules ---------------------------------------------------------------------

  createSchedule(rawDestination: string, bag: HeaderBag, body: Buffer, callerIp: string | undefined): ApiResult {
    const cronHeader = bag.get('upstash-cron');
    if (cronHeader === undefined || cronHeader.trim() === '') throw new HttpError(400, 'Upstash-Cron header is required');
    let cron;
    try {
      cron = parseCron(cronHeader);
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    const url = resolveDestination(rawDestination);
    const parsed = parsePublishHeaders(bag);
    const scheduleId = bag.get('upstash-schedule-id')?.trim() || undefined;
    const queueName = bag.get('upstash-queue-name')?.trim() || undefined;
    const id = this.d.schedules.upsert({
      scheduleId,
      cron,
      destination: url,
      template: { ...parsed.template, url, body },
      delayMs: parsed.delayMs,
      queueName,
      callerIp,
    });
    return { status: 200, json: { scheduleId: id } };
  }

  getSchedule(id: string): ApiResult {
    const s = this.d.schedules.get(id);
    if (!s) throw new HttpError(404, 'schedule not found');
    return { status: 200, json: s };
  }

  listSchedules(): ApiResult {
    return { status: 200, json: this.d.schedules.list() };
  }

  deleteSchedule(id: string): ApiResult {
    if (!this.d.schedules.delete(id)) throw new HttpError(404, 'schedule not found');
    return { status: 200 };
  }

  pauseSchedule(id: string, paused: boolean): ApiResult {
    if (!this.d.schedules.setPaused(id, paused)) throw new HttpError(404, 'schedule not found');
    return { status: 200 };
  }

  // ---- queues ------------------------------------------------------------------------

  upsertQueue(rawBody: Buffer): ApiResult {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'queue body must be JSON');
    }
    const name = body.queueName;
    if (typeof name !== 'string' || name.length === 0) throw new HttpError(400, 'queueName is required');
    const parallelism = body.parallelism;
    if (parallelism !== undefined && (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1)) {
      throw new HttpError(400, 'parallelism must be a positive integer');
    }
    this.d.queues.upsert(name, { parallelism, paused: typeof body.paused === 'boolean' ? body.paused : undefined });
    return { status: 200 };
  }

  getQueue(name: string): ApiResult {
    const q = this.d.queues.get(name);
    if (!q) throw new HttpError(404, 'queue not found');
    return { status: 200, json: q };
  }

  listQueues(): ApiResult {
    return { status: 200, json: this.d.queues.list() };
  }

  deleteQueue(name: string): ApiResult {
    const waiting = this.d.queues.delete(name);
    if (!waiting) throw new HttpError(404, 'queue not found');
    for (const m of waiting) this.d.engine.cancel(m.messageId);
    return { status: 200 };
  }

  pauseQueue(name: string, paused: boolean): ApiResult {
    if (!this.d.queues.setPaused(name, paused)) throw new HttpError(404, 'queue not found');
    return { status: 200 };
  }

  // ---- events (logs) -----------------------------------------------------------------

  events(params: URLSearchParams): ApiResult {
    const newestFirst = [...this.d.store.events].reverse();
    const matched = hasFilters(params, EVENT_FIELDS as FieldMap<unknown>)
      ? applyFilters(newestFirst, params, EVENT_FIELDS, (e) => e.time)
      : newestFirst;
    const { page, cursor } = paginate(matched, params);
    return { status: 200, json: { events: page.map(eventJson), ...(cursor ? { cursor } : {}) } };
  }
}

/**
 * The destination is everything after `/v2/publish/` exactly as sent — including
 * `://` and the query string, which the SDK's `new URL(base + "/v2/publish/" + dest)`
 * turns into the outer request's query. Some callers percent-encode the whole URL
 * instead; QStash accepts that too.
 */
export function resolveDestination(raw: string): string {
  let dest = raw;
  if (/^https?%3A/i.test(dest)) {
    try {
      dest = decodeURIComponent(dest);
    } catch {
      throw new HttpError(400, `invalid destination "${raw}"`);
    }
  }
  if (isHttpUrl(dest)) return dest;
  if (dest.length === 0) throw new HttpError(400, 'destination is required');
  if (/^[a-z][\w+.-]*:/i.test(dest) || dest.startsWith('api/')) {
    throw new HttpError(400, `unsupported destination "${dest}": the local QStash stand-in only delivers to http(s) URLs`);
  }
  // Anything else would be a URL group (topic) name in QStash.
  throw new HttpError(404, `url group "${dest}" not found (URL groups are not supported by the local QStash stand-in)`);
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
