import type { LocalStackOptions } from './stack';

export interface ResolveOptions {
  appUrl: string;
  /** PGlite data folder; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  /** Fixed ports for `npm start`; tests leave them out and get free ones. */
  ports?: { postgres?: number; bridge?: number; redis?: number; qstash?: number; ghl?: number };
  qstashTimeScale?: number;
}

export function isLoopback(url: string) {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/**
 * The environment decides what runs where; no variable means "embedded":
 * - DATABASE_URL on a loopback host → that PostgreSQL behind the local Neon bridge; elsewhere → Neon.
 * - UPSTASH_REDIS_REST_URL + _TOKEN → Upstash; else REDIS_URL → the REST stand-in in front of that
 *   Redis; else the in-memory stand-in.
 * - QSTASH_TOKEN (+ signing keys) → QStash; else the stand-in.
 */
export function stackOptionsFromEnv(env: NodeJS.ProcessEnv, opts: ResolveOptions): LocalStackOptions {
  const databaseUrl = env.DATABASE_URL;
  const postgres: LocalStackOptions['postgres'] = !databaseUrl
    ? { kind: 'embedded', dataDir: opts.dataDir, port: opts.ports?.postgres, bridgePort: opts.ports?.bridge }
    : isLoopback(databaseUrl)
      ? { kind: 'local-server', databaseUrl, bridgePort: opts.ports?.bridge }
      : { kind: 'managed', databaseUrl };

  const redis: LocalStackOptions['redis'] =
    env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
      ? { kind: 'managed', restUrl: env.UPSTASH_REDIS_REST_URL, restToken: env.UPSTASH_REDIS_REST_TOKEN }
      : env.REDIS_URL
        ? { kind: 'local-server', redisUrl: env.REDIS_URL, port: opts.ports?.redis }
        : { kind: 'embedded', port: opts.ports?.redis };

  let qstash: LocalStackOptions['qstash'];
  if (env.QSTASH_TOKEN) {
    const missing = ['QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'].filter((k) => !env[k]);
    if (missing.length) throw new Error(`QSTASH_TOKEN is set but ${missing.join(' and ')} is not`);
    qstash = {
      kind: 'managed',
      url: env.QSTASH_URL ?? 'https://qstash.upstash.io',
      token: env.QSTASH_TOKEN,
      currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY!,
      nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY!,
    };
  } else {
    qstash = { kind: 'embedded', port: opts.ports?.qstash, timeScale: opts.qstashTimeScale };
  }
  // GHL: a real location when GHL_WEBHOOK_ED25519_PUBLIC_KEY (GHL's published key) is given;
  // otherwise the stand-in with the development signing keys.
  const ghl: LocalStackOptions['ghl'] = env.GHL_WEBHOOK_ED25519_PUBLIC_KEY
    ? {
        kind: 'managed',
        apiBaseUrl: env.GHL_API_BASE_URL,
        ed25519PublicKey: env.GHL_WEBHOOK_ED25519_PUBLIC_KEY,
        rsaPublicKey: env.GHL_WEBHOOK_RSA_PUBLIC_KEY,
      }
    : { kind: 'embedded', port: opts.ports?.ghl };
  return { appUrl: opts.appUrl, postgres, redis, qstash, ghl };
}
