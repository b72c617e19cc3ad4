/**
 * Client side of the event → alert-on-socket benchmark, in its own process (the stand-ins share
 * the harness's event loop and would delay both the sends and the receive timestamps):
 * opens the sockets, then for each trial posts a seller-shaped burst of events for a new
 * homeowner and times from just before the POST to the `alert.created` frame for that homeowner
 * on any socket. Input: one JSON argument; output: one JSON line on stdout.
 */
import { now, openSockets } from './realtime-sockets';

interface Spec {
  base: string;
  apiKey: string;
  /** Access tokens of the agents whose feeds hold the sockets. */
  tokens: string[];
  socketsPerAgent: number;
  trials: number;
  runId: string;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
const wsBase = spec.base.replace(/^http/, 'ws') + '/v1/realtime';

function burst(externalId: string) {
  const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  return [
    { externalId, type: 'property_facts', properties: { purchaseDate: '2011-04-01', estimateCents: 520_000_00, mortgageBalanceCents: 140_000_00 }, occurredAt: at(3) },
    { externalId, type: 'home_valuation_requested', occurredAt: at(0.2) },
    { externalId, type: 'home_valuation_requested', occurredAt: at(1.2) },
    ...Array.from({ length: 12 }, (_, i) => ({ externalId, type: 'listing_viewed', occurredAt: at((i % 6) + 0.1) })),
  ];
}

async function main() {
  const opened = performance.now();
  // One agent's sockets at a time, 25 handshakes in flight: a local PostgreSQL allows 100 connections.
  const fleets = [];
  for (const token of spec.tokens) fleets.push(await openSockets(wsBase, ['leadpulse.v1', token], spec.socketsPerAgent, { concurrency: 25, timeoutMs: 30_000 }));
  const openMs = performance.now() - opened;
  const sockets = fleets.reduce((n, f) => n + f.sockets.length, 0);
  const samples: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < spec.trials; i++) {
    const externalId = `${spec.runId}-home-${i}`;
    const sentAt = now();
    const arrival = Promise.any(fleets.map((f) => f.first((m) => m?.type === 'alert.created' && m.data?.kind === 'sell', { since: sentAt, timeoutMs: 10_000 })));
    const res = await fetch(`${spec.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.apiKey}` }, body: JSON.stringify({ events: burst(externalId) }) });
    if (res.status !== 202) failures.push(`POST /v1/events ${res.status}`);
    try {
      const got = await arrival;
      samples.push(got.at - sentAt);
    } catch {
      failures.push(`trial ${i}: no alert.created within 10 s`);
    }
    // Trials apart, so each measures a quiet system rather than a queue of earlier bursts.
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(fleets.map((f) => f.close()));
  process.stdout.write(JSON.stringify({ sockets, openMs: Math.round(openMs), samples, failures }) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ error: String(err?.message ?? err) }) + '\n');
  process.exit(1);
});
