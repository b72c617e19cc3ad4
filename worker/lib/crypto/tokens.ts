/**
 * Opaque bearer tokens: API keys and refresh tokens. Only their SHA-256 is stored, so a leaked
 * database row cannot be replayed.
 *
 * A fast unsalted hash is right here (unlike passwords): each token carries 256 random bits,
 * so there is no dictionary to precompute and brute force is hopeless regardless of hash speed,
 * and a deterministic hash lets the row be found by an indexed equality lookup.
 */
import { base58Encode, base58Width, base64UrlEncode, randomBytes, sha256Hex } from './bytes';

const TOKEN_BYTES = 32;

/** `lp_live_` marks the key's kind and lets secret scanners (and people) recognise a leak. */
export const API_KEY_PREFIX = 'lp_live_';
/** Characters of the key shown in the UI and logs ("lp_live_Ab3x…"); too few to help a guesser. */
export const API_KEY_DISPLAY_LENGTH = 12;
export const REFRESH_TOKEN_PREFIX = 'lprt_';

// base58 for API keys: they are copied by hand between dashboards and CRMs, and base58 has no
// characters that break double-click selection or look alike (0/O, l/I).
const API_KEY_RE = new RegExp(`^${API_KEY_PREFIX}[1-9A-HJ-NP-Za-km-z]{${base58Width(TOKEN_BYTES)}}$`);
const REFRESH_TOKEN_RE = new RegExp(`^${REFRESH_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export interface NewApiKey {
  /** The full key: shown to the user exactly once, never stored. */
  key: string;
  /** First API_KEY_DISPLAY_LENGTH characters, stored to show which key is which. */
  prefix: string;
  /** SHA-256 hex of the full key; the stored lookup value. */
  hash: string;
}

export interface NewRefreshToken {
  token: string;
  hash: string;
}

export async function newApiKey(): Promise<NewApiKey> {
  const key = API_KEY_PREFIX + base58Encode(randomBytes(TOKEN_BYTES));
  return { key, prefix: apiKeyDisplayPrefix(key), hash: await hashApiKey(key) };
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, API_KEY_DISPLAY_LENGTH);
}

export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/**
 * Cheap shape check before any database work, so random Authorization headers are refused
 * without a lookup (and JWTs are told apart from API keys).
 */
export function looksLikeApiKey(value: string): boolean {
  return typeof value === 'string' && API_KEY_RE.test(value);
}

export async function newRefreshToken(): Promise<NewRefreshToken> {
  const token = REFRESH_TOKEN_PREFIX + base64UrlEncode(randomBytes(TOKEN_BYTES));
  return { token, hash: await hashToken(token) };
}

export function looksLikeRefreshToken(value: string): boolean {
  return typeof value === 'string' && REFRESH_TOKEN_RE.test(value);
}

/** SHA-256 hex of a high-entropy token (refresh tokens, invite/reset links); see the module note. */
export function hashToken(value: string): Promise<string> {
  return sha256Hex(value);
}
