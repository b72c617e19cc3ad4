/**
 * A local stand-in for the part of the Stripe API LeadPulse calls: creating a Checkout Session
 * for a subscription and a Customer Portal session. It speaks Stripe's wire format (form-encoded bracket parameters in, JSON
 * out, `{ error: { type, message, param } }` on failure, Bearer secret key), so the Worker uses
 * the official SDK against it unchanged (STRIPE_API_BASE_URL).
 *
 *   POST /v1/checkout/sessions      → { id, object: 'checkout.session', url, … }
 *   GET  /v1/checkout/sessions/:id  → the stored session
 *   POST /v1/billing_portal/sessions → { id, object: 'billing_portal.session', url, customer, return_url, … }
 *   GET  /_standin/sessions         what was created, oldest first (tests, developers)
 *   GET  /_standin/portal_sessions  the portal sessions, oldest first
 *
 * It does not take payments or send webhooks: tests sign Stripe events themselves. It keeps no
 * customers either: any `cus_…` id is taken to exist (on Stripe, one comes from a checkout).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http-body';

export interface StripeStandInOptions {
  port?: number;
  host?: string;
  /** The only key accepted; random (sk_test_…) when omitted. */
  secretKey?: string;
}

export interface StripeStandIn {
  url: string;
  secretKey: string;
  /** Recurring per-seat prices the stand-in knows, by plan. */
  prices: { team: string; brokerage: string };
  sessions(): CheckoutSession[];
  portalSessions(): PortalSession[];
  close(): Promise<void>;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  created: number;
  mode: string;
  status: 'open';
  payment_status: 'unpaid';
  url: string;
  client_reference_id: string | null;
  customer: string | null;
  subscription: null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string | null;
  line_items: Array<{ price: string; quantity: number }>;
  subscription_data: { metadata: Record<string, string> } | null;
}

export interface PortalSession {
  id: string;
  object: 'billing_portal.session';
  configuration: string;
  created: number;
  customer: string;
  flow: null;
  livemode: false;
  locale: string | null;
  on_behalf_of: null;
  return_url: string | null;
  url: string;
}

type Params = { [key: string]: string | Params | Params[] | string[] };

/** `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } } — how Stripe clients encode nested parameters. */
export function decodeStripeForm(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: any = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return root;
}

class StripeError extends Error {
  constructor(readonly status: number, message: string, readonly param?: string, readonly type = 'invalid_request_error') {
    super(message);
  }
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export async function startStripeStandIn(opts: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const secretKey = opts.secretKey ?? `sk_test_${randomBytes(18).toString('base64url')}`;
  const prices = { team: 'price_local_team', brokerage: 'price_local_brokerage' };
  const known = new Set(Object.values(prices));
  const sessions = new Map<string, CheckoutSession>();
  const portalSessions: PortalSession[] = [];
  let url = '';

  function createSession(p: Params): CheckoutSession {
    if (p.mode !== 'subscription') throw new StripeError(400, 'Only mode=subscription is supported by the local stand-in', 'mode');
    const items = Array.isArray(p.line_items) ? (p.line_items as Params[]) : [];
    if (!items.length) throw new StripeError(400, 'Missing required param: line_items.', 'line_items');
    const lineItems = items.map((item, i) => {
      const price = typeof item.price === 'string' ? item.price : '';
      if (!known.has(price)) throw new StripeError(400, `No such price: '${price}'`, `line_items[${i}][price]`);
      const quantity = Number(item.quantity ?? 1);
      if (!Number.isInteger(quantity) || quantity < 1) throw new StripeError(400, 'Invalid integer: quantity', `line_items[${i}][quantity]`);
      return { price, quantity };
    });
    if (typeof p.success_url !== 'string' || !/^https?:\/\//.test(p.success_url)) throw new StripeError(400, 'Not a valid URL', 'success_url');
    const sessionId = id('cs_test');
    const session: CheckoutSession = {
      id: sessionId,
      object: 'checkout.session',
      created: Math.floor(Date.now() / 1000),
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      url: `${url}/pay/${sessionId}`,
      client_reference_id: typeof p.client_reference_id === 'string' ? p.client_reference_id : null,
      customer: typeof p.customer === 'string' ? p.customer : null,
      subscription: null,
      metadata: (p.metadata as Record<string, string>) ?? {},
      success_url: p.success_url,
      cancel_url: typeof p.cancel_url === 'string' ? p.cancel_url : null,
      line_items: lineItems,
      subscription_data: p.subscription_data ? { metadata: ((p.subscription_data as Params).metadata as Record<string, string>) ?? {} } : null,
    };
    sessions.set(sessionId, session);
    return session;
  }

  function createPortalSession(p: Params): PortalSession {
    if (typeof p.customer !== 'string' || !p.customer) throw new StripeError(400, 'Missing required param: customer.', 'customer');
    if (!/^cus_\w+$/.test(p.customer)) throw new StripeError(400, `No such customer: '${p.customer}'`, 'customer');
    if (p.return_url !== undefined && (typeof p.return_url !== 'string' || !/^https?:\/\//.test(p.return_url))) throw new StripeError(400, 'Not a valid URL', 'return_url');
    const sessionId = id('bps');
    const session: PortalSession = {
      id: sessionId,
      object: 'billing_portal.session',
      configuration: 'bpc_local_default',
      created: Math.floor(Date.now() / 1000),
      customer: p.customer,
      flow: null,
      livemode: false,
      locale: typeof p.locale === 'string' ? p.locale : null,
      on_behalf_of: null,
      return_url: typeof p.return_url === 'string' ? p.return_url : null,
      url: `${url}/portal/${sessionId}`,
    };
    portalSessions.push(session);
    return session;
  }

  async function form(req: IncomingMessage): Promise<Params> {
    const body = await readBody(req, 256 * 1024);
    if (body === 'too-large') throw new StripeError(413, 'Request too large');
    return decodeStripeForm(body.toString('utf8'));
  }

  async function handle(req: IncomingMessage): Promise<{ status: number; json: unknown }> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/_standin/sessions') return { status: 200, json: { sessions: [...sessions.values()] } };
    if (req.method === 'GET' && path === '/_standin/portal_sessions') return { status: 200, json: { sessions: portalSessions } };
    if (!path.startsWith('/v1/')) throw new StripeError(404, `Unrecognized request URL (${req.method}: ${path})`);
    if (req.headers.authorization !== `Bearer ${secretKey}`) throw new StripeError(401, 'Invalid API Key provided', undefined, 'authentication_error');
    if (req.method === 'POST' && path === '/v1/checkout/sessions') return { status: 200, json: createSession(await form(req)) };
    if (req.method === 'POST' && path === '/v1/billing_portal/sessions') return { status: 200, json: createPortalSession(await form(req)) };
    const match = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(path);
    if (req.method === 'GET' && match) {
      const session = sessions.get(match[1]!);
      if (!session) throw new StripeError(404, `No such checkout.session: '${match[1]}'`, 'id');
      return { status: 200, json: session };
    }
    throw new StripeError(404, `Unrecognized request URL (${req.method}: ${path})`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .catch((err: unknown) => {
        const e = err instanceof StripeError ? err : new StripeError(500, 'The stand-in failed', undefined, 'api_error');
        return { status: e.status, json: { error: { type: e.type, message: e.message, ...(e.param ? { param: e.param } : {}) } } };
      })
      .then(({ status, json }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
        res.end(JSON.stringify(json));
      });
  });
  server.listen(opts.port ?? 0, host);
  await once(server, 'listening');
  url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    secretKey,
    prices,
    sessions: () => [...sessions.values()],
    portalSessions: () => [...portalSessions],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
