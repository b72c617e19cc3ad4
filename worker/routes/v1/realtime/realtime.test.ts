/**
 * GET /v1/realtime and POST /v1/realtime/ticket: who may open a feed, what arrives on it (once),
 * what a reconnect replays, and that one tenant's messages never reach another's sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config';
import { CLOSE_SIGNED_OUT, CLOSE_TOO_MANY, LOG_MAX_ENTRIES, MAX_SOCKETS } from '../../../realtime/hub';
import { createRedis, openSystemContext } from '../../../services/clients';
import { disconnectRealtime, hubName, publishRealtime, type RealtimeAudience, type RealtimeMessage } from '../../../services/realtime/publish';
import { ticketKey } from '../../../services/realtime/tickets';
import { call, env, json } from '../../../testing/client';
import { api, login, memberWithRole, provisionTestTenant, randomIp, TEST_PASSWORD } from '../../../testing/factory';

interface Frame {
  type: string;
  id: string;
  data: any;
  cursor: number;
}

function connect(opts: { token?: string; ticket?: string; cursor?: number | string; upgrade?: boolean; protocols?: string } = {}) {
  const q = new URLSearchParams();
  if (opts.ticket !== undefined) q.set('ticket', opts.ticket);
  if (opts.cursor !== undefined) q.set('cursor', String(opts.cursor));
  const headers: Record<string, string> = { 'cf-connecting-ip': randomIp() };
  if (opts.upgrade !== false) headers.upgrade = 'websocket';
  const protocols = opts.protocols ?? (opts.token ? `leadpulse.v1, ${opts.token}` : undefined);
  if (protocols) headers['sec-websocket-protocol'] = protocols;
  return call(`/v1/realtime${q.size ? `?${q}` : ''}`, { headers });
}

/** An open feed collecting every frame (`pong` kept as the string it is). */
class Feed {
  readonly frames: Array<Frame | string> = [];
  closed: { code: number; reason: string } | null = null;
  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (e) => {
      const text = e.data as string;
      this.frames.push(text.startsWith('{') ? (JSON.parse(text) as Frame) : text);
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }
  get messages(): Frame[] {
    return this.frames.filter((f): f is Frame => typeof f !== 'string' && f.type !== 'hello');
  }
  hellos(): Frame[] {
    return this.frames.filter((f): f is Frame => typeof f !== 'string' && f.type === 'hello');
  }
  async until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames).slice(0, 800)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  /** The hello marks the end of the replay; a live message after it proves earlier ones arrived. */
  ready() {
    return this.until(() => this.hellos()[0], 'hello');
  }
  message(id: string) {
    return this.until(() => this.messages.find((m) => m.id === id), `message ${id}`);
  }
  close() {
    if (!this.closed) this.ws.close(1000, 'done');
  }
}

const feeds: Feed[] = [];
afterEach(() => {
  for (const f of feeds.splice(0)) f.close();
});

async function openFeed(opts: Parameters<typeof connect>[0]): Promise<Feed> {
  const res = await connect(opts);
  if (res.status !== 101) throw new Error(`expected a socket, got ${res.status} ${await res.text()}`);
  const feed = new Feed(res.webSocket!);
  feeds.push(feed);
  await feed.ready();
  return feed;
}

async function publish(tenantId: string, audience: RealtimeAudience, msg: RealtimeMessage) {
  const { ctx, close } = openSystemContext(env, tenantId);
  try {
    return await publishRealtime(ctx, audience, msg);
  } finally {
    await close();
  }
}

const alertCreated = (id: string, extra: Record<string, unknown> = {}): RealtimeMessage => ({
  key: `alert.created:${id}`,
  type: 'alert.created',
  id,
  data: { id, kind: 'sell', probability: 0.82, ...extra },
});

const hub = (tenantId: string, userId: string) => env.REALTIME_HUB.get(env.REALTIME_HUB.idFromName(hubName(tenantId, userId)));

async function ticketFor(token: string) {
  const res = await api('/v1/realtime/ticket', { method: 'POST', token });
  expect(res.status).toBe(200);
  return json<{ ticket: string; expiresAt: string }>(res);
}

