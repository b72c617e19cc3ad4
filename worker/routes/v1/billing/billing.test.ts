import { runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { roomName } from '../../../conversations/rooms';
import { alerts, churnAssessments, leads, messages, outboundDeliveries, webhookDeliveries } from '../../../db/schema';
import type { AlertDesk } from '../../../sla/desk';
import { loadConfig } from '../../../config';
import { ServiceError } from '../../../lib/errors';
import { createPortal, stripeClient } from '../../../services/billing/billing';
import type { ServiceContext } from '../../../services/context';
import { env, json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, TEST_PASSWORD, type TestTenant } from '../../../testing/factory';
import { connectGhl, contactId, createTestLead, eventually, ghlEvent, postGhl, sentTo, type GhlTenant } from '../../../testing/ghl';
import { deliverJob } from '../../../testing/qstash';
import { postStripe, stripeEvent, subscriptionObject } from '../../../testing/stripe';

async function billing(t: TestTenant, token = t.owner.token) {
  const res = await api('/v1/billing', { token, ip: t.ip });
  expect(res.status).toBe(200);
  return json(res);
}

/** Event time, one second further each call: each subscription change is newer than the last. */
let clock = Math.floor(Date.now() / 1000);

/** Puts the tenant on a subscription in the given state, the way Stripe would. */
async function subscribe(t: TestTenant, status: string, quantity: number, plan = 'team', type = 'customer.subscription.updated') {
  const res = await postStripe(stripeEvent(type, subscriptionObject({ tenantId: t.id, id: `sub_${t.id}`, customer: `cus_${t.id}`, status, quantity, plan }), ++clock));
  expect(res.status).toBe(200);
  expect((await json(res)).outcome).toBe('processed');
}

const addUser = (t: TestTenant, label: string) =>
  api('/v1/users', { token: t.owner.token, ip: t.ip, body: { email: `${label}-${crypto.randomUUID().slice(0, 6)}@${t.slug}.test`, name: `${label} person`, role: 'agent', password: TEST_PASSWORD } });

/** Strong seller signals: valuation requests are scored at once and raise a sell alert (automation allowing). */
async function postSellerSignals(t: TestTenant, externalId: string) {
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const events = [
    ...[0, 1].map((i) => ({ id: `val-${i}`, externalId, type: 'home_valuation_requested', occurredAt: ago(i + 0.2) })),
    ...Array.from({ length: 12 }, (_, i) => ({ id: `view-${i}`, externalId, type: 'listing_viewed', occurredAt: ago((i % 6) + 0.1) })),
    { id: 'facts', externalId, type: 'property_facts', properties: { purchaseDate: '2010-01-01', estimateCents: 600_000_00, mortgageBalanceCents: 100_000_00 }, occurredAt: ago(1) },
  ];
  expect((await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events } })).status).toBe(202);
}

/** A sell alert routed to one of two agents, in business hours all week (an SLA clock runs whenever the test does). */
async function routedAlert(t: TestTenant, externalId: string) {
  const patched = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { settings: { businessHours: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] } } } });
  expect(patched.status).toBe(200);
  await memberWithRole(t, 'agent');
  await memberWithRole(t, 'agent');
  await postSellerSignals(t, externalId);
  return eventually(async () => {
    const [lead] = await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.externalId, externalId))));
    const [alert] = lead ? await withDb((db) => db.select().from(alerts).where(eq(alerts.leadId, lead.id))) : [];
    return alert?.routing ? alert : undefined;
  }, 'a routed alert');
}

/** Waits until the delivery has been handled (the bot's reply, if any, is out by then). */
async function inbound(t: GhlTenant, contact: string, body: string) {
  const res = await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: contact, body }));
  expect(res.status).toBe(200);
  const { deliveryId } = await json(res);
  await eventually(
    () => withDb(async (db) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]?.status === 'processed'),
    `delivery ${deliveryId} processed`,
  );
}

