/**
 * Going-cold prevention at scale: 10 000 leads with a realistic message history seeded straight
 * into Postgres (this measures the job, not ingestion), a share of them silent for weeks after
 * unanswered texts. One signed /jobs/churn call assesses them all and starts the episodes; the
 * QStash stand-in then delivers each treated episode's step 1 to the running Worker, which texts
 * the lead through the GHL stand-in. Reported: the job's duration, leads assessed, episodes
 * started, and detection → first action (the episode's job_started_at → first_action_at).
 */
import { localNeonPool } from '../local/postgres/neon-node';
import { Signer } from '../local/qstash/signing';
import { provisionBenchTenant, sleep, summarize, type BenchEnv } from './harness';

/** A fixed-offset zone where it is early afternoon now: proactive texts are inside every quiet-hours window. */
function middayZone(): string {
  const offset = ((13 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export async function benchChurn(env: BenchEnv) {
  const N = Number(process.env.BENCH_CHURN_LEADS ?? 10_000);
  // One lead in this many is going cold: 2 % → 200 episodes at 10 000 leads.
  const every = Number(process.env.BENCH_CHURN_COLD_EVERY ?? 50);
  const { tenantId, token } = await provisionBenchTenant(env, `ch-${Date.now().toString(36)}`);
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const locationId = `loc_churn_${Date.now().toString(36)}`;
  const connect = await fetch(`${env.base}/v1/integrations/ghl`, { method: 'PUT', headers: auth, body: JSON.stringify({ locationId, apiToken: `tok_${locationId}` }) });
  if (connect.status !== 200) throw new Error(`connect: ${connect.status} ${await connect.text()}`);
  // Consent is recorded per lead in production; the seeded leads have none, so the bench tenant
  // does not require it (everything else — opt-out, DND, caps, quiet hours — still applies).
  const patch = await fetch(`${env.base}/v1/tenant`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ timezone: middayZone(), settings: { consent: { required: false }, quietHours: { start: '00:00', end: '23:59', stateRules: false } } }),
  });
  if (patch.status !== 200) throw new Error(`settings: ${patch.status} ${await patch.text()}`);

  const suffix = tenantId.slice(-6);
  const pool = localNeonPool(env.stack.databaseUrl, env.stack.wsProxy, 1);
  const seedT0 = performance.now();
  try {
    // Every lead: created 30 days ago, in Q1–Q4, a non-US number (so the tenant's zone is theirs).
    // Cold leads last wrote 13 days ago; warm ones today.
    await pool.query(
      `insert into leads (id, tenant_id, source, kind, external_id, name, phone, stage, created_at, last_inbound_at, last_outbound_at, first_outbound_at)
       select 'lead_ch' || lpad(g::text, 8, '0') || $2, $1, 'ghl', 'seller', 'ch-' || g, 'Bench Lead ' || g, '+4477009' || lpad(g::text, 5, '0'),
              (array['q1','q2','q3','q4'])[1 + g % 4], now() - interval '30 days',
              case when g % $4::int = 0 then now() - interval '13 days' else now() - interval '2 hours' end,
              now() - interval '1 hour', now() - interval '29 days'
       from generate_series(1, $3::int) g`,
      [tenantId, suffix, N, every],
    );
    // Four messages per lead (two each way); cold leads' last three texts went unanswered.
    await pool.query(
      `insert into messages (id, tenant_id, lead_id, direction, sender, body, kind, status, at, sent_at)
       select 'msg_ch' || g || '_' || m || $2, $1, 'lead_ch' || lpad(g::text, 8, '0') || $2,
              case when m in (1, 3) then 'inbound' else 'outbound' end,
              case when m in (1, 3) then 'lead' else 'bot' end,
              case when m in (1, 3) then 'Sounds good, tell me more' else 'What is your timeline for selling?' end,
              case when m in (1, 3) then null else 'reply' end,
              case when m in (1, 3) then 'received' else 'sent' end,
              case when g % $4::int = 0 then now() - (25 - m * 4) * interval '1 day' else now() - (5 - m) * interval '1 hour' end,
              case when m in (1, 3) then null else now() end
       from generate_series(1, $3::int) g, generate_series(1, 4) m`,
      [tenantId, suffix, N, every],
    );
    await pool.query(
      `insert into messages (id, tenant_id, lead_id, direction, sender, body, kind, status, at, sent_at)
       select 'msg_chx' || g || '_' || m || $2, $1, 'lead_ch' || lpad(g::text, 8, '0') || $2, 'outbound', 'bot', 'Just checking in', 'follow_up', 'sent',
              now() - (12 - m * 3) * interval '1 day', now() - (12 - m * 3) * interval '1 day'
       from generate_series($4::int, $3::int, $4::int) g, generate_series(1, 2) m`,
      [tenantId, suffix, N, every],
    );
    // A production database has statistics for these tables (autovacuum keeps them); freshly
    // bulk-loaded ones do not, and the planner would then scan every message for every lead.
    await pool.query('analyze leads');
    await pool.query('analyze messages');
  } finally {
    await pool.end();
  }
  const seedMs = performance.now() - seedT0;

  const url = `${env.base}/jobs/churn`;
  const body = '{}';
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'upstash-message-id': `bench-churn-${Date.now()}`, 'upstash-retried': '0', 'upstash-signature': await new Signer(env.stack.workerEnv.QSTASH_CURRENT_SIGNING_KEY!).sign(url, new TextEncoder().encode(body)) },
    body,
  });
  const jobMs = performance.now() - t0;
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/jobs/churn answered ${res.status}: ${text.slice(0, 500)}`);
  const result = JSON.parse(text) as { phaseMs?: Record<string, number>; assessed?: number; atRisk?: number; episodesStarted?: number; holdout?: number; stepsScheduled?: number };

  // Step 1 of every treated episode arrives through the QStash stand-in; wait until each has settled.
  const treated = (result.episodesStarted ?? 0) - (result.holdout ?? 0);
  const poll = localNeonPool(env.stack.databaseUrl, env.stack.wsProxy, 1);
  const deadline = Date.now() + Number(process.env.BENCH_CHURN_WAIT_MS ?? 180_000);
  try {
    let settled = 0;
    while (Date.now() < deadline) {
      const { rows } = await poll.query(`select count(*)::int as n from churn_interventions where tenant_id = $1 and step = 1 and status <> 'scheduled'`, [tenantId]);
      settled = rows[0].n;
      if (settled >= treated) break;
      await sleep(250);
    }
    const { rows: latency } = await poll.query(
      `select extract(epoch from first_action_at - job_started_at) * 1000 as ms from churn_episodes where tenant_id = $1 and first_action_at is not null`,
      [tenantId],
    );
    // done = sent, or deferred (GHL's 100-per-10-s rate limit answers 429: the text waits and still counts as the action).
    const { rows: statuses } = await poll.query(
      `select status || coalesce(':' || (detail->>'outcome'), '') as status, count(*)::int as n from churn_interventions where tenant_id = $1 and step = 1 group by 1`,
      [tenantId],
    );
    const sent = env.stack.ghl ? env.stack.ghl.sentMessages().filter((m: { contactId: string }) => m.contactId.startsWith('ch-')).length : null;
    return {
      target: 'detection → first action p95 < 30 s',
      leads: N,
      messagesPerLead: 4,
      seedMs: Math.round(seedMs),
      jobMs: Math.round(jobMs),
      jobPhaseMs: result.phaseMs,
      assessed: result.assessed,
      atRisk: result.atRisk,
      episodesStarted: result.episodesStarted,
      holdout: result.holdout,
      stepsScheduled: result.stepsScheduled,
      step1: Object.fromEntries(statuses.map((r: { status: string; n: number }) => [r.status, r.n])),
      textsSentToGhl: sent,
      detectionToFirstActionMs: summarize(latency.map((r: { ms: string | number }) => Number(r.ms))),
    };
  } finally {
    await poll.end();
  }
}
