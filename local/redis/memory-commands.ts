/**
 * Commands the in-memory engine implements itself on ioredis-mock's data, because the emulators are too
 * lenient or incomplete: counters (strict 64-bit integers, INCRBYFLOAT's decimal output), ZADD (GT/LT,
 * case-insensitive options), the EXPIRE family (NX/XX/GT/LT), and argument checks Redis makes.
 */
import { NOT_A_FLOAT, addDecimalStrings, addInt64, formatScore, parseInt64, parseScore } from './numbers';
import { RedisError, type Reply } from './types';

/** ioredis-mock's storage: values by key, and absolute expiry times in milliseconds. */
export interface MockStore {
  data: {
    get(key: string): unknown;
    set(key: string, value: unknown): void;
    has(key: string): boolean;
    delete(key: string): void;
  };
  expires: {
    get(key: string): number;
    set(key: string, at: number): void;
    has(key: string): boolean;
  };
}

export function incrBy(store: MockStore, key: string, delta: bigint): Reply {
  const current = store.data.get(key);
  const base = current === undefined ? 0n : parseInt64(String(current));
  const { text, value } = addInt64(base, delta);
  store.data.set(key, text); // keeps the TTL, like Redis
  return value;
}

export function incrByFloat(store: MockStore, key: string, delta: string): Reply {
  const current = store.data.get(key);
  const text = addDecimalStrings(current === undefined ? '0' : String(current), delta, NOT_A_FLOAT);
  store.data.set(key, text);
  return text;
}

export function hashOf(store: MockStore, key: string): Record<string, string> {
  return (store.data.get(key) as Record<string, string> | undefined) ?? {};
}

export function hashIncrBy(store: MockStore, key: string, field: string, delta: bigint): Reply {
  const hash = hashOf(store, key);
  const current = Object.hasOwn(hash, field) ? hash[field] : undefined;
  const base = current === undefined ? 0n : parseInt64(current, 'ERR hash value is not an integer');
  const { text, value } = addInt64(base, delta);
  hash[field] = text;
  store.data.set(key, hash);
  return value;
}

export function hashIncrByFloat(store: MockStore, key: string, field: string, delta: string): Reply {
  const hash = hashOf(store, key);
  const current = Object.hasOwn(hash, field) ? hash[field] : undefined;
  const text = addDecimalStrings(current ?? '0', delta, 'ERR hash value is not a float');
  hash[field] = text;
  store.data.set(key, hash);
  return text;
}

/** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT (ioredis-mock ignores the options). */
export function expire(
  store: MockStore,
  [key = '', amount, ...options]: string[],
  unitMs: number,
  absolute: boolean,
): Reply {
  const value = Number(parseInt64(amount)) * unitMs;
  const flags = new Set<string>();
  for (const option of options) {
    const flag = option.toUpperCase();
    if (!['NX', 'XX', 'GT', 'LT'].includes(flag)) throw new RedisError(`ERR Unsupported option ${option}`);
    flags.add(flag);
  }
  if (flags.has('NX') && flags.size > 1) {
    throw new RedisError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags.has('GT') && flags.has('LT')) throw new RedisError('ERR GT and LT options at the same time are not compatible');
  if (!store.data.has(key)) return 0;
  const at = absolute ? value : Date.now() + value;
  const current = store.expires.has(key) ? store.expires.get(key) : undefined; // undefined = never
  if (flags.has('NX') && current !== undefined) return 0;
  if (flags.has('XX') && current === undefined) return 0;
  if (flags.has('GT') && (current === undefined || at <= current)) return 0;
  if (flags.has('LT') && current !== undefined && at >= current) return 0;
  if (at <= Date.now()) store.data.delete(key); // a past expiry deletes at once, like Redis
  else store.expires.set(key, at);
  return 1;
}

/** ZADD with every Redis 7 option (ioredis-mock lacks GT/LT and parses options case-sensitively). */
export function zadd(store: MockStore, key: string, args: string[]): Reply {
  const options = new Set<string>();
  let i = 0;
  for (; i < args.length; i++) {
    const token = args[i]!.toUpperCase();
    if (!['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'].includes(token)) break;
    options.add(token);
  }
  const pairs = args.slice(i);
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new RedisError('ERR syntax error');
  const has = (o: string) => options.has(o);
  if (has('NX') && has('XX')) throw new RedisError('ERR XX and NX options at the same time are not compatible');
  if ((has('GT') && has('LT')) || (has('NX') && (has('GT') || has('LT')))) {
    throw new RedisError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (has('INCR') && pairs.length > 2) throw new RedisError('ERR INCR option supports a single increment-element pair');
  const scores = pairs.filter((_, j) => j % 2 === 0).map(parseScore);

  type Entry = { score: number; value: string };
  const zset = (store.data.get(key) as Map<string, Entry> | undefined) ?? new Map<string, Entry>();
  let added = 0;
  let changed = 0;
  let incrResult: number | null = null;
  scores.forEach((score, j) => {
    const member = pairs[j * 2 + 1]!;
    const existing = zset.get(member);
    let next = score;
    if (has('INCR')) {
      next = (existing?.score ?? 0) + score;
      if (Number.isNaN(next)) throw new RedisError('ERR resulting score is not a number (NaN)');
    }
    if (existing) {
      if (has('NX') || (has('GT') && next <= existing.score) || (has('LT') && next >= existing.score)) return;
      if (next !== existing.score) changed++;
    } else {
      if (has('XX')) return;
      added++;
    }
    zset.set(member, { score: next, value: member });
    incrResult = next;
  });
  if (zset.size > 0) store.data.set(key, zset);
  if (has('INCR')) return incrResult === null ? null : formatScore(incrResult);
  return has('CH') ? added + changed : added;
}

/** HSET/HMSET/MSET/MSETNX take field/value pairs; the arity table only knows the minimum. */
export function pairsOk(name: string, args: string[]): boolean {
  if (name === 'hset' || name === 'hmset') return (args.length - 1) % 2 === 0;
  if (name === 'mset' || name === 'msetnx') return args.length % 2 === 0;
  return true;
}

export function validateExpiry(command: string, value: string | undefined): void {
  if (parseInt64(value) <= 0n) throw new RedisError(`ERR invalid expire time in '${command}' command`);
}

/** SET/GETEX expiry values must be positive integers (ioredis-mock accepts anything). */
export function validateExpiryOptions(command: string, options: string[]): void {
  for (let i = 0; i < options.length; i++) {
    if (['EX', 'PX', 'EXAT', 'PXAT'].includes(options[i]!.toUpperCase())) {
      if (options[i + 1] === undefined) throw new RedisError('ERR syntax error');
      validateExpiry(command, options[++i]);
    }
  }
}
