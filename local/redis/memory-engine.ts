/**
 * In-memory engine: ioredis-mock's data structures and command emulators, wrapped so that commands
 * answer like Redis 7 (arity and unknown-command errors, WRONGTYPE, case-insensitive options, strict
 * counters, raw reply shapes) plus Lua scripting with a script cache (EVAL/EVALSHA/SCRIPT …).
 *
 * Everything runs synchronously on the JavaScript thread, which makes each command, each script and
 * each MULTI/EXEC block atomic for free, as in Redis.
 */
import { randomUUID } from 'node:crypto';
import RedisMock from 'ioredis-mock';
import {
  STATUS_OK_COMMANDS, arityOk, commandSpec, hasFlag, keyIndexes, notAvailableError, requiredKeyType,
  upperCaseOptions,
} from './commands';
import { checkScriptSyntax, runScript } from './lua';
import {
  NOT_A_FLOAT, addDecimalStrings, addInt64, formatScore, parseInt64, parseScore,
} from './numbers';
import { parseScript, sha1hex, splitKeys } from './scripts';
import { RedisError, StatusReply, type Engine, type PipelineEntry, type Reply } from './types';

/** The parts of an ioredis-mock instance used here; its public typings only describe the ioredis API. */
interface MockRedis {
  data: {
    get(key: string): unknown;
    set(key: string, value: unknown): void;
    has(key: string): boolean;
    delete(key: string): void;
  };
  /** Absolute expiry times in milliseconds. */
  expires: {
    get(key: string): number;
    set(key: string, at: number): void;
    has(key: string): boolean;
  };
  disconnect(): void;
}

type Emulator = (this: MockRedis, ...args: string[]) => unknown;

/**
 * ioredis-mock only exposes its emulators wrapped in Promises, but `redis.call` inside Lua must return
 * a value synchronously. The raw functions are reachable through `Pipeline.prototype.copyCommands`,
 * which hands each of them to `this._createCommand(name, fn)`; we call it on a stand-in object that
 * just records them. (Checked against ioredis-mock 8.13; fails loudly if the internals change.)
 */
function grabEmulators(): Map<string, Emulator> {
  const emulators = new Map<string, Emulator>();
  const { Pipeline } = RedisMock as unknown as { Pipeline: { prototype: { copyCommands(): void } } };
  const recorder = Object.assign(Object.create(Pipeline.prototype) as { copyCommands(): void }, {
    redis: { customCommands: {} },
    _createCommand: (name: string, fn: Emulator) => emulators.set(name, fn),
  });
  recorder.copyCommands();
  if (!emulators.has('get') || !emulators.has('type')) {
    throw new Error('ioredis-mock internals changed: its command emulators could not be found');
  }
  return emulators;
}

const EMULATORS = grabEmulators();

/** How a command is being run: from a REST request, or from `redis.call` inside a script. */
interface Context {
  script?: { readOnly: boolean };
  /** Set when the caller cannot wait (scripts, MULTI/EXEC): asynchronous emulators are refused. */
  sync?: boolean;
}

type Handler = (args: string[], context: Context) => Reply;

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

