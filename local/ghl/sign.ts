/**
 * Signs webhook bodies the way GoHighLevel does, with the development key pairs in
 * local/fixtures/ghl/ (never GHL's: those private keys only GHL holds), and builds realistic
 * event payloads. For tests, benchmarks and `npm run ghl`.
 *
 * The stack gives the Worker DEV_GHL_PUBLIC_KEYS as its GHL_WEBHOOK_*_PUBLIC_KEY variables, so
 * locally signed deliveries verify through exactly the production code path.
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ghlId } from './ids';

export { ghlId };

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ghl/${name}`, import.meta.url), 'utf8');

/** Development-only public keys; trusted only by a locally running Worker. */
export const DEV_GHL_PUBLIC_KEYS = {
  ed25519PublicKey: fixture('ed25519-public.pem'),
  rsaPublicKey: fixture('rsa-public.pem'),
} as const;

/**
 * The matching private keys (PKCS#8 PEM), for code that signs inside workerd (the Worker test
 * project gets them from the global setup). Development-only: they are committed and public.
 */
export const DEV_GHL_PRIVATE_KEYS = {
  ed25519: fixture('ed25519-private.pem'),
  rsa: fixture('rsa-private.pem'),
} as const;

const privateKeys = {
  ed25519: createPrivateKey(DEV_GHL_PRIVATE_KEYS.ed25519),
  rsa: createPrivateKey(DEV_GHL_PRIVATE_KEYS.rsa),
};

export type GhlSigningScheme = 'ed25519' | 'rsa' | 'both';

/**
 * Headers for a delivery of `body` (sent byte for byte as given): `content-type` plus
 * `x-ghl-signature` (Ed25519, the default, GHL's current scheme), `x-wh-signature` (legacy
 * RSA-SHA256) or both, as GHL sent during its migration.
 */
export function signGhlBody(body: string | Uint8Array, opts: { scheme?: GhlSigningScheme } = {}): Record<string, string> {
  const scheme = opts.scheme ?? 'ed25519';
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (scheme === 'ed25519' || scheme === 'both') {
    headers['x-ghl-signature'] = sign(null, bytes, privateKeys.ed25519).toString('base64');
  }
  if (scheme === 'rsa' || scheme === 'both') {
    headers['x-wh-signature'] = sign('sha256', bytes, privateKeys.rsa).toString('base64');
  }
  return headers;
}

export type GhlEventFields = Record<string, unknown>;

/**
 * A GHL webhook payload of `type` with the envelope filled in — random `webhookId`, `timestamp`
 * now (ISO), `locationId` (default `loc_demo`) — plus per-type defaults that make it a valid
 * delivery (ids, `dateAdded`, an inbound SMS's direction/messageType…). `fields` win.
 * `contactId` is accepted for contact events too and becomes their `id`.
 */
export function ghlEvent(type: string, fields: GhlEventFields = {}): GhlEventFields & { type: string; locationId: string; webhookId: string; timestamp: string } {
  const nowIso = new Date().toISOString();
  const { contactId, ...rest } = fields;
  const base = { type, locationId: 'loc_demo', webhookId: randomUUID(), timestamp: nowIso };
  let defaults: GhlEventFields = {};
  switch (type) {
    case 'InboundMessage':
      defaults = {
        contactId: contactId ?? ghlId(),
        conversationId: ghlId(),
        messageId: ghlId(),
        body: '',
        direction: 'inbound',
        messageType: 'SMS',
        contentType: 'text/plain',
        status: 'delivered',
        dateAdded: nowIso,
        attachments: [],
      };
      break;
    case 'ContactCreate':
    case 'ContactUpdate':
    case 'ContactDelete':
    case 'ContactTagUpdate':
    case 'ContactDndUpdate':
      defaults = { id: contactId ?? ghlId(), dateAdded: nowIso, tags: [], dnd: false };
      break;
    case 'OpportunityStatusUpdate':
      defaults = { id: ghlId(), contactId: contactId ?? ghlId(), status: 'open', pipelineId: 'pipe_demo', pipelineStageId: 'stage_demo', dateAdded: nowIso };
      break;
    default:
      if (contactId !== undefined) defaults = { contactId };
  }
  return { ...base, ...defaults, ...rest } as GhlEventFields & { type: string; locationId: string; webhookId: string; timestamp: string };
}

/** A ready-to-send delivery: the JSON text and its signed headers. */
export function signedGhlDelivery(event: object, opts: { scheme?: GhlSigningScheme } = {}): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  return { body, headers: signGhlBody(body, opts) };
}
