import { automationAllowed, planAllows } from '../billing/billing';
/**
 * One staged intervention of a treated episode, run by /jobs/churn-step when QStash delivers it:
 *   1 re_engage — a value-add text through the normal outbound path (opt-out, DNC, GHL DND,
 *     consent, quiet hours and follow-up caps all apply: it is sent as a proactive follow-up);
 *   2 agent_task — a `churn_risk` alert, routed by the tenant's rules onto the SLA ladder;
 *   3 escalate — managers are notified and the lead moves to long-term nurture.
 *
 * Long-term nurture means: the lead is tagged `nurture` and, if the bot was running, its state
 * becomes `paused` — scheduled follow-ups stop (the room ignores them unless the bot is active)
 * while the lead's own texts are still answered; stage and assignment are unchanged, and an
 * agent's "release" puts the bot back to work.
 *
 * Every step is idempotent under QStash's at-least-once delivery: a step acts only from
 * `scheduled`, its text carries the idempotency key `churn:<intervention id>` (a second attempt
 * finds the row and never texts twice), the alert dedupes per lead and kind, notifications per
 * episode and manager.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { churnAssessments, churnEpisodes, churnInterventions, leads, messages, notifications, users } from '../../db/schema';
import { attemptDelivery, deliverMessage, type OutboundResult } from '../../conversations/outbound';
import { roomFor } from '../../conversations/rooms';
import { countBotMessage, loadLead, loadMessage, loadTenantProfile } from '../../conversations/store';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { raiseAlert } from '../alerts/alerts';
import { openSystemContext } from '../clients';
import { withTransaction, type ServiceContext } from '../context';
import type { LeadRow } from '../leads/view';
import { publishSteps, type ChurnQueue } from './queue';
import { reEngagementText } from './message';

type Intervention = typeof churnInterventions.$inferSelect;
type Episode = typeof churnEpisodes.$inferSelect;

export type StepOutcome = 'done' | 'skipped' | 'cancelled' | 'failed' | 'already_settled' | 'missing' | 'delivered_later';

export interface StepResult {
  [key: string]: unknown;
  outcome: StepOutcome;
  step?: number;
  reason?: string;
}

export interface StepDeps {
  db: Database;
  config: Config;
  logger: Logger;
  queue: ChurnQueue;
}

export async function runChurnStep(env: unknown, deps: StepDeps, interventionId: string): Promise<StepResult> {
  const [found] = await deps.db.select().from(churnInterventions).where(eq(churnInterventions.id, interventionId)).limit(1);
  if (!found) return { outcome: 'missing' };
  const { ctx, close } = openSystemContext(env, found.tenantId, deps.logger);
  try {
    const [episode] = await ctx.db
      .select()
      .from(churnEpisodes)
      .where(and(eq(churnEpisodes.tenantId, ctx.tenantId), eq(churnEpisodes.id, found.episodeId)))
      .limit(1);
    const lead = await loadLead(ctx, found.leadId);
    if (!episode || !lead) return { outcome: 'missing', step: found.step };
    if (found.status !== 'scheduled') {
      // A text deferred by quiet hours comes back here when it may go out.
      if (found.step === 1 && found.status === 'done' && found.detail?.outcome === 'deferred') return await finishDeferred(ctx, deps, found, episode, lead);
      return { outcome: 'already_settled', step: found.step };
    }
    // A past-due or canceled tenant keeps its data but loses automation, and a plan without churn
    // recovery runs no rescue: the step is cancelled, not retried.
    const stop = !(await automationAllowed(ctx)) ? 'automation_paused' : !(await planAllows(ctx, 'churn_recovery')) ? 'plan_lacks_churn_recovery' : whyStop(episode, lead);
    if (stop) {
      if (stop === 'lead_replied') await markEpisodeSaved(ctx, episode, lead.lastInboundAt!);
      await settle(ctx, found, 'cancelled', { reason: stop });
      return { outcome: 'cancelled', step: found.step, reason: stop };
    }
    const latest = await latestAssessment(ctx, lead.id);
    const risk = latest?.risk ?? episode.riskAtDetection;
    // `return await`: the pool closes in `finally`, after the step has finished with it.
    if (found.step === 1) return await reEngage(ctx, deps, found, lead);
    if (found.step === 2) {
      const reasons = (latest?.drivers ?? []).filter((d) => d.contribution > 0).map((d) => d.evidence);
      const { alert } = await raiseAlert(ctx, {
        leadId: lead.id,
        kind: 'churn_risk',
        probability: risk,
        reasons: reasons.length ? reasons : ['going cold: no reply'],
        // One churn alert per lead per episode window, whatever QStash redelivers.
        windowHours: 24 * 7,
        features: latest?.features ?? undefined,
        modelVersion: latest?.modelVersion,
      });
      await settle(ctx, found, 'done', { alertId: alert.id, risk });
      return { outcome: 'done', step: 2 };
    }
    const managers = await escalate(ctx, episode, lead, risk);
    await settle(ctx, found, 'done', { notified: managers, nurture: true });
    return { outcome: 'done', step: 3 };
  } finally {
    await close();
  }
}

function whyStop(episode: Episode, lead: LeadRow): string | null {
  if (episode.outcome !== 'pending') return `episode_${episode.outcome}`;
  if (lead.deletedAt) return 'lead_deleted';
  if (lead.stage === 'closed' || lead.stage === 'lost') return `lead_${lead.stage}`;
  if (lead.lastInboundAt && lead.lastInboundAt.getTime() > episode.detectedAt.getTime()) return 'lead_replied';
  return null;
}

async function latestAssessment(ctx: ServiceContext, leadId: string) {
  const [row] = await ctx.db
    .select()
    .from(churnAssessments)
    .where(and(eq(churnAssessments.tenantId, ctx.tenantId), eq(churnAssessments.leadId, leadId)))
    .orderBy(sql`${churnAssessments.assessedAt} desc`)
    .limit(1);
  return row ?? null;
}

/**
 * Moves a step out of `scheduled` (only from there: a concurrent redelivery settles nothing twice);
 * a `done` step is the episode's first action if none came before. One transaction: a step seen
 * done always comes with its first action recorded (a failure in between used to leave the step
 * done, the redelivery found it settled, and the episode never got its first action).
 */
