import { randomBytes } from 'node:crypto';
import { migrateDatabase } from '../scripts/db-migrate';
import { startGhlStandIn, type GhlStandIn } from './ghl/server';
import { DEV_GHL_PUBLIC_KEYS } from './ghl/sign';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './postgres/embedded';
import { startNeonWsBridge, type NeonWsBridge } from './postgres/ws-bridge';
import { startQStashStandIn, type QStashStandIn } from './qstash/server';
import { startRedisStandIn, type RedisStandIn } from './redis/server';
import { startStripeStandIn, type StripeStandIn } from './stripe/server';
import { startWebhookSink, type WebhookSink } from './webhook-sink/server';

export type ProviderMode = 'embedded' | 'local-server' | 'managed';

export interface LocalStackOptions {
  /** Where QStash delivers job calls (the Worker's own base URL). */
  appUrl: string;
  postgres:
    | { kind: 'embedded'; dataDir?: string; port?: number; bridgePort?: number }
    | { kind: 'local-server'; databaseUrl: string; bridgePort?: number }
    | { kind: 'managed'; databaseUrl: string };
  redis:
    | { kind: 'embedded'; port?: number }
    | { kind: 'local-server'; redisUrl: string; port?: number }
    | { kind: 'managed'; restUrl: string; restToken: string };
  qstash:
    | { kind: 'embedded'; port?: number; timeScale?: number }
    | { kind: 'managed'; url: string; token: string; currentSigningKey: string; nextSigningKey: string };
  /**
   * GoHighLevel: the local API stand-in, whose webhooks are signed with the development keys in
   * local/fixtures/ghl/ (trusted only here); or the real LeadConnector API and GHL's own keys.
   */
  ghl?: { kind: 'embedded'; port?: number } | { kind: 'managed'; apiBaseUrl?: string; ed25519PublicKey?: string; rsaPublicKey?: string };
  /**
   * A receiver for the tenants' outbound webhooks (records what it gets; see local/webhook-sink/).
   * Started by default on a free port; `false` leaves it out.
   */
  webhookSink?: { port?: number } | false;
  /**
   * Stripe: the local API stand-in (Checkout Sessions; see local/stripe/), started by default and
   * configured as STRIPE_SECRET_KEY / STRIPE_API_BASE_URL / STRIPE_PRICE_*; `false` leaves billing
   * unconfigured (checkout answers 503 billing_not_configured), as without Stripe keys.
   */
  stripe?: { port?: number } | false;
  /** Apply drizzle/ migrations once Postgres is reachable (default true). */
  migrate?: boolean;
  /** The Worker's own secrets; random when omitted (tests). `npm start` keeps them in .data/. */
  appSecrets?: AppSecrets;
}

export interface AppSecrets {
  JWT_SIGNING_KEYS: string;
  DATA_ENCRYPTION_KEY: string;
  PLATFORM_ADMIN_TOKEN: string;
}

/** The platform token for local runs, documented in the README and .dev.vars.example. */
export const LOCAL_PLATFORM_ADMIN_TOKEN = 'local-platform-admin-token';

export function generateAppSecrets(): AppSecrets {
  return {
    JWT_SIGNING_KEYS: `k${Date.now().toString(36)}:${randomBytes(32).toString('base64url')}`,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PLATFORM_ADMIN_TOKEN: LOCAL_PLATFORM_ADMIN_TOKEN,
  };
}

export interface LocalStack {
  /** The Worker's variables (the names in .dev.vars.example), pointing at what was started. */
  workerEnv: Record<string, string>;
  /** A postgres:// URL for Node-side tools, and the bridge the Neon driver goes through. */
  databaseUrl: string;
  wsProxy?: string;
  qstash?: QStashStandIn;
  redis?: RedisStandIn;
  ghl?: GhlStandIn;
  webhookSink?: WebhookSink;
  stripe?: StripeStandIn;
  close(): Promise<void>;
}

