/**
 * GoHighLevel webhook payloads (flat JSON: `type`, `locationId`, the event's own fields, and on
 * signed deliveries `webhookId` + `timestamp`), shapes from GHL's published webhook event docs.
 *
 * Schemas are deliberately loose: unknown fields pass through (GHL adds fields without notice)
 * and only what our processing relies on is required. A known event missing one of those is
 * refused with field paths (`GhlEventInvalid`, 422); an event type we do not handle parses as
 * `{ kind: 'other' }` so the route can acknowledge it instead of failing. Optional fields GHL
 * sometimes sends as `null` read as `undefined`.
 */
import { z } from 'zod';
import { sha256Hex } from '../../lib/crypto/bytes';
import { fieldIssues, ValidationFailed } from '../../lib/errors';

/** Optional on input, `null` accepted and normalised to `undefined`. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const id = z.string().trim().min(1);

/** Fields every delivery carries. `webhookId`/`timestamp` arrive on signed (marketplace app) deliveries. */
const envelope = {
  locationId: id,
  webhookId: opt(z.string()),
  timestamp: opt(z.string()),
};

const customField = z.looseObject({ id: z.string(), value: z.unknown().optional() });

const contactFields = {
  ...envelope,
  id,
  firstName: opt(z.string()),
  lastName: opt(z.string()),
  name: opt(z.string()),
  email: opt(z.string()),
  phone: opt(z.string()),
  address1: opt(z.string()),
  city: opt(z.string()),
  state: opt(z.string()),
  postalCode: opt(z.string()),
  country: opt(z.string()),
  companyName: opt(z.string()),
  source: opt(z.string()),
  website: opt(z.string()),
  assignedTo: opt(z.string()),
  dateAdded: opt(z.string()),
  dateOfBirth: opt(z.string()),
  tags: opt(z.array(z.string())),
  dnd: opt(z.boolean()),
  customFields: opt(z.array(customField)),
};

export const ContactCreateSchema = z.looseObject({ type: z.literal('ContactCreate'), ...contactFields });
export const ContactUpdateSchema = z.looseObject({ type: z.literal('ContactUpdate'), ...contactFields });
export const ContactDeleteSchema = z.looseObject({ type: z.literal('ContactDelete'), ...contactFields });
export const ContactTagUpdateSchema = z.looseObject({ type: z.literal('ContactTagUpdate'), ...contactFields });

/** Per-channel do-not-disturb: `status` is `active` (DND on: do not contact) or `inactive`. */
const dndChannel = z.looseObject({ status: z.string(), message: opt(z.string()), code: opt(z.string()) });

export const ContactDndUpdateSchema = z
  .looseObject({
    type: z.literal('ContactDndUpdate'),
    ...contactFields,
    /** Keys seen: SMS, Email, GMB, FB, WhatsApp, Call. */
    dndSettings: opt(z.record(z.string(), dndChannel)),
  })
  .refine((e) => e.dnd !== undefined || e.dndSettings !== undefined, {
    message: 'a ContactDndUpdate needs dnd or dndSettings',
    path: ['dnd'],
  });

export const InboundMessageSchema = z.looseObject({
  type: z.literal('InboundMessage'),
  ...envelope,
  contactId: id,
  conversationId: id,
  /**
   * Optional: GHL's own SMS example omits it. Dedupe then falls back to webhookId or a hash
   * (see ghlDedupeKey) rather than refusing — and losing — the lead's message.
   */
  messageId: opt(z.string().min(1)),
  /** Absent for calls and voicemails. */
  body: opt(z.string()),
  /** `inbound` for messages from the contact. */
  direction: z.string().min(1),
  /** `SMS`, `Email`, `CALL`, `GMB`, `FB`, `IG`, `Live Chat`, … (kept open: GHL adds channels). */
  messageType: z.string().min(1),
  contentType: opt(z.string()),
  status: opt(z.string()),
  dateAdded: opt(z.string()),
  /** Usually URLs; kept loose because calls send recording links and email sends objects. */
  attachments: opt(z.array(z.unknown())),
  userId: opt(z.string()),
  conversationProviderId: opt(z.string()),
});

export const OpportunityStatusUpdateSchema = z.looseObject({
  type: z.literal('OpportunityStatusUpdate'),
  ...envelope,
  id,
  contactId: id,
  /** `open`, `won`, `lost`, `abandoned` today; kept open so a new status is not a refused delivery. */
  status: z.string().min(1),
  pipelineId: opt(z.string()),
  pipelineStageId: opt(z.string()),
  monetaryValue: opt(z.number()),
  name: opt(z.string()),
  assignedTo: opt(z.string()),
  source: opt(z.string()),
  dateAdded: opt(z.string()),
});

/** Any other event type: only the envelope is read. */
export const OtherGhlEventSchema = z.looseObject({
  type: z.string().min(1),
  locationId: opt(z.string()),
  webhookId: opt(z.string()),
  timestamp: opt(z.string()),
  id: opt(z.string()),
});

const KNOWN = {
  ContactCreate: ContactCreateSchema,
  ContactUpdate: ContactUpdateSchema,
  ContactDelete: ContactDeleteSchema,
  ContactTagUpdate: ContactTagUpdateSchema,
  ContactDndUpdate: ContactDndUpdateSchema,
  InboundMessage: InboundMessageSchema,
  OpportunityStatusUpdate: OpportunityStatusUpdateSchema,
} as const;

