import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, QstashError, Receiver } from '@upstash/qstash';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQStashStandIn, type QStashStandIn } from './server';

// Everything below talks to the stand-in only through the unmodified SDK Client, and
// every delivery is checked with the SDK Receiver, exactly as a production handler would.

const TOKEN = 'local-test-token';
const CURRENT = 'sig_current_local_test';
const NEXT = 'sig_next_local_test';

interface Received {
  path: string;
  url: string;
  method: string;
  headers: Record<string, string | undefined>;
  body: string;
  verified: boolean;
  verifyError?: string;
  realAt: number;
}

interface Destination {
  base: string;
  received: Received[];
  close(): Promise<void>;
}

/** A destination that verifies every request with the SDK Receiver and records it. */
async function startDestination(): Promise<Destination> {
  const receiver = new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT });
  const received: Received[] = [];
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const realAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = `${base}${req.url ?? '/'}`;
        const path = (req.url ?? '/').replace(/\?.*$/, '');
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        let verified = false;
        let verifyError: string | undefined;
        try {
          verified = await receiver.verify({ signature: headers['upstash-signature'] ?? '', body, url });
        } catch (err) {
          verifyError = (err as Error).message;
        }
        received.push({ path, url, method: req.method ?? '', headers, body, verified, verifyError, realAt });
        const n = (hits.get(path) ?? 0) + 1;
        hits.set(path, n);

        if (path.startsWith('/fail')) {
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('boom');
        } else if (path.startsWith('/flaky') && n <= 2) {
          res.writeHead(500).end('not yet');
        } else if (path.startsWith('/nonretry')) {
          res.writeHead(489, { 'Upstash-NonRetryable-Error': 'true' }).end('bad payload');
        } else {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uid = () => Math.random().toString(36).slice(2, 10);

async function expectQstashStatus(promise: Promise<unknown>, status: number): Promise<QstashError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected the request to fail with ${status}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QstashError);
  expect((err as QstashError).status).toBe(status);
  return err as QstashError;
}

let dest: Destination;
let fast: QStashStandIn; // timeScale 600: 1 virtual minute = 100 ms, first backoff 12 s = 20 ms
let minute: QStashStandIn; // timeScale 60: `* * * * *` fires about once per real second
let client: Client;
let scheduleClient: Client;

beforeAll(async () => {
  dest = await startDestination();
  const common = { token: TOKEN, currentSigningKey: CURRENT, nextSigningKey: NEXT };
  fast = await startQStashStandIn({ ...common, timeScale: 600, deliveryTimeoutMs: 2000 });
  minute = await startQStashStandIn({ ...common, timeScale: 60, deliveryTimeoutMs: 2000 });
  client = new Client({ baseUrl: fast.url, token: TOKEN });
  scheduleClient = new Client({ baseUrl: minute.url, token: TOKEN });
});

afterAll(async () => {
  await Promise.all([fast?.close(), minute?.close()]);
  await dest?.close();
});