describe('GET /v1/billing', () => {
  it('shows a new tenant on the free plan, and only its own subscription', async () => {
    const a = await provisionTestTenant({ plan: 'free' });
    const b = await provisionTestTenant({ plan: 'free' });
    expect(await billing(a)).toEqual({
      plan: 'free',
      status: 'none',
      seats: 3,
      seatsUsed: 1,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      automation: true,
      features: expect.arrayContaining(['seller_bot', 'alerts']),
    });
    await subscribe(a, 'active', 12, 'brokerage');
    expect(await billing(a)).toMatchObject({ plan: 'brokerage', status: 'active', seats: 12, features: expect.arrayContaining(['coaching']) });
    // B reads its own row only, whoever asks (its API key included).
    expect(await billing(b)).toMatchObject({ plan: 'free', status: 'none', seats: 3 });
    expect(await billing(b, b.apiKey)).toMatchObject({ plan: 'free', status: 'none' });
    // Any member may read it; without credentials nobody may.
    const agent = await memberWithRole(a, 'agent');
    expect(await billing(a, agent.token)).toMatchObject({ plan: 'brokerage', seatsUsed: 2 });
    expect((await api('/v1/billing', { ip: a.ip })).status).toBe(401);
  });
});

describe('seats', () => {
  it('refuses a user beyond the plan’s seats with seat_limit_reached, and allows it once seats are bought', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    expect((await addUser(t, 'second')).status).toBe(201);
    expect((await addUser(t, 'third')).status).toBe(201);
    const refused = await addUser(t, 'fourth');
    expect(refused.status).toBe(402);
    const body = await json(refused);
    expect(body.error.code).toBe('seat_limit_reached');
    expect(body.error.details).toEqual({ seatsUsed: 3, seatsAllowed: 3, plan: 'free' });
    expect(body.error.message).toMatch(/3 seats/);
    expect((await billing(t)).seatsUsed).toBe(3);

    await subscribe(t, 'active', 4);
    expect((await addUser(t, 'fourth')).status).toBe(201);
    expect((await addUser(t, 'fifth')).status).toBe(402);
    expect(await billing(t)).toMatchObject({ seats: 4, seatsUsed: 4 });
  });

  it('counts concurrent additions one after the other', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((l) => addUser(t, l)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 402, 402]);
    expect((await billing(t)).seatsUsed).toBe(3);
  });
});

