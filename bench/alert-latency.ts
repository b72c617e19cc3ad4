/**
 * Event → alert on an agent's socket (PRODUCT.md §4: p95 < 50 ms locally with 1 000 sockets
 * connected). BENCH_ALERT_AGENTS agents (default 20) each hold BENCH_ALERT_SOCKETS_PER_AGENT
 * realtime sockets (default 50: 1 000 in all); each of BENCH_ALERT_TRIALS trials (default 100)
 * posts one burst of seller behaviour for a new homeowner and times the POST → `alert.created`
 * frame on a socket of the agent the rules routed it to. The clock runs in the client process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchIp, provisionBenchTenant, summarize, type BenchEnv } from './harness';

export async function benchAlertLatency(env: BenchEnv) {
  const agents = Number(process.env.BENCH_ALERT_AGENTS ?? 20);
  const perAgent = Number(process.env.BENCH_ALERT_SOCKETS_PER_AGENT ?? 50);
  const trials = Number(process.env.BENCH_ALERT_TRIALS ?? 100);
  const tenant = await provisionBenchTenant(env, `al-${Date.now().toString(36)}`);
  const password = 'correct-horse-battery-2026';
  const tokens: string[] = [];
  for (let i = 0; i < agents; i++) {
    const email = `agent${i}@${tenant.slug}.test`;
    const created = await fetch(`${env.base}/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` }, body: JSON.stringify({ email, name: `Agent ${i}`, role: 'agent', password, capacity: 1000 }) });
    if (created.status !== 201) throw new Error(`creating agent ${i}: ${created.status} ${await created.text()}`);
    const login = await fetch(`${env.base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': benchIp() }, body: JSON.stringify({ tenant: tenant.slug, email, password }) });
    if (login.status !== 200) throw new Error(`agent ${i} login: ${login.status} ${await login.text()}`);
    tokens.push(((await login.json()) as { accessToken: string }).accessToken);
  }
  const spec = { base: env.base, apiKey: tenant.apiKey, tokens, socketsPerAgent: perAgent, trials, runId: tenant.slug };
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(join(import.meta.dirname, '../node_modules/.bin/tsx'), [join(import.meta.dirname, 'alert-latency-client.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let data = '';
    child.stdout.on('data', (d) => (data += d));
    child.on('error', reject);
    child.on('close', () => resolve(data));
  });
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { sockets: number; openMs: number; samples: number[]; failures: string[]; error?: string };
  if (result.error) throw new Error(`alert-latency client: ${result.error}`);
  return {
    target: 'p95 < 50 ms with 1 000 sockets connected',
    agents,
    socketsConnected: result.sockets,
    socketsOpenedInMs: result.openMs,
    trials,
    eventToAlertOnSocketMs: summarize(result.samples),
    failures: result.failures.slice(0, 10),
    failureCount: result.failures.length,
  };
}
