import { describe, expect, it } from 'vitest';
import { countSucceededRuns } from '../../services/jobs/runs';
import { call, env, json, withDb } from '../../testing/client';
import { deliverRaw, qstashSignature as sign } from '../../testing/qstash';

const URL_PATH = '/jobs/heartbeat';

const qstashSignature = (body: string, opts: { key?: string; url?: string } = {}) => sign(URL_PATH, body, opts);
const deliver = (body: string, signature: string | undefined, messageId: string, retried = 0) => deliverRaw(URL_PATH, body, signature, messageId, retried);

describe('POST /jobs/heartbeat', () => {
  it('rejects a call without a QStash signature and records nothing', async () => {
    const before = await withDb((db) => countSucceededRuns(db, 'heartbeat'));
    const res = await deliver('{}', undefined, 'msg_unsigned');
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('unauthorized');
    expect(await withDb((db) => countSucceededRuns(db, 'heartbeat'))).toBe(before);
  });

  it.each([
    ['signed with an unknown key', { key: 'not-the-signing-key' }, '{}'],
    ['addressed to another URL', { url: 'http://evil.test/jobs/heartbeat' }, '{}'],
  ])('rejects a signature %s', async (_label, opts, body) => {
    const res = await deliver(body, await qstashSignature(body, opts), `msg_bad_${crypto.randomUUID()}`);
    expect(res.status).toBe(401);
  });

  it('rejects a body that does not match the signed hash', async () => {
    const sig = await qstashSignature('{}');
    const res = await deliver('{"tampered":true}', sig, `msg_tamper_${crypto.randomUUID()}`);
    expect(res.status).toBe(401);
  });

  it('accepts the next signing key (rotation)', async () => {
    const res = await deliver('{}', await qstashSignature('{}', { key: env.QSTASH_NEXT_SIGNING_KEY }), `msg_next_${crypto.randomUUID()}`);
    expect(res.status).toBe(200);
  });

  it('records one run per QStash message, however often it is redelivered', async () => {
    const before = await withDb((db) => countSucceededRuns(db, 'heartbeat'));
    const messageId = `msg_${crypto.randomUUID()}`;
    const first = await deliver('{}', await qstashSignature('{}'), messageId);
    expect(first.status).toBe(200);
    expect(await json(first)).toMatchObject({ job: 'heartbeat', duplicate: false });
    const again = await deliver('{}', await qstashSignature('{}'), messageId, 1);
    expect(await json(again)).toMatchObject({ job: 'heartbeat', duplicate: true });
    expect(await withDb((db) => countSucceededRuns(db, 'heartbeat'))).toBe(before + 1);

    const ready = await json(await call('/health/ready'));
    expect(ready.jobs.heartbeat.status).toBe('succeeded');
  });
});