describe('POST /v1/billing/checkout', () => {
  it('is for owners and admins only, and validates the plan and seats', async () => {
    const t = await provisionTestTenant();
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const m = await memberWithRole(t, role);
      const res = await api('/v1/billing/checkout', { token: m.token, ip: t.ip, body: { plan: 'team', seats: 5 } });
      expect(res.status, role).toBe(403);
    }
    for (const body of [{ plan: 'free', seats: 5 }, { plan: 'team', seats: 0 }, { plan: 'team' }, { plan: 'team', seats: 5, price: 'price_x' }]) {
      const res = await api('/v1/billing/checkout', { token: t.owner.token, ip: t.ip, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    // Fewer seats than the team already has (owner + three members).
    const few = await api('/v1/billing/checkout', { token: t.owner.token, ip: t.ip, body: { plan: 'team', seats: 2 } });
    expect(few.status).toBe(422);
    expect((await json(few)).error.details).toEqual([{ path: 'seats', message: 'must be at least 4' }]);
  });

  it('creates a Stripe Checkout Session (on the local stand-in, through the SDK) for owners and admins', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const admin = await memberWithRole(t, 'admin');
    for (const [token, plan, seats] of [[t.owner.token, 'team', 5], [admin.token, 'brokerage', 9]] as const) {
      const res = await api('/v1/billing/checkout', { token, ip: t.ip, body: { plan, seats } });
      expect(res.status).toBe(200);
      const { url } = await json(res);
      expect(url).toMatch(new RegExp(`^${env.STRIPE_API_BASE_URL}/pay/cs_test_`));
      const { sessions } = (await (await fetch(`${env.STRIPE_API_BASE_URL}/_standin/sessions`)).json()) as { sessions: Array<Record<string, any>> };
      const session = sessions.find((s) => s.url === url)!;
      expect(session).toMatchObject({
        client_reference_id: t.id,
        metadata: { tenantId: t.id, plan },
        subscription_data: { metadata: { tenantId: t.id, plan } },
        line_items: [{ price: plan === 'team' ? env.STRIPE_PRICE_TEAM : env.STRIPE_PRICE_BROKERAGE, quantity: seats }],
      });
    }
    // Already subscribed: changes go through the billing portal, not a second subscription.
    await subscribe(t, 'active', 5);
    const again = await api('/v1/billing/checkout', { token: t.owner.token, ip: t.ip, body: { plan: 'team', seats: 6 } });
    expect(again.status).toBe(409);
  });

  it('says clearly that billing is not configured when there is no Stripe key', async () => {
    const config = { ...loadConfig(env), STRIPE_SECRET_KEY: undefined };
    const err = (() => {
      try {
        stripeClient(config);
      } catch (e) {
        return e as ServiceError;
      }
    })();
    expect(err).toBeInstanceOf(ServiceError);
    expect(err!.code).toBe('billing_not_configured');
    expect(err!.status).toBe(503);
    expect(err!.message).toMatch(/STRIPE_SECRET_KEY/);
  });
});

describe('automation while past due', () => {
  it('stops the bot (the inbound is stored, no reply is sent) while every read keeps working', async () => {
    const healthy = await connectGhl(await provisionTestTenant());
    const pastDue = await connectGhl(await provisionTestTenant());
    // Past due before anything of this tenant has run (nothing is cached yet anywhere).
    await subscribe(pastDue, 'past_due', 5);
    expect(await billing(pastDue)).toMatchObject({ status: 'past_due', automation: false });

    const control = contactId('billing-ok');
    await createTestLead(healthy, { id: control, name: 'Sam Seller' });
    await inbound(healthy, control, 'Hi, I am thinking about selling my house');
    expect((await sentTo(control)).length, 'the healthy tenant’s bot answers').toBeGreaterThan(0);

    const quiet = contactId('billing-past-due');
    const lead = await createTestLead(pastDue, { id: quiet, name: 'Pat Seller' });
    await inbound(pastDue, quiet, 'Hi, I am thinking about selling my house');
    expect(await sentTo(quiet)).toEqual([]);
    const stored = await withDb((db) => db.select().from(messages).where(and(eq(messages.leadId, lead.id as string), eq(messages.direction, 'inbound'))));
    expect(stored.map((m) => m.body)).toEqual(['Hi, I am thinking about selling my house']);
    const bot = await withDb((db) => db.select().from(messages).where(and(eq(messages.leadId, lead.id as string), eq(messages.direction, 'outbound'))));
    expect(bot).toEqual([]);

    // Data stays readable.
    const leads = await api('/v1/leads', { token: pastDue.owner.token, ip: pastDue.ip });
    expect(leads.status).toBe(200);
    expect((await json(leads)).leads.map((l: { id: string }) => l.id)).toContain(lead.id);
    const thread = await api(`/v1/leads/${lead.id}/messages`, { token: pastDue.owner.token, ip: pastDue.ip });
    expect(thread.status).toBe(200);

    // Paid again: the bot answers the next message.
    await subscribe(pastDue, 'active', 5);
    await inbound(pastDue, quiet, 'Are you still there? I want to sell');
    expect((await sentTo(quiet)).length).toBeGreaterThan(0);
  });

  it('stores a past-due tenant’s events but neither scores them nor raises alerts, until it pays', async () => {
    const t = await provisionTestTenant();
    await subscribe(t, 'past_due', 5);
    await postSellerSignals(t, 'paused-seller');
    const lead = await eventually(async () => (await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.externalId, 'paused-seller')))))[0], 'the lead');
    expect((await deliverJob('/jobs/score')).status).toBe(200);
    const [after] = await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id)));
    expect(after!.scoredAt).toBeNull();
    expect(await withDb((db) => db.select().from(alerts).where(eq(alerts.tenantId, t.id)))).toEqual([]);
    // The lead and its events stay readable.
    expect((await api(`/v1/leads/${lead.id}`, { token: t.owner.token, ip: t.ip })).status).toBe(200);

    await subscribe(t, 'active', 5);
    expect((await deliverJob('/jobs/score')).status).toBe(200);
    const [scored] = await withDb((db) => db.select().from(leads).where(eq(leads.id, lead.id)));
    expect(scored!.scoredAt).not.toBeNull();
  });
});