/**
 * Starts whatever the configuration does not provide: embedded Postgres (PGlite over TCP) or a
 * bridge to a local PostgreSQL, the Upstash Redis REST stand-in (in memory or in front of a real
 * Redis), and the QStash stand-in. Managed providers are passed through untouched. Used by
 * `npm start` and by the test setup, so both run the same stack.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch(() => {});
  };
  try {
    const env: Record<string, string> = { APP_URL: opts.appUrl, ...(opts.appSecrets ?? generateAppSecrets()) };
    // Stripe signs webhooks with a shared whsec_ secret; locally (and in tests) any fresh one will do.
    env.STRIPE_WEBHOOK_SECRET ??= `whsec_${randomBytes(24).toString('base64url')}`;

    // Postgres
    let databaseUrl: string;
    let wsProxy: string | undefined;
    if (opts.postgres.kind === 'managed') {
      databaseUrl = opts.postgres.databaseUrl;
    } else {
      let target: string;
      if (opts.postgres.kind === 'embedded') {
        const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: opts.postgres.dataDir, port: opts.postgres.port });
        closers.push(() => pg.close());
        databaseUrl = pg.url;
        target = `${pg.host}:${pg.port}`;
      } else {
        databaseUrl = opts.postgres.databaseUrl;
        const u = new URL(databaseUrl);
        target = `${u.hostname}:${u.port || 5432}`;
      }
      const bridge: NeonWsBridge = await startNeonWsBridge({ allowedTargets: [target], port: opts.postgres.bridgePort });
      closers.push(() => bridge.close());
      wsProxy = bridge.wsProxy;
      env.NEON_WS_PROXY = wsProxy;
      env.NEON_HTTP_ENDPOINT = bridge.httpEndpoint;
    }
    env.DATABASE_URL = databaseUrl;
    env.POSTGRES_MODE = opts.postgres.kind;
    if (opts.migrate !== false) await migrateDatabase(databaseUrl, wsProxy);

    // Redis (Upstash REST)
    let redis: RedisStandIn | undefined;
    if (opts.redis.kind === 'managed') {
      env.UPSTASH_REDIS_REST_URL = opts.redis.restUrl;
      env.UPSTASH_REDIS_REST_TOKEN = opts.redis.restToken;
    } else {
      redis = await startRedisStandIn({
        port: opts.redis.port,
        token: secret('redis'),
        redisUrl: opts.redis.kind === 'local-server' ? opts.redis.redisUrl : undefined,
      });
      const started = redis;
      closers.push(() => started.close());
      env.UPSTASH_REDIS_REST_URL = redis.url;
      env.UPSTASH_REDIS_REST_TOKEN = redis.token;
    }
    env.REDIS_MODE = opts.redis.kind;

    // QStash
    let qstash: QStashStandIn | undefined;
    if (opts.qstash.kind === 'managed') {
      env.QSTASH_URL = opts.qstash.url;
      env.QSTASH_TOKEN = opts.qstash.token;
      env.QSTASH_CURRENT_SIGNING_KEY = opts.qstash.currentSigningKey;
      env.QSTASH_NEXT_SIGNING_KEY = opts.qstash.nextSigningKey;
    } else {
      qstash = await startQStashStandIn({
        port: opts.qstash.port,
        token: secret('qstash'),
        currentSigningKey: secret('sig_current'),
        nextSigningKey: secret('sig_next'),
        timeScale: opts.qstash.timeScale ?? 1,
      });
      const started = qstash;
      closers.push(() => started.close());
      env.QSTASH_URL = qstash.url;
      env.QSTASH_TOKEN = qstash.token;
      env.QSTASH_CURRENT_SIGNING_KEY = qstash.currentSigningKey;
      env.QSTASH_NEXT_SIGNING_KEY = qstash.nextSigningKey;
    }
    env.QSTASH_MODE = opts.qstash.kind;

    // GoHighLevel
    let ghl: GhlStandIn | undefined;
    const ghlOpts = opts.ghl ?? { kind: 'embedded' };
    if (ghlOpts.kind === 'embedded') {
      ghl = await startGhlStandIn({ port: ghlOpts.port });
      const started = ghl;
      closers.push(() => started.close());
      env.GHL_API_BASE_URL = ghl.url;
      env.GHL_WEBHOOK_ED25519_PUBLIC_KEY = DEV_GHL_PUBLIC_KEYS.ed25519PublicKey;
      env.GHL_WEBHOOK_RSA_PUBLIC_KEY = DEV_GHL_PUBLIC_KEYS.rsaPublicKey;
    } else {
      if (ghlOpts.apiBaseUrl) env.GHL_API_BASE_URL = ghlOpts.apiBaseUrl;
      if (ghlOpts.ed25519PublicKey) env.GHL_WEBHOOK_ED25519_PUBLIC_KEY = ghlOpts.ed25519PublicKey;
      if (ghlOpts.rsaPublicKey) env.GHL_WEBHOOK_RSA_PUBLIC_KEY = ghlOpts.rsaPublicKey;
    }

    // Tenant webhooks: a URL a tenant can configure locally (http is accepted on 127.0.0.1).
    // The Worker does not read the variable; it is there for whoever looks at the stack's env.
    let webhookSink: WebhookSink | undefined;
    if (opts.webhookSink !== false) {
      webhookSink = await startWebhookSink({ port: opts.webhookSink?.port });
      const started = webhookSink;
      closers.push(() => started.close());
      env.LOCAL_WEBHOOK_SINK_URL = webhookSink.url;
    }

    let stripe: StripeStandIn | undefined;
    if (opts.stripe !== false) {
      stripe = await startStripeStandIn({ port: opts.stripe?.port });
      const started = stripe;
      closers.push(() => started.close());
      env.STRIPE_SECRET_KEY = stripe.secretKey;
      env.STRIPE_API_BASE_URL = stripe.url;
      env.STRIPE_PRICE_TEAM = stripe.prices.team;
      env.STRIPE_PRICE_BROKERAGE = stripe.prices.brokerage;
    }

    return { workerEnv: env, databaseUrl, wsProxy, qstash, redis, ghl, webhookSink, stripe, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Fresh random credentials per start: nothing local is a well-known secret. */
function secret(prefix: string) {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}
