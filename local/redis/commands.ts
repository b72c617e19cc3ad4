/**
 * Static knowledge about Redis commands, used to make the in-memory engine answer like Redis does
 * (ioredis-mock alone does not check arity, argument case, or key types) and to keep both engines from
 * running commands that make no sense behind a stateless REST endpoint.
 *
 * The command table (arity, flags, key positions) is the one ioredis itself routes with: it ships in
 * `@ioredis/commands`, a dependency of both ioredis and ioredis-mock, generated from Redis' COMMAND output.
 */
import { createRequire } from 'node:module';
import { getKeyIndexes } from '@ioredis/commands';

interface CommandSpec {
  /** Redis arity: counts the command name; negative means "at least". */
  arity: number;
  flags: string[];
}

const require = createRequire(import.meta.url);
const TABLE = require('@ioredis/commands/built/commands.json') as Record<string, CommandSpec>;

export function commandSpec(name: string): CommandSpec | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name] : undefined;
}

/** `argc` includes the command name, as Redis counts it. */
export function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity >= 0 ? argc === spec.arity : argc >= -spec.arity;
}

export function hasFlag(name: string, flag: string): boolean {
  return commandSpec(name)?.flags.includes(flag) ?? false;
}

/** Positions of key arguments in `args` (which excludes the command name). */
export function keyIndexes(name: string, args: string[]): number[] {
  try {
    return getKeyIndexes(name, args);
  } catch {
    return []; // malformed movable-keys commands (e.g. bad numkeys) are rejected later by the command itself
  }
}

/**
 * Commands a REST request cannot meaningfully run: they change per-connection state (SELECT, HELLO,
 * WATCH …), need a long-lived connection (SUBSCRIBE, MONITOR), or would wreck the stand-in's shared
 * connection in forwarding mode. MULTI/EXEC exist only as the `/multi-exec` endpoint.
 */
const NOT_AVAILABLE = new Set([
  'auth', 'hello', 'reset', 'select', 'swapdb', 'quit', 'shutdown', 'monitor', 'sync', 'psync', 'replconf',
  'multi', 'exec', 'discard', 'watch', 'unwatch',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'client', 'readonly', 'readwrite', 'asking', 'failover', 'replicaof', 'slaveof', 'debug',
]);

/** Error text for commands in {@link NOT_AVAILABLE}, or `undefined` when the command may run. */
export function notAvailableError(name: string): string | undefined {
  return NOT_AVAILABLE.has(name) ? `ERR Command is not available: '${name}'` : undefined;
}

export type KeyType = 'string' | 'hash' | 'list' | 'set' | 'zset';

const FAMILIES: Record<KeyType, string[]> = {
  string: ['get', 'getex', 'getdel', 'getset', 'getrange', 'substr', 'append', 'strlen', 'setrange', 'incr',
    'incrby', 'incrbyfloat', 'decr', 'decrby', 'getbit', 'setbit', 'bitcount', 'bitpos', 'lcs'],
  hash: ['hdel', 'hexists', 'hget', 'hgetall', 'hincrby', 'hincrbyfloat', 'hkeys', 'hlen', 'hmget', 'hmset',
    'hrandfield', 'hscan', 'hset', 'hsetnx', 'hstrlen', 'hvals'],
  list: ['blmove', 'blmpop', 'blpop', 'brpop', 'brpoplpush', 'lindex', 'linsert', 'llen', 'lmove', 'lmpop', 'lpop',
    'lpos', 'lpush', 'lpushx', 'lrange', 'lrem', 'lset', 'ltrim', 'rpop', 'rpoplpush', 'rpush', 'rpushx'],
  set: ['sadd', 'scard', 'sdiff', 'sdiffstore', 'sinter', 'sintercard', 'sinterstore', 'sismember', 'smembers',
    'smismember', 'smove', 'spop', 'srandmember', 'srem', 'sscan', 'sunion', 'sunionstore'],
  // ZUNION/ZINTER/ZDIFF(STORE) are left out on purpose: Redis accepts plain sets as their sources.
  zset: ['bzpopmax', 'bzpopmin', 'zadd', 'zcard', 'zcount', 'zincrby', 'zlexcount', 'zmpop', 'bzmpop', 'zmscore',
    'zpopmax', 'zpopmin', 'zrandmember', 'zrange', 'zrangebylex', 'zrangebyscore', 'zrank', 'zrem', 'zremrangebylex',
    'zremrangebyrank', 'zremrangebyscore', 'zrevrange', 'zrevrangebylex', 'zrevrangebyscore', 'zrevrank', 'zscan',
    'zscore'],
};

const FAMILY_OF = new Map<string, KeyType>(
  (Object.entries(FAMILIES) as [KeyType, string[]][]).flatMap(([type, names]) => names.map((n) => [n, type] as const)),
);

/**
 * The key type a command requires, and which of its keys are checked. `*STORE` destinations are
 * overwritten whatever they hold, so they are skipped.
 */