export class MemoryEngine implements Engine {
  readonly mode = 'embedded' as const;
  private readonly mock: MockRedis;
  /** SHA1 → source, like Redis' script cache. It survives FLUSHALL, as in Redis. */
  private readonly scripts = new Map<string, string>();
  private readonly handlers: Record<string, Handler> = {
    eval: (args) => this.evalScript(args, false),
    eval_ro: (args) => this.evalScript(args, true),
    evalsha: (args) => this.evalCachedScript(args, false),
    evalsha_ro: (args) => this.evalCachedScript(args, true),
    script: (args) => this.scriptCommand(args),
    incr: ([key = '']) => this.incrBy(key, 1n),
    decr: ([key = '']) => this.incrBy(key, -1n),
    incrby: ([key = '', delta]) => this.incrBy(key, parseInt64(delta)),
    decrby: ([key = '', delta]) => this.incrBy(key, -parseInt64(delta)),
    incrbyfloat: ([key = '', delta = '']) => this.incrByFloat(key, delta),
    hincrby: ([key = '', field = '', delta]) => this.hashIncrBy(key, field, parseInt64(delta)),
    hincrbyfloat: ([key = '', field = '', delta = '']) => this.hashIncrByFloat(key, field, delta),
    zadd: ([key = '', ...rest]) => this.zadd(key, rest),
    expire: (args) => this.expire(args, 1000, false),
    pexpire: (args) => this.expire(args, 1, false),
    expireat: (args) => this.expire(args, 1000, true),
    pexpireat: (args) => this.expire(args, 1, true),
    set: (args, context) => {
      validateExpiryOptions('set', args.slice(2));
      return this.emulateSync('set', args, context);
    },
    getex: (args, context) => {
      validateExpiryOptions('getex', args.slice(1));
      return this.emulateSync('getex', args, context);
    },
    setex: (args, context) => {
      validateExpiry('setex', args[1]);
      return this.emulateSync('setex', args, context);
    },
    psetex: (args, context) => {
      validateExpiry('psetex', args[1]);
      return this.emulateSync('psetex', args, context);
    },
    // Redis counts bytes; ioredis-mock counts UTF-16 code units.
    strlen: ([key = '']) => Buffer.byteLength(String(this.mock.data.get(key) ?? '')),
    append: (args, context) => {
      this.emulateSync('append', args, context);
      return Buffer.byteLength(String(this.mock.data.get(args[0] ?? '') ?? ''));
    },
    hstrlen: ([key = '', field = '']) => Buffer.byteLength(this.hash(key)[field] ?? ''),
    // ioredis-mock answers -1 (pivot not found) for a missing key; Redis answers 0.
    linsert: (args, context) => (this.mock.data.has(args[0] ?? '') ? this.emulateSync('linsert', args, context) : 0),
  };

  constructor() {
    // ioredis-mock keeps one dataset per host:port/db for the whole process; a unique host gives every
    // stand-in its own data.
    this.mock = new RedisMock({ host: `leadpulse-redis-standin-${randomUUID()}` }) as unknown as MockRedis;
  }

  async command(args: string[]): Promise<Reply> {
    return this.run(args, {});
  }

  async pipeline(commands: string[][]): Promise<PipelineEntry[]> {
    const entries: PipelineEntry[] = [];
    for (const args of commands) entries.push(await settle(() => this.run(args, {})));
    return entries;
  }

  async transaction(commands: string[][]): Promise<PipelineEntry[]> {
    // Redis rejects unknown commands and wrong arities while queueing, and then refuses to EXEC.
    for (const [name = '', ...args] of commands) {
      try {
        this.validate(name, args, {});
      } catch {
        throw new RedisError('EXECABORT Transaction discarded because of previous errors.');
      }
    }
    const entries: PipelineEntry[] = [];
    for (const args of commands) {
      try {
        entries.push({ result: this.runSync(args, { sync: true }) });
      } catch (error) {
        entries.push({ error: toRedisError(error).message });
      }
    }
    return entries;
  }

  async close(): Promise<void> {
    EMULATORS.get('flushall')?.call(this.mock);
    this.mock.disconnect();
    this.scripts.clear();
  }

  private runSync(args: string[], context: Context): Reply {
    const reply = this.run(args, context);
    if (reply instanceof Promise) throw new RedisError(`ERR '${args[0]}' cannot run here in the in-memory stand-in`);
    return reply;
  }

  private run([rawName = '', ...args]: string[], context: Context): Reply | Promise<Reply> {
    const name = rawName.toLowerCase();
    this.validate(rawName, args, context);
    // Checked at execution, not while queueing, exactly like Redis (so not an EXECABORT in MULTI).
    if (!pairsOk(name, args)) throw new RedisError(`ERR wrong number of arguments for '${name}' command`);
    this.checkKeyTypes(name, args);
    const handler = this.handlers[name];
    let reply: Reply | Promise<Reply>;
    try {
      reply = handler ? handler(args, context) : this.emulate(name, args, context);
    } catch (error) {
      throw toRedisError(error);
    }
    if (hasFlag(name, 'write')) this.removeEmptyKeys(name, args);
    return reply;
  }

