/**
 * Speed-to-lead benchmark (PRODUCT.md §4):
 *  0. unloaded acknowledgement: one signed delivery at a time;
 *  1. sustained acknowledgement: signed GHL deliveries (BENCH_MIX: 'mixed' = four contact
 *     events to one inbound SMS, 'inbound', 'contact') at each of BENCH_WEBHOOK_RATES (default
 *     50,100,200 per second, BENCH_WEBHOOK_SECONDS = 15 s each) from a separate process, timed
 *     from request to 2xx while the rooms process them and the bot replies in the background;
 *  2. inbound → reply: one new contact at a time, from sending the webhook until the GHL
 *     stand-in receives the bot's reply (deterministic assistant, the fallback path).
 */
import { ghlEvent, signedGhlDelivery } from '../local/ghl/sign';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { provisionBenchTenant, sleep, summarize, type BenchEnv } from './harness';

function runLoadClient(spec: object): Promise<{ samples: number[]; steps: Record<string, number[]>; statuses: Record<number, number>; errors: string[]; sentRate: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(import.meta.dirname, '../node_modules/.bin/tsx'), [join(import.meta.dirname, 'load-client.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`))));
  });
}

export async function benchSpeedToLead(env: BenchEnv, opts: { rate?: number; seconds?: number; replies?: number } = {}) {
  const rates = (process.env.BENCH_WEBHOOK_RATES ?? (opts.rate ? String(opts.rate) : '50,100,200')).split(',').map(Number);
  const seconds = opts.seconds ?? Number(process.env.BENCH_WEBHOOK_SECONDS ?? 15);
  const replies = opts.replies ?? Number(process.env.BENCH_REPLIES ?? 100);
  // GHL's traffic is mostly contact events; 'mixed' sends one inbound SMS in five.
  const mix = (process.env.BENCH_MIX ?? 'mixed') as 'mixed' | 'inbound' | 'contact';
  // A tenant connected to a GHL location of its own (the GHL stand-in limits each location to 100
  // API calls per 10 s, as GHL does).
  const connectedLocation = async (label: string) => {
    const { token } = await provisionBenchTenant(env, `stl-${label}-${Date.now().toString(36)}`);
    const id = `loc_bench_${label}_${Date.now().toString(36)}`;
    const connect = await fetch(`${env.base}/v1/integrations/ghl`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ locationId: id, apiToken: `tok_${id}` }),
    });
    if (connect.status !== 200) throw new Error(`connect: ${connect.status}`);
    return id;
  };
  const locationId = await connectedLocation('load');
  const ghl = env.stack.ghl!;
  const errors = new Set<string>();

  // Waits until the background turns have drained (GHL stand-in quiet for 3 s); returns seconds.
  const drain = async () => {
    const drainStarted = performance.now();
    let lastCount = -1;
    let quietSince = performance.now();
    while (performance.now() - drainStarted < 180_000) {
      const count = ghl.requests().length;
      if (count !== lastCount) {
        lastCount = count;
        quietSince = performance.now();
      } else if (performance.now() - quietSince > 3_000) break;
      await sleep(250);
    }
    return Math.round((performance.now() - drainStarted - 3_000) / 100) / 10;
  };

  const post = async (event: object) => {
    const { body, headers } = signedGhlDelivery(event);
    const t0 = performance.now();
    const res = await fetch(`${env.base}/webhooks/ghl`, { method: 'POST', headers, body });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200 && errors.size < 5) errors.add(text.slice(0, 200));
    if (process.env.BENCH_VERBOSE) console.log(res.headers.get('server-timing'), Math.round(ms));
    return { ms, status: res.status };
  };

  // Warm-up (isolate, JIT), then one delivery at a time: the unloaded acknowledgement latency.
  for (let i = 0; i < 20; i++) await post(ghlEvent('ContactUpdate', { locationId, contactId: `warm-${i}`, name: 'Warm Up' }));
  const sequential: number[] = [];
  for (let i = 0; i < 100; i++) sequential.push((await post(ghlEvent('ContactUpdate', { locationId, contactId: `seq-${i}`, name: 'One At A Time' }))).ms);
  if (process.env.BENCH_SEQUENTIAL_ONLY) return { sequentialAckMs: summarize(sequential) };

  // 1. Sustained acknowledgement latency at each rate, from a separate load-generator process.
  const sustained: Array<Record<string, unknown>> = [];
  for (const rate of rates) {
    const load = await runLoadClient({ base: env.base, locationId, rate, seconds, mix, contacts: 400 });
    for (const e of load.errors) errors.add(e);
    sustained.push({
      mix,
      targetRate: rate,
      achievedRate: Math.round(load.sentRate),
      seconds,
      statuses: load.statuses,
      latencyMs: summarize(load.samples),
      serverStepsMs: Object.fromEntries(Object.entries(load.steps).map(([k, v]) => [k, summarize(v)])),
    });
    (sustained.at(-1) as Record<string, unknown>).backlogDrainSeconds = await drain();
  }

  // 2. Inbound → first reply, one new contact at a time, for a location whose GHL budget the
  // load phases did not spend (their throttled replies are still being retried on the other).
  const replyLocation = await connectedLocation('reply');
  const replyMs: number[] = [];
  let missing = 0;
  for (let i = 0; i < replies; i++) {
    const contact = `reply-${i}-${Date.now().toString(36)}`;
    const t0 = Date.now();
    await post(ghlEvent('InboundMessage', { locationId: replyLocation, contactId: contact, body: "Hi, I'm thinking about selling my house" }));
    let got: number | undefined;
    while (Date.now() - t0 < 10_000) {
      const sent = ghl.sentMessages({ contactId: contact });
      if (sent.length) {
        got = Date.parse(sent[0]!.at) - t0;
        break;
      }
      await sleep(2);
    }
    if (got === undefined) missing++;
    else replyMs.push(got);
  }

  return {
    sequentialAckMs: summarize(sequential),
    webhookAck: sustained,
    errors: [...errors],
    inboundToReply: { contacts: replies, missing, latencyMs: summarize(replyMs) },
  };
}
