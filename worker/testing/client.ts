import { env, exports } from 'cloudflare:workers';
import { loadConfig } from '../config';
import { createDatabase } from '../db/client';

/** Calls the Worker's own fetch handler, as a client on the network would. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, 'http://leadpulse.test'), init));
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Direct database access for assertions on what a request stored. */
export async function withDb<T>(fn: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const { db, close } = createDatabase(loadConfig(env));
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

export { env };
