import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * Builds the `Upstash-Signature` JWT exactly as QStash does: HS256 over the *current*
 * signing key's UTF-8 bytes, `iss: "Upstash"`, `sub` = the destination URL as
 * published, a 5 minute lifetime, and `body` = base64url(SHA-256(raw body)) with
 * the padding stripped (the SDK's Receiver strips padding on both sides before
 * comparing, but QStash itself emits it unpadded).
 *
 * iat/nbf/exp use the real clock even when the stand-in's clock is compressed:
 * the Receiver validates them against the destination's real Date.now().
 */
export class Signer {
  readonly #key: Uint8Array;

  constructor(currentSigningKey: string) {
    this.#key = new TextEncoder().encode(currentSigningKey);
  }

  async sign(url: string, body: Uint8Array): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ body: bodyHash(body) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('Upstash')
      .setSubject(url)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 5 * 60)
      .setJti(`jwt_${randomUUID().replaceAll('-', '')}`)
      .sign(this.#key);
  }
}

export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}