describe('GET /v1/realtime: who may connect', () => {
  it('opens the signed-in user’s feed with the access token in the subprotocol', async () => {
    const t = await provisionTestTenant();
    const res = await connect({ token: t.owner.token });
    expect(res.status).toBe(101);
    expect(res.headers.get('sec-websocket-protocol')).toBe('leadpulse.v1');
    const feed = new Feed(res.webSocket!);
    feeds.push(feed);
    const hello = await feed.ready();
    expect(hello).toEqual({ type: 'hello', id: t.owner.id, data: { cursor: 0, replayed: 0, gap: false }, cursor: 0 });
  });

  it('refuses missing or bad credentials (401), API keys (403), plain requests (426) and a bad cursor (422)', async () => {
    const t = await provisionTestTenant();
    const none = await connect();
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('unauthorized');
    expect((await connect({ token: 'garbage' })).status).toBe(401);
    expect((await connect({ protocols: 'leadpulse.v1' })).status).toBe(401);

    const key = await connect({ token: t.apiKey });
    expect(key.status).toBe(403);
    expect((await json(key)).error.code).toBe('forbidden');
    const keyTicket = await api('/v1/realtime/ticket', { method: 'POST', token: t.apiKey });
    expect(keyTicket.status).toBe(403);

    const plain = await connect({ token: t.owner.token, upgrade: false });
    expect(plain.status).toBe(426);
    expect((await json(plain)).error.code).toBe('upgrade_required');

    for (const cursor of ['-1', 'abc', '1.5', '']) {
      const bad = await connect({ token: t.owner.token, cursor });
      expect(bad.status, `cursor=${cursor}`).toBe(422);
      expect((await json(bad)).error.details[0].path).toBe('cursor');
    }
    expect((await api('/v1/realtime/ticket', { method: 'POST' })).status).toBe(401);
  });

  it('accepts a ticket once, then refuses it; unknown, malformed and expired tickets are refused', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const issued = await ticketFor(agent.token);
    expect(issued.ticket).toMatch(/^lpws_[A-Za-z0-9_-]{43}$/);
    const ttl = new Date(issued.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // A request that cannot become a socket does not spend the ticket.
    expect((await connect({ ticket: issued.ticket, upgrade: false })).status).toBe(426);
    const feed = await openFeed({ ticket: issued.ticket });
    expect(feed.hellos()[0]!.id).toBe(agent.id);
    const again = await connect({ ticket: issued.ticket });
    expect(again.status).toBe(401);
    expect((await json(again)).error.message).toMatch(/already used/);

    // Two racing connections with one ticket: exactly one wins.
    const raced = await ticketFor(agent.token);
    const statuses = (await Promise.all([connect({ ticket: raced.ticket }), connect({ ticket: raced.ticket })])).map((r) => {
      if (r.webSocket) feeds.push(new Feed(r.webSocket));
      return r.status;
    });
    expect(statuses.sort()).toEqual([101, 401]);

    expect((await connect({ ticket: `lpws_${'A'.repeat(43)}` })).status).toBe(401);
    expect((await connect({ ticket: 'not-a-ticket' })).status).toBe(401);

    // Expired: the stored deadline has passed even though Redis still holds the key.
    const stale = await ticketFor(agent.token);
    const redis = createRedis(loadConfig(env));
    const key = await ticketKey(stale.ticket);
    const stored = (await redis.get<Record<string, unknown>>(key))!;
    expect(stored).toMatchObject({ tenantId: t.id, userId: agent.id });
    await redis.set(key, { ...stored, expiresAt: Date.now() - 1 }, { ex: 60 });
    expect((await connect({ ticket: stale.ticket })).status).toBe(401);
  });

  it('refuses a ticket whose user was removed after it was issued', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const { ticket } = await ticketFor(agent.token);
    expect((await api(`/v1/users/${agent.id}`, { method: 'DELETE', token: t.owner.token })).status).toBeLessThan(300);
    expect((await connect({ ticket })).status).toBe(401);
  });
});