  /** Redis deletes a list/set/hash/zset when its last element goes; ioredis-mock keeps it empty. */
  private removeEmptyKeys(name: string, args: string[]): void {
    for (const index of keyIndexes(name, args)) {
      const key = args[index]!;
      const value = this.mock.data.get(key);
      const empty =
        (value instanceof Map || value instanceof Set) ? value.size === 0
        : Array.isArray(value) ? value.length === 0
        : typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.keys(value).length === 0;
      if (empty) this.mock.data.delete(key);
    }
  }

  /** The checks Redis makes before executing (and, in MULTI, while queueing). */
  private validate(rawName: string, args: string[], context: Context): void {
    const name = rawName.toLowerCase();
    const spec = commandSpec(name);
    const inScript = context.script !== undefined;
    if (!spec) {
      throw new RedisError(inScript ? 'ERR Unknown Redis command called from script' : unknownCommand(rawName, args));
    }
    if (!arityOk(spec, args.length + 1)) {
      throw new RedisError(
        inScript
          ? 'ERR Wrong number of args calling Redis command from script'
          : `ERR wrong number of arguments for '${name}' command`,
      );
    }
    if (inScript && spec.flags.includes('noscript')) {
      throw new RedisError('ERR This Redis command is not allowed from script');
    }
    if (context.script?.readOnly && spec.flags.includes('write')) {
      throw new RedisError('ERR Write commands are not allowed from read-only scripts.');
    }
    const notAvailable = notAvailableError(name);
    if (notAvailable) throw new RedisError(notAvailable);
  }

  private checkKeyTypes(name: string, args: string[]): void {
    const required = requiredKeyType(name, args);
    if (!required) return;
    for (const key of required.keys) {
      const type = this.typeOf(key);
      if (type !== 'none' && type !== required.type) throw new RedisError(WRONGTYPE);
    }
  }

  private typeOf(key: string): string {
    return String(EMULATORS.get('type')!.call(this.mock, key));
  }

  /** Runs an ioredis-mock emulator and converts its answer to the raw shape Redis sends. */
  private emulate(name: string, args: string[], context: Context): Reply | Promise<Reply> {
    const emulator = EMULATORS.get(name);
    if (!emulator) {
      throw new RedisError(
        `ERR '${name}' is not supported by the in-memory Redis stand-in (give it a redisUrl to use a real Redis)`,
      );
    }
    let result: unknown;
    try {
      result = emulator.apply(this.mock, upperCaseOptions(name, args));
    } catch (error) {
      throw toRedisError(error);
    }
    if (result instanceof Promise) {
      if (context.sync) throw new RedisError(`ERR '${name}' cannot run here in the in-memory stand-in`);
      return result.then(
        (value: unknown) => toRawReply(name, args, value),
        (error: unknown) => Promise.reject(toRedisError(error)),
      );
    }
    return toRawReply(name, args, result);
  }

  private emulateSync(name: string, args: string[], context: Context): Reply {
    const reply = this.emulate(name, args, context);
    if (reply instanceof Promise) throw new RedisError(`ERR '${name}' cannot run here in the in-memory stand-in`);
    return reply;
  }

  // --- scripting --------------------------------------------------------------------------------------

  private evalScript([source = '', numkeys, ...rest]: string[], readOnly: boolean): Reply {
    const { keys, argv } = splitKeys(numkeys, rest);
    const sha = sha1hex(source);
    try {
      const reply = this.execScript(sha, source, keys, argv, readOnly);
      this.scripts.set(sha, source);
      return reply;
    } catch (error) {
      // Like Redis, EVAL caches every script that compiled, even if it then failed.
      if (!(error instanceof RedisError && error.message.startsWith('ERR Error compiling script'))) {
        this.scripts.set(sha, source);
      }
      throw error;
    }
  }

  private evalCachedScript([sha = '', numkeys, ...rest]: string[], readOnly: boolean): Reply {
    const source = this.scripts.get(sha.toLowerCase());
    if (source === undefined) throw new RedisError('NOSCRIPT No matching script. Please use EVAL.');
    const { keys, argv } = splitKeys(numkeys, rest);
    return this.execScript(sha.toLowerCase(), source, keys, argv, readOnly);
  }

