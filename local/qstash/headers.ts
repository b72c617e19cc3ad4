import { createHash } from 'node:crypto';
import { compileRetryDelay } from './retry-delay';
import { HttpError, type CallbackSpec, type HeaderPairs, type HttpMethod, type MessageTemplate } from './types';
import { canonicalHeaderName, isHttpUrl, parseDuration } from './util';

/** Lower-cased header name → value (repeated headers joined with ", " as HTTP allows). */
export type HeaderBag = Map<string, string>;

export function bagFromNode(headers: Record<string, string | string[] | undefined>): HeaderBag {
  const bag: HeaderBag = new Map();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    bag.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return bag;
}

export function bagFromObject(headers: unknown): HeaderBag {
  const bag: HeaderBag = new Map();
  if (headers === undefined || headers === null) return bag;
  if (typeof headers !== 'object' || Array.isArray(headers)) throw new HttpError(400, 'headers must be an object');
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') bag.set(name.toLowerCase(), value);
    else if (Array.isArray(value)) bag.set(name.toLowerCase(), value.map(String).join(', '));
    else if (value !== undefined && value !== null) bag.set(name.toLowerCase(), String(value));
  }
  return bag;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

// Hop-by-hop / transport headers cannot be forwarded meaningfully (and fetch refuses
// several of them), so they are dropped even when sent as Upstash-Forward-*.
const UNFORWARDABLE = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
]);

function forwardedHeaders(bag: HeaderBag, prefix: string): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (const [name, value] of bag) {
    if (!name.startsWith(prefix)) continue;
    const target = name.slice(prefix.length);
    if (target.length === 0 || UNFORWARDABLE.has(target)) continue;
    pairs.push([canonicalHeaderName(target), value]);
  }
  return pairs;
}

function parseMethod(value: string | undefined, header: string): HttpMethod | undefined {
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase() as HttpMethod;
  if (!METHODS.includes(upper)) throw new HttpError(400, `invalid ${header} header: unsupported method "${value}"`);
  return upper;
}

function parseRetries(value: string | undefined, header: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new HttpError(400, `invalid ${header} header "${value}": must be a non-negative integer`);
  return Number(value.trim());
}

function parseDurationHeader(value: string | undefined, header: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new HttpError(400, `invalid ${header} header "${value}": expected a duration such as 10s, 5m, 2h or 1d`);
  }
  return ms;
}

function parseCallback(bag: HeaderBag, prefix: 'upstash-callback' | 'upstash-failure-callback', label: string): CallbackSpec | undefined {
  const url = bag.get(prefix);
  if (url === undefined) return undefined;
  if (!isHttpUrl(url.trim())) throw new HttpError(400, `invalid ${label} header "${url}": must be an http(s) URL`);
  return {
    url: url.trim(),
    method: parseMethod(bag.get(`${prefix}-method`), `${label}-Method`),
    retries: parseRetries(bag.get(`${prefix}-retries`), `${label}-Retries`),
    delayMs: parseDurationHeader(bag.get(`${prefix}-delay`), `${label}-Delay`),
    timeoutMs: parseDurationHeader(bag.get(`${prefix}-timeout`), `${label}-Timeout`),
    forward: forwardedHeaders(bag, `${prefix}-forward-`),
  };
}

export interface ParsedPublish {
  template: Omit<MessageTemplate, 'url' | 'body'>;
  /** Virtual delay (ms) from Upstash-Delay; ignored when notBeforeMs is set. */
  delayMs?: number;
  /** Epoch ms from Upstash-Not-Before (seconds on the wire). */
  notBeforeMs?: number;
  deduplicationId?: string;
  contentBasedDeduplication: boolean;
}

export const DEFAULT_RETRIES = 3;

/** Reads every Upstash-* knob shared by publish, enqueue, batch and schedule creation. */
export function parsePublishHeaders(bag: HeaderBag): ParsedPublish {
  const retryDelayExpression = bag.get('upstash-retry-delay')?.trim();
  if (retryDelayExpression !== undefined) {
    try {
      compileRetryDelay(retryDelayExpression);
    } catch (err) {
      throw new HttpError(400, `invalid Upstash-Retry-Delay header "${retryDelayExpression}": ${(err as Error).message}`);
    }
  }

  const notBeforeRaw = bag.get('upstash-not-before');
  let notBeforeMs: number | undefined;
  if (notBeforeRaw !== undefined) {
    if (!/^\d+$/.test(notBeforeRaw.trim())) {
      throw new HttpError(400, `invalid Upstash-Not-Before header "${notBeforeRaw}": must be a unix timestamp in seconds`);
    }
    notBeforeMs = Number(notBeforeRaw.trim()) * 1000;
  }

  const labels = (bag.get('upstash-label') ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

  const dedupId = bag.get('upstash-deduplication-id');

  return {
    template: {
      method: parseMethod(bag.get('upstash-method'), 'Upstash-Method') ?? 'POST',
      contentType: bag.get('content-type'),
      forward: forwardedHeaders(bag, 'upstash-forward-'),
      maxRetries: parseRetries(bag.get('upstash-retries'), 'Upstash-Retries') ?? DEFAULT_RETRIES,
      retryDelayExpression,
      timeoutMs: parseDurationHeader(bag.get('upstash-timeout'), 'Upstash-Timeout'),
      callback: parseCallback(bag, 'upstash-callback', 'Upstash-Callback'),
      failureCallback: parseCallback(bag, 'upstash-failure-callback', 'Upstash-Failure-Callback'),
      labels,
      flowControlKey: bag.get('upstash-flow-control-key'),
      flowControlValue: bag.get('upstash-flow-control-value'),
    },
    delayMs: parseDurationHeader(bag.get('upstash-delay'), 'Upstash-Delay'),
    notBeforeMs,
    deduplicationId: dedupId !== undefined && dedupId.length > 0 ? dedupId : undefined,
    contentBasedDeduplication: bag.get('upstash-content-based-deduplication')?.trim().toLowerCase() === 'true',
  };
}

/**
 * Content-based deduplication key: QStash hashes the destination, the body and the
 * headers that reach the destination (Content-Type + Upstash-Forward-*). Header order
 * must not matter, so pairs are sorted first.
 */
export function contentDedupKey(destination: string, body: Buffer, contentType: string | undefined, forward: HeaderPairs): string {
  const hash = createHash('sha256');
  hash.update(destination).update('\0').update(body).update('\0');
  const headers = [...forward.map(([n, v]) => `${n.toLowerCase()}:${v}`), `content-type:${contentType ?? ''}`].sort();
  hash.update(headers.join('\n'));
  return `content:${hash.digest('hex')}`;
}
