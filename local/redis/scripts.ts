/**
 * Lua script helpers shared by both engines: SHA1 digests and the Redis 7 `#!lua flags=…` shebang.
 *
 * Why the shebang needs care: @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`.
 * `allow-key-locking` is an Upstash-only flag; Redis 7 rejects the whole script with
 * "ERR Unexpected flag in script shebang: allow-key-locking". The forwarding engine therefore strips
 * flags Redis does not know (and maps the client's SHA to the SHA of the rewritten script); the
 * in-memory engine parses the shebang itself, since fengari (Lua) cannot compile a `#!` line.
 */
import { createHash } from 'node:crypto';
import { RedisError } from './types';

export function sha1hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Flags Redis 7 understands. */
const REDIS_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);
/** Flags Upstash adds on top; accepted and ignored (we do not lock per key, every script runs alone). */
const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking']);

interface Shebang {
  flags: string[];
  /** Length of the shebang line, without its line break. */
  lineLength: number;
}

/** Parses the shebang like Redis does; `undefined` for a script without one. Throws `RedisError`. */
function parseShebang(source: string): Shebang | undefined {
  if (!source.startsWith('#!')) return undefined;
  const end = source.indexOf('\n');
  const line = end === -1 ? source : source.slice(0, end);
  const [engine = '', ...parts] = line.replace(/\r$/, '').split(' ').filter((p) => p !== '');
  if (engine !== '#!lua') throw new RedisError(`ERR Unexpected engine in script shebang: ${engine}`);
  const flags: string[] = [];
  for (const part of parts) {
    if (!part.startsWith('flags=')) throw new RedisError(`ERR Unknown lua shebang option: ${part}`);
    flags.push(...part.slice('flags='.length).split(',').filter((f) => f !== ''));
  }
  return { flags, lineLength: line.length };
}

export interface ParsedScript {
  /** The Lua code to compile: the shebang line blanked out so that line numbers stay right. */
  body: string;
  flags: Set<string>;
}

/** For the in-memory engine: validates the shebang (with Upstash's flags allowed) and strips it. */
export function parseScript(source: string): ParsedScript {
  const shebang = parseShebang(source);
  if (!shebang) return { body: source, flags: new Set() };
  for (const flag of shebang.flags) {
    if (!REDIS_FLAGS.has(flag) && !UPSTASH_ONLY_FLAGS.has(flag)) {
      throw new RedisError(`ERR Unexpected flag in script shebang: ${flag}`);
    }
  }
  return { body: source.slice(shebang.lineLength), flags: new Set(shebang.flags) };
}

/**
 * For the forwarding engine: the script with Upstash-only flags removed, or the script itself when
 * nothing needs removing (so its SHA stays the one the client computed). Anything unparsable is
 * returned unchanged for Redis to reject with its own message.
 */
export function scriptForRedis(source: string): string {
  let shebang: Shebang | undefined;
  try {
    shebang = parseShebang(source);
  } catch {
    return source;
  }
  if (!shebang || !shebang.flags.some((f) => UPSTASH_ONLY_FLAGS.has(f))) return source;
  const kept = shebang.flags.filter((f) => !UPSTASH_ONLY_FLAGS.has(f));
  const line = kept.length > 0 ? `#!lua flags=${kept.join(',')}` : '#!lua';
  return line + source.slice(shebang.lineLength);
}

/** Validates EVAL's numkeys the way Redis does and splits the remaining arguments. */
export function splitKeys(numkeysArg: string | undefined, rest: string[]): { keys: string[]; argv: string[] } {
  const numkeys = numkeysArg !== undefined && /^-?\d+$/.test(numkeysArg) ? Number(numkeysArg) : Number.NaN;
  if (!Number.isSafeInteger(numkeys)) throw new RedisError('ERR value is not an integer or out of range');
  if (numkeys < 0) throw new RedisError("ERR Number of keys can't be negative");
  if (numkeys > rest.length) throw new RedisError("ERR Number of keys can't be greater than number of args");
  return { keys: rest.slice(0, numkeys), argv: rest.slice(numkeys) };
}
