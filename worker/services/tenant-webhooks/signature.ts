/**
 * The signature on LeadPulse's outbound webhooks, and the check a receiver runs:
 *
 *   LeadPulse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The timestamp is inside the signed string, so a captured delivery cannot be replayed later
 * with a fresh `t`; receivers refuse timestamps outside a tolerance window. Several `v1=` entries
 * may appear (all are checked), which leaves room to sign with two secrets during a rotation.
 *
 * Web Crypto only: the same module runs in the Worker, in Node ≥ 20 and in a receiver's code.
 */
import { hexEncode, utf8 } from '../../lib/crypto/bytes';

export const SIGNATURE_HEADER = 'LeadPulse-Signature';
export const EVENT_HEADER = 'LeadPulse-Event';
export const DELIVERY_HEADER = 'LeadPulse-Delivery';

function hmacKey(secret: string, usage: 'sign' | 'verify') {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** The header value for `rawBody`, signed at `timestamp` (unix seconds). */
export async function signLeadPulsePayload(secret: string, rawBody: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), utf8(`${timestamp}.${rawBody}`));
  return `t=${timestamp},v1=${hexEncode(new Uint8Array(mac))}`;
}

/**
 * True when `header` carries a `v1` HMAC of `"<t>.<rawBody>"` under `secret` and `t` is within
 * `toleranceSeconds` of now. `rawBody` must be the bytes as received (decoded as UTF-8), not a
 * re-serialised object. The comparison is Web Crypto's `verify`, which does not leak timing.
 */
export async function verifyLeadPulseSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!secret || !header || header.length > 4096) return false;
  let timestamp: string | undefined;
  const candidates: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') {
      const mac = fromHex(value);
      if (mac) candidates.push(mac);
    }
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const key = await hmacKey(secret, 'verify');
  const signed = utf8(`${timestamp}.${rawBody}`);
  for (const mac of candidates) {
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return true;
  }
  return false;
}

/** 32 bytes of lower- or upper-case hex, else undefined. */
function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
