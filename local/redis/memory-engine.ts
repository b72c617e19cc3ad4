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
  expire, hashIncrBy, hashIncrByFloat, hashOf, incrBy, incrByFloat, pairsOk, validateExpiry, validateExpiryOptions, zadd,
  type MockStore,
} from './memory-commands';
import { formatScore, parseInt64, parseScore } from './numbers';
import { parseScript, sha1hex, splitKeys } from './scripts';
import { RedisError, StatusReply, type Engine, type PipelineEntry, type Reply } from './types';

/** The parts of an ioredis-mock instance used here; its public typings only describe the ioredis API. */
interface MockRedis extends MockStore {
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
    incr: ([key = '']) => incrBy(this.mock, key, 1n),
    decr: ([key = '']) => incrBy(this.mock, key, -1n),
    incrby: ([key = '', delta]) => incrBy(this.mock, key, parseInt64(delta)),
    decrby: ([key = '', delta]) => incrBy(this.mock, key, -parseInt64(delta)),
    incrbyfloat: ([key = '', delta = '']) => incrByFloat(this.mock, key, delta),
    hincrby: ([key = '', field = '', delta]) => hashIncrBy(this.mock, key, field, parseInt64(delta)),
    hincrbyfloat: ([key = '', field = '', delta = '']) => hashIncrByFloat(this.mock, key, field, delta),
    zadd: ([key = '', ...rest]) => zadd(this.mock, key, rest),
    expire: (args) => expire(this.mock, args, 1000, false),
    pexpire: (args) => expire(this.mock, args, 1, false),
    expireat: (args) => expire(this.mock, args, 1000, true),
    pexpireat: (args) => expire(this.mock, args, 1, true),
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
    hstrlen: ([key = '', field = '']) => Buffer.byteLength(hashOf(this.mock, key)[field] ?? ''),
    zincrby: (args, context) => {
      parseScore(args[1] ?? ''); // ioredis-mock would store NaN
      return this.emulateSync('zincrby', args, context);
    },
    scan: (args, context) => this.scan(args, context),
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
    const handler = Object.hasOwn(this.handlers, name) ? this.handlers[name] : undefined;
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

  /** SCAN with TYPE, which ioredis-mock ignores: filtered here, after the emulator's MATCH/COUNT. */
  private scan([cursor = '', ...options]: string[], context: Context): Reply {
    let type: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < options.length; i++) {
      if (options[i]!.toUpperCase() === 'TYPE' && i + 1 < options.length) type = options[++i]!.toLowerCase();
      else rest.push(options[i]!);
    }
    const reply = this.emulateSync('scan', [cursor, ...rest], context);
    if (type === undefined || !Array.isArray(reply)) return reply;
    const [next = '0', keys = []] = reply;
    return [next, (keys as string[]).filter((key) => this.typeOf(key) === type)];
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

