/**
 * The real local product for browser tests and `npm run screenshots`: `npm start` (tsx
 * local/start.ts) on free ports with a throwaway data folder — the same way
 * tests/node/start.e2e.test.ts runs it — so the web export is built and served by the Worker
 * on the same origin as the API, and the demo tenant is seeded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/ports';

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
  output: string[];
  stop(): Promise<void>;
}

export async function startStack(opts: { root?: string; timeoutMs?: number } = {}): Promise<Stack> {
  const root = opts.root ?? process.cwd();
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-browser-'));
  // Every LOCAL_…_PORT that `npm start` reads gets a free port, so a stand-in added later never
  // collides with a developer's running `npm start` on its default port.
  const names = new Set(['PORT', 'LOCAL_GHL_PORT', ...[...readFileSync(join(root, 'local/start.ts'), 'utf8').matchAll(/process\.env\.(LOCAL_[A-Z_]+_PORT)\b/g)].map((m) => m[1]!)]);
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    LEADPULSE_DATA_DIR: dataDir,
  };
  // Always the embedded services: these runs test the web app, and never touch a developer's
  // database (the CI's real-server pass is covered by the Worker and start tests).
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'QSTASH_TOKEN', 'GHL_WEBHOOK_ED25519_PUBLIC_KEY']) delete env[name];
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['local/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (b: Buffer) => output.push(...b.toString().split('\n'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start not ready in ${(opts.timeoutMs ?? 240_000) / 1000} s:\n${output.join('\n')}`)), opts.timeoutMs ?? 240_000);
      const check = () => {
        if (output.some((l) => l.includes(`LeadPulse is running at http://localhost:${ports.PORT}`))) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl: `http://127.0.0.1:${ports.PORT}`, ghlUrl: `http://127.0.0.1:${ports.LOCAL_GHL_PORT}`, sinkUrl: `http://127.0.0.1:${ports.LOCAL_WEBHOOK_SINK_PORT}`, output, stop };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
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