describe('a bot message deferred before the tenant went past due', () => {
  it('is suppressed with the reason when it comes due, not sent late', async () => {
    const t = await connectGhl(await provisionTestTenant());
    // The proactive window is half an hour three hours from now (Chicago), so now is quiet.
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const window = String(12 + ((hour + 3) % 8)).padStart(2, '0'); // 12–19 h: inside every state rule, never this hour
    const patch = await api('/v1/tenant', { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { timezone: 'America/Chicago', settings: { quietHours: { start: `${window}:00`, end: `${window}:30`, stateRules: true } } } });
    expect(patch.status).toBe(200);
    const c = contactId('billing-deferred');
    const lead = await createTestLead(t, { id: c, phone: '+15125550177', state: 'TX', tags: ['sms-consent'] });
    const deferred = await eventually(
      () => withDb(async (db) => (await db.select().from(messages).where(and(eq(messages.leadId, lead.id as string), eq(messages.kind, 'first_touch'), eq(messages.status, 'deferred'))))[0]),
      'the deferred first touch',
    );

    await subscribe(t, 'past_due', 5);
    // The room's timer comes due (brought forward: its clock is real) and fires.
    const room = env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(roomName(t.id, lead.id as string)));
    await runInDurableObject(room, async (r: { alarm(): Promise<void> }, state) => {
      state.storage.sql.exec(`UPDATE tasks SET due = 0 WHERE kind = 'deliver'`);
      await r.alarm();
    });
    const [row] = await withDb((db) => db.select().from(messages).where(eq(messages.id, deferred.id)));
    expect(row).toMatchObject({ status: 'suppressed', error: 'automation_paused' });
    expect(await sentTo(c)).toEqual([]);
  });
});

const RULE = { id: 'sellers', name: 'Sellers', when: { kinds: ['sell'] }, pool: {}, strategy: 'least_loaded', slaMinutes: 10 };

/** Every paid write or action, with the feature that gates it (ids need not exist: the plan is checked first). */
const GATED: Array<{ feature: string; method: string; path: string; body?: unknown; raw?: string; message: RegExp }> = [
  { feature: 'routing_rules', method: 'PUT', path: '/v1/routing/rules', body: { rules: [RULE] }, message: /^Routing rules are part of the Team plan; this tenant is on Free$/ },
  { feature: 'scoring_models', method: 'POST', path: '/v1/models/sell/train?label=converted', raw: 'a,converted\n1,1\n', message: /^Trained scoring models are part of the Team plan/ },
  { feature: 'scoring_models', method: 'POST', path: '/v1/models/sell/versions/1/activate', message: /^Trained scoring models are part of the Team plan/ },
  { feature: 'scoring_models', method: 'POST', path: '/v1/models/sell/predict', body: { rows: [{ Visits: 3 }] }, message: /^Trained scoring models are part of the Team plan/ },
  { feature: 'tenant_webhooks', method: 'PUT', path: '/v1/integrations/webhook', body: { url: 'https://hooks.example.com/lp', secret: 'a'.repeat(32) }, message: /^Outbound webhooks are part of the Team plan/ },
  { feature: 'tenant_webhooks', method: 'POST', path: '/v1/integrations/webhook/test', message: /^Outbound webhooks are part of the Team plan/ },
  { feature: 'experiments', method: 'POST', path: '/v1/experiments', body: { key: 'cadence', name: 'Cadence', lever: 'follow_up_cadence', variants: [] }, message: /^Experiments are part of the Brokerage plan; this tenant is on Free$/ },
  { feature: 'experiments', method: 'POST', path: '/v1/experiments/exp_1ChHDFAV9aDuq284GjB79b/start', message: /^Experiments are part of the Brokerage plan/ },
  { feature: 'coaching', method: 'POST', path: '/v1/coaching/agents/usr_1ChHDFAV9aDuq284GjB79b/analyze', body: {}, message: /^Coaching is part of the Brokerage plan; this tenant is on Free$/ },
];

const REQUIRED: Record<string, string> = { routing_rules: 'team', scoring_models: 'team', tenant_webhooks: 'team', experiments: 'brokerage', coaching: 'brokerage' };

