/**
 * Byte helpers shared by the crypto modules: base64/base64url, base58, hex, random bytes,
 * SHA-256 and a constant-time comparison. Plain JS over WebCrypto so the same code runs in
 * workerd and in Node (tests, scripts) without `node:buffer`.
 */

const encoder = new TextEncoder();

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;
/** Either alphabet, optionally padded: config values are pasted from `openssl rand -base64 32` and friends. */
const BASE64_ANY_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  // encode() always returns a fresh, non-shared buffer; the cast only narrows the declared type.
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}

/** Unpadded base64url (RFC 4648 §5), the encoding JWTs and our stored formats use. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Strict unpadded base64url decode: throws on any other character, on padding, and on
 * non-canonical input (stray low bits in the last character). Strictness means one byte string
 * has exactly one encoding, so a stored hash or ciphertext cannot be altered textually while
 * still decoding to the same bytes.
 */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (!BASE64URL_RE.test(text) || text.length % 4 === 1) throw new TypeError('Invalid base64url');
  const bytes = fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
  if (base64UrlEncode(bytes) !== text) throw new TypeError('Invalid base64url (non-canonical)');
  return bytes;
}

/** Lenient decode for operator-supplied config: standard or url alphabet, padding optional. */
export function base64DecodeLenient(text: string): Uint8Array<ArrayBuffer> {
  const trimmed = text.trim();
  if (!BASE64_ANY_RE.test(trimmed)) throw new TypeError('Invalid base64');
  const unpadded = trimmed.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new TypeError('Invalid base64');
  return fromBase64(unpadded.replace(/-/g, '+').replace(/_/g, '/'));
}

/**
 * Fixed-width base58 (Bitcoin alphabet): no `+/-_` or look-alike characters, so a key
 * double-click-selects as one word and survives being read aloud or retyped.
 */
export function base58Encode(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58_ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  // Pad to the width of the largest value of this byte length, so every key has the same length.
  return out.padStart(base58Width(bytes.length), BASE58_ALPHABET[0]);
}

/** Characters needed to base58-encode `byteLength` bytes: ceil(8·n / log2(58)). */
export function base58Width(byteLength: number): number {
  return Math.ceil((byteLength * 8) / Math.log2(58));
}

export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 of the UTF-8 text, lowercase hex (64 characters). */
export async function sha256Hex(text: string): Promise<string> {
  return hexEncode(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text))));
}

/**
 * Constant-time equality: the time taken depends only on the lengths, never on where the first
 * differing byte is, so an attacker cannot recover a secret byte by byte from response times.
 * Lengths are not secret in our uses (fixed-size digests), so a length mismatch returns early.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  // Accumulate every difference instead of returning at the first one.
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so very large inputs don't overflow the argument limit of String.fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(standard: string): Uint8Array<ArrayBuffer> {
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
