/**
 * `npm start`: the whole product on this machine with no services installed.
 * Embedded Postgres (PGlite), Redis and QStash stand-ins, migrations, the web build and the
 * Worker under `wrangler dev`; provider variables in the environment (or .env) swap any of them
 * for a real server. Ctrl-C stops everything and flushes the database to .data/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncJobSchedules } from '../scripts/sync-schedules';
import { stackOptionsFromEnv } from './options';
import { loadOrCreateAppSecrets } from './secrets';
import { DEMO, DEMO_GHL, seedDemoConversations, seedDemoTenant } from './seed';
import { startLocalStack, type LocalStack } from './stack';
import { buildWebIfStale } from './web-build';
import { startWorker, type WorkerProcess } from './worker-process';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const log = (msg: string) => console.log(`[leadpulse] ${msg}`);

async function main() {
  const started = Date.now();
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  const DATA = process.env.LEADPULSE_DATA_DIR ?? join(ROOT, '.data');
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${process.env.PORT}"`);
  mkdirSync(DATA, { recursive: true });

  let stack: LocalStack | undefined;
  let worker: WorkerProcess | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await worker?.close();
    await stack?.close(); // closes PGlite last, which flushes .data/pglite
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const appUrl = process.env.APP_URL ?? `http://127.0.0.1:${port}`;
    const options = stackOptionsFromEnv(process.env, {
      appUrl,
      dataDir: join(DATA, 'pglite'),
      ports: {
        postgres: Number(process.env.LOCAL_PG_PORT ?? 6543),
        bridge: Number(process.env.LOCAL_PG_BRIDGE_PORT ?? 6544),
        redis: Number(process.env.LOCAL_REDIS_PORT ?? 6545),
        qstash: Number(process.env.LOCAL_QSTASH_PORT ?? 6546),
        ghl: Number(process.env.LOCAL_GHL_PORT ?? 6547),
      },
      qstashTimeScale: Number(process.env.QSTASH_TIME_SCALE ?? 1),
    });
    options.webhookSink = { port: Number(process.env.LOCAL_WEBHOOK_SINK_PORT ?? 6548) };
    options.stripe = { port: Number(process.env.LOCAL_STRIPE_PORT ?? 6549) };
    const appSecrets = loadOrCreateAppSecrets(DATA, process.env);
    options.appSecrets = appSecrets;
    log(`postgres: ${options.postgres.kind}, redis: ${options.redis.kind}, qstash: ${options.qstash.kind}, ghl: ${options.ghl?.kind ?? 'embedded'}`);
    await Promise.all([
      buildWebIfStale(log).then((r) => log(`web: ${r === 'built' ? 'built' : 'up to date'}`)),
      startLocalStack(options).then((s) => {
        stack = s;
        log('services up, migrations applied');
      }),
    ]);
    if (!stack) throw new Error('local services did not start');

    worker = await startWorker({
      port,
      env: { ...stack.workerEnv, ...assistantEnv(process.env), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stateDir: DATA,
      onOutput: (line) => console.log(`[worker] ${line}`),
    });
    worker.child.once('exit', (code) => {
      if (!stopping) {
        log(`wrangler dev exited (${code}); shutting down`);
        void stop(1);
      }
    });

    await waitForReady(`${worker.url}/health/ready`);
    await syncJobSchedules({ qstashUrl: stack.workerEnv.QSTASH_URL!, token: stack.workerEnv.QSTASH_TOKEN!, appUrl });
    const seeded = await seedDemoTenant(worker.url, appSecrets.PLATFORM_ADMIN_TOKEN, { connectGhl: !!stack.ghl, stripeWebhookSecret: stack.workerEnv.STRIPE_WEBHOOK_SECRET });
    log(`demo tenant: ${seeded === 'created' ? 'seeded' : 'already there'}`);
    if (seeded === 'created' && stack.ghl) log(`demo conversations: ${await seedDemoConversations(worker.url, stack.ghl.url)} seller threads`);

    const shown = `http://localhost:${port}`;
    console.log(
      [
        '',
        `LeadPulse is running at ${shown}`,
        `  readiness:  ${shown}/health/ready`,
        `  API docs:   ${shown}/docs`,
        `  demo logins (tenant "${DEMO.tenant}", password "${DEMO.password}"):`,
        ...[DEMO.owner, ...DEMO.team].map((u) => `    ${('role' in u ? u.role : 'owner').padEnd(8)} ${u.email}`),
        `  platform token (POST /v1/tenants): ${appSecrets.PLATFORM_ADMIN_TOKEN}`,
        ...(stack.ghl
          ? [
              `  GHL stand-in: ${stack.ghl.url} (location ${DEMO_GHL.locationId}); try:`,
              `    npm run ghl -- inbound --contact c1 --name "Pat Doe" "We're relocating in 2 months"`,
              `    npm run ghl -- sent --contact c1`,
            ]
          : []),
        ...(stack.stripe ? [`  stripe stand-in (POST /v1/billing/checkout creates its Checkout Sessions): ${stack.stripe.url}, inspect ${stack.stripe.url}/_standin/sessions`] : []),
        ...(stack.webhookSink ? [`  webhook sink (a receiver for PUT /v1/integrations/webhook): ${stack.webhookSink.url}/<any path>, inspect ${stack.webhookSink.url}/_sink/requests`] : []),
        `  seller assistant: ${process.env.ANTHROPIC_API_KEY ? `Claude (${process.env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5'}) with the deterministic fallback` : 'deterministic (set ANTHROPIC_API_KEY for Claude)'}`,
        `  data:       ${options.postgres.kind === 'embedded' ? `${shownPath(join(DATA, 'pglite'))} (embedded Postgres, kept across restarts)` : options.postgres.kind}`,
        `  ready in ${((Date.now() - started) / 1000).toFixed(1)} s — Ctrl-C to stop`,
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`[leadpulse] failed to start: ${(err as Error).message}`);
    await stop(1);
  }
}

/** A path inside the project as relative (`.data/pglite`), anywhere else as absolute. */
function shownPath(path: string): string {
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

/** The seller assistant's settings pass straight through: with a key it is Claude. */
function assistantEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_MODEL', 'ASSISTANT_TIMEOUT_MS']) if (env[name]) out[name] = env[name]!;
  return out;
}

async function waitForReady(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = await res.text();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not report ok within ${timeoutMs / 1000} s: ${last}`);
}

void main();
