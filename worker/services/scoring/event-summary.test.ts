/**
 * The scorer has Postgres summarise a lead's events (eventSummaries); tests, the bench and
 * anything else holding raw events use summarizeEvents. Same events in, same summary out —
 * including the window edges (an event exactly 7 days old is in the 7-day window), future-dated
 * events (never counted) and life events older than the 37-day windows.
 */
import '@hono/zod-openapi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { events, leads } from '../../db/schema';
import { summarizeEvents, type EventSummary, type SignalEvent } from '../../intelligence/signals/signals';
import { newId } from '../../lib/ids';
import { withDb } from '../../testing/client';
import { provisionTestTenant } from '../../testing/factory';
import { eventSummaries } from './score';

const DAY = 86_400_000;
const TYPES = ['listing_viewed', 'site_visit', 'email_opened', 'home_valuation_requested', 'life_event', 'property_facts'];
const KINDS = ['probate', 'job_relocation', 'divorce', ''];

/** Ages in days that sit on and around every window edge, plus anything from the future to a year back. */
const age = fc.oneof(
  fc.constantFrom(0, 7, 14, 30, 37, 180).chain((d) => fc.constantFrom(d * DAY, d * DAY - 1, d * DAY + 1)),
  fc.integer({ min: -3 * DAY, max: 365 * DAY }),
);
const event = fc.record({ type: fc.constantFrom(...TYPES), age, kind: fc.constantFrom(...KINDS) });

const normalise = (s: EventSummary) => ({ ...s, lifeEventKinds: [...s.lifeEventKinds].sort() });

describe('event summary', () => {
  it('Postgres and summarizeEvents agree on every window, visit day and life event', async () => {
    const t = await provisionTestTenant();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { maxLength: 25 }), { minLength: 1, maxLength: 4 }), async (perLead) => {
        const ids = perLead.map(() => newId('lead'));
        const raw: SignalEvent[][] = perLead.map((evs) =>
          evs.map((e) => ({ type: e.type, occurredAt: new Date(now.getTime() - e.age), properties: e.type === 'life_event' ? { kind: e.kind } : {} })),
        );
        const fromSql = await withDb(async (db) => {
          await db.insert(leads).values(ids.map((id) => ({ id, tenantId: t.id, source: 'api' as const })));
          const all = raw.flatMap((evs, i) => evs.map((e) => ({ id: newId('event'), tenantId: t.id, leadId: ids[i]!, type: e.type, properties: e.properties, occurredAt: e.occurredAt })));
          if (all.length) await db.insert(events).values(all);
          return eventSummaries(db, t.id, ids, now);
        });
        ids.forEach((id, i) => {
          const expected = summarizeEvents(raw[i]!, now);
          const got = fromSql.get(id) ?? { counts: {}, siteVisitDays14: 0, lifeEventKinds: [] };
          expect(normalise(got), `lead ${i}: ${JSON.stringify(perLead[i])}`).toEqual(normalise(expected));
        });
      }),
      { numRuns: 40 },
    );
  });

  it('counts nothing of another tenant', async () => {
    const [a, b] = [await provisionTestTenant(), await provisionTestTenant()];
    const now = new Date();
    const id = newId('lead');
    const rows = await withDb(async (db) => {
      await db.insert(leads).values({ id, tenantId: a.id, source: 'api' });
      await db.insert(events).values({ id: newId('event'), tenantId: a.id, leadId: id, type: 'listing_viewed', occurredAt: new Date(now.getTime() - DAY) });
      return eventSummaries(db, b.id, [id], now);
    });
    expect(rows.size).toBe(0);
  });
});
