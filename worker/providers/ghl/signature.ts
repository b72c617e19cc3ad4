/**
 * GoHighLevel webhook authenticity: signature verification and replay window.
 *
 * GHL signs the raw request body with its private key and publishes the public keys, so we
 * verify with configuration (PEM, SPKI) and never hold a shared secret:
 *   - `x-ghl-signature`: Ed25519, base64 — the current scheme;
 *   - `x-wh-signature`:  RSA-SHA256 (PKCS#1 v1.5, 4096-bit key), base64 — legacy, which GHL
 *     announced it stops sending on 2026-07-01.
 * During the migration GHL sent both headers. Verification is always over the raw bytes as
 * received: re-serialising parsed JSON changes key order or spacing and breaks the signature.
 *
 * WebCrypto only (no `node:crypto`), so the same module runs in workerd and in Node tests.
 */
import { base64DecodeLenient } from '../../lib/crypto/bytes';

export interface GhlWebhookKeys {
  /** PEM (SPKI) of GHL's Ed25519 webhook key; verifies `x-ghl-signature`. */
  ed25519PublicKey?: string;
  /** PEM (SPKI) of GHL's legacy RSA webhook key; verifies `x-wh-signature`. */
  rsaPublicKey?: string;
}

export type GhlSignatureResult =
  | { ok: true; scheme: 'ed25519' | 'rsa' }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'no_key' };

export const GHL_ED25519_SIGNATURE_HEADER = 'x-ghl-signature';
export const GHL_RSA_SIGNATURE_HEADER = 'x-wh-signature';

/** Spelled via importKey's return type: Node's type definitions have no global `CryptoKey`. */
type PublicKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const ED25519 = { name: 'Ed25519' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
type Scheme = 'ed25519' | 'rsa';

/**
 * Imported keys per scheme and PEM text. Keys come from configuration, so there are one or two
 * per isolate; importing (ASN.1 parse, RSA modulus checks) on every delivery would be waste.
 */
const keyCache = new Map<string, Promise<PublicKey>>();

/**
 * Checks a webhook delivery's signature against the configured public keys.
 *
 * Order matters: when `x-ghl-signature` is present and we hold the Ed25519 key, its verdict is
 * final — an invalid Ed25519 signature is `bad_signature` even if a valid-looking legacy RSA
 * header rides along, so a forger cannot pick the weaker check. The RSA header is consulted
 * only when there is no Ed25519 signature we can check (header absent, or no Ed25519 key
 * configured yet). A signature we hold no key for is `no_key` (fail closed, caller answers 401).
 *
 * Throws (a configuration error, not a request error) when a configured key is not a valid
 * SPKI PEM of its type.
 */
export async function verifyGhlSignature(
  rawBody: Uint8Array,
  headers: Headers,
  keys: GhlWebhookKeys,
): Promise<GhlSignatureResult> {
  const ed25519Signature = headerValue(headers, GHL_ED25519_SIGNATURE_HEADER);
  const rsaSignature = headerValue(headers, GHL_RSA_SIGNATURE_HEADER);
  if (!ed25519Signature && !rsaSignature) return { ok: false, reason: 'missing_signature' };

  if (ed25519Signature && keys.ed25519PublicKey?.trim()) {
    const valid = await verifyWith('ed25519', keys.ed25519PublicKey, ed25519Signature, rawBody);
    return valid ? { ok: true, scheme: 'ed25519' } : { ok: false, reason: 'bad_signature' };
  }
  if (rsaSignature && keys.rsaPublicKey?.trim()) {
    const valid = await verifyWith('rsa', keys.rsaPublicKey, rsaSignature, rawBody);
    return valid ? { ok: true, scheme: 'rsa' } : { ok: false, reason: 'bad_signature' };
  }
  return { ok: false, reason: 'no_key' };
}

/**
 * GHL puts an ISO-8601 `timestamp` in every signed payload; a delivery outside ±maxAgeMs of
 * `now` is refused so a captured request cannot be replayed later (the dedupe store only has
 * to remember ids for that window). Future timestamps are refused too: a clock far ahead
 * would otherwise stretch the window. A timestamp without a zone designator is refused
 * because it would be read in whatever zone the runtime happens to use.
 */
export function isFreshTimestamp(timestamp: string | undefined, now: Date, maxAgeMs = 5 * 60_000): boolean {
  if (typeof timestamp !== 'string') return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(timestamp.trim())) return false;
  const at = Date.parse(timestamp.trim());
  if (Number.isNaN(at)) return false;
  return Math.abs(now.getTime() - at) <= maxAgeMs;
}

/**
 * Parses a PEM (SPKI) public key into DER bytes. Accepts the escaped `\n` form that PEMs often
 * take when pasted into a single-line environment variable.
 */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const text = pem.replace(/\\n/g, '\n').trim();
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(text);
  if (!match) throw new TypeError('expected a PEM "PUBLIC KEY" (SPKI) block');
  return base64DecodeLenient(match[1]!.replace(/\s+/g, ''));
}

async function verifyWith(scheme: Scheme, pem: string, signatureB64: string, body: Uint8Array): Promise<boolean> {
  const key = await importPublicKey(scheme, pem);
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64DecodeLenient(signatureB64);
  } catch {
    return false;
  }
  // Ed25519 signatures are exactly 64 bytes; some runtimes throw instead of returning false.
  if (scheme === 'ed25519' && signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify(scheme === 'ed25519' ? ED25519 : RSA, key, signature, copy(body));
  } catch {
    return false;
  }
}

function importPublicKey(scheme: Scheme, pem: string): Promise<PublicKey> {
  const cacheKey = `${scheme}\u0000${pem}`;
  let pending = keyCache.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      try {
        return await crypto.subtle.importKey('spki', pemToDer(pem), scheme === 'ed25519' ? ED25519 : RSA, false, ['verify']);
      } catch (error) {
        keyCache.delete(cacheKey); // a bad key must not stay cached once configuration is fixed
        const name = scheme === 'ed25519' ? 'Ed25519' : 'RSA';
        throw new TypeError(`The configured GHL ${name} webhook public key is not a valid SPKI PEM ${name} key`, { cause: error });
      }
    })();
    keyCache.set(cacheKey, pending);
  }
  return pending;
}

function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  return value ? value : undefined;
}

/** WebCrypto wants an ArrayBuffer-backed view; the raw body may be a view into a larger or shared buffer. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}
