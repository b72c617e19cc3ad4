/**
 * The real local product for browser tests and `npm run screenshots`: `npm start` (tsx
 * local/start.ts) on free ports with a throwaway data folder — the same way
 * tests/node/start.e2e.test.ts runs it — so the web export is built and served by the Worker
 * on the same origin as the API, and the demo tenant is seeded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNpmStart, startEnv, startPorts, stopNpmStart, type RunningStart } from '../../helpers/npm-start';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const DEMO_PASSWORD = 'demo-password-2026';
export const demoEmail = (who: 'owner' | 'manager' | 'maria' | 'james' | 'priya' | 'viewer') => `${who}@demo.leadpulse.test`;

export interface Stack {
  baseUrl: string;
  /** The GHL stand-in (its /_standin inspection API). */
  ghlUrl: string;
  /** The tenant-webhook receiver (records every request; GET /_sink/requests?path=). */
  sinkUrl: string;
  /** The Stripe stand-in (Checkout and portal sessions it created at /_standin/…). */
  stripeUrl: string;
  output: string[];
  stop(): Promise<void>;
}

export async function startStack(opts: { root?: string; timeoutMs?: number } = {}): Promise<Stack> {
  const root = opts.root ?? process.cwd();
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-browser-'));
  const ports = await startPorts(root);
  const env = startEnv(ports, process.env, { LEADPULSE_DATA_DIR: dataDir });
  // Always the embedded services: these runs test the web app, and never touch a developer's
  // database (the CI's real-server pass is covered by the Worker and start tests).
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'QSTASH_TOKEN', 'GHL_WEBHOOK_ED25519_PUBLIC_KEY']) delete env[name];
  let running: RunningStart;
  try {
    running = await runNpmStart(env, { root, timeoutMs: opts.timeoutMs });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    await stopNpmStart(running);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { baseUrl: `http://127.0.0.1:${ports.PORT}`, ghlUrl: `http://127.0.0.1:${ports.LOCAL_GHL_PORT}`, sinkUrl: `http://127.0.0.1:${ports.LOCAL_WEBHOOK_SINK_PORT}`, stripeUrl: `http://127.0.0.1:${ports.LOCAL_STRIPE_PORT}`, output: running.output, stop };
}

/** Signs in through the API (for arranging data; the browser signs in through the form). */
export async function apiLogin(baseUrl: string, email: string, tenant = 'demo', password = DEMO_PASSWORD): Promise<{ accessToken: string; user: { id: string; role: string } }> {
  const res = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant, email, password }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; user: { id: string; role: string } };
}

export async function apiCall<T = any>(baseUrl: string, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
