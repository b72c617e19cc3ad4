/**
 * Forwarding engine: sends every command to a real Redis through ioredis.
 *
 * Notes on the ioredis usage:
 * - `callBuffer` keeps bulk replies as raw bytes, so base64 responses carry exactly what Redis stored.
 * - HGETALL is sent upper-case: ioredis keys its reply transformers by the lower-case name
 *   (`hgetall` → object), and the REST API must return Redis' raw shape (a flat array).
 * - Blocking commands (BLPOP, XREAD BLOCK …) get a connection of their own, so one long poll does not
 *   stall every other request queued on the shared connection.
 */
import { Redis } from 'ioredis';
import { hasFlag, notAvailableError } from './commands';
import { scriptForRedis, sha1hex } from './scripts';
import { RedisError, type Engine, type PipelineEntry, type Reply } from './types';

export class ForwardEngine implements Engine {
  readonly mode = 'local-server' as const;
  /**
   * SHA the client computed (script as sent) → SHA Redis knows (script without Upstash-only shebang
   * flags, see scripts.ts). Lost on restart, which is harmless: EVALSHA then answers NOSCRIPT and the
   * client falls back to EVAL, which records the alias again.
   */
  private readonly shaAliases = new Map<string, string>();

  private constructor(private readonly client: Redis) {}

  static async connect(url: string): Promise<ForwardEngine> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    // Reconnecting is ioredis' business and failed commands still reject; keep the cause for startup.
    let lastError: Error | undefined;
    client.on('error', (error: Error) => (lastError = error));
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      const cause = lastError ?? (error as Error);
      throw new Error(`Redis stand-in: cannot connect to ${redactUrl(url)}: ${cause.message}`, { cause });
    }
    return new ForwardEngine(client);
  }

  async command(args: string[]): Promise<Reply> {
    const prepared = this.prepare(args);
    const reply = await this.withConnection([args], async (connection) => {
      try {
        return await connection.callBuffer(prepared[0]!, prepared.slice(1));
      } catch (error) {
        throw asRedisError(error);
      }
    });
    return this.finish(args, reply);
  }

  async pipeline(commands: string[][]): Promise<PipelineEntry[]> {
    const entries: PipelineEntry[] = new Array<PipelineEntry>(commands.length);
    const sent: number[] = [];
    const results = await this.withConnection(commands, async (connection) => {
      const pipeline = connection.pipeline();
      commands.forEach((args, i) => {
        try {
          const [name, ...rest] = this.prepare(args);
          pipeline.callBuffer(name!, rest);
          sent.push(i);
        } catch (error) {
          entries[i] = { error: asRedisError(error).message };
        }
      });
      return sent.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    });
    this.collect(commands, sent, results, entries);
    return entries;
  }

  async transaction(commands: string[][]): Promise<PipelineEntry[]> {
    let prepared: string[][];
    try {
      prepared = commands.map((args) => this.prepare(args));
    } catch {
      // Same outcome as a command Redis refuses while queueing.
      throw new RedisError('EXECABORT Transaction discarded because of previous errors.');
    }
    const results = await this.withConnection(commands, async (connection) => {
      const multi = connection.multi();
      for (const [name, ...rest] of prepared) multi.callBuffer(name!, rest);
      try {
        return (await multi.exec()) ?? [];
      } catch (error) {
        throw asRedisError(error); // EXECABORT
      }
    });
    const entries: PipelineEntry[] = new Array<PipelineEntry>(commands.length);
    this.collect(commands, commands.map((_, i) => i), results, entries);
    return entries;
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private collect(
    commands: string[][],
    sent: number[],
    results: [Error | null, unknown][],
    entries: PipelineEntry[],
  ): void {
    results.forEach(([error, value], j) => {
      const i = sent[j]!;
      if (!error) {
        entries[i] = { result: this.finish(commands[i]!, value) };
        return;
      }
      const failure = asRedisError(error);
      if (!(failure instanceof RedisError)) throw failure; // e.g. connection lost: the whole request fails
      entries[i] = { error: failure.message };
    });
  }

  /** Rewrites a command for Redis; throws `RedisError` for commands the REST API does not offer. */
  private prepare([rawName = '', ...args]: string[]): string[] {
    const name = rawName.toLowerCase();
    const notAvailable = notAvailableError(name);
    if (notAvailable) throw new RedisError(notAvailable);
    // Keep the client's spelling (it shows up in error messages), except for HGETALL: ioredis turns
    // replies of a command named exactly "hgetall" into an object, and we need Redis' flat array.
    const sentName = name === 'hgetall' ? 'HGETALL' : rawName;
    const [first = '', ...rest] = args;
    switch (name) {
      case 'eval':
      case 'eval_ro':
        return [sentName, this.registerScript(first), ...rest];
      case 'evalsha':
      case 'evalsha_ro':
        return [sentName, this.resolveSha(first), ...rest];
      case 'script': {
        const sub = first.toLowerCase();
        if (sub === 'load' && rest.length === 1) return [sentName, first, this.registerScript(rest[0]!)];
        if (sub === 'exists') return [sentName, first, ...rest.map((sha) => this.resolveSha(sha))];
        return [sentName, ...args];
      }
      default:
        return [sentName, ...args];
    }
  }

  /** Post-processing for the few commands whose answer refers to what the client sent. */
  private finish([rawName = '', first = '', second = '']: string[], reply: unknown): Reply {
    if (rawName.toLowerCase() === 'script') {
      const sub = first.toLowerCase();
      // The client compares against the SHA of the script it sent, not of our rewritten copy.
      if (sub === 'load') return sha1hex(second);
      if (sub === 'flush') this.shaAliases.clear();
    }
    return reply as Reply;
  }

  private registerScript(source: string): string {
    const forRedis = scriptForRedis(source);
    if (forRedis !== source) this.shaAliases.set(sha1hex(source), sha1hex(forRedis));
    return forRedis;
  }

  private resolveSha(sha: string): string {
    return this.shaAliases.get(sha.toLowerCase()) ?? sha;
  }

  private async withConnection<T>(commands: string[][], run: (connection: Redis) => Promise<T>): Promise<T> {
    const blocking = commands.some(([name = '']) => hasFlag(name.toLowerCase(), 'blocking'));
    if (!blocking) return run(this.client);
    const connection = this.client.duplicate();
    connection.on('error', () => {});
    try {
      return await run(connection);
    } finally {
      connection.disconnect();
    }
  }
}

/** ioredis' ReplyError is an error *reply* (goes back to the client); anything else is a failure. */
function asRedisError(error: unknown): Error {
  if (error instanceof RedisError) return error;
  if (error instanceof Error && error.name === 'ReplyError') return new RedisError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
