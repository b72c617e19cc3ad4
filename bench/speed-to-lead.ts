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
  const { token } = await provisionBenchTenant(env.base);
  const locationId = `loc_bench_${Date.now().toString(36)}`;
  const connect = await fetch(`${env.base}/v1/integrations/ghl`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ locationId, apiToken: `tok_${locationId}` }),
  });
  if (connect.status !== 200) throw new Error(`connect: ${connect.status}`);
  const ghl = env.stack.ghl!;

  const post = async (event: object) => {
    const { body, headers } = signedGhlDelivery(event);
    const t0 = performance.now();
    const res = await fetch(`${env.base}/webhooks/ghl`, { method: 'POST', headers, body });
    await res.arrayBuffer();
    return { ms: performance.now() - t0, status: res.status };
  };

  // Warm-up: isolate, pools, JIT.
  for (let i = 0; i < 20; i++) await post(ghlEvent('InboundMessage', { locationId, contactId: `warm-${i}`, body: 'hello' }));

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
    inflight.push(
      post(ghlEvent('InboundMessage', { locationId, contactId: contact, body: i % 3 ? 'we are relocating in 2 months' : 'what would you pay?' })).then((r) => {
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
    webhookAck: { targetRate: rate, achievedRate: Math.round(achievedRate), seconds, statuses, latencyMs: summarize(acks) },
    inboundToReply: { contacts: replies, missing, latencyMs: summarize(replyMs) },
  };
}
