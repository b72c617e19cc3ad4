/**
 * GoHighLevel locally: the API stand-in (as GHL answers), the Worker's outbound client driven
 * against it, and webhook signature verification / event parsing with the development keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGhlClient, GhlError, retryHintMs, type GhlClientOptions } from '../../worker/providers/ghl/client';
import { GhlEventInvalid, ghlDedupeKey, parseGhlEvent, smsDoNotDisturb } from '../../worker/providers/ghl/events';
import { isFreshTimestamp, verifyGhlSignature } from '../../worker/providers/ghl/signature';
import { startGhlStandIn, type GhlStandIn } from './server';
import { DEV_GHL_PUBLIC_KEYS, ghlEvent, signGhlBody } from './sign';

const TOKEN = 'pit-location-a';
const CONVERSATIONS = '2021-04-15';
const CONTACTS = '2021-07-28';

function api(standIn: GhlStandIn, path: string, init: { method?: string; body?: unknown; token?: string | null; version?: string | null } = {}) {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? TOKEN}`;
  if (init.version !== null) headers.Version = init.version ?? (path.startsWith('/conversations') ? CONVERSATIONS : CONTACTS);
  return fetch(`${standIn.url}${path}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

const sms = (contactId: string, message = 'Hi from LeadPulse') => ({ type: 'SMS', contactId, message });

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GHL API stand-in', () => {
  let ghl: GhlStandIn;
  beforeAll(async () => {
    ghl = await startGhlStandIn();
  });
  afterAll(() => ghl?.close());
  afterEach(() => ghl.reset());

  it('listens on an ephemeral port and serves its health check', async () => {
    expect(ghl.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ghl.url.endsWith(':0')).toBe(false);
    const res = await fetch(`${ghl.url}/_standin/health`);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('requires a bearer token (401)', async () => {
    const res = await api(ghl, '/conversations/messages', { token: null, body: sms('c1') });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401 });
    expect(ghl.sentMessages()).toEqual([]);
  });

  it('only accepts configured tokens when given a list', async () => {
    const strict = await startGhlStandIn({ tokens: ['good'] });
    try {
      expect((await api(strict, '/conversations/messages', { token: 'bad', body: sms('c1') })).status).toBe(401);
      expect((await api(strict, '/conversations/messages', { token: 'good', body: sms('c1') })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('answers a missing or unpublished Version like GHL (401), and a wrong published one with 400 in strict mode', async () => {
    const missing = await api(ghl, '/conversations/messages', { version: null, body: sms('c1') });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ statusCode: 401, message: 'version header was not found.' });

    const invented = await api(ghl, '/conversations/messages', { version: '2020-01-01', body: sms('c1') });
    expect(invented.status).toBe(401);
    expect(await invented.json()).toEqual({ statusCode: 401, message: 'version header is invalid' });

    const wrong = await api(ghl, '/conversations/messages', { version: CONTACTS, body: sms('c1') });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain('2021-04-15');

    const wrongTags = await api(ghl, '/contacts/c1/tags', { version: CONVERSATIONS, body: { tags: ['x'] } });
    expect(wrongTags.status).toBe(400);
    expect(ghl.sentMessages()).toEqual([]);

    const lenient = await startGhlStandIn({ strictVersions: false });
    try {
      expect((await api(lenient, '/conversations/messages', { version: CONTACTS, body: sms('c1') })).status).toBe(200);
    } finally {
      await lenient.close();
    }
  });

  it('sends an SMS: one conversation per contact, a new message id per send', async () => {
    const first = await api(ghl, '/conversations/messages', { body: sms('c1', 'first') });
    expect(first.status).toBe(200);
    const a = (await first.json()) as { conversationId: string; messageId: string; msg: string };
    expect(a).toEqual({ conversationId: expect.stringMatching(/^[A-Za-z0-9]{20}$/), messageId: expect.stringMatching(/^[A-Za-z0-9]{20}$/), msg: 'Message queued successfully.' });

    const b = (await (await api(ghl, '/conversations/messages', { body: { ...sms('c1', 'second'), fromNumber: '+15125550100' } })).json()) as typeof a;
    const other = (await (await api(ghl, '/conversations/messages', { body: sms('c2') })).json()) as typeof a;
    expect(b.conversationId).toBe(a.conversationId);
    expect(b.messageId).not.toBe(a.messageId);
    expect(other.conversationId).not.toBe(a.conversationId);

    expect(ghl.sentMessages({ contactId: 'c1' }).map((m) => [m.message, m.fromNumber, m.messageId])).toEqual([
      ['first', undefined, a.messageId],
      ['second', '+15125550100', b.messageId],
    ]);
  });

  it('validates message bodies (422 with every problem, 400 for broken JSON)', async () => {
    const bad = await api(ghl, '/conversations/messages', { body: { type: 'Pigeon', message: 'hi' } });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { statusCode: number; message: string[]; error: string };
    expect(body.statusCode).toBe(422);
    expect(body.error).toBe('Unprocessable Entity');
    expect(body.message.some((m) => m.startsWith('type must be one of'))).toBe(true);
    expect(body.message).toContain('contactId should not be empty');

    const empty = await api(ghl, '/conversations/messages', { body: { type: 'SMS', contactId: 'c1', message: '  ' } });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { message: string[] }).message).toEqual(['message should not be empty']);

    const broken = await api(ghl, '/conversations/messages', { body: '{"type": "SMS",' });
    expect(broken.status).toBe(400);

    const tags = await api(ghl, '/contacts/c1/tags', { body: { tags: 'hot' } });
    expect(tags.status).toBe(422);
    const note = await api(ghl, '/contacts/c1/notes', { body: { title: 'no body' } });
    expect(note.status).toBe(422);
    expect(ghl.sentMessages()).toEqual([]);
  });

  it('adds and removes tags, and creates notes', async () => {
    const added = await api(ghl, '/contacts/c%201/tags', { body: { tags: ['hot', 'seller', 'hot'] } });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ tags: ['hot', 'seller'] });
    const removed = await api(ghl, '/contacts/c%201/tags', { method: 'DELETE', body: { tags: ['seller'] } });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ tags: ['hot'] });
    expect(ghl.contactTags('c 1')).toEqual(['hot']);

    const note = await api(ghl, '/contacts/c1/notes', { body: { body: 'Motivation: relocation' } });
    expect(note.status).toBe(201);
    expect(await note.json()).toEqual({
      note: { id: expect.any(String), body: 'Motivation: relocation', dateAdded: expect.any(String), contactId: 'c1' },
    });

    expect((await api(ghl, '/contacts/c1/unknown', { body: {} })).status).toBe(404);
  });

  it('sends the documented rate-limit headers and answers 429 + Retry-After after 100 requests in 10 s, per token', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 100; i++) {
      last = await api(ghl, '/contacts/c1/tags', { body: { tags: [`t${i}`] } });
      expect(last.status).toBe(201);
      if (i === 0) {
        expect(last.headers.get('x-ratelimit-max')).toBe('100');
        expect(last.headers.get('x-ratelimit-remaining')).toBe('99');
        expect(last.headers.get('x-ratelimit-interval-milliseconds')).toBe('10000');
        expect(last.headers.get('x-ratelimit-limit-daily')).toBe('200000');
        expect(last.headers.get('x-ratelimit-daily-remaining')).toBe('199999');
      }
    }
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');

    const over = await api(ghl, '/conversations/messages', { body: sms('c1') });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(ghl.sentMessages()).toEqual([]);

    // Another location's token has its own budget.
    expect((await api(ghl, '/conversations/messages', { token: 'pit-location-b', body: sms('c9') })).status).toBe(200);
  });

  it('reopens the burst window as requests age out, and enforces the daily limit', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const timed = await startGhlStandIn({ limitPerInterval: 2, intervalMs: 10_000, dailyLimit: 4, now: () => clock });
    try {
      const call = () => api(timed, '/contacts/c1/tags', { body: { tags: ['x'] } });
      expect((await call()).status).toBe(201);
      clock += 4_000;
      expect((await call()).status).toBe(201);
      const limited = await call();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('6'); // first request leaves the window in 6 s
      clock += 6_001;
      expect((await call()).status).toBe(201);
      clock += 10_000;
      expect((await call()).status).toBe(201);
      const daily = await call(); // 5th of the day (the 429 did not count)
      expect(daily.status).toBe(429);
      expect(daily.headers.get('x-ratelimit-daily-remaining')).toBe('0');
      expect(Number(daily.headers.get('retry-after'))).toBeGreaterThan(11 * 3600);
    } finally {
      await timed.close();
    }
  });

  it('injects faults (in process and over HTTP) and records every request without the token', async () => {
    ghl.injectFaults({ status: 503, count: 2, retryAfterSeconds: 3 });
    const r1 = await api(ghl, '/conversations/messages', { body: sms('c1') });
    expect(r1.status).toBe(503);
    expect(r1.headers.get('retry-after')).toBe('3');
    expect((await api(ghl, '/conversations/messages', { body: sms('c1') })).status).toBe(503);
    expect((await api(ghl, '/conversations/messages', { body: sms('c1') })).status).toBe(200);

    const viaHttp = await fetch(`${ghl.url}/_standin/faults`, { method: 'POST', body: JSON.stringify({ status: 502, count: 1 }) });
    expect(viaHttp.status).toBe(201);
    expect((await api(ghl, '/contacts/c2/notes', { body: { body: 'n' } })).status).toBe(502);
    expect((await fetch(`${ghl.url}/_standin/faults`, { method: 'POST', body: '{"status": 700}' })).status).toBe(400);

    const recorded = ghl.requests();
    expect(recorded.map((r) => [r.method, r.path, r.status, r.fault ?? false, r.contactId])).toEqual([
      ['POST', '/conversations/messages', 503, true, 'c1'],
      ['POST', '/conversations/messages', 503, true, 'c1'],
      ['POST', '/conversations/messages', 200, false, 'c1'],
      ['POST', '/contacts/c2/notes', 502, true, 'c2'],
    ]);
    const first = recorded[0]!;
    expect(first.headers.authorization).toBeUndefined();
    expect(JSON.stringify(recorded)).not.toContain(TOKEN);
    expect(first.tokenFingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(first.headers.version).toBe(CONVERSATIONS);
    expect(first.body).toEqual(sms('c1'));
    expect(Date.parse(first.at)).not.toBeNaN();

    const listed = (await (await fetch(`${ghl.url}/_standin/requests?contactId=c2`)).json()) as { requests: unknown[] };
    expect(listed.requests).toHaveLength(1);
    const byPath = (await (await fetch(`${ghl.url}/_standin/requests?path=/contacts`)).json()) as { requests: unknown[] };
    expect(byPath.requests).toHaveLength(1);
    expect(ghl.requests({ path: '/conversations/messages', method: 'post' })).toHaveLength(3);

    expect((await fetch(`${ghl.url}/_standin/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(ghl.requests()).toEqual([]);
    expect(ghl.sentMessages()).toEqual([]);
  });
});

describe('GHL client against the stand-in', () => {
  let ghl: GhlStandIn;
  let sleeps: number[];
  beforeAll(async () => {
    ghl = await startGhlStandIn();
  });
  afterAll(() => ghl?.close());
  afterEach(() => ghl.reset());

  function client(over: Partial<GhlClientOptions> = {}) {
    sleeps = [];
    return createGhlClient({
      baseUrl: `${ghl.url}/`,
      token: TOKEN,
      locationId: 'loc_a',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...over,
    });
  }

  async function failure(p: Promise<unknown>): Promise<GhlError> {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GhlError);
    return error as GhlError;
  }

  it('sends an SMS with the documented headers and body, and reads the rate-limit headers', async () => {
    const c = client();
    const sent = await c.sendSms({ contactId: 'c1', message: 'Hi Pat, this is Acme Realty’s assistant', fromNumber: '+15125550100' });
    const [request] = ghl.requests();
    expect(request).toMatchObject({
      method: 'POST',
      path: '/conversations/messages',
      body: { type: 'SMS', contactId: 'c1', message: 'Hi Pat, this is Acme Realty’s assistant', fromNumber: '+15125550100' },
      headers: { version: '2021-04-15', accept: 'application/json', 'content-type': 'application/json' },
    });
    expect(ghl.sentMessages()).toEqual([expect.objectContaining({ contactId: 'c1', messageId: sent.messageId, conversationId: sent.conversationId })]);
    expect(c.rateLimit()).toMatchObject({ burstMax: 100, burstRemaining: 99, intervalMs: 10_000, dailyLimit: 200_000 });
  });

  it('adds tags and notes with Version 2021-07-28', async () => {
    const c = client();
    await c.addTags('c1', ['hot', ' hot ', 'seller', '']);
    await c.addTags('c1', []); // nothing to do: no request
    await c.addNote('c1', 'Q1 motivation: relocation');
    expect(ghl.contactTags('c1')).toEqual(['hot', 'seller']);
    expect(ghl.requests().map((r) => [r.path, r.headers.version, r.body])).toEqual([
      ['/contacts/c1/tags', '2021-07-28', { tags: ['hot', 'seller'] }],
      ['/contacts/c1/notes', '2021-07-28', { body: 'Q1 motivation: relocation' }],
    ]);
  });

  it('retries a 429 after the Retry-After it was given, then sends once', async () => {
    ghl.injectFaults({ status: 429, count: 2, retryAfterSeconds: 2 });
    const sent = await client().sendSms({ contactId: 'c1', message: 'hello' });
    expect(sent.messageId).toBeTruthy();
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) {
      expect(ms).toBeGreaterThanOrEqual(2000);
      expect(ms).toBeLessThan(2250);
    }
    expect(ghl.requests().map((r) => r.status)).toEqual([429, 429, 200]);
    expect(ghl.sentMessages()).toHaveLength(1);
  });

  it('retries a real burst-limit 429 from the stand-in (Retry-After from its window)', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const tight = await startGhlStandIn({ limitPerInterval: 1, intervalMs: 3_000, now: () => clock });
    try {
      const c = client({ baseUrl: tight.url, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)) });
      await c.addNote('c1', 'one');
      await c.addNote('c1', 'two');
      expect(tight.requests().map((r) => r.status)).toEqual([201, 429, 201]);
      expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
    } finally {
      await tight.close();
    }
  });

  it('retries 503 with backoff when no Retry-After is given', async () => {
    ghl.injectFaults({ status: 503, count: 2 });
    await client().sendSms({ contactId: 'c1', message: 'hello' });
    expect(sleeps).toEqual([187, 375]); // equal jitter at random()=0.5: 250·2^(n-1)·¾
    expect(ghl.sentMessages()).toHaveLength(1);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    ghl.injectFaults({ status: 503, count: 10 });
    const error = await failure(client({ maxAttempts: 3 }).addTags('c1', ['x']));
    expect(error).toMatchObject({ status: 503, retryable: true, ambiguous: false, attempts: 3 });
    expect(ghl.requests()).toHaveLength(3);
  });

  it('does not sleep past maxTotalMs: the wait is handed back as retryAfterMs', async () => {
    ghl.injectFaults({ status: 429, count: 1, retryAfterSeconds: 60 });
    const error = await failure(client({ maxTotalMs: 30_000 }).sendSms({ contactId: 'c1', message: 'hello' }));
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryable: true, attempts: 1 });
    expect(error.retryAfterMs).toBe(60_000);
    expect(sleeps).toEqual([]);
  });

  it('does not retry other 4xx', async () => {
    ghl.injectFaults({ status: 400, count: 1 });
    const error = await failure(client().sendSms({ contactId: 'c1', message: 'hello' }));
    expect(error).toMatchObject({ status: 400, retryable: false, ambiguous: false, attempts: 1 });
    expect(ghl.requests()).toHaveLength(1);

    const strict = await startGhlStandIn({ tokens: ['only-this'] });
    try {
      const unauthorized = await failure(client({ baseUrl: strict.url }).addTags('c1', ['a']));
      expect(unauthorized).toMatchObject({ status: 401, retryable: false, attempts: 1 });
      expect(unauthorized.message).toContain('Invalid JWT');
    } finally {
      await strict.close();
    }
  });

  it('reports a sendSms timeout as ambiguous and does not resend (GHL did send it)', async () => {
    ghl.injectFaults({ status: 200, count: 1, delayMs: 300 });
    const error = await failure(client({ timeoutMs: 100 }).sendSms({ contactId: 'c1', message: 'only once' }));
    expect(error).toMatchObject({ code: 'timeout', ambiguous: true, retryable: false, attempts: 1 });
    await until(() => ghl.requests().length === 1 && ghl.requests()[0]!.status === 200);
    expect(ghl.sentMessages().map((m) => m.message)).toEqual(['only once']); // the lead got exactly one text
    expect(sleeps).toEqual([]);
  });

  it('reports 502/504 and a dropped connection on sendSms as ambiguous, without retrying', async () => {
    ghl.injectFaults({ status: 504, count: 1 });
    expect(await failure(client().sendSms({ contactId: 'c1', message: 'a' }))).toMatchObject({ status: 504, ambiguous: true, retryable: false, attempts: 1 });
    ghl.injectFaults({ status: 0, count: 1 });
    expect(await failure(client().sendSms({ contactId: 'c1', message: 'b' }))).toMatchObject({ code: 'network', ambiguous: true, retryable: false, attempts: 1 });
    expect(ghl.requests()).toHaveLength(2);
  });

  it('retries tags and notes after a timeout or a dropped connection (idempotent enough)', async () => {
    ghl.injectFaults({ status: 200, count: 1, delayMs: 300 });
    await client({ timeoutMs: 100 }).addTags('c1', ['hot']);
    expect(sleeps).toHaveLength(1);
    await until(() => ghl.requests().length === 2);
    expect(ghl.contactTags('c1')).toEqual(['hot']);

    ghl.injectFaults({ status: 0, count: 1 });
    await client().addNote('c1', 'note');
    expect(ghl.requests({ path: '/contacts/c1/notes' }).map((r) => r.status)).toEqual([0, 201]);
  });

  it('retries sendSms when the connection was refused (the request never left)', async () => {
    const gone = await startGhlStandIn();
    const url = gone.url;
    await gone.close();
    const error = await failure(client({ baseUrl: url }).sendSms({ contactId: 'c1', message: 'hello' }));
    expect(error).toMatchObject({ code: 'network', ambiguous: false, retryable: true, attempts: 4 });
    expect(sleeps).toHaveLength(3);
  });

  it('asks the limiter before every attempt and waits when it says so', async () => {
    const decisions = [
      { allowed: false, retryAfterMs: 1200 },
      { allowed: true, retryAfterMs: 0 },
    ];
    const asked: string[] = [];
    const c = client({
      limiter: async (locationId) => {
        asked.push(locationId);
        return decisions.shift() ?? { allowed: true, retryAfterMs: 0 };
      },
    });
    await c.sendSms({ contactId: 'c1', message: 'hello' });
    expect(asked).toEqual(['loc_a', 'loc_a']);
    expect(sleeps).toEqual([1200]);
    expect(ghl.requests()).toHaveLength(1);
  });

  it('throws a retryable error without calling GHL when the limiter wait does not fit', async () => {
    const c = client({ maxTotalMs: 5_000, limiter: async () => ({ allowed: false, retryAfterMs: 9_000 }) });
    const error = await failure(c.sendSms({ contactId: 'c1', message: 'hello' }));
    expect(error).toMatchObject({ code: 'local_rate_limited', retryable: true, retryAfterMs: 9_000, attempts: 0 });
    expect(ghl.requests()).toEqual([]);
  });

  it('with maxWaitMs, hands a longer wait back to the caller instead of sleeping through it (limiter and 429 alike)', async () => {
    const limited = client({ maxWaitMs: 1_000, limiter: async () => ({ allowed: false, retryAfterMs: 3_000 }) });
    expect(await failure(limited.sendSms({ contactId: 'c1', message: 'hello' }))).toMatchObject({ code: 'local_rate_limited', retryable: true, retryAfterMs: 3_000, attempts: 0 });
    expect(sleeps).toEqual([]);
    expect(ghl.requests()).toEqual([]);

    ghl.injectFaults({ status: 429, count: 1, retryAfterSeconds: 4 });
    const throttled = client({ maxWaitMs: 1_000 });
    const error = await failure(throttled.sendSms({ contactId: 'c1', message: 'hello' }));
    expect(error).toMatchObject({ retryable: true, attempts: 1 });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(4_000);
    expect(sleeps).toEqual([]);
  });

  it('reads GHL rate-limit headers when a 429 has no Retry-After', () => {
    const now = Date.parse('2026-03-01T23:59:00Z');
    expect(retryHintMs(new Headers({ 'retry-after': '2' }), 429, now)).toBe(2000);
    expect(retryHintMs(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), 503, now)).toBe(5000);
    expect(retryHintMs(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '10000' }), 429, now)).toBe(10_000);
    expect(retryHintMs(new Headers({ 'x-ratelimit-daily-remaining': '0' }), 429, now)).toBe(60_000);
    expect(retryHintMs(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '10000' }), 503, now)).toBeUndefined();
  });
});

describe('GHL webhook signatures', () => {
  const body = JSON.stringify(ghlEvent('InboundMessage', { contactId: 'c1', body: 'We are relocating in 2 months' }));
  const bytes = new TextEncoder().encode(body);
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('accepts a valid Ed25519 signature', async () => {
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body)), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('accepts a valid legacy RSA signature', async () => {
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body, { scheme: 'rsa' })), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: true, scheme: 'rsa' });
  });

  it('prefers Ed25519 when both are sent', async () => {
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body, { scheme: 'both' })), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('rejects a tampered body', async () => {
    const tampered = new TextEncoder().encode(body.replace('2 months', '9 months'));
    expect(await verifyGhlSignature(tampered, new Headers(signGhlBody(body)), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await verifyGhlSignature(tampered, new Headers(signGhlBody(body, { scheme: 'rsa' })), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a signature made with another key', async () => {
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body)), { ...DEV_GHL_PUBLIC_KEYS, ed25519PublicKey: other })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('does not fall back to RSA when an Ed25519 signature is present but bad', async () => {
    const headers = new Headers(signGhlBody(body, { scheme: 'rsa' })); // valid RSA
    headers.set('x-ghl-signature', Buffer.alloc(64, 7).toString('base64'));
    expect(await verifyGhlSignature(bytes, headers, DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: false, reason: 'bad_signature' });
    headers.set('x-ghl-signature', 'not base64 at all!');
    expect(await verifyGhlSignature(bytes, headers, DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('uses RSA when no Ed25519 key is configured yet, and fails closed without any key', async () => {
    const both = new Headers(signGhlBody(body, { scheme: 'both' }));
    expect(await verifyGhlSignature(bytes, both, { rsaPublicKey: DEV_GHL_PUBLIC_KEYS.rsaPublicKey })).toEqual({ ok: true, scheme: 'rsa' });
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body)), { rsaPublicKey: DEV_GHL_PUBLIC_KEYS.rsaPublicKey })).toEqual({ ok: false, reason: 'no_key' });
    expect(await verifyGhlSignature(bytes, both, {})).toEqual({ ok: false, reason: 'no_key' });
  });

  it('reports a missing signature', async () => {
    expect(await verifyGhlSignature(bytes, new Headers({ 'content-type': 'application/json' }), DEV_GHL_PUBLIC_KEYS)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('reads PEMs pasted into one-line variables, and refuses a broken configured key loudly', async () => {
    const oneLine = DEV_GHL_PUBLIC_KEYS.ed25519PublicKey.trim().replace(/\n/g, '\\n');
    expect(await verifyGhlSignature(bytes, new Headers(signGhlBody(body)), { ed25519PublicKey: oneLine })).toEqual({ ok: true, scheme: 'ed25519' });
    await expect(verifyGhlSignature(bytes, new Headers(signGhlBody(body)), { ed25519PublicKey: 'not a pem' })).rejects.toThrow(/not a valid SPKI PEM/);
    // An RSA key configured as the Ed25519 one is a configuration error too.
    await expect(
      verifyGhlSignature(bytes, new Headers(signGhlBody(body)), { ed25519PublicKey: DEV_GHL_PUBLIC_KEYS.rsaPublicKey }),
    ).rejects.toThrow(/Ed25519/);
  });

  it('accepts timestamps within 5 minutes either way, and nothing else', () => {
    const now = new Date('2026-03-01T12:00:00.000Z');
    expect(isFreshTimestamp('2026-03-01T12:00:00Z', now)).toBe(true);
    expect(isFreshTimestamp('2026-03-01T11:55:30.250Z', now)).toBe(true);
    expect(isFreshTimestamp('2026-03-01T13:04:00+01:00', now)).toBe(true);
    expect(isFreshTimestamp('2026-03-01T11:54:59Z', now)).toBe(false); // stale: a replay
    expect(isFreshTimestamp('2026-03-01T12:05:01Z', now)).toBe(false); // from the future
    expect(isFreshTimestamp('2026-03-01T12:00:00', now)).toBe(false); // no zone: ambiguous
    expect(isFreshTimestamp('yesterday', now)).toBe(false);
    expect(isFreshTimestamp(undefined, now)).toBe(false);
    expect(isFreshTimestamp('2026-03-01T11:59:00Z', now, 30_000)).toBe(false);
  });
});

describe('GHL webhook events', () => {
  it('parses every known event the builders produce', () => {
    const kinds = [
      ghlEvent('ContactCreate', { contactId: 'c1', firstName: 'Pat', lastName: 'Doe', phone: '+15125550142' }),
      ghlEvent('ContactUpdate', { contactId: 'c1', city: 'Austin' }),
      ghlEvent('ContactDelete', { contactId: 'c1' }),
      ghlEvent('ContactTagUpdate', { contactId: 'c1', tags: ['hot'] }),
      ghlEvent('ContactDndUpdate', { contactId: 'c1', dnd: false, dndSettings: { SMS: { status: 'active', message: 'STOP', code: '101' } } }),
      ghlEvent('InboundMessage', { contactId: 'c1', body: 'hello' }),
      ghlEvent('OpportunityStatusUpdate', { contactId: 'c1', status: 'won', monetaryValue: 450000 }),
    ].map((e) => parseGhlEvent(JSON.parse(JSON.stringify(e))).kind);
    expect(kinds).toEqual(['ContactCreate', 'ContactUpdate', 'ContactDelete', 'ContactTagUpdate', 'ContactDndUpdate', 'InboundMessage', 'OpportunityStatusUpdate']);
  });

  it("parses GHL's documented examples, keeping unknown fields and reading nulls as absent", () => {
    const inbound = parseGhlEvent({
      type: 'InboundMessage',
      locationId: 'l1C08ntBrFjLS0elLIYU',
      attachments: [],
      body: 'This is a test message',
      contactId: 'cI08i1Bls3iTB9bKgFJh',
      contentType: 'text/plain',
      conversationId: 'fcanlLgpbQgQhderivVs',
      dateAdded: '2021-04-21T11:31:45.750Z',
      direction: 'inbound',
      messageType: 'SMS',
      status: 'delivered',
      conversationProviderId: 'cI08i1Bls3iTB9bKgF01',
      somethingNew: { x: 1 },
    });
    expect(inbound.kind).toBe('InboundMessage');
    if (inbound.kind !== 'InboundMessage') throw new Error('unreachable');
    expect(inbound.event.body).toBe('This is a test message');
    expect(inbound.event.messageId).toBeUndefined(); // GHL's own example has none
    expect((inbound.event as Record<string, unknown>).somethingNew).toEqual({ x: 1 });

    const contact = parseGhlEvent({ type: 'ContactCreate', locationId: 'loc', id: 'c1', email: null, tags: ['a'], customFields: [{ id: 'f', value: 3 }] });
    if (contact.kind !== 'ContactCreate') throw new Error('unreachable');
    expect(contact.event.email).toBeUndefined();

    const opportunity = parseGhlEvent({
      type: 'OpportunityStatusUpdate',
      locationId: 've9EPM428h8vShlRW1KT',
      id: 'wWhVuzqpRuOA1ZVWi4FC',
      assignedTo: 'bNl8QNGXhIQJLv8eeASQ',
      contactId: 'cJAWDskpkJHbRbhAT7bs',
      monetaryValue: 40,
      name: 'Loram ipsu',
      pipelineId: 'VDm7RPYC2GLUvdpKmBfC',
      pipelineStageId: 'e93ba61a-53b3-45e7-985a-c7732dbcdb69',
      source: 'Loram ipsu',
      status: 'open',
      dateAdded: '2021-11-26T12:41:02.193Z',
    });
    expect(opportunity.kind).toBe('OpportunityStatusUpdate');
  });

  it('refuses a malformed known event with the field paths', () => {
    const attempt = () => parseGhlEvent({ type: 'InboundMessage', locationId: 'loc', conversationId: 'x', direction: 'inbound', messageType: 'SMS', body: 5 });
    expect(attempt).toThrow(GhlEventInvalid);
    try {
      attempt();
    } catch (error) {
      const e = error as GhlEventInvalid;
      expect(e.status).toBe(422);
      expect(e.eventType).toBe('InboundMessage');
      expect((e.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['body', 'contactId']);
    }
    expect(() => parseGhlEvent({ type: 'ContactDndUpdate', locationId: 'loc', id: 'c1' })).toThrow(/ContactDndUpdate/);
    expect(() => parseGhlEvent({ type: 'ContactCreate', id: 'c1' })).toThrow(GhlEventInvalid); // no locationId
    expect(() => parseGhlEvent([1, 2])).toThrow('Not a GHL webhook event');
    expect(() => parseGhlEvent({ hello: 'world' })).toThrow(GhlEventInvalid);
  });

  it('passes other event types through as "other"', () => {
    const parsed = parseGhlEvent({ type: 'AppointmentCreate', locationId: 'loc', webhookId: 'w1', appointment: {} });
    expect(parsed).toMatchObject({ kind: 'other', type: 'AppointmentCreate', event: { locationId: 'loc', webhookId: 'w1' } });
  });

  it('dedupes messages by messageId, other deliveries by webhookId, then by content', async () => {
    const message = parseGhlEvent(ghlEvent('InboundMessage', { contactId: 'c1', messageId: 'm1', body: 'hi' }));
    const redelivered = parseGhlEvent(ghlEvent('InboundMessage', { contactId: 'c1', messageId: 'm1', body: 'hi' })); // another webhookId
    expect(await ghlDedupeKey(message)).toBe('msg:m1');
    expect(await ghlDedupeKey(redelivered)).toBe('msg:m1');

    const update = ghlEvent('ContactUpdate', { contactId: 'c1', webhookId: 'wh-1' });
    expect(await ghlDedupeKey(parseGhlEvent(update))).toBe('wh:wh-1');

    const legacy = { type: 'ContactUpdate', locationId: 'loc', id: 'c1', timestamp: '2026-03-01T12:00:00Z', city: 'Austin' };
    const k1 = await ghlDedupeKey(parseGhlEvent(legacy));
    expect(k1).toMatch(/^evt:[0-9a-f]{64}$/);
    expect(await ghlDedupeKey(parseGhlEvent({ ...legacy, city: 'Austin' }))).toBe(k1); // a retry
    expect(await ghlDedupeKey(parseGhlEvent({ ...legacy, timestamp: '2026-03-01T12:00:05Z' }))).not.toBe(k1); // a later update

    const bare = { type: 'ContactUpdate', locationId: 'loc', id: 'c1', city: 'Austin' };
    const k2 = await ghlDedupeKey(parseGhlEvent(bare));
    expect(k2).toMatch(/^body:[0-9a-f]{64}$/);
    expect(await ghlDedupeKey(parseGhlEvent({ city: 'Austin', id: 'c1', locationId: 'loc', type: 'ContactUpdate' }))).toBe(k2);
    expect(await ghlDedupeKey(parseGhlEvent({ ...bare, city: 'Dallas' }))).not.toBe(k2);
  });

  it('reads SMS do-not-disturb from contact events', () => {
    expect(smsDoNotDisturb({ dnd: true })).toBe(true);
    expect(smsDoNotDisturb({ dnd: false, dndSettings: { SMS: { status: 'active' } } })).toBe(true);
    expect(smsDoNotDisturb({ dnd: false, dndSettings: { SMS: { status: 'inactive' }, Email: { status: 'active' } } })).toBe(false);
    expect(smsDoNotDisturb({ dnd: false })).toBe(false);
    expect(smsDoNotDisturb({})).toBeUndefined();
  });
});