describe('delivery', () => {
  it('pushes a published message to the open socket as { type, id, data, cursor }', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const feed = await openFeed({ token: agent.token });
    const result = await publish(t.id, { userIds: [agent.id, t.owner.id] }, alertCreated('alrt_first'));
    // The owner has no socket open: logged for replay, but not delivered.
    expect(result).toEqual({ deliveredTo: [agent.id] });
    expect(await feed.message('alrt_first')).toEqual({ type: 'alert.created', id: 'alrt_first', data: { id: 'alrt_first', kind: 'sell', probability: 0.82 }, cursor: 1 });
    await publish(t.id, { userIds: [agent.id] }, { key: 'lead.updated:lead_1:1', type: 'lead.updated', id: 'lead_1', data: { score: 71 } });
    expect((await feed.message('lead_1')).cursor).toBe(2);
  });

  it('never sends a second copy of the same key, to any socket', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const [phone, laptop] = [await openFeed({ token: agent.token }), await openFeed({ token: agent.token })];
    expect(await publish(t.id, { userIds: [agent.id] }, alertCreated('alrt_dup'))).toEqual({ deliveredTo: [agent.id] });
    // The same key again (a retried publisher, a second path raising the same alert), even with other data.
    expect(await publish(t.id, { userIds: [agent.id, agent.id] }, alertCreated('alrt_dup', { probability: 0.9 }))).toEqual({ deliveredTo: [] });
    expect(await hub(t.id, agent.id).publish(alertCreated('alrt_dup'))).toEqual({ cursor: 1, sockets: 0, duplicate: true });
    // A later message is the barrier: frames from one hub arrive in order.
    await publish(t.id, { userIds: [agent.id] }, { key: 'alert.updated:alrt_dup:acknowledged', type: 'alert.updated', id: 'alrt_dup', data: { status: 'acknowledged' } });
    for (const feed of [phone, laptop]) {
      await feed.until(() => feed.messages.some((m) => m.type === 'alert.updated'), 'alert.updated');
      expect(feed.messages.map((m) => [m.type, m.cursor])).toEqual([
        ['alert.created', 1],
        ['alert.updated', 2],
      ]);
      expect(feed.messages[0]!.data.probability).toBe(0.82);
    }
  });

  it('replays exactly what was missed, in order, on reconnect with the last cursor', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const first = await openFeed({ token: agent.token });
    for (const n of [1, 2]) await publish(t.id, { userIds: [agent.id] }, alertCreated(`alrt_${n}`));
    await first.message('alrt_2');
    const last = first.messages.at(-1)!.cursor;
    first.close();

    for (const n of [3, 4, 5]) await publish(t.id, { userIds: [agent.id] }, alertCreated(`alrt_${n}`));
    const second = await openFeed({ token: agent.token, cursor: last });
    expect(second.messages.map((m) => [m.id, m.cursor])).toEqual([
      ['alrt_3', 3],
      ['alrt_4', 4],
      ['alrt_5', 5],
    ]);
    expect(second.hellos()[0]!.data).toEqual({ cursor: 5, replayed: 3, gap: false });
    await publish(t.id, { userIds: [agent.id] }, alertCreated('alrt_6'));
    expect((await second.message('alrt_6')).cursor).toBe(6);
    expect(second.messages.map((m) => m.cursor)).toEqual([3, 4, 5, 6]);

    // Up to date: nothing replayed. From 0: everything.
    expect((await openFeed({ token: agent.token, cursor: 6 })).messages).toEqual([]);
    expect((await openFeed({ token: agent.token, cursor: 0 })).messages.map((m) => m.cursor)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('neither loses nor duplicates a message published while a reconnect is replaying', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const stub = hub(t.id, agent.id);
    for (let i = 1; i <= 50; i++) await stub.publish(alertCreated(`alrt_pre${i}`));
    const burst = (async () => {
      for (let i = 1; i <= 60; i++) {
        await stub.publish(alertCreated(`alrt_burst${i}`));
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const sockets = await Promise.all([connect({ token: agent.token, cursor: 10 }), connect({ token: agent.token, cursor: 30 }), connect({ token: agent.token, cursor: 0 })]);
    await burst;
    await stub.publish(alertCreated('alrt_end'));
    for (const [i, res] of sockets.entries()) {
      expect(res.status).toBe(101);
      const feed = new Feed(res.webSocket!);
      feeds.push(feed);
      await feed.message('alrt_end');
      const from = [10, 30, 0][i]!;
      const cursors = feed.messages.map((m) => m.cursor);
      expect(cursors, `socket from ${from}`).toEqual(Array.from({ length: 111 - from }, (_, k) => from + 1 + k));
    }
  });

  it('tells a client whose cursor fell off the log (or is unknown) that it has a gap', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const stub = hub(t.id, agent.id);
    const total = LOG_MAX_ENTRIES + 5;
    for (let i = 1; i <= total; i++) await stub.publish(alertCreated(`alrt_n${i}`));
    expect(await stub.stats()).toMatchObject({ cursor: total, logged: LOG_MAX_ENTRIES });

    const behind = await openFeed({ token: agent.token, cursor: 1 });
    expect(behind.hellos()[0]!.data).toEqual({ cursor: total, replayed: LOG_MAX_ENTRIES, gap: true });
    expect(behind.messages[0]!.cursor).toBe(6);
    const justInside = await openFeed({ token: agent.token, cursor: 5 });
    expect(justInside.hellos()[0]!.data).toEqual({ cursor: total, replayed: LOG_MAX_ENTRIES, gap: false });
    const ahead = await openFeed({ token: agent.token, cursor: total + 100 });
    expect(ahead.hellos()[0]!.data).toEqual({ cursor: total, replayed: 0, gap: true });
  });

  // The hub's own message handler ignores everything: a pong can only come from the runtime's auto-response.
  it('answers ping with pong', async () => {
    const t = await provisionTestTenant();
    const feed = await openFeed({ token: t.owner.token });
    feed.ws.send('ping');
    await feed.until(() => feed.frames.includes('pong'), 'pong');
    feed.ws.send('ping');
    await feed.until(() => feed.frames.filter((f) => f === 'pong').length === 2, 'second pong');
  });

  it('keeps at most MAX_SOCKETS per person, closing the oldest', async () => {
    const t = await provisionTestTenant();
    const stub = hub(t.id, t.owner.id);
    const direct = async () => {
      // Straight to the hub (as the Worker forwards after authenticating): 2 000 logins would hit the rate limits.
      const res = await stub.fetch('https://hub/connect', { headers: { upgrade: 'websocket', 'x-leadpulse-user': t.owner.id } });
      const feed = new Feed(res.webSocket!);
      feeds.push(feed);
      return feed;
    };
    const oldest = await direct();
    await new Promise((r) => setTimeout(r, 2));
    const rest: Feed[] = [];
    for (let i = 1; i < MAX_SOCKETS; i++) rest.push(await direct());
    expect(await stub.stats()).toMatchObject({ sockets: MAX_SOCKETS });
    const newest = await direct();
    await oldest.until(() => oldest.closed, 'eviction');
    expect(oldest.closed!.code).toBe(CLOSE_TOO_MANY);
    expect(rest.some((f) => f.closed)).toBe(false);
    await newest.ready();
  }, 60_000);

  it('closes one sign-in’s sockets on disconnect and keeps the others', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const otherSession = await login(t.slug, agent.email, TEST_PASSWORD, t.ip);
    const a = await openFeed({ token: agent.token });
    const b = await openFeed({ token: otherSession.accessToken });
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const claims = JSON.parse(atob(agent.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
      expect(await disconnectRealtime(ctx, agent.id, claims.sid)).toBe(1);
    } finally {
      await close();
    }
    await a.until(() => a.closed, 'close');
    expect(a.closed!.code).toBe(CLOSE_SIGNED_OUT);
    await publish(t.id, { userIds: [agent.id] }, alertCreated('alrt_after'));
    await b.message('alrt_after');
    expect(b.closed).toBeNull();
    expect(a.messages).toEqual([]);
  });
});

describe('audiences and tenant isolation', () => {
  it('never delivers one tenant’s messages to another tenant’s sockets', async () => {
    const [a, b] = await Promise.all([provisionTestTenant(), provisionTestTenant()]);
    const [agentA, agentB] = await Promise.all([memberWithRole(a, 'agent'), memberWithRole(b, 'agent')]);
    const feedA = await openFeed({ token: agentA.token });
    const ownerA = await openFeed({ token: a.owner.token });
    const feedB = await openFeed({ token: agentB.token });

    // Published in B — to B's agent, to B's managers, and even naming A's user ids.
    const inB = await publish(b.id, { userIds: [agentB.id, agentA.id, a.owner.id], managers: true }, alertCreated('alrt_tenant_b'));
    expect(inB.deliveredTo).toEqual([agentB.id]);
    await feedB.message('alrt_tenant_b');

    // A's own message is the barrier: once it arrived, B's would have too.
    await publish(a.id, { userIds: [agentA.id, a.owner.id] }, alertCreated('alrt_tenant_a'));
    for (const feed of [feedA, ownerA]) {
      await feed.message('alrt_tenant_a');
      expect(feed.messages.map((m) => m.id)).toEqual(['alrt_tenant_a']);
    }
    // Same user id, other tenant: different feeds, so B's publish under A's id stayed in B.
    expect(await hub(b.id, agentA.id).stats()).toMatchObject({ sockets: 0, cursor: 1 });
  });

  it('managers: true reaches owners, admins and managers, not agents unless listed', async () => {
    const t = await provisionTestTenant();
    const [manager, admin, agent, other, viewer] = await Promise.all([
      memberWithRole(t, 'manager'),
      memberWithRole(t, 'admin'),
      memberWithRole(t, 'agent'),
      memberWithRole(t, 'agent'),
      memberWithRole(t, 'viewer'),
    ]);
    const byName = Object.fromEntries(
      await Promise.all(Object.entries({ owner: t.owner, manager, admin, agent, other, viewer }).map(async ([name, u]) => [name, await openFeed({ token: u.token })] as const)),
    );
    const toManagers = await publish(t.id, { userIds: [], managers: true }, alertCreated('alrt_escalated'));
    expect(toManagers.deliveredTo.sort()).toEqual([t.owner.id, manager.id, admin.id].sort());
    const plusAgent = await publish(t.id, { userIds: [agent.id, manager.id], managers: true }, alertCreated('alrt_routed'));
    expect(plusAgent.deliveredTo.sort()).toEqual([t.owner.id, manager.id, admin.id, agent.id].sort());

    // A last message to everyone is the barrier for what each feed got.
    await publish(t.id, { userIds: [t.owner.id, manager.id, admin.id, agent.id, other.id, viewer.id] }, alertCreated('alrt_all'));
    const got = async (name: string) => {
      await byName[name]!.message('alrt_all');
      return byName[name]!.messages.map((m) => m.id);
    };
    for (const name of ['owner', 'manager', 'admin']) expect(await got(name), name).toEqual(['alrt_escalated', 'alrt_routed', 'alrt_all']);
    expect(await got('agent')).toEqual(['alrt_routed', 'alrt_all']);
    expect(await got('other')).toEqual(['alrt_all']);
    expect(await got('viewer')).toEqual(['alrt_all']);
  });

  it('is best-effort: a malformed message or missing binding is logged, never thrown', async () => {
    const t = await provisionTestTenant();
    const feed = await openFeed({ token: t.owner.token });
    expect(await publish(t.id, { userIds: [t.owner.id] }, { key: '', type: 'Not A Type', id: 'x', data: null })).toEqual({ deliveredTo: [] });
    expect(await publish(t.id, { userIds: [t.owner.id] }, { key: 'big:1', type: 'alert.created', id: 'x', data: 'x'.repeat(40_000) })).toEqual({ deliveredTo: [] });
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await publishRealtime({ ...ctx, hubs: undefined }, { userIds: [t.owner.id] }, alertCreated('alrt_nobinding'))).toEqual({ deliveredTo: [] });
    } finally {
      await close();
    }
    await publish(t.id, { userIds: [t.owner.id] }, alertCreated('alrt_ok'));
    await feed.message('alrt_ok');
    expect(feed.messages.map((m) => m.id)).toEqual(['alrt_ok']);
  });
});


describe('sockets end with the session', () => {
  it('closes the sockets of a sign-in when it signs out, and all of a person’s sockets when they are removed', async () => {
    const t = await provisionTestTenant();
    const agent = await memberWithRole(t, 'agent');
    const other = await login(t.slug, agent.email, TEST_PASSWORD, t.ip);
    const signedOut = await openFeed({ token: agent.token });
    const stillIn = await openFeed({ token: other.accessToken });

    expect((await api('/v1/auth/logout', { token: agent.token, ip: t.ip, body: { refreshToken: agent.refreshToken } })).status).toBe(204);
    await signedOut.until(() => signedOut.closed, 'the signed-out socket to close');
    expect(signedOut.closed!.code).toBe(CLOSE_SIGNED_OUT);
    expect(stillIn.closed).toBeNull();

    expect((await api(`/v1/users/${agent.id}`, { method: 'DELETE', token: t.owner.token, ip: t.ip })).status).toBe(204);
    await stillIn.until(() => stillIn.closed, 'the removed person’s socket to close');
    expect(stillIn.closed!.code).toBe(CLOSE_SIGNED_OUT);
  });
});
