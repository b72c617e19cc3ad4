/**
 * How an episode ends. Saved: the lead replied, or re-qualified, within 7 days of detection.
 * Not saved: 7 days passed without either, or the lead was lost / opted out / deleted first.
 * Holdout episodes are resolved by exactly the same rules, which is what makes the comparison fair.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { churnEpisodes, churnInterventions, leads } from '../../db/schema';
import type { ServiceContext } from '../context';

export const SAVE_WINDOW_DAYS = 7;

/** The sweep inside the churn job: every pending episode whose outcome is now known. Returns how many were resolved. */
export async function resolveEpisodes(db: Database, now: Date): Promise<number> {
  const { rows } = await db.execute(sql`
    with decided as (
      select e.id,
        case
          when l.opted_out or l.deleted_at is not null or l.stage = 'lost' then 'not_saved'
          when l.last_inbound_at > e.detected_at and l.last_inbound_at <= e.detected_at + make_interval(days => ${SAVE_WINDOW_DAYS}::int) then 'saved'
          when l.qualified_at > e.detected_at and l.qualified_at <= e.detected_at + make_interval(days => ${SAVE_WINDOW_DAYS}::int) then 'saved'
          when e.detected_at <= ${now.toISOString()}::timestamptz - make_interval(days => ${SAVE_WINDOW_DAYS}::int) then 'not_saved'
        end as outcome
      from ${churnEpisodes} e
      join ${leads} l on l.id = e.lead_id and l.tenant_id = e.tenant_id
      where e.outcome = 'pending'
    ),
    resolved as (
      update ${churnEpisodes} e set outcome = d.outcome, resolved_at = ${now.toISOString()}::timestamptz, updated_at = now()
      from decided d where e.id = d.id and d.outcome is not null
      returning e.id, e.outcome
    ),
    cancelled as (
      update ${churnInterventions} i
      set status = 'cancelled', updated_at = now(),
          detail = coalesce(i.detail, '{}'::jsonb) || jsonb_build_object('reason', case when r.outcome = 'saved' then 'episode_saved' else 'episode_closed' end)
      from resolved r where i.episode_id = r.id and i.status = 'scheduled'
      returning i.id
    )
    select (select count(*) from resolved)::int as resolved, (select count(*) from cancelled)::int as cancelled`);
  return Number((rows[0] as { resolved: number } | undefined)?.resolved ?? 0);
}

/**
 * The lead wrote back (called from the conversation engine for every inbound text that is not a
 * compliance keyword): their open episode is saved and its remaining steps are cancelled, so no
 * re-engagement text or escalation follows a reply. Never throws: a failure here must not cost
 * the lead their answer, and the job's sweep reaches the same outcome from last_inbound_at.
 */
export async function recordLeadReply(ctx: ServiceContext, leadId: string, at: Date): Promise<void> {
  try {
    await ctx.db.execute(sql`
      with saved as (
        update ${churnEpisodes} set outcome = 'saved', resolved_at = ${at.toISOString()}::timestamptz, updated_at = now()
        where tenant_id = ${ctx.tenantId}::text and lead_id = ${leadId}::text and outcome = 'pending' and detected_at <= ${at.toISOString()}::timestamptz
        returning id
      )
      update ${churnInterventions} i
      set status = 'cancelled', updated_at = now(), detail = coalesce(i.detail, '{}'::jsonb) || '{"reason":"lead_replied"}'::jsonb
      from saved s where i.episode_id = s.id and i.status = 'scheduled'`);
  } catch (err) {
    ctx.logger.warn('churn: recording the reply failed; the next sweep resolves the episode', { leadId, error: (err as Error).message });
  }
}
