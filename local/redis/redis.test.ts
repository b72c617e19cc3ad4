/**
 * The Upstash Redis REST stand-in, driven only through the real clients (@upstash/redis and
 * @upstash/ratelimit), once in memory and once forwarding to a real Redis (when REDIS_URL is set).
 */
import { randomUUID } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisStandIn, type RedisStandIn } from './server';

const REDIS_URL = process.env.REDIS_URL;

const modes = [
  { mode: 'embedded', label: 'in memory', redisUrl: undefined },
  { mode: 'local-server', label: `forwarding to ${REDIS_URL ?? 'a real Redis'}`, redisUrl: REDIS_URL },
] as const;

describe.each(modes)('Upstash Redis REST stand-in, $label', ({ mode, redisUrl }) => {
  if (mode === 'local-server' && !redisUrl) {
    it.skip('needs REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) to run against a real Redis', () => {});
    return;
  }

  const token = `token-${randomUUID()}`;
  // Every key lives under this prefix, so runs never collide with other users of a shared Redis.
  const prefix = `leadpulse-standin-test:${randomUUID()}:`;
  const key = (name: string) => `${prefix}${name}`;

  let standIn: RedisStandIn;
  /** Auto-pipelining off, so each call is one POST / (and errors come back as HTTP 400). */
  let redis: Redis;

  beforeAll(async () => {
    standIn = await startRedisStandIn({ token, redisUrl });
    redis = client();
  });

  afterAll(async () => {
    if (!standIn) return;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, { match: `${prefix}*`, count: 1000 });
      if (keys.length > 0) await redis.del(...keys);
      cursor = String(next);
    } while (cursor !== '0');
    await standIn.close();
  });

  function client(options: { enableAutoPipelining?: boolean; responseEncoding?: false; token?: string } = {}) {
    return new Redis({
      url: standIn.url,
      token: options.token ?? token,
      enableAutoPipelining: options.enableAutoPipelining ?? false,
      responseEncoding: options.responseEncoding,
      enableTelemetry: false,
      retry: false,
    });
  }

  it('reports its mode and URL', () => {
    expect(standIn.mode).toBe(mode);
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sets and gets strings, with EX and NX', async () => {
    expect(await redis.set(key('greeting'), 'hello', { ex: 60 })).toBe('OK');
    expect(await redis.get(key('greeting'))).toBe('hello');
    const ttl = await redis.ttl(key('greeting'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.set(key('greeting'), 'again', { nx: true })).toBeNull();
    expect(await redis.set(key('fresh'), 'first', { nx: true })).toBe('OK');
    expect(await redis.get(key('greeting'))).toBe('hello');
    expect(await redis.get(key('missing'))).toBeNull();
    expect(await redis.exists(key('greeting'), key('missing'))).toBe(1);
  });

  it('counts with INCR and expires keys', async () => {
    expect(await redis.incr(key('counter'))).toBe(1);
    expect(await redis.incr(key('counter'))).toBe(2);
    expect(await redis.incrby(key('counter'), 40)).toBe(42);
    expect(await redis.decr(key('counter'))).toBe(41);
    expect(await redis.ttl(key('counter'))).toBe(-1);
    expect(await redis.expire(key('counter'), 30)).toBe(1);
    const ttl = await redis.ttl(key('counter'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    expect(await redis.persist(key('counter'))).toBe(1);
    expect(await redis.ttl(key('counter'))).toBe(-1);
    expect(await redis.ttl(key('missing'))).toBe(-2);
    expect(await redis.incrbyfloat(key('float'), 0.1)).toBe(0.1);
    expect(await redis.incrbyfloat(key('float'), 0.2)).toBe(0.3);
    await redis.set(key('big'), '9007199254740993');
    expect(await redis.get<string>(key('big'))).toBe('9007199254740993'); // string past 2^53 stays exact
  });

  it('stores hashes and returns HGETALL as an object', async () => {
    expect(await redis.hset(key('lead'), { name: 'Ada', source: 'zillow', visits: 3 })).toBe(3);
    expect(await redis.hgetall(key('lead'))).toEqual({ name: 'Ada', source: 'zillow', visits: 3 });
    expect(await redis.hget(key('lead'), 'name')).toBe('Ada');
    expect(await redis.hincrby(key('lead'), 'visits', 2)).toBe(5);
    expect(await redis.hmget(key('lead'), 'name', 'nope')).toEqual({ name: 'Ada', nope: null });
    expect(await redis.hdel(key('lead'), 'source')).toBe(1);
    expect(await redis.hkeys(key('lead'))).toEqual(expect.arrayContaining(['name', 'visits']));
    expect(await redis.hgetall(key('missing'))).toBeNull();
  });

  it('ranks sorted sets, with scores', async () => {
    expect(await redis.zadd(key('board'), { score: 3, member: 'carol' }, { score: 1, member: 'ann' }, { score: 2.5, member: 'bob' })).toBe(3);
    expect(await redis.zrange(key('board'), 0, -1, { withScores: true })).toEqual(['ann', 1, 'bob', 2.5, 'carol', 3]);
    expect(await redis.zrange(key('board'), 0, -1, { rev: true })).toEqual(['carol', 'bob', 'ann']);
    expect(await redis.zrange(key('board'), 2, 3, { byScore: true })).toEqual(['bob', 'carol']);
    expect(await redis.zscore(key('board'), 'bob')).toBe(2.5);
    expect(await redis.zincrby(key('board'), 10, 'ann')).toBe(11);
    expect(await redis.zrank(key('board'), 'ann')).toBe(2);
    expect(await redis.zadd(key('board'), { gt: true }, { score: 1, member: 'carol' })).toBe(0);
    expect(await redis.zscore(key('board'), 'carol')).toBe(3);
    expect(await redis.zcard(key('board'))).toBe(3);
  });

  it('pushes and pops lists', async () => {
    expect(await redis.rpush(key('queue'), 'a', 'b', 'c')).toBe(3);
    expect(await redis.lpush(key('queue'), 'z')).toBe(4);
    expect(await redis.lrange(key('queue'), 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await redis.lpop(key('queue'))).toBe('z');
    expect(await redis.rpop(key('queue'))).toBe('c');
    expect(await redis.llen(key('queue'))).toBe(2);
    await redis.lpop(key('queue'), 2);
    expect(await redis.exists(key('queue'))).toBe(0); // an emptied list disappears, as in Redis
  });

  it('round-trips JSON values the client serialises', async () => {
    const lead = { id: 7, name: 'Ada', tags: ['hot', 'buyer'], budget: { min: 300000, max: null } };
    await redis.set(key('json'), lead);
    expect(await redis.get(key('json'))).toEqual(lead);
    await redis.hset(key('json-hash'), { profile: lead });
    expect(await redis.hget(key('json-hash'), 'profile')).toEqual(lead);
  });

  it('round-trips UTF-8 (emoji) with and without base64 responses', async () => {
    const text = 'héllo 👋 世界 — "quotes" \\ \n';
    await redis.set(key('emoji 🔑'), text);
    expect(await redis.get(key('emoji 🔑'))).toBe(text);
    await redis.hset(key('emoji-hash'), { 'field 🌍': text });
    expect(await redis.hgetall(key('emoji-hash'))).toEqual({ 'field 🌍': text });
    expect(await redis.strlen(key('emoji 🔑'))).toBe(Buffer.byteLength(text)); // bytes, not characters

    const plain = client({ responseEncoding: false });
    expect(await plain.get(key('emoji 🔑'))).toBe(text);
    expect(await plain.set(key('plain'), 'OK')).toBe('OK');
    expect(await plain.get(key('plain'))).toBe('OK');
    expect(await redis.get(key('plain'))).toBe('OK'); // a stored "OK" survives base64 decoding too
  });

  it('runs pipelines, reporting failures per command', async () => {
    const results = await redis
      .pipeline()
      .set(key('p:a'), 1)
      .incr(key('p:a'))
      .get(key('p:a'))
      .hset(key('p:h'), { f: 'v' })
      .hgetall(key('p:h'))
      .exec();
    expect(results).toEqual(['OK', 2, 2, 1, { f: 'v' }]);

    const withError = await redis.pipeline().set(key('p:s'), 'text').incr(key('p:s')).get(key('p:s')).exec({ keepErrors: true });
    expect(withError[0]).toEqual({ result: 'OK', error: undefined });
    expect(withError[1]!.error).toMatch(/^ERR value is not an integer or out of range/);
    expect(withError[2]).toEqual({ result: 'text', error: undefined });
    await expect(redis.pipeline().incr(key('p:s')).exec()).rejects.toThrow(/Command 1 \[ incr \] failed: ERR value is not an integer/);
  });

  it('runs MULTI/EXEC transactions', async () => {
    const results = await redis.multi().set(key('m:a'), 'x').append(key('m:a'), 'y').get(key('m:a')).incr(key('m:n')).exec();
    expect(results).toEqual(['OK', 2, 'xy', 1]);

    // A runtime error fails its own slot only; the other commands still run.
    const partial = await redis.multi().incr(key('m:a')).set(key('m:b'), 'done').exec({ keepErrors: true });
    expect(partial[0]!.error).toMatch(/not an integer/);
    expect(partial[1]!.result).toBe('OK');
    expect(await redis.get(key('m:b'))).toBe('done');
  });

  it('batches concurrent commands with the default (auto-pipelining) client', async () => {
    const auto = client({ enableAutoPipelining: true });
    const [, count, value] = await Promise.all([
      auto.set(key('auto'), 'v'),
      auto.incr(key('auto:n')),
      auto.get(key('auto')),
    ]);
    expect(count).toBe(1);
    expect(value).toBe('v');
    await expect(auto.incr(key('auto'))).rejects.toThrow(/not an integer/);
  });

  it('surfaces command errors as thrown errors', async () => {
    await redis.hset(key('typed'), { a: 1 });
    await expect(redis.incr(key('typed'))).rejects.toThrow(/^WRONGTYPE Operation against a key holding the wrong kind of value/);
    await expect(redis.exec(['nosuchcommand', 'x'])).rejects.toThrow(/ERR unknown command 'nosuchcommand'/);
    await expect(redis.exec(['get'])).rejects.toThrow(/ERR wrong number of arguments for 'get' command/);
    await expect(redis.exec(['select', '1'])).rejects.toThrow(/not available/);
  });

  it('rejects a wrong token', async () => {
    const intruder = client({ token: 'not-the-token' });
    await expect(intruder.get(key('greeting'))).rejects.toThrow(/Unauthorized/);
  });

  it('evaluates scripts: createScript falls back from EVALSHA to EVAL, then hits the cache', async () => {
    const echo = redis.createScript<[string, string, number]>(`return {KEYS[1], ARGV[1], #ARGV}`);
    expect(await echo.exec([key('s')], ['arg', 'two'])).toEqual([key('s'), 'arg', 2]);
    expect(await echo.evalsha([key('s')], ['again'])).toEqual([key('s'), 'again', 1]);

    const source = `redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[2], ARGV[2])`;
    const sha = await redis.scriptLoad(source);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.scriptExists(sha, '0'.repeat(40))).toEqual([1, 0]);
    expect(await redis.evalsha(sha, [key('s:v'), key('s:n')], ['stored', 5])).toBe(5);
    expect(await redis.get(key('s:v'))).toBe('stored');

    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/^NOSCRIPT/);
    await expect(redis.eval(`return redis.call('INCR', KEYS[1])`, [key('s:v')], [])).rejects.toThrow(
      /^ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:1\./,
    );
    await expect(redis.eval(`return redis.error_reply('LEAD not found')`, [], [])).rejects.toThrow(/^LEAD not found/);
    // Lua → Redis conversions: floats truncate, true is 1, false is nil, arrays stop at the first nil.
    expect(await redis.eval(`return {3.99, 'x', true, false, 'after', nil, 'lost'}`, [], [])).toEqual([3, 'x', 1, null, 'after']);
    // An Upstash-only shebang flag is accepted (a real Redis would reject it).
    expect(await redis.eval(`#!lua flags=allow-key-locking\nreturn ARGV[1]`, [], ['flagged'])).toBe('flagged');
  });

  describe('with @upstash/ratelimit', () => {
    const limiter = (algorithm: ConstructorParameters<typeof Ratelimit>[0]['limiter'], name: string) =>
      new Ratelimit({ redis, limiter: algorithm, prefix: key(`rl:${name}`), analytics: false, ephemeralCache: false });

    it('sliding window: allows exactly N, then blocks', async () => {
      const ratelimit = limiter(Ratelimit.slidingWindow(3, '10 s'), 'sliding');
      const now = Date.now();
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await ratelimit.limit('lead-form:203.0.113.7'));
      expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
      for (const r of results) {
        expect(r.limit).toBe(3);
        expect(r.reset).toBeGreaterThan(now);
        expect(r.reset).toBeLessThanOrEqual(now + 10_000 + 1_000);
      }
      expect((await ratelimit.limit('another-identifier')).success).toBe(true);
      expect((await ratelimit.getRemaining('lead-form:203.0.113.7')).remaining).toBe(0);
    });

    it('fixed window: allows exactly N, then blocks until reset', async () => {
      const ratelimit = limiter(Ratelimit.fixedWindow(2, '10 s'), 'fixed');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await ratelimit.limit('agent-42'));
      expect(results.map((r) => [r.success, r.remaining])).toEqual([[true, 1], [true, 0], [false, 0]]);
      await ratelimit.resetUsedTokens('agent-42');
      expect((await ratelimit.limit('agent-42')).success).toBe(true);
    });

    it('token bucket: spends the bucket, then blocks', async () => {
      const ratelimit = limiter(Ratelimit.tokenBucket(1, '10 s', 2), 'bucket');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await ratelimit.limit('sms-sender'));
      expect(results.map((r) => [r.success, r.remaining])).toEqual([[true, 1], [true, 0], [false, 0]]);
    });
  });
});
