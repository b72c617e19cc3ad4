/**
 * Speed-to-lead benchmark (PRODUCT.md §4):
 *  1. webhook acknowledgement: signed GHL InboundMessage deliveries at a sustained rate
 *     (default 200/s for 15 s), each a new or returning contact, timed from request to 2xx —
 *     while the rooms process them and the bot replies in the background, as in production;
 *  2. inbound → reply: one new contact at a time, from sending the webhook until the GHL
 *     stand-in receives the bot's reply (deterministic assistant, the fallback path).
 */
import { ghlEvent, signedGhlDelivery } from '../local/ghl/sign';
import { provisionBenchTenant, sleep, summarize, type BenchEnv } from './harness';

export async function benchSpeedToLead(env: BenchEnv, opts: { rate?: number; seconds?: number; replies?: number } = {}) {
  const rate = opts.rate ?? Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
  const seconds = opts.seconds ?? Number(process.env.BENCH_WEBHOOK_SECONDS ?? 15);
  const replies = opts.replies ?? Number(process.env.BENCH_REPLIES ?? 100);
  // GHL's traffic is mostly contact events; 'mixed' sends one inbound SMS in five.
  const mix = (process.env.BENCH_MIX ?? 'mixed') as 'mixed' | 'inbound' | 'contact';
  const { token } = await provisionBenchTenant(env.base);
  const locationId = `loc_bench_${Date.now().toString(36)}`;
  const connect = await fetch(`${env.base}/v1/integrations/ghl`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ locationId, apiToken: `tok_${locationId}` }),
  });
  if (connect.status !== 200) throw new Error(`connect: ${connect.status}`);
  const ghl = env.stack.ghl!;
  const errors = new Set<string>();

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

  // 1. Sustained acknowledgement latency.
  const acks: number[] = [];
  const statuses: Record<number, number> = {};
  const total = rate * seconds;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const contact = `ack-${i % 400}`;
    const inbound = mix === 'inbound' || (mix === 'mixed' && i % 5 === 0);
    const event = inbound
      ? ghlEvent('InboundMessage', { locationId, contactId: contact, body: i % 3 ? 'we are relocating in 2 months' : 'what would you pay?' })
      : ghlEvent(i % 2 ? 'ContactUpdate' : 'ContactTagUpdate', { locationId, contactId: contact, name: `Contact ${i % 400}`, tags: ['seller', `batch-${i % 7}`] });
    inflight.push(
      post(event).then((r) => {
        acks.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inflight);
  const achievedRate = total / ((performance.now() - started) / 1000);
  // Let the background turns drain before measuring replies.
  await sleep(5_000);

  // 2. Inbound → first reply, one new contact at a time.
  const replyMs: number[] = [];
  let missing = 0;
  for (let i = 0; i < replies; i++) {
    const contact = `reply-${i}-${Date.now().toString(36)}`;
    const t0 = Date.now();
    await post(ghlEvent('InboundMessage', { locationId, contactId: contact, body: "Hi, I'm thinking about selling my house" }));
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
    webhookAck: { mix, targetRate: rate, achievedRate: Math.round(achievedRate), seconds, statuses, errors: [...errors], latencyMs: summarize(acks) },
    inboundToReply: { contacts: replies, missing, latencyMs: summarize(replyMs) },
  };
}
