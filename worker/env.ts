import type { Client as QStashClient } from '@upstash/qstash';
import type { Redis } from '@upstash/redis';
import type { Principal } from './auth/principal';
import type { Config } from './config';
import type { Database, HttpDatabase } from './db/client';
import type { Logger } from './lib/logger';

/** Per-request clients, built lazily in the init middleware and closed when the request ends. */
export interface Services {
  readonly db: Database;
  /** Neon HTTP: for single statements on hot paths (no connection setup). */
  readonly sql: HttpDatabase;
  readonly redis: Redis;
  readonly qstash: QStashClient;
  /**
   * Work to finish after the response, on this request's clients (its database connections are
   * already open and warm): the pool is closed only once every such task has settled.
   */
  afterResponse(work: () => Promise<unknown>): void;
}

export interface HonoEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    logger: Logger;
    config: Config;
    services: Services;
    /** Set by the authenticate middleware on /v1 routes that need a caller. */
    principal: Principal;
  };
}
