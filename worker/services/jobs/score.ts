import { and, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { leads } from '../../db/schema';
import type { Logger } from '../../lib/logger';
import { expireAlerts } from '../alerts/alerts';
import { openSystemContext } from '../clients';
import { rescoreLeads } from '../scoring/rescore';
import { automationAllowed } from '../billing/billing';

/** Leads picked per run; a backlog beyond this is finished by the next run five minutes later. */
const MAX_LEADS_PER_RUN = 50_000;

/**
 * The 5-minute scoring job: every lead whose newest event is after its last score is rescored
 * (tenant by tenant, in pages), alerts are raised on threshold crossings, and open alerts past
 * their expiry become expired.
 */
export async function runScoringJob(env: unknown, db: Database, logger: Logger) {
  const started = Date.now();
  const due = await db
    .select({ tenantId: leads.tenantId, id: leads.id })
    .from(leads)
    .where(and(isNotNull(leads.lastEventAt), isNull(leads.deletedAt), sql`(${leads.scoredAt} is null or ${leads.lastEventAt} > ${leads.scoredAt})`))
    .orderBy(leads.lastEventAt)
    .limit(MAX_LEADS_PER_RUN);
  const byTenant = new Map<string, string[]>();
  for (const row of due) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row.id]);

  let scored = 0;
  let alerts = 0;
  // Where the run's time went, summed over tenants (rescoreLeads: setup, score, write, wait).
  const timings: Record<string, number> = {};
  for (const [tenantId, ids] of byTenant) {
    const { ctx, close } = openSystemContext(env, tenantId, logger);
    try {
      if (!(await automationAllowed(ctx))) continue; // billing: no scoring while past due / canceled (finally still closes)
      const result = await rescoreLeads(ctx, ids);
      scored += result.scored;
      alerts += result.alerts.length;
      for (const [k, v] of Object.entries(result.timings)) timings[k] = (timings[k] ?? 0) + v;
    } finally {
      await close();
    }
  }
  const expired = await expireAlerts(env, db, logger);
  logger.info('scoring job', { tenants: byTenant.size, scored, alerts, expired, timings, ms: Date.now() - started });
  return { tenants: byTenant.size, scored, alerts, expired };
}
