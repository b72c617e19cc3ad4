/**
 * Event ingestion benchmark (PRODUCT.md §4: ≥ 2 000 events/s sustained locally, zero loss):
 * batches of BENCH_EVENT_BATCH events (default 500) from BENCH_EVENT_CLIENTS concurrent clients
 * (default 4) for BENCH_EVENT_SECONDS (default 15), spread over 2 000 homeowners; then every
 * accepted event is counted back in Postgres.
 */
import { localNeonPool } from '../local/postgres/neon-node';
import { provisionBenchTenant, summarize, type BenchEnv } from './harness';

export async function benchEvents(env: BenchEnv) {
  const batchSize = Number(process.env.BENCH_EVENT_BATCH ?? 500);
  const clients = Number(process.env.BENCH_EVENT_CLIENTS ?? 4);
  const seconds = Number(process.env.BENCH_EVENT_SECONDS ?? 15);
  const { apiKey, tenantId } = await provisionBenchTenant(env, `ev-${Date.now().toString(36)}`);

  const types = ['site_visit', 'home_valuation_viewed', 'listing_viewed', 'email_opened', 'mortgage_calculator_used'];
  let seq = 0;
  let accepted = 0;
  let duplicates = 0;
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const now = new Date().toISOString();
        const batch = Array.from({ length: batchSize }, () => {
          const n = seq++;
          return { id: `bench-${n}`, externalId: `home-${n % 2000}`, type: types[n % types.length], properties: { n }, occurredAt: now };
        });
        const t0 = performance.now();
        const res = await fetch(`${env.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ events: batch }) });
        const body = (await res.json()) as { accepted?: number; duplicates?: number };
        latencies.push(performance.now() - t0);
        if (res.status === 202) {
          accepted += body.accepted ?? 0;
          duplicates += body.duplicates ?? 0;
        } else failures[res.status] = (failures[res.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const pool = localNeonPool(env.stack.databaseUrl, env.stack.wsProxy, 1);
  let stored = 0;
  try {
    const { rows } = await pool.query('select count(*)::int as n from events where tenant_id = $1', [tenantId]);
    stored = rows[0].n;
  } finally {
    await pool.end();
  }
  return {
    batchSize,
    clients,
    seconds: Math.round(elapsed * 10) / 10,
    sent: seq,
    accepted,
    duplicates,
    failures,
    storedInPostgres: stored,
    lost: accepted - stored,
    eventsPerSecond: Math.round(accepted / elapsed),
    batchLatencyMs: summarize(latencies),
  };
}
