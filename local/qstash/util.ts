import { randomBytes } from 'node:crypto';
import type { HeaderPairs } from './types';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Prefixed random id in the style QStash uses (`msg_…`, `scd_…`). */
export function randomId(prefix: string, length = 27): string {
  let out = prefix;
  for (const byte of randomBytes(length)) out += BASE58[byte % BASE58.length];
  return out;
}

/**
 * Go's textproto.CanonicalMIMEHeaderKey: QStash is a Go service, so header names it
 * reports back (message `header`, callback `header`) come out as `X-My-Header`, not
 * lower-cased as Node's http module hands them to us.
 */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => (part.length === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('-');
}

export function pairsToRecord(pairs: HeaderPairs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}

export function headersToRecord(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  headers.forEach((value, name) => {
    (out[canonicalHeaderName(name)] ??= []).push(value);
  });
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** QStash returns `body` when the payload is valid UTF-8 and `bodyBase64` otherwise. */
export function bodyFields(body: Buffer): { body?: string; bodyBase64?: string } {
  if (body.length === 0) return {};
  try {
    return { body: utf8.decode(body) };
  } catch {
    return { bodyBase64: body.toString('base64') };
  }
}

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses QStash duration strings (`10s`, `5m`, `2h`, `1d`). QStash documents a single
 * number+unit, but its Go backend also takes compound values such as `1h30m`, so those
 * are accepted too. Returns milliseconds, or undefined when malformed.
 */
export function parseDuration(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
  }
  return Number.isFinite(total) ? total : undefined;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