async function settle(ctx: ServiceContext, i: Intervention, status: Intervention['status'], detail: Record<string, unknown>) {
  const now = new Date();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(churnInterventions)
      .set({ status, executedAt: now, detail: { ...(i.detail ?? {}), ...detail }, updatedAt: now })
      .where(and(eq(churnInterventions.tenantId, tx.tenantId), eq(churnInterventions.id, i.id), eq(churnInterventions.status, 'scheduled')))
      .returning();
    if (row && status === 'done') {
      await tx.db
        .update(churnEpisodes)
        .set({ firstActionAt: sql`coalesce(${churnEpisodes.firstActionAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
        .where(and(eq(churnEpisodes.tenantId, tx.tenantId), eq(churnEpisodes.id, i.episodeId)));
    }
    return row ?? null;
  });
}

async function markEpisodeSaved(ctx: ServiceContext, episode: Episode, at: Date) {
  await ctx.db
    .update(churnEpisodes)
    .set({ outcome: 'saved', resolvedAt: at, updatedAt: new Date() })
    .where(and(eq(churnEpisodes.tenantId, ctx.tenantId), eq(churnEpisodes.id, episode.id), eq(churnEpisodes.outcome, 'pending')));
}

async function reEngage(ctx: ServiceContext, deps: StepDeps, i: Intervention, lead: LeadRow): Promise<StepResult> {
  const tenant = await loadTenantProfile(ctx);
  const result = await deliverMessage(ctx, tenant, lead, {
    // A proactive follow-up in the rules' eyes: consent, quiet hours and caps apply.
    kind: 'follow_up',
    body: reEngagementText(lead, tenant),
    idempotencyKey: `churn:${i.id}`,
    sender: 'bot',
    generatedBy: 'template',
  });
  return settleText(ctx, deps, i, result);
}

async function settleText(ctx: ServiceContext, deps: StepDeps, i: Intervention, result: OutboundResult): Promise<StepResult> {
  const messageId = result.message.id;
  switch (result.outcome) {
    case 'sent':
      await countBotMessage(ctx, i.leadId);
      await settle(ctx, i, 'done', { outcome: 'sent', messageId });
      return { outcome: 'done', step: 1 };
    case 'deferred':
      // Quiet hours (or GHL asked us to wait): the text is committed and counts as the action;
      // QStash brings this step back when it may go out.
      await countBotMessage(ctx, i.leadId);
      await settle(ctx, i, 'done', { outcome: 'deferred', messageId, until: result.until.toISOString() });
      await publishSteps(deps.config, deps.queue, [{ interventionId: i.id, notBefore: result.until, deduplicationId: `${i.id}:deliver:${result.until.getTime()}` }]);
      return { outcome: 'done', step: 1, reason: 'deferred' };
    case 'duplicate': {
      // An earlier attempt of this step already wrote the text: settle by what became of it
      // (`sending` = on its way in a concurrent delivery, which is the action).
      const status = result.message.status;
      const settled = status === 'sent' || status === 'sending' ? 'done' : status === 'suppressed' ? 'skipped' : 'failed';
      await settle(ctx, i, settled, { outcome: status, messageId, ...(result.message.error ? { reason: result.message.error } : {}) });
      return { outcome: settled, step: 1, ...(result.message.error ? { reason: result.message.error } : {}) };
    }
    case 'suppressed':
      await settle(ctx, i, 'skipped', { reason: result.message.error ?? 'suppressed', messageId });
      return { outcome: 'skipped', step: 1, reason: result.message.error ?? 'suppressed' };
    default:
      await settle(ctx, i, 'failed', { reason: result.message.error ?? 'failed', messageId });
      return { outcome: 'failed', step: 1, reason: result.message.error ?? 'failed' };
  }
}

/** The deferred re-engagement text is due: send it, unless the lead replied or the episode ended meanwhile. */
async function finishDeferred(ctx: ServiceContext, deps: StepDeps, i: Intervention, episode: Episode, lead: LeadRow): Promise<StepResult> {
  const message = await loadMessage(ctx, String(i.detail?.messageId ?? ''));
  if (!message || message.status !== 'deferred') return { outcome: 'already_settled', step: 1 };
  const stop = whyStop(episode, lead);
  if (stop) {
    if (stop === 'lead_replied') await markEpisodeSaved(ctx, episode, lead.lastInboundAt!);
    await ctx.db
      .update(messages)
      .set({ status: 'suppressed', error: `churn: ${stop}`, updatedAt: new Date() })
      .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.id, message.id), eq(messages.status, 'deferred')));
    return { outcome: 'cancelled', step: 1, reason: stop };
  }
  const tenant = await loadTenantProfile(ctx);
  const result = await attemptDelivery(ctx, tenant, lead, message, null);
  const detail = { ...(i.detail ?? {}), outcome: result.outcome, ...(result.outcome === 'deferred' ? { until: result.until.toISOString() } : {}), ...(result.message.error ? { reason: result.message.error } : {}) };
  await ctx.db.update(churnInterventions).set({ detail, updatedAt: new Date() }).where(and(eq(churnInterventions.tenantId, ctx.tenantId), eq(churnInterventions.id, i.id)));
  if (result.outcome === 'deferred') {
    await publishSteps(deps.config, deps.queue, [{ interventionId: i.id, notBefore: result.until, deduplicationId: `${i.id}:deliver:${result.until.getTime()}` }]);
  }
  return { outcome: 'delivered_later', step: 1, reason: result.outcome };
}

/** Step 3: every manager hears about it (once per episode), and the lead goes to long-term nurture. */
async function escalate(ctx: ServiceContext, episode: Episode, lead: LeadRow, risk: number): Promise<number> {
  const managers = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.role, ['owner', 'admin', 'manager']), isNull(users.deletedAt)));
  const who = lead.name ?? lead.phone ?? 'A lead';
  if (managers.length) {
    await ctx.db
      .insert(notifications)
      .values(
        managers.map((m) => ({
          id: newId('notification'),
          tenantId: ctx.tenantId,
          userId: m.id,
          leadId: lead.id,
          kind: 'churn_escalation',
          title: `${who} is going cold`,
          body: `No reply after the re-engagement text and the agent task (risk ${Math.round(risk * 100)}%). Moved to long-term nurture.`,
          data: { episodeId: episode.id, risk, assignedAgentId: lead.assignedAgentId },
          dedupeKey: `churn_escalation:${episode.id}:${m.id}`,
        })),
      )
      .onConflictDoNothing();
  }
  await ctx.db
    .update(leads)
    .set({
      tags: sql`case when 'nurture' = any(${leads.tags}) then ${leads.tags} else array_append(${leads.tags}, 'nurture') end`,
      botState: sql`case when ${leads.botState} = 'active' then 'paused' else ${leads.botState} end`,
      updatedAt: new Date(),
    })
    .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, lead.id)));
  // Agents watching the lead see the new state; a missing room binding or a busy room is not a reason to fail the step.
  await roomFor(ctx, lead.id)
    ?.leadChanged(ctx.tenantId, lead.id)
    .catch((err: Error) => ctx.logger.warn('churn: room not told about nurture', { leadId: lead.id, error: err.message }));
  return managers.length;
}
