/**
 * Load generator for the webhook benchmark, in its own process so the stand-ins (PGlite, the
 * Redis Lua engine) sharing the harness's event loop cannot delay sending or reading: an
 * open-loop schedule at a fixed rate, each delivery timed from send to its full response.
 * Input: one JSON argument; output: one JSON line on stdout.
 */
import { ghlEvent, signedGhlDelivery } from '../local/ghl/sign';

interface LoadSpec {
  base: string;
  locationId: string;
  rate: number;
  seconds: number;
  mix: 'mixed' | 'inbound' | 'contact';
  contacts: number;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const total = spec.rate * spec.seconds;
const samples: number[] = [];
const statuses: Record<number, number> = {};
const errors = new Set<string>();
/** Server-Timing steps (verify, route, limit, store) per delivery: where the time went. */
const steps: Record<string, number[]> = {};

function event(i: number) {
  const contactId = `load-${i % spec.contacts}`;
  const inbound = spec.mix === 'inbound' || (spec.mix === 'mixed' && i % 5 === 0);
  return inbound
    ? ghlEvent('InboundMessage', { locationId: spec.locationId, contactId, body: i % 3 ? 'we are relocating in 2 months' : 'what would you pay?' })
    : ghlEvent(i % 2 ? 'ContactUpdate' : 'ContactTagUpdate', { locationId: spec.locationId, contactId, name: `Contact ${i % spec.contacts}`, tags: ['seller', `batch-${i % 7}`] });
}

async function send(i: number) {
  const { body, headers } = signedGhlDelivery(event(i));
  const t0 = performance.now();
  try {
    const res = await fetch(`${spec.base}/webhooks/ghl`, { method: 'POST', headers, body });
    const text = await res.text();
    samples.push(performance.now() - t0);
    for (const part of (res.headers.get('server-timing') ?? '').split(',')) {
      const m = part.trim().match(/^(\w+);dur=([\d.]+)$/);
      if (m) (steps[m[1]!] ??= []).push(Number(m[2]));
    }
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status !== 200 && errors.size < 5) errors.add(text.slice(0, 200));
  } catch (err) {
    statuses[0] = (statuses[0] ?? 0) + 1;
    if (errors.size < 5) errors.add(String(err));
  }
}

const started = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const wait = started + (i * 1000) / spec.rate - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inflight.push(send(i));
}
const sendSeconds = (performance.now() - started) / 1000;
await Promise.all(inflight);
process.stdout.write(JSON.stringify({ samples, steps, statuses, errors: [...errors], sentRate: total / sendSeconds }) + '\n');