describe('publish and delivery', () => {
  it('delivers publishJSON with body, forwarded headers, message id and a Receiver-valid signature', async () => {
    const url = `${dest.base}/ok/basic?lead=42&src=a%20b`;
    const res = await client.publishJSON({ url, body: { hello: 'world' }, headers: { 'X-Lead-Source': 'zillow' } });
    expect(res.messageId).toMatch(/^msg_/);
    expect(res.url).toBe(url);

    const got = await waitFor(() => dest.received.find((r) => r.headers['upstash-message-id'] === res.messageId));
    expect(got.verifyError).toBeUndefined();
    expect(got.verified).toBe(true);
    expect(got.url).toBe(url);
    expect(got.method).toBe('POST');
    expect(JSON.parse(got.body)).toEqual({ hello: 'world' });
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-lead-source']).toBe('zillow');
    expect(got.headers['upstash-retried']).toBe('0');
    expect(got.headers['user-agent']).toBe('Upstash-QStash');
    // Upstash-* publish options and telemetry headers are not forwarded.
    expect(got.headers['upstash-method']).toBeUndefined();
    expect(got.headers['upstash-telemetry-sdk']).toBeUndefined();

    const claims = decodeJwt(got.headers['upstash-signature']!);
    expect(claims.iss).toBe('Upstash');
    expect(claims.sub).toBe(url);
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf).toBe(claims.iat);
    // Real-clock timestamps even though this stand-in runs 600x faster.
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(5);
    expect(claims.body).toMatch(/^[A-Za-z0-9_-]{43}$/); // base64url SHA-256, no padding

    const record = fast.deliveries().find((d) => d.messageId === res.messageId);
    expect(record).toMatchObject({ url, attempt: 1, retried: 0, status: 200, kind: 'message' });
  });

  it('signs with the current key: wrong keys, a tampered body or another url are rejected', async () => {
    const url = `${dest.base}/ok/signature`;
    const { messageId } = await client.publishJSON({ url, body: { n: 1 } });
    const got = await waitFor(() => dest.received.find((r) => r.headers['upstash-message-id'] === messageId));
    const signature = got.headers['upstash-signature']!;
    const ok = { signature, body: got.body, url };

    await expect(new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT }).verify(ok)).resolves.toBe(true);
    // Only the current key signs; the Receiver's fallback to `next` must not be what saves it.
    await expect(new Receiver({ currentSigningKey: NEXT, nextSigningKey: 'sig_wrong' }).verify(ok)).rejects.toThrow();
    await expect(new Receiver({ currentSigningKey: 'sig_wrong', nextSigningKey: CURRENT }).verify(ok)).resolves.toBe(true);
    await expect(new Receiver({ currentSigningKey: 'sig_a', nextSigningKey: 'sig_b' }).verify(ok)).rejects.toThrow();
    await expect(
      new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT }).verify({ ...ok, body: got.body.replace('1', '2') }),
    ).rejects.toThrow(/body hash/);
    await expect(
      new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT }).verify({ ...ok, url: `${dest.base}/ok/elsewhere` }),
    ).rejects.toThrow(/subject/);
  });

  it('answers 401 / 404 / 400 with a JSON error like QStash', async () => {
    const url = `${dest.base}/ok/errors`;
    const unauthorized = await expectQstashStatus(new Client({ baseUrl: fast.url, token: 'nope' }).publishJSON({ url, body: {} }), 401);
    expect(JSON.parse(unauthorized.message)).toHaveProperty('error');

    const notFound = await fetch(`${fast.url}/v2/does-not-exist`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toHaveProperty('error');

    const badDelay = await expectQstashStatus(client.publishJSON({ url, body: {}, delay: 'soon' as unknown as number }), 400);
    expect(JSON.parse(badDelay.message).error).toMatch(/Upstash-Delay/);
    await expectQstashStatus(client.schedules.create({ destination: url, cron: '61 * * * *' }), 400);
    await expectQstashStatus(client.schedules.create({ destination: url, cron: '* * * *' }), 400);
    await expectQstashStatus(client.publishJSON({ url, body: {}, retryDelay: 'pow(2,' }), 400);
  });

  it('deduplicates by Upstash-Deduplication-Id and by content: same messageId, one delivery', async () => {
    const url = `${dest.base}/ok/dedup-${uid()}`;
    const dedupId = `lead-${uid()}`;
    const a = await client.publishJSON({ url, body: { lead: 2 }, deduplicationId: dedupId });
    const b = await client.publishJSON({ url, body: { lead: 2 }, deduplicationId: dedupId });
    expect(b.messageId).toBe(a.messageId);
    expect(b.deduplicated).toBe(true);

    const contentUrl = `${dest.base}/ok/content-${uid()}`;
    const c1 = await client.publishJSON({ url: contentUrl, body: { same: true }, contentBasedDeduplication: true });
    const c2 = await client.publishJSON({ url: contentUrl, body: { same: true }, contentBasedDeduplication: true });
    const c3 = await client.publishJSON({ url: contentUrl, body: { same: false }, contentBasedDeduplication: true });
    expect(c2.messageId).toBe(c1.messageId);
    expect(c3.messageId).not.toBe(c1.messageId);

    await waitFor(() => dest.received.some((r) => r.headers['upstash-message-id'] === a.messageId));
    await waitFor(() => dest.received.some((r) => r.headers['upstash-message-id'] === c3.messageId));
    await sleep(200);
    expect(dest.received.filter((r) => r.headers['upstash-message-id'] === a.messageId)).toHaveLength(1);
    expect(dest.received.filter((r) => r.headers['upstash-message-id'] === c1.messageId)).toHaveLength(1);
  });

  it('holds a message for its Upstash-Delay on the compressed clock', async () => {
    const url = `${dest.base}/ok/delay-${uid()}`;
    const virtualStart = fast.now();
    const realStart = Date.now();
    const { messageId } = await client.publishJSON({ url, body: {}, delay: '5m' }); // 300 s virtual = 500 ms real
    await sleep(250);
    expect(dest.received.some((r) => r.headers['upstash-message-id'] === messageId)).toBe(false);
    const got = await waitFor(() => dest.received.find((r) => r.headers['upstash-message-id'] === messageId), 3000);
    expect(got.verified).toBe(true);
    expect(got.realAt - realStart).toBeGreaterThanOrEqual(450);
    const record = fast.deliveries().find((d) => d.messageId === messageId)!;
    expect(record.at - virtualStart).toBeGreaterThanOrEqual(300_000);
  });

  it('retries a failing destination with growing backoff: Upstash-Retried 0, 1, 2', async () => {
    const url = `${dest.base}/flaky/${uid()}`;
    const { messageId } = await client.publishJSON({ url, body: { attempt: 'x' }, retries: 3 });
    const attempts = await waitFor(() => {
      const list = dest.received.filter((r) => r.headers['upstash-message-id'] === messageId);
      return list.length >= 3 && list;
    }, 4000, 'three attempts');
    await sleep(100);
    expect(dest.received.filter((r) => r.headers['upstash-message-id'] === messageId)).toHaveLength(3);
    expect(attempts.map((a) => a.headers['upstash-retried'])).toEqual(['0', '1', '2']);
    expect(attempts.every((a) => a.verified)).toBe(true);

    const gap1 = attempts[1]!.realAt - attempts[0]!.realAt; // e^2.5 s ≈ 12 s virtual ≈ 20 ms
    const gap2 = attempts[2]!.realAt - attempts[1]!.realAt; // e^5 s ≈ 148 s virtual ≈ 247 ms
    expect(gap1).toBeGreaterThanOrEqual(15);
    expect(gap2).toBeGreaterThan(gap1);
    expect(gap2).toBeGreaterThanOrEqual(200);

    const records = fast.deliveries().filter((d) => d.messageId === messageId);
    expect(records.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(records[1]!.at - records[0]!.at).toBeGreaterThanOrEqual(12_000);
    expect(records[2]!.at - records[1]!.at).toBeGreaterThanOrEqual(148_000);
    expect(fast.deadLetters().some((d) => d.messageId === messageId)).toBe(false);
  });

  it('dead-letters an always-failing message after its last retry, visible and deletable via client.dlq', async () => {
    const id = uid();
    const url = `${dest.base}/fail/${id}`;
    const failureCallback = `${dest.base}/ok/failure-callback/${id}`;
    const { messageId } = await client.publishJSON({ url, body: { lead: id }, retries: 2, failureCallback });

    const entry = await waitFor(async () => (await client.dlq.listMessages()).messages.find((m) => m.messageId === messageId), 4000, 'dlq entry');
    expect(entry.url).toBe(url);
    expect(entry.responseStatus).toBe(500);
    expect(entry.responseBody).toBe('boom');
    expect(entry.maxRetries).toBe(2);
    expect(JSON.parse(entry.body!)).toEqual({ lead: id });
    expect(entry.dlqId).toBeTruthy();
    const attempts = dest.received.filter((r) => r.headers['upstash-message-id'] === messageId);
    expect(attempts.map((a) => a.headers['upstash-retried'])).toEqual(['0', '1', '2']);

    const callback = await waitFor(() => dest.received.find((r) => r.path === `/ok/failure-callback/${id}`), 3000, 'failure callback');
    expect(callback.verified).toBe(true);
    const payload = JSON.parse(callback.body);
    expect(payload).toMatchObject({ status: 500, sourceMessageId: messageId, dlqId: entry.dlqId, retried: 2, maxRetries: 2, url });
    expect(Buffer.from(payload.body, 'base64').toString()).toBe('boom');
    expect(JSON.parse(Buffer.from(payload.sourceBody, 'base64').toString())).toEqual({ lead: id });

    await client.dlq.delete(entry.dlqId);
    expect((await client.dlq.listMessages()).messages.some((m) => m.dlqId === entry.dlqId)).toBe(false);
    expect(fast.deadLetters().some((d) => d.dlqId === entry.dlqId)).toBe(false);
  });

  it('sends a 489 with Upstash-NonRetryable-Error straight to the DLQ after one attempt', async () => {
    const url = `${dest.base}/nonretry/${uid()}`;
    const { messageId } = await client.publishJSON({ url, body: {}, retries: 3 });
    const entry = await waitFor(async () => (await client.dlq.listMessages({ filter: { url } })).messages.find((m) => m.messageId === messageId), 3000);
    expect(entry.responseStatus).toBe(489);
    await sleep(400); // longer than the first two backoffs at this time scale
    expect(dest.received.filter((r) => r.headers['upstash-message-id'] === messageId)).toHaveLength(1);
  });

  it('counts network errors as failures (unreachable destination → DLQ without a response)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/gone`;
    const { messageId } = await client.publishJSON({ url, body: {}, retries: 0 });
    const entry = await waitFor(() => fast.deadLetters().find((d) => d.messageId === messageId), 3000);
    expect(entry.responseStatus).toBeUndefined();
    const record = fast.deliveries().find((d) => d.messageId === messageId)!;
    expect(record.status).toBeNull();
    expect(record.error).toBeTruthy();
  });

  it('posts a signed callback with the destination response', async () => {
    const id = uid();
    const url = `${dest.base}/ok/with-callback/${id}`;
    const callback = `${dest.base}/ok/callback/${id}`;
    const { messageId } = await client.publishJSON({ url, body: { q: 1 }, callback });
    const got = await waitFor(() => dest.received.find((r) => r.path === `/ok/callback/${id}`), 3000, 'callback');
    expect(got.verified).toBe(true);
    expect(got.headers['upstash-message-id']).not.toBe(messageId);
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({ status: 200, sourceMessageId: messageId, retried: 0, url, method: 'POST' });
    expect(Buffer.from(payload.body, 'base64').toString()).toBe('ok');
  });

  it('messages.get shows a pending delayed message and messages.delete cancels it', async () => {
    const url = `${dest.base}/ok/cancel-${uid()}`;
    const { messageId } = await client.publishJSON({ url, body: { cancel: 'me' }, delay: '5m' });
    const message = await client.messages.get(messageId);
    expect(message).toMatchObject({ messageId, url, method: 'POST', maxRetries: 3 });
    expect(JSON.parse(message.body!)).toEqual({ cancel: 'me' });
    expect(message.header?.['Content-Type']).toEqual(['application/json']);
    expect(message.notBefore! - message.createdAt).toBeGreaterThanOrEqual(299_000);

    await client.messages.delete(messageId);
    await sleep(900); // the 5 virtual minutes (500 ms) have passed
    expect(dest.received.some((r) => r.headers['upstash-message-id'] === messageId)).toBe(false);
    expect(fast.deliveries().some((d) => d.messageId === messageId)).toBe(false);
    await expectQstashStatus(client.messages.get(messageId), 404);
    await expectQstashStatus(client.messages.delete(messageId), 404);
  });

  it('accepts queue enqueues and batchJSON', async () => {
    const a = `${dest.base}/ok/batch-a-${uid()}`;
    const b = `${dest.base}/ok/batch-b-${uid()}`;
    const results = await client.batchJSON([
      { url: a, body: { n: 'a' } },
      { url: b, body: { n: 'b' }, headers: { 'X-Batch': 'yes' } },
    ]);
    expect(results).toHaveLength(2);
    const q = `${dest.base}/ok/queued-${uid()}`;
    const enq = await client.queue({ queueName: `leads-${uid()}` }).enqueueJSON({ url: q, body: { queued: true } });
    for (const id of [...results.map((r) => (r as { messageId: string }).messageId), enq.messageId]) {
      const got = await waitFor(() => dest.received.find((r) => r.headers['upstash-message-id'] === id), 3000);
      expect(got.verified).toBe(true);
    }
    expect(dest.received.find((r) => r.url === b)?.headers['x-batch']).toBe('yes');
  });
});

