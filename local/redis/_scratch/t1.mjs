import RedisMock from 'ioredis-mock';
const r = new RedisMock({ port: 1111 });
const r2 = new RedisMock({ port: 1112 });
await r.set('a','1');
console.log('r2 a', await r2.get('a'));
try { console.log(await r.eval("#!lua flags=allow-key-locking\nreturn {1, redis.call('GET', KEYS[1])}", 1, 'a')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.eval("return {1, redis.call('GET', KEYS[1])}", 1, 'a')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('script','load','return 1')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('evalsha','e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0)); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('set','k','v','ex','10')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('ttl','k')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('hgetall','nokey')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('incr','a'), await r.call('incr', 'k')); } catch(e) { console.log('ERR', e.message, e.constructor.name); }
try { console.log(await r.call('nosuchcmd','k')); } catch(e) { console.log('ERR', e.message); }
try { console.log(await r.call('ping')); } catch(e) { console.log('ERR', e.message); }
const m = r.multi(); m.call ? console.log('multi.call exists') : console.log('no multi.call');
console.log(Object.keys(r).slice(0,20), typeof r.callBuffer);