describe('plan features', () => {
  it('refuses every paid write of a free tenant with 402 plan_feature_required, naming the feature and the plan that has it', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    for (const g of GATED) {
      const res = await api(g.path, { method: g.method, token: t.owner.token, ip: t.ip, body: g.body, raw: g.raw });
      expect(res.status, `${g.method} ${g.path}`).toBe(402);
      const { error } = await json(res);
      expect(error.code).toBe('plan_feature_required');
      expect(error.message).toMatch(g.message);
      expect(error.details).toEqual({ feature: g.feature, plan: 'free', requiredPlan: REQUIRED[g.feature] });
    }
    // Reads are never gated: the free tenant sees its (empty) rules, models, experiments and dashboard.
    for (const path of ['/v1/routing/rules', '/v1/models', '/v1/experiments', '/v1/dashboard', '/v1/churn/summary']) {
      expect((await api(path, { token: t.owner.token, ip: t.ip })).status, path).toBe(200);
    }
    expect((await billing(t)).features).toEqual(['seller_bot', 'alerts', 'dashboard']);
  });

  it('the API reference lists the 402 on exactly the operations that are gated', async () => {
    const doc = await json(await api('/v1/openapi.json'));
    const templates = Object.keys(doc.paths).map((tpl) => ({ tpl, re: new RegExp(`^${tpl.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    const operationOf = (method: string, path: string) => {
      const bare = path.replace(/^\/v1/, '').replace(/\?.*$/, '');
      return `${method.toLowerCase()} ${templates.find((t) => t.re.test(bare))!.tpl}`;
    };
    const gated = new Set(GATED.map((g) => operationOf(g.method, g.path)));
    const documented = new Set(Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap(([tpl, ops]) => Object.entries(ops).filter(([, op]) => op.responses?.['402']).map(([m]) => `${m} ${tpl}`)));
    expect([...documented].sort()).toEqual([...gated].sort());
  });

  it('lifts the gate the moment a signed Stripe webhook upgrades the tenant, and restores it when the subscription ends; the data stays readable', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const put = () => api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules: [RULE] } });
    expect((await put()).status).toBe(402); // the refusal is now cached in this isolate

    await subscribe(t, 'active', 5, 'team');
    expect((await put()).status).toBe(200);
    // Team has no experiments: the refusal says which plan does and where the tenant is.
    const exp = await api('/v1/experiments', { token: t.owner.token, ip: t.ip, body: { key: 'cadence', name: 'Cadence', lever: 'follow_up_cadence', variants: [] } });
    expect(exp.status).toBe(402);
    expect((await json(exp)).error).toMatchObject({ message: 'Experiments are part of the Brokerage plan; this tenant is on Team', details: { feature: 'experiments', plan: 'team', requiredPlan: 'brokerage' } });

    // Past due keeps the plan's features (automation is what stops).
    await subscribe(t, 'past_due', 5, 'team');
    expect((await put()).status).toBe(200);

    await subscribe(t, 'canceled', 5, 'team', 'customer.subscription.deleted');
    const refused = await put();
    expect(refused.status).toBe(402);
    expect((await json(refused)).error.message).toBe('Routing rules are part of the Team plan; this tenant is on Free (its Team subscription is canceled)');
    const rules = await api('/v1/routing/rules', { token: t.owner.token, ip: t.ip });
    expect(rules.status).toBe(200);
    expect((await json(rules)).rules.map((r: { id: string }) => r.id)).toEqual(['sellers']);
    expect(await billing(t)).toMatchObject({ plan: 'team', status: 'canceled', features: ['seller_bot', 'alerts', 'dashboard'] });
  });

  it('the churn job skips a tenant without churn recovery until it upgrades', async () => {
    const free = await connectGhl(await provisionTestTenant({ plan: 'free' }));
    const paid = await connectGhl(await provisionTestTenant());
    await createTestLead(free, { id: contactId('churn-free') });
    await createTestLead(paid, { id: contactId('churn-paid') });
    const assessed = (t: TestTenant) => withDb((db) => db.select().from(churnAssessments).where(eq(churnAssessments.tenantId, t.id)));

    expect((await deliverJob('/jobs/churn')).status).toBe(200);
    expect(await assessed(free)).toEqual([]);
    expect((await assessed(paid)).length).toBeGreaterThan(0);

    await subscribe(free, 'active', 5, 'team');
    expect((await deliverJob('/jobs/churn')).status).toBe(200);
    expect((await assessed(free)).length).toBeGreaterThan(0);
  });
});

describe('the SLA ladder by plan', () => {
  const desk = (t: TestTenant) => env.ALERT_DESK.get(env.ALERT_DESK.idFromName(t.id));

  it('a free tenant’s alert reaches its agent without a ladder; a brokerage one that lapses stops escalating', async () => {
    const free = await provisionTestTenant({ plan: 'free' });
    const freeAlert = await routedAlert(free, 'sla-free');
    expect(freeAlert.assignedAgentIds).toHaveLength(1);

    const paid = await provisionTestTenant();
    const paidAlert = await routedAlert(paid, 'sla-paid');
    await eventually(async () => (await desk(paid).pending()).length > 0, 'the brokerage tenant’s SLA timer');
    // The free tenant's alert was raised first: its timer would be there by now.
    expect(await desk(free).pending()).toEqual([]);

    await subscribe(paid, 'canceled', 5, 'brokerage', 'customer.subscription.deleted');
    await runInDurableObject(desk(paid), async (instance: AlertDesk, state) => {
      state.storage.sql.exec(`UPDATE timers SET due = 0`);
      await instance.alarm();
    });
    const [after] = await withDb((db) => db.select().from(alerts).where(eq(alerts.id, paidAlert.id)));
    expect(after).toMatchObject({ escalationLevel: 0, assignedAgentIds: paidAlert.assignedAgentIds });
    expect(await desk(paid).pending()).toEqual([]);
  });
});

describe('outbound webhooks by plan', () => {
  it('sends a tenant whose subscription ended nothing new, while its endpoint stays on file and readable', async () => {
    const t = await provisionTestTenant();
    const endpoint = { url: 'https://hooks.example.com/leadpulse', secret: 's'.repeat(32) };
    expect((await api('/v1/integrations/webhook', { method: 'PUT', token: t.owner.token, ip: t.ip, body: endpoint })).status).toBe(200);
    const alert = await routedAlert(t, 'hook-seller');
    const events = async () => (await withDb((db) => db.select().from(outboundDeliveries).where(eq(outboundDeliveries.tenantId, t.id)))).map((d) => d.eventType);
    expect(await events()).toEqual(['alert.created']);

    await subscribe(t, 'canceled', 5, 'brokerage', 'customer.subscription.deleted');
    // People still work their alerts (not automation); the change is not sent out any more.
    expect((await api(`/v1/alerts/${alert.id}/ack`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(200);
    expect(await events()).toEqual(['alert.created']);
    const read = await api('/v1/integrations/webhook', { token: t.owner.token, ip: t.ip });
    expect(read.status).toBe(200);
    expect((await json(read)).url).toBe(endpoint.url);
  });
});

describe('POST /v1/billing/portal', () => {
  it('opens the Stripe Customer Portal (the stand-in, through the SDK) for owners and admins of a subscribed tenant', async () => {
    const t = await provisionTestTenant({ plan: 'free' });
    const admin = await memberWithRole(t, 'admin');
    // Never subscribed: there is no Stripe customer to open a portal for.
    const none = await api('/v1/billing/portal', { method: 'POST', token: t.owner.token, ip: t.ip });
    expect(none.status).toBe(409);
    expect((await json(none)).error.message).toMatch(/no Stripe customer yet/);

    await subscribe(t, 'active', 5);
    for (const token of [t.owner.token, admin.token]) {
      const res = await api('/v1/billing/portal', { method: 'POST', token, ip: t.ip });
      expect(res.status).toBe(200);
      const { url } = await json(res);
      expect(url).toMatch(new RegExp(`^${env.STRIPE_API_BASE_URL}/portal/bps_`));
      const { sessions } = (await (await fetch(`${env.STRIPE_API_BASE_URL}/_standin/portal_sessions`)).json()) as { sessions: Array<Record<string, unknown>> };
      expect(sessions.find((s) => s.url === url)).toMatchObject({ customer: `cus_${t.id}`, return_url: `${loadConfig(env).APP_URL.replace(/\/$/, '')}/billing` });
    }
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const m = await memberWithRole(t, role);
      expect((await api('/v1/billing/portal', { method: 'POST', token: m.token, ip: t.ip })).status, role).toBe(403);
    }
    expect((await api('/v1/billing/portal', { method: 'POST', ip: t.ip })).status).toBe(401);
  });

  it('says billing is not configured when there is no Stripe key', async () => {
    const ctx = { tenantId: 'tnt_none', config: { ...loadConfig(env), STRIPE_SECRET_KEY: undefined } } as unknown as ServiceContext;
    await expect(createPortal(ctx)).rejects.toMatchObject({ code: 'billing_not_configured', status: 503, message: expect.stringMatching(/STRIPE_SECRET_KEY/) });
  });
});
