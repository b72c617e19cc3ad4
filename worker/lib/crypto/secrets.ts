/**
 * Integration secrets at rest (provider API keys, OAuth refresh tokens): AES-256-GCM under
 * `DATA_ENCRYPTION_KEY`, stored as `v1.<iv b64url>.<ciphertext+tag b64url>`.
 *
 * Every value is bound to an AAD string naming its owner and purpose (see `secretAad`), so a
 * database writer cannot move one tenant's ciphertext into another tenant's row, or reuse a
 * webhook secret as an API key: decryption fails unless the AAD matches exactly.
 */
import { base64DecodeLenient, base64UrlDecode, base64UrlEncode, randomBytes, utf8 } from './bytes';

const VERSION = 'v1';
const KEY_BYTES = 32;
/** 96-bit random IVs: GCM's native size. Random IVs stay safe up to ~2^32 encryptions per key. */
const IV_BYTES = 12;

/**
 * The imported AES key. Spelled via importKey's return type rather than the global `CryptoKey`
 * so this module also type-checks under Node's types (tests/scripts), which lack that global.
 */
export type EncryptionKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** Thrown for any decryption failure; deliberately says nothing about which check failed. */
export class SecretDecryptionError extends Error {
  constructor(message = 'Stored secret could not be decrypted (wrong key, wrong context, or tampered)') {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * Imports `DATA_ENCRYPTION_KEY` (base64 or base64url of 32 bytes, e.g. `openssl rand -base64 32`)
 * as a non-extractable AES-GCM key. Errors give the decoded length, never the value.
 */
export async function parseEncryptionKey(value: string): Promise<EncryptionKey> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64DecodeLenient(value);
  } catch {
    throw new Error('DATA_ENCRYPTION_KEY is not valid base64/base64url');
  }
  if (bytes.length !== KEY_BYTES) {
    throw new Error(`DATA_ENCRYPTION_KEY must decode to exactly ${KEY_BYTES} bytes (got ${bytes.length})`);
  }
  return crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/**
 * The AAD for a tenant's secret. JSON keeps the two parts unambiguous even when an id contains
 * a separator character.
 */
export function secretAad(tenantId: string, purpose: string): string {
  return JSON.stringify([tenantId, purpose]);
}

export async function encryptSecret(key: EncryptionKey, plaintext: string, aad: string): Promise<string> {
  // An empty AAD would silently produce a ciphertext bound to nothing; require a context.
  if (!aad) throw new TypeError('encryptSecret needs a non-empty AAD (e.g. secretAad(tenantId, purpose))');
  const iv = randomBytes(IV_BYTES);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadBytes(aad), tagLength: 128 }, key, utf8(plaintext));
  return `${VERSION}.${base64UrlEncode(iv)}.${base64UrlEncode(new Uint8Array(sealed))}`;
}

/** The plaintext, or SecretDecryptionError on a malformed value, wrong key, wrong AAD or tampering. */
export async function decryptSecret(key: EncryptionKey, value: string, aad: string): Promise<string> {
  const parts = typeof value === 'string' ? value.split('.') : [];
  if (parts.length !== 3 || parts[0] !== VERSION) throw new SecretDecryptionError('Stored secret has an unknown format');
  let iv: Uint8Array<ArrayBuffer>;
  let sealed: Uint8Array<ArrayBuffer>;
  try {
    iv = base64UrlDecode(parts[1] as string);
    sealed = base64UrlDecode(parts[2] as string);
  } catch {
    throw new SecretDecryptionError('Stored secret has an unknown format');
  }
  // 16 bytes is the GCM tag alone (an empty plaintext); anything shorter cannot be ours.
  if (iv.length !== IV_BYTES || sealed.length < 16) throw new SecretDecryptionError('Stored secret has an unknown format');
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aadBytes(aad), tagLength: 128 }, key, sealed);
    // fatal: a decrypted value that is not UTF-8 was not written by encryptSecret.
    // ignoreBOM: keep a leading U+FEFF the caller encrypted, so the round trip is exact.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain);
  } catch {
    throw new SecretDecryptionError();
  }
}

/** The version is part of the AAD so a future format can never be confused with this one. */
function aadBytes(aad: string): Uint8Array<ArrayBuffer> {
  return utf8(`leadpulse-secret:${VERSION}:${aad}`);
}
