/**
 * POST /v1/events: durable, idempotent by event id, prospects created for unknown external ids,
 * another tenant's lead ids refused without a hint, per-lead counters in Redis rebuildable from Postgres.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, leads } from '../../../db/schema';
import { json, withDb } from '../../../testing/client';
import { api, provisionTestTenant } from '../../../testing/factory';
import { contactId, createTestLead, ghlTenant } from '../../../testing/ghl';

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe('POST /v1/events', () => {
  it('stores a batch once: resending the same event ids is counted as duplicates and stores nothing', async () => {
    const t = await provisionTestTenant();
    const batch = {
      events: [
        { id: 'e-1', externalId: 'home-42', type: 'home_valuation_viewed', properties: { page: '/value' }, occurredAt: at(10) },
        { id: 'e-2', externalId: 'home-42', type: 'listing_viewed', occurredAt: at(5) },
        { externalId: 'home-43', type: 'email_opened', occurredAt: at(1) },
      ],
    };
    const first = await api('/v1/events', { token: t.apiKey, ip: t.ip, body: batch });
    expect(first.status).toBe(202);
    expect(await json(first)).toEqual({ accepted: 3, duplicates: 0 });
    const again = await json(await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: batch.events.slice(0, 2) } }));
    expect(again).toEqual({ accepted: 0, duplicates: 2 });

    const stored = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(events).where(eq(events.tenantId, t.id)));
    expect(stored[0]!.n).toBe(3);
    const prospects = await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.kind, 'prospect'))));
    expect(prospects.map((p) => p.externalId).sort()).toEqual(['home-42', 'home-43']);
    expect(prospects.every((p) => p.source === 'events')).toBe(true);
  });

  it('batches sent at once for the same new homeowner make one prospect, with every event on it, and mark it for scoring', async () => {
    const t = await provisionTestTenant();
    const batches = Array.from({ length: 6 }, (_, i) => ({ events: [{ externalId: 'home-race', type: 'site_visit', occurredAt: at(i) }, { externalId: `home-solo-${i}`, type: 'email_opened', occurredAt: at(i) }] }));
    const answers = await Promise.all(batches.map((body) => api('/v1/events', { token: t.apiKey, ip: t.ip, body })));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    const [home] = await withDb((db) => db.select().from(leads).where(and(eq(leads.tenantId, t.id), eq(leads.externalId, 'home-race'))));
    expect(home!.lastEventAt).not.toBeNull();
    const onIt = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(events).where(eq(events.leadId, home!.id)));
    expect(onIt[0]!.n).toBe(6);
    const all = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(leads).where(eq(leads.tenantId, t.id)));
    expect(all[0]!.n).toBe(7);
  });

  it('refuses the NUL character (Postgres cannot store it) with a 422, in a body and in a query, never a 500', async () => {
    const t = await provisionTestTenant();
    for (const event of [
      { externalId: 'nul-home', type: 'site_visit', properties: { note: 'a\u0000b' }, occurredAt: at(1) },
      { externalId: 'nul\u0000home', type: 'site_visit', occurredAt: at(1) },
    ]) {
      const res = await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: [event] } });
      expect(res.status).toBe(422);
      expect((await json(res)).error.message).toMatch(/NUL character/);
    }
    const stored = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(events).where(eq(events.tenantId, t.id)));
    expect(stored[0]!.n).toBe(0);
    expect((await api('/v1/leads?externalId=a%00b', { token: t.owner.token, ip: t.ip })).status).toBe(422);
  });

  it("refuses another tenant's lead id (422 naming the item) and stores none of the batch", async () => {
    const mine = await provisionTestTenant();
    const theirs = await ghlTenant();
    const theirLead = await createTestLead(theirs, { id: contactId('events') });
    const res = await api('/v1/events', {
      token: mine.apiKey,
      ip: mine.ip,
      body: { events: [{ externalId: 'ok-1', type: 'site_visit', occurredAt: at(1) }, { leadId: theirLead.id, type: 'site_visit', occurredAt: at(1) }] },
    });
    expect(res.status).toBe(422);
    expect((await json(res)).error.details).toEqual([{ path: 'events[1].leadId', message: 'no such lead' }]);
    const stored = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(events).where(eq(events.tenantId, mine.id)));
    expect(stored[0]!.n).toBe(0);
  });

  it('keeps per-lead counters in Redis, and rebuilds them from Postgres', async () => {
    const t = await ghlTenant();
    const lead = await createTestLead(t, { id: contactId('counters') });
    const body = { events: Array.from({ length: 5 }, (_, i) => ({ id: `c-${i}`, leadId: lead.id, type: i < 3 ? 'site_visit' : 'email_opened', occurredAt: at(i) })) };
    expect(await json(await api('/v1/events', { token: t.apiKey, ip: t.ip, body }))).toEqual({ accepted: 5, duplicates: 0 });
    const { leadEventCounters, rebuildLeadEventCounters, counterKey } = await import('../../../services/events/ingest');
    const { openSystemContext } = await import('../../../services/clients');
    const { env } = await import('../../../testing/client');
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await leadEventCounters(ctx, lead.id)).toEqual({ site_visit: 3, email_opened: 2, _total: 5 });
      await ctx.redis.del(counterKey(t.id, lead.id)); // Redis lost its copy
      expect(await leadEventCounters(ctx, lead.id)).toEqual({});
      expect(await rebuildLeadEventCounters(ctx, lead.id)).toEqual({ site_visit: 3, email_opened: 2, _total: 5 });
      expect(await leadEventCounters(ctx, lead.id)).toEqual({ site_visit: 3, email_opened: 2, _total: 5 });
    } finally {
      await close();
    }
  });

  it('validates the batch: size, type names, a lead reference on every event', async () => {
    const t = await provisionTestTenant();
    const too = { events: Array.from({ length: 1001 }, () => ({ externalId: 'x', type: 'site_visit', occurredAt: at(0) })) };
    expect((await api('/v1/events', { token: t.apiKey, ip: t.ip, body: too })).status).toBe(422);
    const bad = await api('/v1/events', { token: t.apiKey, ip: t.ip, body: { events: [{ type: 'Site Visit!', occurredAt: 'yesterday' }] } });
    expect(bad.status).toBe(422);
    const paths = (await json(bad)).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['events[0].type', 'events[0].occurredAt']));
  });
});