export function requiredKeyType(name: string, args: string[]): { type: KeyType; keys: string[] } | undefined {
  const type = FAMILY_OF.get(name);
  if (!type) return undefined;
  let indexes = keyIndexes(name, args);
  if (name.endsWith('store')) indexes = indexes.slice(1);
  return { type, keys: indexes.map((i) => args[i]).filter((k): k is string => k !== undefined) };
}

/**
 * Where a command's option tokens (EX, NX, WITHSCORES, LIMIT …) may appear, and how many values each
 * token consumes. Used to upper-case the tokens for ioredis-mock, whose option parsing is case-sensitive
 * while Redis' is not (and @upstash/redis sends them lower-case). Values are skipped so that, say, a
 * MATCH pattern or a SET value that happens to read "ex" is never touched.
 */
interface OptionSpec {
  /** Index in the arguments (excluding the command name) where options may start. */
  from: number | ((args: string[]) => number);
  /** Exclusive end index, for commands whose tokens are positional (LINSERT, LMOVE). */
  to?: number;
  tokens: Record<string, number>;
}

/** Options follow `numkeys` (at `index`) and the keys it announces. */
const afterNumkeys = (index: number) => (args: string[]) => index + 1 + (Number.parseInt(args[index] ?? '', 10) || 0);

const EXPIRE_OPTIONS: OptionSpec = { from: 2, tokens: { NX: 0, XX: 0, GT: 0, LT: 0 } };
const SCAN_OPTIONS = { MATCH: 1, COUNT: 1 };

const OPTION_SPECS: Record<string, OptionSpec> = {
  set: { from: 2, tokens: { NX: 0, XX: 0, GET: 0, KEEPTTL: 0, EX: 1, PX: 1, EXAT: 1, PXAT: 1 } },
  getex: { from: 1, tokens: { EX: 1, PX: 1, EXAT: 1, PXAT: 1, PERSIST: 0 } },
  expire: EXPIRE_OPTIONS,
  pexpire: EXPIRE_OPTIONS,
  expireat: EXPIRE_OPTIONS,
  pexpireat: EXPIRE_OPTIONS,
  zrange: { from: 3, tokens: { BYSCORE: 0, BYLEX: 0, REV: 0, LIMIT: 2, WITHSCORES: 0 } },
  zrangebyscore: { from: 3, tokens: { LIMIT: 2, WITHSCORES: 0 } },
  zrevrangebyscore: { from: 3, tokens: { LIMIT: 2, WITHSCORES: 0 } },
  zrangebylex: { from: 3, tokens: { LIMIT: 2 } },
  zrevrangebylex: { from: 3, tokens: { LIMIT: 2 } },
  zrevrange: { from: 3, tokens: { WITHSCORES: 0 } },
  zrank: { from: 2, tokens: { WITHSCORE: 0 } },
  zrevrank: { from: 2, tokens: { WITHSCORE: 0 } },
  zrandmember: { from: 2, tokens: { WITHSCORES: 0 } },
  zdiff: { from: afterNumkeys(0), tokens: { WITHSCORES: 0 } },
  zinterstore: { from: afterNumkeys(1), tokens: { AGGREGATE: 1 } },
  hrandfield: { from: 2, tokens: { WITHVALUES: 0 } },
  scan: { from: 1, tokens: { ...SCAN_OPTIONS, TYPE: 1 } },
  sscan: { from: 2, tokens: SCAN_OPTIONS },
  zscan: { from: 2, tokens: SCAN_OPTIONS },
  hscan: { from: 2, tokens: { ...SCAN_OPTIONS, NOVALUES: 0 } },
  lpos: { from: 2, tokens: { RANK: 1, COUNT: 1, MAXLEN: 1 } },
  linsert: { from: 1, to: 2, tokens: { BEFORE: 0, AFTER: 0 } },
  lmove: { from: 2, to: 4, tokens: { LEFT: 0, RIGHT: 0 } },
  lmpop: { from: afterNumkeys(0), tokens: { LEFT: 0, RIGHT: 0, COUNT: 1 } },
  bitcount: { from: 3, tokens: { BYTE: 0, BIT: 0 } },
  flushall: { from: 0, tokens: { ASYNC: 0, SYNC: 0 } },
  flushdb: { from: 0, tokens: { ASYNC: 0, SYNC: 0 } },
};

/** Returns `args` (excluding the command name) with the option tokens upper-cased. */
export function upperCaseOptions(name: string, args: string[]): string[] {
  const spec = OPTION_SPECS[name];
  if (!spec) return args;
  const out = args.slice();
  const from = typeof spec.from === 'number' ? spec.from : spec.from(args);
  const to = Math.min(spec.to ?? out.length, out.length);
  for (let i = from; i < to; i++) {
    const token = out[i]!.toUpperCase();
    const valueCount = spec.tokens[token];
    if (valueCount === undefined) continue;
    out[i] = token;
    i += valueCount;
  }
  return out;
}

/** Commands whose `OK` is a status reply (TYPE and argument-less PING are handled by the caller). */
export const STATUS_OK_COMMANDS = new Set([
  'set', 'setex', 'psetex', 'mset', 'hmset', 'rename', 'flushall', 'flushdb', 'ltrim', 'lset', 'restore', 'pfmerge',
]);