describe('schedules (timeScale 60: one virtual minute per real second)', () => {
  const scheduleId = `digest-${uid()}`;
  const path = `/ok/sched/${scheduleId}`;
  const fired = () => dest.received.filter((r) => r.path === path);

  it('creating twice with the same Upstash-Schedule-Id is an idempotent upsert', async () => {
    const destination = `${dest.base}${path}`;
    const first = await scheduleClient.schedules.create({ destination, cron: '* * * * *', scheduleId, body: JSON.stringify({ v: 1 }) });
    const second = await scheduleClient.schedules.create({
      destination,
      cron: '* * * * *',
      scheduleId,
      body: JSON.stringify({ v: 2 }),
      headers: { 'X-Job': 'digest' },
    });
    expect(first.scheduleId).toBe(scheduleId);
    expect(second.scheduleId).toBe(scheduleId);
    expect((await scheduleClient.schedules.list()).filter((s) => s.scheduleId === scheduleId)).toHaveLength(1);

    const schedule = await scheduleClient.schedules.get(scheduleId);
    expect(schedule).toMatchObject({ scheduleId, cron: '* * * * *', destination, method: 'POST', isPaused: false, retries: 3 });
    expect(JSON.parse(schedule.body!)).toEqual({ v: 2 });
    expect(schedule.header?.['X-Job']).toEqual(['digest']);
    expect(schedule.nextScheduleTime! - minute.now()).toBeLessThanOrEqual(60_000);

    const zoned = await scheduleClient.schedules.create({ destination, cron: 'CRON_TZ=America/New_York 0 9 * * 1-5' });
    expect((await scheduleClient.schedules.get(zoned.scheduleId)).cron).toBe('CRON_TZ=America/New_York 0 9 * * 1-5');
    await scheduleClient.schedules.delete(zoned.scheduleId);
  });

  it('fires on its cron about once per real second, each firing a signed message of its own', async () => {
    const runs = await waitFor(() => fired().length >= 2 && fired(), 3500, 'two firings');
    expect(runs.every((r) => r.verified)).toBe(true);
    expect(runs.every((r) => r.headers['upstash-schedule-id'] === scheduleId)).toBe(true);
    expect(runs.every((r) => r.headers['x-job'] === 'digest')).toBe(true);
    expect(JSON.parse(runs[0]!.body)).toEqual({ v: 2 });
    expect(new Set(runs.map((r) => r.headers['upstash-message-id'])).size).toBe(runs.length);
    const gap = runs[1]!.realAt - runs[0]!.realAt;
    expect(gap).toBeGreaterThan(600);
    expect(gap).toBeLessThan(1600);
  });

  it('stops firing while paused and starts again on resume', async () => {
    await scheduleClient.schedules.pause({ schedule: scheduleId });
    expect((await scheduleClient.schedules.get(scheduleId)).isPaused).toBe(true);
    await sleep(200);
    const count = fired().length;
    await sleep(1500);
    expect(fired().length).toBe(count);

    await scheduleClient.schedules.resume({ schedule: scheduleId });
    expect((await scheduleClient.schedules.get(scheduleId)).isPaused).toBe(false);
    await waitFor(() => fired().length > count, 2500, 'a firing after resume');
  });

  it('delete removes the schedule and its firings stop', async () => {
    await scheduleClient.schedules.delete(scheduleId);
    await expectQstashStatus(scheduleClient.schedules.get(scheduleId), 404);
    expect((await scheduleClient.schedules.list()).some((s) => s.scheduleId === scheduleId)).toBe(false);
    await sleep(200);
    const count = fired().length;
    await sleep(1300);
    expect(fired().length).toBe(count);
  });
});
