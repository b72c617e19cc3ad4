/**
 * Rescoring more leads than one page: pages are read while the previous one is written, so
 * every lead of every page must end up scored once, and a crossing on the last page must still
 * raise its alert.
 */
import '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { alerts, events, leads, leadScores } from '../../db/schema';
import { newId } from '../../lib/ids';
import { env, withDb } from '../../testing/client';
import { provisionTestTenant } from '../../testing/factory';
import { openSystemContext } from '../clients';
import { RESCORE_BATCH, rescoreLeads } from './rescore';

const DAY = 86_400_000;

describe('rescoring several pages', () => {
  it('scores every lead of every page once and raises the alert a lead on the last page crossed', async () => {
    const t = await provisionTestTenant();
    const n = 2 * RESCORE_BATCH + 300;
    const ids = Array.from({ length: n }, () => newId('lead'));
    const now = Date.now();
    await withDb(async (db) => {
      for (let i = 0; i < n; i += 1000) {
        await db.insert(leads).values(ids.slice(i, i + 1000).map((id, j) => ({ id, tenantId: t.id, source: 'api' as const, externalId: `home-${i + j}`, name: `Home ${i + j}` })));
      }
      // One homeowner on the last page looks like a seller: valuation checks, a spike of views, long tenure with equity.
      const seller = ids[n - 1]!;
      const at = (d: number) => new Date(now - d * DAY);
      await db.insert(events).values([
        { id: newId('event'), tenantId: t.id, leadId: seller, type: 'property_facts', properties: { purchaseDate: '2010-01-01', estimateCents: 600_000_00, mortgageBalanceCents: 100_000_00 }, occurredAt: at(1) },
        ...[0.2, 1.2].map((d) => ({ id: newId('event'), tenantId: t.id, leadId: seller, type: 'home_valuation_requested', occurredAt: at(d) })),
        ...Array.from({ length: 12 }, (_, k) => ({ id: newId('event'), tenantId: t.id, leadId: seller, type: 'listing_viewed', occurredAt: at((k % 6) + 0.1) })),
      ]);
    });

    const { ctx, close } = openSystemContext(env, t.id);
    let result: Awaited<ReturnType<typeof rescoreLeads>>;
    try {
      result = await rescoreLeads(ctx, ids);
    } finally {
      await close();
    }
    expect(result.scored).toBe(n);
    expect(Object.keys(result.timings).sort()).toEqual(['score', 'setup', 'wait', 'write']);

    const counts = await withDb((db) =>
      db
        .select({ kinds: sql<number>`count(*)::int`, leads: sql<number>`count(distinct ${leadScores.leadId})::int` })
        .from(leadScores)
        .where(eq(leadScores.tenantId, t.id)),
    );
    expect(counts[0]).toEqual({ kinds: 4 * n, leads: n });
    const unscored = await withDb((db) => db.select({ n: sql<number>`count(*)::int` }).from(leads).where(and(eq(leads.tenantId, t.id), sql`${leads.scoredAt} is null`)));
    expect(unscored[0]!.n).toBe(0);

    const raised = await withDb((db) => db.select().from(alerts).where(and(eq(alerts.tenantId, t.id), inArray(alerts.leadId, ids))));
    expect(raised.map((a) => [a.leadId, a.kind])).toEqual([[ids[n - 1], 'sell']]);
    expect(result.alerts).toEqual([raised[0]!.id]);
  });
});
