/**
 * The tenant-webhook sink: records what it receives byte for byte (so a signature made in the
 * Worker verifies on what arrived), fails on request, and is inspectable over HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signLeadPulsePayload, verifyLeadPulseSignature } from '../../worker/services/tenant-webhooks/signature';
import { startWebhookSink, type ReceivedRequest, type WebhookSink } from './server';

let sink: WebhookSink;
beforeAll(async () => {
  sink = await startWebhookSink();
});
afterAll(() => sink.close());
beforeEach(() => sink.reset());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${sink.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function inspect(path: string): Promise<ReceivedRequest[]> {
  const res = await fetch(`${sink.url}/_sink/requests?path=${encodeURIComponent(path)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { requests: ReceivedRequest[] }).requests;
}

describe('webhook sink', () => {
  it('records headers and the raw body per path, and answers 200', async () => {
    // Odd spacing and a non-ASCII character: what is recorded must be the bytes sent, not a re-serialisation.
    const body = '{"id":"owh_1",  "data":{"name":"Zoë"}}';
    const res = await post('/hooks/a', body, { 'LeadPulse-Event': 'alert.created' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true });
    await post('/hooks/b', '{}');

    const onA = await inspect('/hooks/a');
    expect(onA).toHaveLength(1);
    expect(onA[0]).toMatchObject({ method: 'POST', path: '/hooks/a', body, status: 200 });
    expect(onA[0]!.headers['leadpulse-event']).toBe('alert.created');
    expect(onA[0]!.headers['content-type']).toBe('application/json');
    expect(await inspect('/hooks/b')).toHaveLength(1);
    expect(sink.requests()).toHaveLength(2);
  });

  it('keeps a signature made in one process verifiable on what the sink recorded', async () => {
    const secret = 'whsec_0123456789abcdef';
    const body = JSON.stringify({ id: 'owh_2', type: 'webhook.test', data: { n: 1 } });
    await post('/hooks/signed', body, { 'LeadPulse-Signature': await signLeadPulsePayload(secret, body) });
    const [got] = await inspect('/hooks/signed');
    expect(await verifyLeadPulseSignature(secret, got!.headers['leadpulse-signature'], got!.body)).toBe(true);
    expect(await verifyLeadPulseSignature(secret, got!.headers['leadpulse-signature'], got!.body.replace('"n":1', '"n":2'))).toBe(false);
  });

  it('fails the next N requests on a path with the given status, then recovers; other paths are unaffected', async () => {
    const fault = await fetch(`${sink.url}/_sink/faults`, { method: 'POST', body: JSON.stringify({ path: '/hooks/flaky', status: 503, count: 2 }) });
    expect(fault.status).toBe(201);
    expect((await post('/hooks/other', '{}')).status).toBe(200);
    expect((await post('/hooks/flaky', '{}')).status).toBe(503);
    expect((await post('/hooks/flaky', '{}')).status).toBe(503);
    expect((await post('/hooks/flaky', '{}')).status).toBe(200);
    const seen = await inspect('/hooks/flaky');
    expect(seen.map((r) => [r.status, r.fault ?? false])).toEqual([
      [503, true],
      [503, true],
      [200, false],
    ]);
  });

  it('can drop the connection, or answer late', async () => {
    sink.injectFault({ path: '/hooks/drop', status: 0, count: 1 });
    await expect(post('/hooks/drop', '{}')).rejects.toThrow();
    expect(await inspect('/hooks/drop')).toMatchObject([{ status: 0, fault: true }]);

    sink.injectFault({ path: '/hooks/slow', status: 200, count: 1, delayMs: 300 });
    const started = Date.now();
    expect((await post('/hooks/slow', '{}')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses a malformed fault with 400', async () => {
    for (const bad of [{ path: 'no-slash', status: 500, count: 1 }, { path: '/x', status: 99, count: 1 }, { path: '/x', status: 500, count: 0 }, 'not json']) {
      const res = await fetch(`${sink.url}/_sink/faults`, { method: 'POST', body: typeof bad === 'string' ? bad : JSON.stringify(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('forgets one path, or everything, on DELETE /_sink', async () => {
    await post('/hooks/keep', '{}');
    await post('/hooks/drop-me', '{}');
    sink.injectFault({ path: '/hooks/drop-me', status: 500, count: 5 });
    expect((await fetch(`${sink.url}/_sink?path=/hooks/drop-me`, { method: 'DELETE' })).status).toBe(204);
    expect(await inspect('/hooks/drop-me')).toEqual([]);
    expect(await inspect('/hooks/keep')).toHaveLength(1);
    // The path's pending faults went with it.
    expect((await post('/hooks/drop-me', '{}')).status).toBe(200);

    expect((await fetch(`${sink.url}/_sink`, { method: 'DELETE' })).status).toBe(204);
    expect(sink.requests()).toEqual([]);
  });

  it('answers 413 to a body over its limit, and 404 to an unknown inspection path', async () => {
    const small = await startWebhookSink({ maxBodyBytes: 10 });
    try {
      const res = await fetch(`${small.url}/big`, { method: 'POST', body: 'x'.repeat(100) });
      expect(res.status).toBe(413);
      expect(small.requests({ path: '/big' })).toMatchObject([{ status: 413, body: '' }]);
      expect((await fetch(`${small.url}/_sink/nope`)).status).toBe(404);
    } finally {
      await small.close();
    }
  });
});
