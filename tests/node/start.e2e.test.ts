import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ghlEvent, signedGhlDelivery } from '../../local/ghl/sign';
import { localNeonPool } from '../../local/postgres/neon-node';
import { createScratchDatabase } from '../../local/postgres/scratch';
import { runNpmStart, startEnv, startPorts, stopNpmStart as stop, type RunningStart } from '../helpers/npm-start';

/**
 * `npm start` as a new user runs it: the whole stack comes up, reports ready, serves the web
 * app and the API from one origin, fires QStash schedules at signed job endpoints, stops on
 * Ctrl-C and keeps its data for the next start.
 */
const embedded = !process.env.DATABASE_URL;

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-start-'));
  let ports: Record<string, number>;
  let env: NodeJS.ProcessEnv;
  let dropDatabase: (() => Promise<void>) | undefined;
  let running: RunningStart | undefined;

  beforeAll(async () => {
    ports = await startPorts();
    env = startEnv(ports, process.env, {
      LEADPULSE_DATA_DIR: dataDir,
      // One virtual minute per real second: the every-minute heartbeat fires about once a second.
      QSTASH_TIME_SCALE: '60',
    });
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

  // A failed step shows what the stack logged, which is where an on-call engineer would look first.
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && running) console.error(`npm start's last output:\n${running.output.slice(-120).join('\n')}`);
  });

  const base = () => `http://127.0.0.1:${ports.PORT}`;

  it('comes up ready, printing the URL', async () => {
    running = await runNpmStart(env, { timeoutMs: 150_000 });
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

    running = await runNpmStart(env, { timeoutMs: 150_000 });
    const after = localNeonPool(pgUrl, wsProxy, 1);
    const { rows } = await after.query('select v from e2e_marker');
    const runs = await after.query(`select count(*)::int as n from job_runs where job = 'heartbeat'`);
    await after.end();
    expect(rows).toEqual([{ v: 'kept' }]);
    expect(runs.rows[0].n).toBeGreaterThan(0);
  }, 180_000);

  it(
    'turns a burst of homeowner behaviour into one sell alert, routed by the rules, on the agent’s open socket, escalated to the next agent when not acknowledged',
    async () => {
      const login = async (email: string) => {
        const res = await fetch(`${base()}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '10.9.9.9' }, body: JSON.stringify({ tenant: 'demo', email, password: 'demo-password-2026' }) });
        expect(res.status).toBe(200);
        return ((await res.json()) as any).accessToken as string;
      };
      const call = async (path: string, token: string, init: { method?: string; body?: unknown } = {}) => {
        const res = await fetch(`${base()}${path}`, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: init.body ? JSON.stringify(init.body) : undefined });
        return { status: res.status, body: (await res.json().catch(() => null)) as any };
      };
      const owner = await login('owner@demo.leadpulse.test');
      const maria = await login('maria@demo.leadpulse.test');
      const priya = await login('priya@demo.leadpulse.test');
      const users = (await call('/v1/users', owner)).body.users as Array<{ id: string; email: string }>;
      const idOf = (email: string) => users.find((u) => u.email === email)!.id;

      // The tenant's rules: likely sellers go to the less loaded of Maria and Priya, 1-minute SLA, clocks running all week.
      const patched = await call('/v1/tenant', owner, { method: 'PATCH', body: { settings: { businessHours: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] } } } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      const rules = [{ id: 'likely-sellers', name: 'Likely sellers', when: { kinds: ['sell'] }, pool: { agentIds: [idOf('maria@demo.leadpulse.test'), idOf('priya@demo.leadpulse.test')], preferTerritory: true }, strategy: 'least_loaded', slaMinutes: 1 }];
      const put = await call('/v1/routing/rules', owner, { method: 'PUT', body: { rules } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const created = await call('/v1/api-keys', owner, { body: { name: 'website events', scopes: ['events:write'] } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const key = created.body.key as string;

      const { default: WebSocket } = await import('ws');
      const frames: Record<string, any[]> = { maria: [], priya: [] };
      const sockets = Object.entries({ maria, priya }).map(([who, token]) => {
        const ws = new WebSocket(`${base().replace('http', 'ws')}/v1/realtime`, ['leadpulse.v1', token]);
        ws.on('message', (raw) => frames[who]!.push(JSON.parse(raw.toString())));
        return new Promise<InstanceType<typeof WebSocket>>((resolve, reject) => (ws.once('open', () => resolve(ws)), ws.once('error', reject)));
      });
      const [mariaWs, priyaWs] = (await Promise.all(sockets)) as [InstanceType<typeof WebSocket>, InstanceType<typeof WebSocket>];

      // A homeowner: valuation requests, a spike of listing views, long tenure with equity.
      const ago = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
      const externalId = `home-e2e-${Date.now()}`;
      const events = [
        { externalId, type: 'property_facts', properties: { purchaseDate: '2011-04-01', estimateCents: 520_000_00, mortgageBalanceCents: 140_000_00 }, occurredAt: ago(3) },
        { externalId, type: 'home_valuation_requested', occurredAt: ago(0.2) },
        { externalId, type: 'home_valuation_requested', occurredAt: ago(1.2) },
        ...Array.from({ length: 12 }, (_, i) => ({ externalId, type: 'listing_viewed', occurredAt: ago((i % 6) + 0.1) })),
      ];
      // Two bursts in a row: the second must not raise a second alert.
      expect((await call('/v1/events', key, { body: { events } })).status).toBe(202);
      expect((await call('/v1/events', key, { body: { events: events.slice(1).map((e, i) => ({ ...e, occurredAt: ago(2 + (i % 5) * 0.1) })) } })).status).toBe(202);

      const until = async <T>(what: string, check: () => T | undefined, ms: number) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const v = check();
          if (v) return v;
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const alert = await until('alert.created on a socket', () => [...frames.maria!, ...frames.priya!].find((f) => f.type === 'alert.created' && f.data.kind === 'sell'), 15_000);
      const first = alert.data.assignedAgentIds[0] as string;
      const [firstName, nextName] = first === idOf('maria@demo.leadpulse.test') ? ['maria', 'priya'] : ['priya', 'maria'];
      expect(frames[firstName]!.some((f) => f.type === 'alert.created' && f.id === alert.id)).toBe(true);
      expect(alert.data.probability).toBeGreaterThanOrEqual(0.5);
      expect(alert.cursor).toBeGreaterThan(0);

      // One alert, not several (two bursts were posted), with a readable why-log.
      const alerts = (await call('/v1/alerts?kind=sell', owner)).body.alerts.filter((a: any) => a.leadId === alert.data.leadId);
      expect(alerts).toHaveLength(1);
      const routing = (await call(`/v1/alerts/${alert.id}/routing`, owner)).body;
      expect(routing.why.join(' | ')).toMatch(/Likely sellers/);
      const scores = (await call(`/v1/leads/${alert.data.leadId}/scores`, owner)).body;
      expect(scores.models.sell.probability).toBeGreaterThanOrEqual(0.5);
      expect(scores.signals.map((x: any) => x.type)).toEqual(expect.arrayContaining(['home_valuation_request', 'listing_view_spike']));

      // Nobody acknowledges: after the 1-minute SLA (a Durable Object alarm), the next agent gets it.
      const escalated = await until('the escalation', () => frames[nextName]!.find((f) => f.type === 'alert.updated' && f.id === alert.id && f.data.escalationLevel === 1), 150_000);
      expect(escalated.data.assignedAgentIds).toEqual([idOf(`${nextName}@demo.leadpulse.test`)]);
      mariaWs.close();
      priyaWs.close();
    },
    240_000,
  );

  it(
    'rescues a lead going cold on a compressed clock: detected by the hourly job, step 1 then step 2, stopped by the lead’s reply; the holdout lead gets nothing; the summary compares them',
    async () => {
      const login = await fetch(`${base()}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '10.9.9.8' }, body: JSON.stringify({ tenant: 'demo', email: 'owner@demo.leadpulse.test', password: 'demo-password-2026' }) });
      const owner = ((await login.json()) as any).accessToken as string;
      const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
        const res = await fetch(`${base()}${path}`, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` }, body: init.body ? JSON.stringify(init.body) : undefined });
        return { status: res.status, body: (await res.json().catch(() => null)) as any };
      };
      const inbound = async (contactId: string, text: string) => {
        const { body, headers } = signedGhlDelivery(ghlEvent('InboundMessage', { locationId: 'loc_demo', contactId, body: text }));
        expect((await fetch(`${base()}/webhooks/ghl`, { method: 'POST', headers, body })).status).toBe(200);
      };
      const until = async <T>(what: string, check: () => Promise<T | undefined | null | false>, ms: number) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const v = await check();
          if (v) return v;
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const tenantId = (await call('/v1/tenant')).body.id as string;

      // Any lead counts as going cold (threshold at its floor), half are held out, and the steps
      // come 0 and 2 (virtual) minutes apart — at 60× a QStash minute is a real second.
      const patched = await call('/v1/tenant', { method: 'PATCH', body: { settings: { churn: { riskThreshold: 0.05, holdoutPct: 0.5, stepDelaysMinutes: [0, 2, 600] } } } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);

      // New sellers who wrote once, until one of each group exists (the split is a SHA-256 of tenant + lead).
      const { churnGroup } = await import('../../worker/intelligence/churn/model');
      const byGroup: Partial<Record<'treated' | 'holdout', { contactId: string; leadId: string }>> = {};
      for (let i = 0; i < 12 && !(byGroup.treated && byGroup.holdout); i++) {
        const contactId = `cold-${Date.now().toString(36)}-${i}`;
        await inbound(contactId, 'Thinking about selling next year maybe');
        const lead = await until('the lead', async () => (await call(`/v1/leads?externalId=${contactId}`)).body.leads?.[0], 10_000);
        byGroup[await churnGroup(tenantId, lead.id, 0.5)] ??= { contactId, leadId: lead.id };
      }
      const treated = byGroup.treated!;
      const holdout = byGroup.holdout!;
      expect(treated && holdout).toBeTruthy();

      // The hourly churn schedule fires within a real minute; step 1 goes at once, step 2 two virtual minutes later.
      const steps = await until(
        'steps 1 and 2 carried out',
        async () => {
          const c = (await call(`/v1/leads/${treated.leadId}/churn`)).body;
          const done = (c?.episode?.interventions ?? []).filter((x: any) => x.status === 'done').map((x: any) => x.step);
          return done.includes(1) && done.includes(2) ? c : undefined;
        },
        120_000,
      );
      expect(steps.episode.group).toBe('treated');
      expect(steps.episode.firstActionAt).not.toBeNull();
      expect(steps.risk).toBeGreaterThan(0);
      const alerts = (await call(`/v1/alerts?leadId=${treated.leadId}&kind=churn_risk`)).body.alerts;
      expect(alerts).toHaveLength(1);

      // The lead writes back: the rescue stops (step 3 cancelled) and the episode counts as saved.
      await inbound(treated.contactId, 'Actually yes, call me this week');
      const saved = await until('the save', async () => {
        const c = (await call(`/v1/leads/${treated.leadId}/churn`)).body;
        return c?.episode?.outcome === 'saved' ? c : undefined;
      }, 30_000);
      expect(saved.episode.interventions.find((x: any) => x.step === 3).status).toBe('cancelled');

      // The holdout lead was detected too, and nothing was done to it.
      const held = (await call(`/v1/leads/${holdout.leadId}/churn`)).body;
      expect(held.episode.group).toBe('holdout');
      expect(held.episode.interventions).toEqual([]);
      expect((await call(`/v1/alerts?leadId=${holdout.leadId}&kind=churn_risk`)).body.alerts).toEqual([]);

      const summary = (await call('/v1/churn/summary')).body;
      expect(summary.treated.episodes).toBeGreaterThanOrEqual(1);
      expect(summary.holdout.episodes).toBeGreaterThanOrEqual(1);
      expect(summary.outcomes.saved).toBeGreaterThanOrEqual(1);
      expect(summary.verdict).toMatch(/not enough data/i);
    },
    240_000,
  );
});
