/**
 * GHL from the tests' side, inside workerd: signed webhook deliveries (development keys handed
 * over by the global setup), the GHL stand-in's record of what the Worker sent, and a connected
 * tenant with leads.
 */
import { inject } from 'vitest';
import { base64DecodeLenient } from '../lib/crypto/bytes';
import { call, json } from './client';
import { api, provisionTestTenant, type TestTenant } from './factory';

// What tests/setup/local-stack.ts provides (declared there too, for the Node side).
declare module 'vitest' {
  export interface ProvidedContext {
    ghlStandInUrl: string;
    ghlDevPrivateKeys: { ed25519: string; rsa: string };
  }
}

const keys = new Map<string, Promise<CryptoKey>>();
function privateKey(scheme: 'ed25519' | 'rsa') {
  let key = keys.get(scheme);
  if (!key) {
    const pem = inject('ghlDevPrivateKeys')[scheme];
    const der = base64DecodeLenient(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
    key = crypto.subtle.importKey('pkcs8', der, scheme === 'ed25519' ? { name: 'Ed25519' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    keys.set(scheme, key);
  }
  return key;
}

async function sign(body: string, scheme: 'ed25519' | 'rsa') {
  const sig = await crypto.subtle.sign(scheme === 'ed25519' ? { name: 'Ed25519' } : { name: 'RSASSA-PKCS1-v1_5' }, await privateKey(scheme), new TextEncoder().encode(body));
  return btoa(String.fromCharCode(...new Uint8Array(sig)));
}

export function ghlEvent(type: string, locationId: string, fields: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  const defaults: Record<string, unknown> =
    type === 'InboundMessage'
      ? { conversationId: `conv_${crypto.randomUUID().slice(0, 8)}`, messageId: `m_${crypto.randomUUID()}`, direction: 'inbound', messageType: 'SMS', dateAdded: now }
      : {};
  return { type, locationId, webhookId: crypto.randomUUID(), timestamp: now, ...defaults, ...fields };
}

export async function postGhl(event: object, opts: { scheme?: 'ed25519' | 'rsa' | 'none'; tamper?: boolean; raw?: string } = {}) {
  const body = opts.raw ?? JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const scheme = opts.scheme ?? 'ed25519';
  if (scheme !== 'none') headers[scheme === 'ed25519' ? 'x-ghl-signature' : 'x-wh-signature'] = await sign(body, scheme);
  // Tampering keeps the JSON valid (one added space), so only the signature can refuse it.
  return call('/webhooks/ghl', { method: 'POST', headers, body: opts.tamper ? body.replace('"type":', '"type": ') : body });
}

export interface GhlTenant extends TestTenant {
  locationId: string;
}

/** A tenant connected to its own GHL location (on the stand-in). */
export async function ghlTenant(): Promise<GhlTenant> {
  return connectGhl(await provisionTestTenant());
}

export async function connectGhl(t: TestTenant): Promise<GhlTenant> {
  const locationId = `loc_${crypto.randomUUID().slice(0, 12)}`;
  const res = await api('/v1/integrations/ghl', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { locationId, apiToken: `tok_${locationId}`, fromNumber: '+15125550100' } });
  if (res.status !== 200) throw new Error(`connecting GHL failed: ${res.status} ${await res.text()}`);
  return { ...t, locationId };
}

/** Polls until `check` returns a value (processing runs after the webhook's 200). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function leadByContact(t: TestTenant, contactId: string) {
  const res = await api(`/v1/leads?externalId=${encodeURIComponent(contactId)}`, { token: t.owner.token, ip: t.ip });
  const body = await json(res);
  return body.leads?.[0] as Record<string, any> | undefined;
}

/** A lead in the tenant, created the way production creates them: a GHL ContactCreate. */
export async function createTestLead(t: GhlTenant, fields: Record<string, unknown> = {}) {
  const contactId = typeof fields.id === 'string' ? fields.id : `c_${crypto.randomUUID().slice(0, 10)}`;
  const res = await postGhl(ghlEvent('ContactCreate', t.locationId, { name: 'Pat Seller', phone: '+15125550142', ...fields, id: contactId }));
  if (res.status !== 200) throw new Error(`ContactCreate failed: ${res.status} ${await res.text()}`);
  return eventually(() => leadByContact(t, contactId), `lead for ${contactId}`);
}

/** What the GHL stand-in received for a contact (SMS sends), oldest first. */
export async function sentTo(contactId: string): Promise<Array<{ message: string; contactId: string }>> {
  const res = await fetch(`${inject('ghlStandInUrl')}/_standin/requests?contactId=${encodeURIComponent(contactId)}&path=/conversations/messages`);
  const body = (await res.json()) as { requests: Array<{ body: { message: string; contactId: string }; status: number }> };
  return body.requests.filter((r) => r.status < 300).map((r) => r.body);
}

/** A contact id unique to this test run (the GHL stand-in is shared by every test file). */
export function contactId(label: string) {
  return `c-${label}-${crypto.randomUUID().slice(0, 8)}`;
}