  private execScript(sha: string, source: string, keys: string[], argv: string[], readOnlyCommand: boolean): Reply {
    const { body, flags } = parseScript(source);
    const readOnly = readOnlyCommand || flags.has('no-writes');
    return runScript({ body, sha, keys, argv, call: (args) => this.runSync(args, { script: { readOnly }, sync: true }) });
  }

  private scriptCommand([subcommand = '', ...args]: string[]): Reply {
    const sub = subcommand.toLowerCase();
    const arity = () => new RedisError(`ERR wrong number of arguments for 'script|${sub}' command`);
    switch (sub) {
      case 'load': {
        const [source] = args;
        if (source === undefined || args.length !== 1) throw arity();
        checkScriptSyntax(parseScript(source).body);
        const sha = sha1hex(source);
        this.scripts.set(sha, source);
        return sha;
      }
      case 'exists':
        if (args.length === 0) throw arity();
        return args.map((sha) => (this.scripts.has(sha.toLowerCase()) ? 1 : 0));
      case 'flush': {
        const [mode, ...extra] = args;
        if (extra.length > 0 || (mode !== undefined && !/^(a?sync)$/i.test(mode))) {
          throw new RedisError('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
        }
        this.scripts.clear();
        return new StatusReply('OK');
      }
      case 'kill':
        throw new RedisError('NOTBUSY No scripts in execution right now.');
      default:
        throw new RedisError(`ERR unknown subcommand '${subcommand}'. Try SCRIPT HELP.`);
    }
  }

  // --- counters and sorted sets (ioredis-mock's versions are too lenient) -----------------------------

  private incrBy(key: string, delta: bigint): Reply {
    const current = this.mock.data.get(key);
    const base = current === undefined ? 0n : parseInt64(String(current));
    const { text, value } = addInt64(base, delta);
    this.mock.data.set(key, text); // keeps the TTL, like Redis
    return value;
  }

  private incrByFloat(key: string, delta: string): Reply {
    const current = this.mock.data.get(key);
    const text = addDecimalStrings(current === undefined ? '0' : String(current), delta, NOT_A_FLOAT);
    this.mock.data.set(key, text);
    return text;
  }

  private hash(key: string): Record<string, string> {
    return (this.mock.data.get(key) as Record<string, string> | undefined) ?? {};
  }

  private hashIncrBy(key: string, field: string, delta: bigint): Reply {
    const hash = this.hash(key);
    const current = Object.hasOwn(hash, field) ? hash[field] : undefined;
    const base = current === undefined ? 0n : parseInt64(current, 'ERR hash value is not an integer');
    const { text, value } = addInt64(base, delta);
    hash[field] = text;
    this.mock.data.set(key, hash);
    return value;
  }

  private hashIncrByFloat(key: string, field: string, delta: string): Reply {
    const hash = this.hash(key);
    const current = Object.hasOwn(hash, field) ? hash[field] : undefined;
    const text = addDecimalStrings(current ?? '0', delta, 'ERR hash value is not a float');
    hash[field] = text;
    this.mock.data.set(key, hash);
    return text;
  }

  /** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT (ioredis-mock ignores the options). */
  private expire([key = '', amount, ...options]: string[], unitMs: number, absolute: boolean): Reply {
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
    if (!this.mock.data.has(key)) return 0;
    const at = absolute ? value : Date.now() + value;
    const current = this.mock.expires.has(key) ? this.mock.expires.get(key) : undefined; // undefined = never
    if (flags.has('NX') && current !== undefined) return 0;
    if (flags.has('XX') && current === undefined) return 0;
    if (flags.has('GT') && (current === undefined || at <= current)) return 0;
    if (flags.has('LT') && current !== undefined && at >= current) return 0;
    if (at <= Date.now()) this.mock.data.delete(key); // a past expiry deletes at once, like Redis
    else this.mock.expires.set(key, at);
    return 1;
  }

  /** ZADD with every Redis 7 option (ioredis-mock lacks GT/LT and parses options case-sensitively). */
  private zadd(key: string, args: string[]): Reply {
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
    const zset = (this.mock.data.get(key) as Map<string, Entry> | undefined) ?? new Map<string, Entry>();
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
    if (zset.size > 0) this.mock.data.set(key, zset);
    if (has('INCR')) return incrResult === null ? null : formatScore(incrResult);
    return has('CH') ? added + changed : added;
  }
}

async function settle(run: () => Reply | Promise<Reply>): Promise<PipelineEntry> {
  try {
    return { result: await run() };
  } catch (error) {
    return { error: toRedisError(error).message };
  }
}

/** Redis' text for an unknown command, e.g. "ERR unknown command 'FOO', with args beginning with: 'a' ". */
function unknownCommand(name: string, args: string[]): string {
  let text = `ERR unknown command '${name.slice(0, 128)}', with args beginning with: `;
  for (const arg of args) {
    if (text.length > 256) break;
    text += `'${arg.slice(0, 128)}' `;
  }
  return text;
}

/** Maps emulator exceptions onto Redis error replies. */
function toRedisError(error: unknown): RedisError {
  if (error instanceof RedisError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('does not contain a')) return new RedisError(WRONGTYPE); // ioredis-mock's wording
  if (/^(ERR|WRONGTYPE|NOSCRIPT|EXECABORT|NOTBUSY|BUSYKEY|NOGROUP|BUSYGROUP) /.test(message)) {
    return new RedisError(message);
  }
  return new RedisError(`ERR ${message}`);
}

/** Commands whose nested numbers are scores, which Redis sends as bulk strings. */
const SCORE_REPLIES = new Set(['zpopmin', 'zpopmax', 'bzpopmin', 'bzpopmax', 'zmpop', 'bzmpop', 'zrandmember']);

/** Converts an emulator's ioredis-style result (objects, booleans, numbers) to a raw RESP2 reply. */
function toRawReply(name: string, args: string[], value: unknown): Reply {
  let reply = convert(value, SCORE_REPLIES.has(name), 0);
  // ioredis-mock prints infinite scores the JavaScript way.
  if (name === 'zscore' || name === 'zincrby' || name === 'zmscore') reply = fixInfinity(reply);
  if (typeof reply !== 'string') return reply;
  const isStatus =
    name === 'type' ||
    (name === 'ping' && args.length === 0) ||
    (reply === 'OK' && STATUS_OK_COMMANDS.has(name) && !(name === 'set' && args.some((a) => a.toUpperCase() === 'GET')));
  return isStatus ? new StatusReply(reply) : reply;
}

function fixInfinity(reply: Reply): Reply {
  if (Array.isArray(reply)) return reply.map(fixInfinity);
  return reply === 'Infinity' ? 'inf' : reply === '-Infinity' ? '-inf' : reply;
}

function convert(value: unknown, numbersAsStrings: boolean, depth: number): Reply {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return numbersAsStrings && depth > 0 ? formatScore(value) : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || Buffer.isBuffer(value) || value instanceof StatusReply) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => convert(v, numbersAsStrings, depth + 1));
  if (value instanceof Set) return [...value].map((v: unknown) => convert(v, numbersAsStrings, depth + 1));
  // ioredis-style objects (HGETALL) are flat field/value arrays in Redis.
  if (typeof value === 'object') return Object.entries(value).flat().map((v) => convert(v, numbersAsStrings, depth + 1));
  return String(value);
}

/** HSET/HMSET/MSET/MSETNX take field/value pairs; the arity table only knows the minimum. */
function pairsOk(name: string, args: string[]): boolean {
  if (name === 'hset' || name === 'hmset') return (args.length - 1) % 2 === 0;
  if (name === 'mset' || name === 'msetnx') return args.length % 2 === 0;
  return true;
}

function validateExpiry(command: string, value: string | undefined): void {
  if (parseInt64(value) <= 0n) throw new RedisError(`ERR invalid expire time in '${command}' command`);
}

/** SET/GETEX expiry values must be positive integers (ioredis-mock accepts anything). */
function validateExpiryOptions(command: string, options: string[]): void {
  for (let i = 0; i < options.length; i++) {
    if (['EX', 'PX', 'EXAT', 'PXAT'].includes(options[i]!.toUpperCase())) {
      if (options[i + 1] === undefined) throw new RedisError('ERR syntax error');
      validateExpiry(command, options[++i]);
    }
  }
}
