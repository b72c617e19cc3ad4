import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ghlEvent, signedGhlDelivery } from '../../local/ghl/sign';
import { localNeonPool } from '../../local/postgres/neon-node';
import { createScratchDatabase } from '../../local/postgres/scratch';
import { freePort } from '../helpers/ports';

/**
 * `npm start` as a new user runs it: the whole stack comes up, reports ready, serves the web
 * app and the API from one origin, fires QStash schedules at signed job endpoints, stops on
 * Ctrl-C and keeps its data for the next start.
 */
const embedded = !process.env.DATABASE_URL;

interface Running {
  child: ChildProcess;
  output: string[];
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-start-'));
  let ports: Record<string, number>;
  let env: NodeJS.ProcessEnv;
  let dropDatabase: (() => Promise<void>) | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    ports = { PORT: await freePort(), LOCAL_PG_PORT: await freePort(), LOCAL_PG_BRIDGE_PORT: await freePort(), LOCAL_REDIS_PORT: await freePort(), LOCAL_QSTASH_PORT: await freePort(), LOCAL_GHL_PORT: await freePort() };
    env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      LEADPULSE_DATA_DIR: dataDir,
      // One virtual minute per real second: the every-minute heartbeat fires about once a second.
      QSTASH_TIME_SCALE: '60',
    };
    if (!embedded) {
      const scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'e2e');
      env.DATABASE_URL = scratch.url;
      dropDatabase = scratch.drop;
    }
  });

  afterAll(async () => {
    if (running) await stop(running);
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${ports.PORT}`;

  it('comes up ready, printing the URL', async () => {
    running = await start(env, ports.PORT!);
    expect(running.output.join('\n')).toContain(`LeadPulse is running at http://localhost:${ports.PORT}`);
    const res = await fetch(`${base()}/health/ready`);
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.checks.postgres).toMatchObject({ status: 'ok', mode: embedded ? 'embedded' : 'local-server' });
    expect(body.checks.redis).toMatchObject({ status: 'ok', mode: process.env.REDIS_URL ? 'local-server' : 'embedded' });
    expect(body.checks.qstash).toMatchObject({ status: 'ok', mode: 'embedded' });
  }, 180_000);

  it('serves the web app and the API from the same origin', async () => {
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('System status');
    const api = await fetch(`${base()}/v1/does-not-exist`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe('not_found');
  });

  it('seeds the demo tenant and serves the API reference offline', async () => {
    const login = await fetch(`${base()}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', email: 'maria@demo.leadpulse.test', password: 'demo-password-2026' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as any).user.role).toBe('agent');
    const docs = await fetch(`${base()}/docs`);
    expect(await docs.text()).toContain('/v1/openapi.json');
    const asset = await fetch(`${base()}/docs-assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    const spec = (await (await fetch(`${base()}/v1/openapi.json`)).json()) as any;
    expect(spec.paths['/tenants'].post['x-permission']).toBe('platform');
  });

  it('fires the heartbeat schedule through QStash into the signed job endpoint', async () => {
    const deadline = Date.now() + 20_000;
    let last: unknown;
    while (Date.now() < deadline) {
      last = ((await (await fetch(`${base()}/health/ready`)).json()) as any).jobs?.heartbeat;
      if ((last as { status?: string })?.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(last).toMatchObject({ status: 'succeeded', lastRunAt: expect.any(String) });
    // An unsigned call to the same endpoint is refused.
    expect((await fetch(`${base()}/jobs/heartbeat`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('answers a signed GHL text from a new contact: stored lead, bot reply sent through the GHL stand-in, replay ignored', async () => {
    const contactId = `e2e-${Date.now().toString(36)}`;
    const event = ghlEvent('InboundMessage', { locationId: 'loc_demo', contactId, body: "We're relocating in 2 months" });
    const { body, headers } = signedGhlDelivery(event);
    const res = await fetch(`${base()}/webhooks/ghl`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    const ghl = `http://127.0.0.1:${ports.LOCAL_GHL_PORT}`;
    const sentTo = async () => ((await (await fetch(`${ghl}/_standin/messages?contactId=${contactId}`)).json()) as { messages: Array<{ message: string }> }).messages;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await sentTo()).length === 0) await new Promise((r) => setTimeout(r, 50));
    const sent = await sentTo();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatch(/Demo Realty Group/);

    const login = (await (
      await fetch(`${base()}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'owner@demo.leadpulse.test', password: 'demo-password-2026' }) })
    ).json()) as { accessToken: string };
    const leads = (await (await fetch(`${base()}/v1/leads?externalId=${contactId}`, { headers: { authorization: `Bearer ${login.accessToken}` } })).json()) as any;
    expect(leads.leads).toHaveLength(1);
    expect(leads.leads[0].qualification.motivation?.category).toBe('relocation');
    const thread = (await (await fetch(`${base()}/v1/leads/${leads.leads[0].id}/messages`, { headers: { authorization: `Bearer ${login.accessToken}` } })).json()) as any;
    expect(thread.messages.map((m: any) => `${m.sender}:${m.status}`)).toEqual(['lead:received', 'bot:sent']);

    // The same delivery again: acknowledged as a duplicate, no second text. Unsigned: refused.
    const replay = await fetch(`${base()}/webhooks/ghl`, { method: 'POST', headers, body });
    expect(((await replay.json()) as any).duplicate).toBe(true);
    const unsigned = await fetch(`${base()}/webhooks/ghl`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await sentTo()).toHaveLength(1);
  });

  it.skipIf(!embedded)('stops on Ctrl-C and keeps the database for the next start', async () => {
    const wsProxy = `127.0.0.1:${ports.LOCAL_PG_BRIDGE_PORT}/v2`;
    const pgUrl = `postgres://postgres:postgres@127.0.0.1:${ports.LOCAL_PG_PORT}/postgres`;
    const before = localNeonPool(pgUrl, wsProxy, 1);
    await before.query(`create table if not exists e2e_marker (v text); insert into e2e_marker values ('kept')`);
    await before.end();

    const code = await stop(running!);
    running = undefined;
    expect(code).toBe(0);

    running = await start(env, ports.PORT!);
    const after = localNeonPool(pgUrl, wsProxy, 1);
    const { rows } = await after.query('select v from e2e_marker');
    const runs = await after.query(`select count(*)::int as n from job_runs where job = 'heartbeat'`);
    await after.end();
    expect(rows).toEqual([{ v: 'kept' }]);
    expect(runs.rows[0].n).toBeGreaterThan(0);
  }, 180_000);
});

async function start(env: NodeJS.ProcessEnv, port: number): Promise<Running> {
  const child = spawn(join(process.cwd(), 'node_modules/.bin/tsx'), ['local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (b: Buffer) => output.push(...b.toString().split('\n'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready in 150 s:\n${output.join('\n')}`)), 150_000);
    const check = () => {
      if (output.some((l) => l.includes(`LeadPulse is running at http://localhost:${port}`))) {
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
  return { child, output };
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    if (r.child.exitCode !== null) return resolve(r.child.exitCode);
    const timer = setTimeout(() => r.child.kill('SIGKILL'), 20_000);
    r.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    r.child.kill('SIGINT');
  });
}
