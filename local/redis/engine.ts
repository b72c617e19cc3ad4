/**
 * Command execution behind the REST endpoints: an in-memory Redis (ioredis-mock plus our own Lua
 * scripting and script cache), or a real Redis reached through ioredis.
 */
import { ForwardEngine } from './forward-engine';
import { MemoryEngine } from './memory-engine';
import type { Engine } from './types';

export type { Engine, PipelineEntry, Reply } from './types';
export { RedisError, StatusReply } from './types';

/** Forwards to `redisUrl` when given (and fails if it cannot connect), else keeps data in memory. */
export async function createEngine(redisUrl?: string): Promise<Engine> {
  return redisUrl ? ForwardEngine.connect(redisUrl) : new MemoryEngine();
}
