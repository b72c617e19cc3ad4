/**
 * Prefixed, time-ordered ids (`lead_…`, `req_…`): 48 bits of milliseconds then 80 random bits,
 * base58-encoded, so ids sort by creation time and say what they name.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export const ID_PREFIXES = {
  request: 'req',
  jobRun: 'job',
  tenant: 'tnt',
  user: 'usr',
  apiKey: 'key',
  refreshToken: 'rtk',
  tokenFamily: 'fam',
  audit: 'aud',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind, now = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes.subarray(6));
  let t = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t & 0xff;
    t = Math.floor(t / 256);
  }
  return `${ID_PREFIXES[kind]}_${base58(bytes)}`;
}

function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  // Fixed width keeps lexical order equal to numeric (time) order.
  return out.padStart(22, ALPHABET[0]);
}
