/**
 * What every benchmark needs: the whole product as `npm start` runs it (embedded stand-ins or the
 * servers the environment names, the Worker under `wrangler dev`), a fresh tenant, and honest
 * statistics. Benchmarks report; they never assert a timing.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { stackOptionsFromEnv } from '../local/options';
import { subscribeTenant } from '../local/seed';
import { createScratchDatabase } from '../local/postgres/scratch';
import { LOCAL_PLATFORM_ADMIN_TOKEN, generateAppSecrets, startLocalStack, type LocalStack } from '../local/stack';
import { startWorker, type WorkerProcess } from '../local/worker-process';
import { freePort } from '../tests/helpers/ports';

export interface BenchEnv {
  stack: LocalStack;
  worker: WorkerProcess;
  base: string;
  close(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-'));
  const env = { ...process.env };
  let drop: (() => Promise<void>) | undefined;
  if (env.DATABASE_URL) {
    const scratch = await createScratchDatabase(env.DATABASE_URL, 'bench');
    env.DATABASE_URL = scratch.url;
    drop = scratch.drop;
  }
  const port = await freePort();
  const options = stackOptionsFromEnv(env, { appUrl: `http://127.0.0.1:${port}` });
  options.appSecrets = { ...generateAppSecrets(), PLATFORM_ADMIN_TOKEN: LOCAL_PLATFORM_ADMIN_TOKEN };
  const stack = await startLocalStack(options);
  const worker = await startWorker({ port, env: { ...stack.workerEnv, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error' }, stateDir: dir, onOutput: (l) => process.env.BENCH_VERBOSE && console.log(`[worker] ${l}`) });
  return {
    stack,
    worker,
    base: worker.url,
    close: async () => {
      await worker.close();
      await stack.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh tenant on the brokerage plan with 100 seats (subscribed through the signed Stripe
 * webhook, as the demo tenant is): benchmarks add more people than the free plan's 3 seats and
 * use paid features (routing rules, churn recovery).
 */
export async function provisionBenchTenant(env: BenchEnv, slug = `bench-${Date.now().toString(36)}`) {
  const base = env.base;
  const password = 'correct-horse-battery-2026';
  const res = await fetch(`${base}/v1/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${LOCAL_PLATFORM_ADMIN_TOKEN}`, 'cf-connecting-ip': benchIp() },
    body: JSON.stringify({ name: 'Bench Realty', slug, timezone: 'America/Chicago', owner: { email: `owner@${slug}.test`, name: 'Casey Owner', password } }),
  });
  if (res.status !== 201) throw new Error(`provisioning: ${res.status} ${await res.text()}`);
  const { apiKey, tenant } = (await res.json()) as { apiKey: string; tenant: { id: string } };
  await subscribeTenant(base, tenant.id, env.stack.workerEnv.STRIPE_WEBHOOK_SECRET!, { plan: 'brokerage', seats: 100 });
  // A client address of its own per run: the login limit (30 per IP per 10 min) outlives a run on a real Redis.
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': benchIp() }, body: JSON.stringify({ tenant: slug, email: `owner@${slug}.test`, password }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { slug, tenantId: tenant.id, apiKey, token: accessToken };
}

/** A made-up client address (10.x.y.z), so each benchmark login counts against its own rate-limit bucket. */
export function benchIp() {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  return `10.${octet()}.${octet()}.${octet()}`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), max: round(s.at(-1) ?? NaN) };
}

export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

export function writeResult(name: string, result: object) {
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  const file = join(import.meta.dirname, 'results', `${name}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...result }, null, 2) + '\n');
  return file;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
