/**
 * Types shared by the HTTP layer and the two command engines (in-memory and forwarding).
 */

/**
 * A Redis *status* reply (`+OK`, `+PONG`, `+string` from TYPE …), as opposed to a bulk string.
 *
 * The distinction is invisible over HTTP (both become JSON strings) but it matters inside Lua: Redis
 * hands a status reply to a script as the table `{ok = "..."}`, and a bulk string as a plain string.
 */
export class StatusReply {
  constructor(readonly value: string) {}
}

/**
 * A RESP2 reply as the engines produce it. Strings are UTF-8 text (in-memory engine), Buffers are raw
 * bytes (forwarding engine, which asks ioredis for buffers so binary values survive unchanged).
 */
export type Reply = string | number | null | Buffer | StatusReply | Reply[];

/** An error *reply* from Redis (or one we emulate). `message` is exactly what Redis would send. */
export class RedisError extends Error {
  override name = 'RedisError';
}

/** One slot of a `/pipeline` or `/multi-exec` answer. */
export type PipelineEntry = { result: Reply } | { error: string };

/** Executes Redis commands. Arguments are always strings; `args[0]` is the command name (any case). */
export interface Engine {
  readonly mode: 'embedded' | 'local-server';
  /** Runs one command. Throws `RedisError` for error replies; other errors mean the engine failed. */
  command(args: string[]): Promise<Reply>;
  /** Runs the commands in order, not atomically; a failing command does not stop the others. */
  pipeline(commands: string[][]): Promise<PipelineEntry[]>;
  /**
   * Runs the commands atomically (MULTI/EXEC). Runtime errors fill their own slot; a command that is
   * rejected while queueing (unknown command, wrong arity) aborts everything with `EXECABORT`.
   */
  transaction(commands: string[][]): Promise<PipelineEntry[]>;
  close(): Promise<void>;
}
