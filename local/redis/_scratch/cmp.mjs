import RedisMock from 'ioredis-mock';
import Redis from 'ioredis';
const mock = new RedisMock({ host: 'cmp-'+Math.random() });
const real = new Redis('redis://127.0.0.1:6379');
const P = 'cmpscratch:' + Date.now() + ':';
const conv = (v) => Buffer.isBuffer(v) ? v.toString() : Array.isArray(v) ? v.map(conv) : v;
const cases = [
 ['set', P+'s', 'v', 'EX', '100'], ['get', P+'s'], ['ttl', P+'s'], ['pttl', P+'s'], ['set', P+'s', 'w', 'NX'], ['set', P+'s', 'w', 'XX', 'GET'],
 ['incr', P+'n'], ['incrby', P+'n', '5'], ['incrbyfloat', P+'n', '1.5'], ['incr', P+'s'], ['decr', P+'n'],
 ['expire', P+'n', '50'], ['ttl', P+'n'], ['persist', P+'n'], ['ttl', P+'n'], ['ttl', P+'none'], ['exists', P+'n', P+'none'],
 ['hset', P+'h', 'a', '1', 'b', '2'], ['hgetall', P+'h'], ['hget', P+'h', 'a'], ['hmget', P+'h', 'a', 'zz'], ['hincrby', P+'h', 'a', '3'], ['hkeys', P+'h'], ['hlen', P+'h'], ['hdel', P+'h', 'b'], ['hexists', P+'h', 'a'], ['hgetall', P+'none'],
 ['zadd', P+'z', '1', 'one', '2.5', 'two', '3', 'three'], ['zrange', P+'z', '0', '-1', 'WITHSCORES'], ['zscore', P+'z', 'two'], ['zincrby', P+'z', '1', 'one'], ['zrank', P+'z', 'two'], ['zrange', P+'z', '0', '10', 'BYSCORE', 'LIMIT', '0', '2'], ['zrevrange', P+'z', '0', '-1'], ['zcard', P+'z'], ['zrem', P+'z', 'one'], ['zrangebyscore', P+'z', '-inf', '+inf', 'WITHSCORES'],
 ['zadd', P+'z', 'GT', 'CH', '10', 'two'], ['zpopmin', P+'z'],
 ['rpush', P+'l', 'a', 'b', 'c'], ['lpush', P+'l', 'z'], ['lrange', P+'l', '0', '-1'], ['lpop', P+'l'], ['rpop', P+'l', '2'], ['llen', P+'l'], ['lindex', P+'l', '0'], ['lpos', P+'l', 'a'],
 ['sadd', P+'set', 'x', 'y'], ['smembers', P+'set'], ['sismember', P+'set', 'x'], ['scard', P+'set'], ['smismember', P+'set', 'x', 'q'],
 ['sadd', P+'s', 'x'], ['lpush', P+'s', 'x'], ['hget', P+'s', 'x'], ['zadd', P+'s', '1', 'x'],
 ['type', P+'h'], ['type', P+'z'], ['type', P+'none'],
 ['mset', P+'m1', '1', P+'m2', '2'], ['mget', P+'m1', P+'m2', P+'m3'], ['getdel', P+'m1'], ['strlen', P+'m2'], ['append', P+'m2', 'x'],
 ['del', P+'m2', P+'m3'], ['ping'], ['echo', 'hi'], ['dbsize_skip'], ['setex', P+'se', '10', 'v'], ['psetex', P+'se', '10000', 'v'], ['getex', P+'se', 'PERSIST'], ['ttl', P+'se'],
 ['eval', "return {1, 2.7, 'x', false, nil, 3}", '0'], ['eval', "return redis.call('GET', KEYS[1])", '1', P+'nokey'], ['eval', "return {err='My Error'}", '0'], ['eval', "return {ok='fine'}", '0'],
 ['eval', "return redis.call('HGETALL', KEYS[1])", '1', P+'h'], ['eval', "return redis.call('INCRBY', KEYS[1], ARGV[1])", '1', P+'ev', '3'], ['eval', "return tonumber(ARGV[1]) * 1.5", '0', '3'],
 ['eval', "return redis.call('HMGET', KEYS[1], 'a', 'nope')", '1', P+'h'],
 ['eval', "return redis.call('GET', KEYS[1]) == false", '1', P+'nokey'],
 ['eval', "return redis.pcall('INCR', KEYS[1])", '1', P+'s'],
 ['eval', "return redis.call('INCR', KEYS[1])", '1', P+'s'],
 ['get'], ['nosuchcmd', 'a'],
 ['set', P+'j', '{"a":1}'], ['get', P+'j'],
 ['scan', '0', 'MATCH', P+'*', 'COUNT', '1000'],
 ['keys', P+'h*'],
 ['zadd', P+'z2', '1', 'a'], ['zscore', P+'z2', 'a'], ['zmscore', P+'z2', 'a', 'b'],
 ['hincrbyfloat', P+'h', 'f', '0.1'], ['hrandfield', P+'h'], ['hsetnx', P+'h', 'a', 'x'],
 ['expire', P+'h', '100', 'NX'], ['pexpire', P+'h', '100000', 'XX'], ['expiretime', P+'h'],
 ['lmove', P+'l', P+'l2', 'LEFT', 'RIGHT'], ['linsert', P+'l', 'BEFORE', 'b', 'q'],
 ['object', 'encoding', P+'h'], ['unlink', P+'h'],
 ['flushall_skip'],
];
for (const c of cases) {
  if (c[0].endsWith('_skip')) continue;
  let a, b;
  try { b = conv(await real.callBuffer(c[0].toUpperCase(), ...c.slice(1))); } catch (e) { b = 'ERR:' + e.message; }
  try { const f = mock[c[0]]; a = f ? await f.apply(mock, c.slice(1)) : 'NOFN'; } catch (e) { a = 'ERR:' + e.message; }
  const same = JSON.stringify(a) === JSON.stringify(b);
  console.log(same ? 'same' : 'DIFF', JSON.stringify(c).replaceAll(P, '').slice(0,70), same ? JSON.stringify(a) : `\n   mock=${JSON.stringify(a)}\n   real=${JSON.stringify(b)}`);
}
const ks = await real.keys(P+'*'); if (ks.length) await real.del(...ks);
real.disconnect();