export type GhlEventType = keyof typeof KNOWN;
export const GHL_EVENT_TYPES = Object.keys(KNOWN) as GhlEventType[];

export type ContactCreateEvent = z.output<typeof ContactCreateSchema>;
export type ContactUpdateEvent = z.output<typeof ContactUpdateSchema>;
export type ContactDeleteEvent = z.output<typeof ContactDeleteSchema>;
export type ContactTagUpdateEvent = z.output<typeof ContactTagUpdateSchema>;
export type ContactDndUpdateEvent = z.output<typeof ContactDndUpdateSchema>;
export type InboundMessageEvent = z.output<typeof InboundMessageSchema>;
export type OpportunityStatusUpdateEvent = z.output<typeof OpportunityStatusUpdateSchema>;
export type OtherGhlEvent = z.output<typeof OtherGhlEventSchema>;

export type ParsedGhlEvent =
  | { kind: 'ContactCreate'; event: ContactCreateEvent }
  | { kind: 'ContactUpdate'; event: ContactUpdateEvent }
  | { kind: 'ContactDelete'; event: ContactDeleteEvent }
  | { kind: 'ContactTagUpdate'; event: ContactTagUpdateEvent }
  | { kind: 'ContactDndUpdate'; event: ContactDndUpdateEvent }
  | { kind: 'InboundMessage'; event: InboundMessageEvent }
  | { kind: 'OpportunityStatusUpdate'; event: OpportunityStatusUpdateEvent }
  | { kind: 'other'; type: string; event: OtherGhlEvent };

/** A delivery that is not a GHL event, or a known event missing what we need. 422 with field paths. */
export class GhlEventInvalid extends ValidationFailed {
  /** The payload's `type` when it had one. */
  readonly eventType?: string;

  constructor(eventType: string | undefined, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
    super(eventType ? `Malformed GHL ${eventType} event` : 'Not a GHL webhook event', fieldIssues(issues));
    this.eventType = eventType;
  }
}

/**
 * Validates a parsed JSON body as a GHL event. Known types are checked against their schema;
 * anything else with a string `type` is `{ kind: 'other' }`. Throws `GhlEventInvalid`.
 */
export function parseGhlEvent(json: unknown): ParsedGhlEvent {
  const type = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && Object.hasOwn(KNOWN, type)) {
    const kind = type as GhlEventType;
    const result = KNOWN[kind].safeParse(json);
    if (!result.success) throw new GhlEventInvalid(kind, result.error.issues);
    return { kind, event: result.data } as ParsedGhlEvent;
  }
  const other = OtherGhlEventSchema.safeParse(json);
  if (!other.success) throw new GhlEventInvalid(typeof type === 'string' ? type : undefined, other.error.issues);
  return { kind: 'other', type: other.data.type, event: other.data };
}

/**
 * The key a delivery is deduplicated on (GHL delivers at least once and retries on 429).
 *
 * 1. Inbound messages: `msg:<messageId>`. The message is what must not be processed twice (a
 *    second bot reply is a double text), and the same message can reach us as separate
 *    deliveries with different webhookIds (e.g. an app webhook and a workflow webhook).
 * 2. `wh:<webhookId>`: GHL's id for the delivery, the same on its retries.
 * 3. `evt:<sha256(type, id, timestamp)>` for unsigned/legacy deliveries without a webhookId:
 *    a retry repeats the payload, so the same triple comes back; the timestamp keeps two real
 *    updates of one contact apart; hashing gives a fixed-length key whatever GHL puts in ids.
 * 4. `body:<sha256(canonical JSON)>` when even a timestamp is missing: only an identical
 *    payload is a duplicate, so no genuine event is ever dropped.
 *
 * Keys are global strings: callers scope them by tenant.
 */
export async function ghlDedupeKey(parsed: ParsedGhlEvent): Promise<string> {
  const event = parsed.event as Record<string, unknown> & { type: string; webhookId?: string; timestamp?: string };
  if (parsed.kind === 'InboundMessage' && parsed.event.messageId) return `msg:${parsed.event.messageId}`;
  if (event.webhookId) return `wh:${event.webhookId}`;
  const objectId = typeof event.id === 'string' ? event.id : typeof event.messageId === 'string' ? event.messageId : '';
  if (event.timestamp) return `evt:${await sha256Hex([event.type, objectId, event.timestamp].join('\n'))}`;
  return `body:${await sha256Hex(canonicalJson(event))}`;
}

/**
 * Whether SMS to this contact is blocked, from a contact event: `dnd: true` blocks every
 * channel; otherwise the SMS channel's own setting decides. `undefined` when the event says nothing.
 */
export function smsDoNotDisturb(event: { dnd?: boolean; dndSettings?: Record<string, { status: string }> }): boolean | undefined {
  if (event.dnd === true) return true;
  const sms = event.dndSettings?.SMS?.status?.toLowerCase();
  if (sms === 'active') return true;
  if (sms === 'inactive') return false;
  return event.dnd === false ? false : undefined;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
