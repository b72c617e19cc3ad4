/**
 * `npm run ghl -- …`: play GoHighLevel against a running LeadPulse — send signed webhook
 * deliveries (as GHL would) and list what the local GHL stand-in was asked to send.
 * Run `npm run ghl -- --help` for usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ghlEvent, signGhlBody, type GhlEventFields, type GhlSigningScheme } from '../local/ghl/sign';

const HELP = `Usage: npm run ghl -- <command> [options]

Webhook deliveries (POSTed to <url>/webhooks/ghl, signed with the development Ed25519 key):
  inbound "<text>"          an inbound SMS from the contact (InboundMessage). With --name or
                            --phone a ContactCreate for that contact is delivered first, as GHL
                            does when a new number texts in.
  contact-create            ContactCreate   (--name, --first, --last, --phone, --email, --tags, --city, --state, --postal, --address)
  contact-update            ContactUpdate   (same fields)
  contact-delete            ContactDelete
  tags <tag,tag…>           ContactTagUpdate with the contact's full tag list
  dnd on|off                ContactDndUpdate (dnd + SMS channel setting)
  opportunity               OpportunityStatusUpdate (--status open|won|lost|abandoned, --value, --opportunity)
  raw <file.json>           deliver a file byte for byte (signed as is; nothing filled in)

Stand-in inspection:
  sent                      messages the GHL stand-in was asked to send (--contact to filter, --json for raw requests)

Common options:
  --location <id>           GHL location (sub-account) id             default loc_demo
  --contact <id>            GHL contact id                           default c1 (for "sent": all contacts)
  --url <url>               LeadPulse base URL                       default $LEADPULSE_URL or http://127.0.0.1:8787
  --path <path>             webhook path                             default /webhooks/ghl
  --tenant <id>             append /<id> to the webhook path (for a per-tenant route)
  --ghl-url <url>           GHL stand-in URL (for "sent")            default $LOCAL_GHL_URL or http://127.0.0.1:6547
  --unsigned                send without signature headers           (expect 401)
  --tamper                  change the body after signing            (expect 401)
  --rsa                     sign with the legacy RSA key (x-wh-signature) instead of Ed25519
  --both                    send both signatures, as GHL did during its migration
  --stale                   timestamp 10 minutes in the past         (expect a refusal)
  --webhook-id <id>         fixed webhookId (repeat a delivery to test deduplication)
  --message-id <id>         fixed messageId for inbound
  --repeat <n>              deliver the same signed request n times  default 1
  -h, --help                this help

Examples:
  npm run ghl -- inbound --location loc_demo --contact c1 --name "Pat Doe" --phone +15125550142 "We're relocating in 2 months"
  npm run ghl -- inbound --contact c1 --repeat 3 "Is it still available?"       # one message, three deliveries
  npm run ghl -- dnd on --contact c1
  npm run ghl -- opportunity --contact c1 --status won --value 450000
  npm run ghl -- sent --contact c1`;

const options = {
  location: { type: 'string', default: 'loc_demo' },
  contact: { type: 'string' },
  url: { type: 'string' },
  path: { type: 'string', default: '/webhooks/ghl' },
  tenant: { type: 'string' },
  'ghl-url': { type: 'string' },
  unsigned: { type: 'boolean', default: false },
  tamper: { type: 'boolean', default: false },
  rsa: { type: 'boolean', default: false },
  both: { type: 'boolean', default: false },
  stale: { type: 'boolean', default: false },
  'webhook-id': { type: 'string' },
  'message-id': { type: 'string' },
  repeat: { type: 'string', default: '1' },
  json: { type: 'boolean', default: false },
  name: { type: 'string' },
  first: { type: 'string' },
  last: { type: 'string' },
  phone: { type: 'string' },
  email: { type: 'string' },
  tags: { type: 'string' },
  address: { type: 'string' },
  city: { type: 'string' },
  state: { type: 'string' },
  postal: { type: 'string' },
  status: { type: 'string', default: 'won' },
  value: { type: 'string' },
  opportunity: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }

  switch (command) {
    case 'inbound': {
      const text = rest.join(' ').trim();
      if (!text) throw new UsageError('inbound needs the message text, e.g. npm run ghl -- inbound --contact c1 "Hi"');
      let status = 0;
      if (values.name || values.phone) {
        // Its own webhookId even with --webhook-id: that flag is about repeating the message.
        const { webhookId: _fixed, ...created } = contactFields(values);
        status = worst(status, await deliver(values, ghlEvent('ContactCreate', created)));
      }
      const message = ghlEvent('InboundMessage', {
        ...envelope(values),
        contactId: contactOf(values),
        // GHL keeps one conversation per contact.
        conversationId: `conv_${values.location}_${contactOf(values)}`,
        body: text,
        ...(values['message-id'] ? { messageId: values['message-id'] } : {}),
      });
      return worst(status, await deliver(values, message));
    }
    case 'contact-create':
    case 'contact-update':
    case 'contact-delete': {
      const type = { 'contact-create': 'ContactCreate', 'contact-update': 'ContactUpdate', 'contact-delete': 'ContactDelete' }[command];
      return deliver(values, ghlEvent(type, contactFields(values)));
    }
    case 'tags': {
      const tags = splitList(rest.join(','));
      return deliver(values, ghlEvent('ContactTagUpdate', { ...contactFields(values), tags }));
    }
    case 'dnd': {
      const mode = rest[0];
      if (mode !== 'on' && mode !== 'off') throw new UsageError('dnd needs "on" or "off"');
      const status = mode === 'on' ? 'active' : 'inactive';
      return deliver(
        values,
        ghlEvent('ContactDndUpdate', {
          ...contactFields(values),
          dnd: mode === 'on',
          dndSettings: { SMS: { status, message: `Set from npm run ghl (${mode})`, code: '101' } },
        }),
      );
    }
    case 'opportunity': {
      const value = values.value !== undefined ? Number(values.value) : undefined;
      if (value !== undefined && !Number.isFinite(value)) throw new UsageError('--value must be a number');
      return deliver(
        values,
        ghlEvent('OpportunityStatusUpdate', {
          ...envelope(values),
          contactId: contactOf(values),
          status: values.status,
          ...(values.opportunity ? { id: values.opportunity } : {}),
          ...(value !== undefined ? { monetaryValue: value } : {}),
        }),
      );
    }
    case 'raw': {
      const file = rest[0];
      if (!file) throw new UsageError('raw needs a JSON file');
      return deliverText(values, readFileSync(file, 'utf8'));
    }
    case 'sent':
      return listSent(values);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function envelope(values: Values): GhlEventFields {
  const fields: GhlEventFields = { locationId: values.location };
  if (values['webhook-id']) fields.webhookId = values['webhook-id'];
  if (values.stale) fields.timestamp = new Date(Date.now() - 10 * 60_000).toISOString();
  return fields;
}

function contactFields(values: Values): GhlEventFields {
  const fields: GhlEventFields = { ...envelope(values), contactId: contactOf(values) };
  let { first, last } = values;
  if (values.name) {
    fields.name = values.name;
    const [head, ...tail] = values.name.trim().split(/\s+/);
    first ??= head;
    if (tail.length) last ??= tail.join(' ');
  }
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) fields[key] = value;
  };
  set('firstName', first);
  set('lastName', last);
  set('phone', values.phone);
  set('email', values.email);
  set('address1', values.address);
  set('city', values.city);
  set('state', values.state);
  set('postalCode', values.postal);
  if (values.tags !== undefined) fields.tags = splitList(values.tags);
  return fields;
}

function contactOf(values: Values): string {
  return values.contact ?? 'c1';
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function deliver(values: Values, event: object): Promise<number> {
  return deliverText(values, JSON.stringify(event));
}

async function deliverText(values: Values, body: string): Promise<number> {
  const scheme: GhlSigningScheme = values.both ? 'both' : values.rsa ? 'rsa' : 'ed25519';
  const headers = values.unsigned ? { 'content-type': 'application/json' } : signGhlBody(body, { scheme });
  // Tampering after signing: the payload a forger would send with a captured signature.
  const sent = values.tamper ? tamper(body) : body;
  const base = (values.url ?? process.env.LEADPULSE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const path = `/${values.path.replace(/^\/+|\/+$/g, '')}${values.tenant ? `/${encodeURIComponent(values.tenant)}` : ''}`;
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError('--repeat must be a positive integer');

  let type: unknown = '(not JSON)';
  try {
    type = (JSON.parse(body) as { type?: unknown }).type ?? '(no type)';
  } catch {
    // raw files may be deliberately broken: send them anyway
  }
  let status = 0;
  for (let i = 1; i <= repeat; i++) {
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: 'POST', headers, body: sent });
    } catch (error) {
      console.error(`✗ POST ${base}${path}: ${(error as Error).cause ?? (error as Error).message}. Is LeadPulse running (npm start)?`);
      return 1;
    }
    const ms = Math.round(performance.now() - started);
    const text = await res.text();
    const label = repeat > 1 ? ` [${i}/${repeat}]` : '';
    console.log(`${res.ok ? '✓' : '✗'} ${String(type)}${label} → ${res.status} ${res.statusText} (${ms} ms)`);
    if (text) console.log(pretty(text));
    status = worst(status, res.ok ? 0 : 1);
  }
  return status;
}

function tamper(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    if (typeof json.body === 'string') json.body = `${json.body} (tampered)`;
    else json.tampered = true;
    return JSON.stringify(json);
  } catch {
    return `${body} `;
  }
}

async function listSent(values: Values): Promise<number> {
  const base = (values['ghl-url'] ?? process.env.LOCAL_GHL_URL ?? 'http://127.0.0.1:6547').replace(/\/+$/, '');
  const query = new URLSearchParams();
  if (values.contact) query.set('contactId', values.contact);
  let res: Response;
  try {
    res = await fetch(`${base}/_standin/requests?${query}`);
  } catch (error) {
    console.error(`✗ GET ${base}/_standin/requests: ${(error as Error).cause ?? (error as Error).message}. Is the local stack running?`);
    return 1;
  }
  if (!res.ok) {
    console.error(`✗ ${res.status} ${await res.text()}`);
    return 1;
  }
  const { requests } = (await res.json()) as { requests: Array<{ at: string; method: string; path: string; status: number; contactId?: string; body: unknown; response?: unknown; fault?: boolean }> };
  if (values.json) {
    console.log(JSON.stringify(requests, null, 2));
    return 0;
  }
  if (requests.length === 0) {
    console.log(values.contact ? `The GHL stand-in has received nothing for contact ${values.contact}.` : 'The GHL stand-in has received nothing yet.');
    return 0;
  }
  for (const r of requests) {
    const time = r.at.slice(11, 19);
    const flag = r.fault ? ' (injected fault)' : '';
    const body = (r.body ?? {}) as Record<string, unknown>;
    let what: string;
    if (r.path === '/conversations/messages') what = `${String(body.type ?? '?')} to ${String(body.contactId ?? '?')}: ${JSON.stringify(body.message ?? '')}`;
    else if (r.path.endsWith('/tags')) what = `${r.method === 'DELETE' ? 'untag' : 'tag'} ${r.contactId ?? '?'}: ${JSON.stringify(body.tags ?? [])}`;
    else if (r.path.endsWith('/notes')) what = `note on ${r.contactId ?? '?'}: ${JSON.stringify(body.body ?? '')}`;
    else what = `${r.method} ${r.path}`;
    console.log(`${time}  ${String(r.status).padStart(3)}  ${what}${flag}`);
  }
  return 0;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function worst(a: number, b: number): number {
  return Math.max(a, b);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\nRun npm run ghl -- --help for usage.`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
