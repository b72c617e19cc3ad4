import { SignJWT } from 'jose';
import { call, env } from './client';

/** Signs a delivery the way QStash does (HS256, sub = destination URL, body = b64url SHA-256 of the body). */
export async function qstashSignature(path: string, body: string, opts: { key?: string; url?: string } = {}) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  const bodyHash = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: bodyHash })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(opts.url ?? new URL(path, env.APP_URL).toString())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(opts.key ?? env.QSTASH_CURRENT_SIGNING_KEY));
}

/** A signed QStash delivery of `body` to a job endpoint, as the scheduler or a published message would make it. */
export async function deliverJob(path: string, body: unknown = {}, opts: { messageId?: string; retried?: number } = {}) {
  const raw = JSON.stringify(body);
  return call(path, {
    method: 'POST',
    body: raw,
    headers: {
      'content-type': 'application/json',
      'upstash-message-id': opts.messageId ?? `msg_${crypto.randomUUID()}`,
      'upstash-retried': String(opts.retried ?? 0),
      'upstash-signature': await qstashSignature(path, raw),
    },
  });
}

/** A delivery exactly as given: no signature, a wrong one, a tampered body, a redelivery (`retried`). */
export function deliverRaw(path: string, rawBody: string, signature: string | undefined, messageId: string, retried = 0) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'upstash-message-id': messageId, 'upstash-retried': String(retried) };
  if (signature) headers['upstash-signature'] = signature;
  return call(path, { method: 'POST', body: rawBody, headers });
}

