import { z } from 'zod';
import { Misconfigured } from './lib/errors';

/** An optional secret: unset and empty both mean "not configured". */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v : undefined));

const providerMode = z.enum(['embedded', 'local-server', 'managed']).default('managed');

/**
 * Every variable and secret the Worker reads, parsed once per isolate. The local stack
 * (`npm start`, the test setup) fills the same names with its stand-ins' addresses, so local
 * and deployed runs share one code path; see the README's configuration table.
 */
export const ConfigSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** Local only: host:port/path of a WebSocket→TCP bridge standing in for Neon's proxy. Unset on Neon. */
  NEON_WS_PROXY: z.string().min(1).optional(),
  /** Local only: Neon's HTTP query endpoint stand-in (`http://host:port/sql`). Unset on Neon. */
  NEON_HTTP_ENDPOINT: z.url().optional(),
  UPSTASH_REDIS_REST_URL: z.url(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  QSTASH_URL: z.url().default('https://qstash.upstash.io'),
  QSTASH_TOKEN: z.string().min(1),
  QSTASH_CURRENT_SIGNING_KEY: z.string().min(1),
  QSTASH_NEXT_SIGNING_KEY: z.string().min(1),
  /** Public base URL of this Worker; QStash delivers job calls to APP_URL + /jobs/…. */
  APP_URL: z.url(),
  /** `kid:secret[,kid:secret]`: the first signs access tokens, all verify (rotation). */
  JWT_SIGNING_KEYS: z.string().min(1),
  /** 32 bytes, base64: AES-256-GCM key for integration secrets at rest. */
  DATA_ENCRYPTION_KEY: z.string().min(43),
  /** Bearer token for platform provisioning (POST /v1/tenants). */
  PLATFORM_ADMIN_TOKEN: z.string().min(16),
  POSTGRES_MODE: providerMode,
  REDIS_MODE: providerMode,
  QSTASH_MODE: providerMode,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

  /** LeadConnector (GoHighLevel) API base; the local stack points it at its GHL stand-in. */
  GHL_API_BASE_URL: z.url().default('https://services.leadconnectorhq.com'),
  /** PEM (SPKI) public keys GHL signs webhooks with: Ed25519 (`x-ghl-signature`) and legacy RSA (`x-wh-signature`). */
  GHL_WEBHOOK_ED25519_PUBLIC_KEY: optionalText,
  GHL_WEBHOOK_RSA_PUBLIC_KEY: optionalText,
  /** With a key the seller assistant is Claude; without one it is the deterministic assistant. */
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-haiku-4-5'),
  /** Claude gets this long per call before the deterministic assistant answers instead. */
  ASSISTANT_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(6000),

  /** Stripe: without a secret key checkout answers 503 billing_not_configured. */
  STRIPE_SECRET_KEY: optionalText,
  /** `whsec_…`: verifies POST /webhooks/stripe; unset → that endpoint answers 503. */
  STRIPE_WEBHOOK_SECRET: optionalText,
  /** Another Stripe API origin (a local stand-in); unset → api.stripe.com. */
  STRIPE_API_BASE_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  /** The recurring price ids of the paid plans (per seat). */
  STRIPE_PRICE_TEAM: optionalText,
  STRIPE_PRICE_BROKERAGE: optionalText,
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: { source: unknown; config: Config } | undefined;

/** Fails closed: a missing or malformed variable is named (never its value) in a 503. */
export function loadConfig(env: unknown): Config {
  if (cached && cached.source === env) return cached.config;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '(env)')))];
    throw new Misconfigured(names);
  }
  cached = { source: env, config: parsed.data };
  return parsed.data;
}
