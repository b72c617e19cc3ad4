/**
 * Rescoring with consequences: score a set of leads, then raise an alert for every model whose
 * probability has just crossed the tenant's threshold (PRODUCT.md §3.4). "Just crossed" means
 * the previous score was below it or there was none; a lead that stays above the line is not
 * re-alerted on every rescore, and the alert's own dedupe key (lead, kind, window) guards races.
 */
import { MODEL_KINDS, type ModelKind } from '../../db/schema';
import { PRIOR_VERSION } from '../../intelligence/scoring';
import type { Signal } from '../../intelligence/signals/signals';
import { raiseAlert } from '../alerts/alerts';
import type { ServiceContext } from '../context';
import { planAllows } from '../billing/billing';
import { activeModels, type ActiveModels } from '../models/active';
import { getTenant } from '../tenants/tenant';
import { saveScores, scoreLeads, type LeadScoring } from './score';
import type { TenantSettings } from '../tenants/settings';
import { findLead } from '../leads/leads';
import { and, eq } from 'drizzle-orm';
import { leadScores } from '../../db/schema';

/**
 * The tenant's trained models score its leads while its plan includes them; a tenant that
 * dropped to free keeps its versions (readable, reactivated on upgrade) and is scored by the priors.
 */
async function scoringModels(ctx: ServiceContext): Promise<ActiveModels> {
  return (await planAllows(ctx, 'scoring_models')) ? activeModels(ctx) : {};
}

/** Per call; bigger sets are paged by the caller (the job) so one statement never grows unbounded. */
export const RESCORE_BATCH = 1000;

export async function rescoreLeads(ctx: ServiceContext, leadIds: readonly string[], now = new Date()): Promise<{ scored: number; alerts: string[]; timings: Record<string, number> }> {
  const t0 = performance.now();
  const [models, { settings }] = await Promise.all([scoringModels(ctx), getTenant(ctx)]);
  // score: reading and scoring pages; write: alerts and score writes (overlapping the next page's score); wait: the time the loop waited for them.
  const timings = { setup: 0, score: 0, write: 0, wait: 0 };
  timings.setup = performance.now() - t0;
  const alerts: string[] = [];
  let scored = 0;
  // Pages are pipelined: the next page is read and scored while the previous one is written
  // (the request's pool has connections to spare), with at most one page's writes in flight.
  let writing: Promise<void> | null = null;
  try {
    for (let i = 0; i < leadIds.length; i += RESCORE_BATCH) {
      const t1 = performance.now();
      const results = await scoreLeads(ctx, leadIds.slice(i, i + RESCORE_BATCH), models, now);
      scored += results.length;
      timings.score += performance.now() - t1;
      const t2 = performance.now();
      await writing;
      timings.wait += performance.now() - t2;
      // The alert does not wait for the scores to be written: an agent hears about it sooner.
      const t3 = performance.now();
      writing = Promise.all([raiseCrossings(ctx, results, settings), saveScores(ctx, results, now)]).then(([created]) => {
        alerts.push(...created);
        timings.write += performance.now() - t3;
      });
      // Rethrown by the next `await writing` (or below); never an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    }
    const t4 = performance.now();
    await writing;
    timings.wait += performance.now() - t4;
  } catch (err) {
    await writing?.catch(() => undefined); // a failed read does not leave a write running past the pool
    throw err;
  }
  return { scored, alerts, timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) };
}

async function raiseCrossings(ctx: ServiceContext, results: readonly LeadScoring[], settings: TenantSettings): Promise<string[]> {
  const created: string[] = [];
  for (const r of results) {
    for (const kind of MODEL_KINDS) {
      const m = r.models[kind];
      if (m.probability < settings.alertThreshold || (m.previous != null && m.previous >= settings.alertThreshold)) continue;
      const raised = await raiseAlert(ctx, {
        leadId: r.leadId,
        kind,
        probability: m.probability,
        reasons: alertReasons(kind, r),
        features: r.features,
        modelVersion: m.modelVersion,
        windowHours: settings.alerting.windowHours,
        expireAfterHours: settings.alerting.expireAfterHours,
      });
      if (raised.created) created.push(raised.alert.id);
    }
  }
  return created;
}

const KIND_LABEL: Record<ModelKind, string> = { sell: 'likely to sell', buy: 'likely to buy', refinance: 'likely to refinance', invest: 'likely to invest' };

const FEATURE_TEXT: Record<string, string> = {
  temperature: 'hot conversation with the assistant',
  lead_kind: 'reached out about selling',
  timeline_days: 'wants to move within 90 days',
};

/** Readable "why this lead" lines: the model's top reasons in the words of the signals' evidence. */
export function alertReasons(kind: ModelKind, r: Pick<LeadScoring, 'models' | 'signals'>): string[] {
  const m = r.models[kind];
  const bySignal = new Map<string, Signal>(r.signals.map((s) => [s.type, s]));
  const lines = [`${Math.round(m.probability * 100)} % ${KIND_LABEL[kind]}${m.modelVersion === PRIOR_VERSION ? ' (prior model)' : ''}`];
  for (const reason of m.reasons) {
    if (reason.contribution <= 0) continue;
    const name = reason.feature.replace(/^sig_/, '');
    const text = bySignal.get(name as Signal['type'])?.evidence ?? FEATURE_TEXT[name] ?? name.replace(/_/g, ' ');
    if (!lines.includes(text)) lines.push(text);
    if (lines.length >= 5) break;
  }
  return lines;
}

/**
 * Rescoring right after events were accepted (the 202 has gone out; the request's warm
 * connections are reused). Failures are logged: the leads stay marked, and the job retries.
 */
export async function rescoreAfterEvents(ctx: ServiceContext, leadIds: readonly string[]): Promise<void> {
  try {
    const { scored, alerts, timings } = await rescoreLeads(ctx, leadIds);
    ctx.logger.info('leads rescored', { scored, alerts: alerts.length, trigger: 'strong_event', timings });
  } catch (err) {
    ctx.logger.warn('immediate rescoring failed; the scoring job will retry', { leads: leadIds.length, error: (err as Error).message });
  }
}

/**
 * A lead's scores as the API shows them. A lead never scored yet is scored now (without raising
 * alerts: reading must not page an agent); otherwise the stored scores from the last run.
 */
export async function leadScoresView(ctx: ServiceContext, leadId: string) {
  let lead = await findLead(ctx, leadId);
  if (!lead.scoredAt) {
    const now = new Date();
    await saveScores(ctx, await scoreLeads(ctx, [lead.id], await scoringModels(ctx), now), now);
    lead = await findLead(ctx, leadId);
  }
  const rows = await ctx.db
    .select()
    .from(leadScores)
    .where(and(eq(leadScores.tenantId, ctx.tenantId), eq(leadScores.leadId, lead.id)));
  const models = Object.fromEntries(rows.map((r) => [r.kind, { probability: round(r.probability), modelVersion: r.modelVersion, reasons: r.reasons, scoredAt: r.scoredAt }]));
  return { leadId: lead.id, leadScore: lead.leadScore ?? 0, scoredAt: lead.scoredAt, models, signals: lead.signals };
}

const round = (p: number) => Math.round(p * 10_000) / 10_000;
