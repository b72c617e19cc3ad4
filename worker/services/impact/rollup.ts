/**
 * The daily impact roll-up (PRODUCT.md §3.7): per tenant, UTC day and feature, what the system
 * measured — uses, successes, AI tokens and their cost. One statement for every tenant; re-running
 * a day replaces its rows, so the job is idempotent and can be re-run for a range.
 *
 * What counts (also returned by GET /v1/impact as `definitions`):
 * - intelligence: uses = alerts raised; successes = alerts marked converted that day.
 * - churn_prevention: uses = rescue steps carried out; successes = treated episodes saved that day.
 * - coaching: uses = coaching analyses; successes = analyses with at least one next-best action;
 *   tokens and cost as recorded per report.
 * - seller_assistant: uses = texts the bot sent; successes = leads qualified that day; tokens as
 *   recorded per message (priced with the tenant's AI prices when read).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

const DAY = 86_400_000;

export const IMPACT_DEFINITIONS = {
  intelligence: { uses: 'alerts raised by the scoring engine and the assistant', successes: 'alerts marked converted' },
  churn_prevention: { uses: 'rescue steps carried out (re-engagement texts, agent tasks, escalations)', successes: 'treated at-risk leads saved (replied or re-qualified within 7 days)' },
  coaching: { uses: 'coaching analyses', successes: 'analyses with at least one next-best action' },
  seller_assistant: { uses: 'texts the bot sent', successes: 'leads the assistant qualified' },
} as const;

/** Recomputes [from, to) (whole UTC days) for every tenant. Returns the rows written. */
export async function rollUpImpact(db: Database, from: Date, to: Date): Promise<number> {
  const start = new Date(Math.floor(from.getTime() / DAY) * DAY);
  const end = new Date(Math.ceil(to.getTime() / DAY) * DAY);
  const day = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD')`);
  const first = start.toISOString().slice(0, 10);
  const last = end.toISOString().slice(0, 10);
  return db.transaction(async (tx) => {
    // A day that measured nothing now must not keep yesterday's numbers.
    await tx.execute(sql`delete from impact_daily where day >= ${first} and day < ${last}`);
    const result = await tx.execute(sql`
    with measured as (
      select tenant_id, ${day('created_at')} as day, 'intelligence' as feature, count(*)::int as uses, 0 as successes, 0 as input_tokens, 0 as output_tokens, 0 as cost
        from alerts where created_at >= ${start} and created_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('converted_at')}, 'intelligence', 0, count(*)::int, 0, 0, 0
        from alerts where converted = true and converted_at >= ${start} and converted_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('executed_at')}, 'churn_prevention', count(*)::int, 0, 0, 0, 0
        from churn_interventions where status = 'done' and executed_at >= ${start} and executed_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('resolved_at')}, 'churn_prevention', 0, count(*)::int, 0, 0, 0
        from churn_episodes where "group" = 'treated' and outcome = 'saved' and resolved_at >= ${start} and resolved_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('created_at')}, 'coaching', count(*)::int, (count(*) filter (where jsonb_array_length(actions) > 0))::int,
             coalesce(sum((tokens->>'inputTokens')::int), 0)::int, coalesce(sum((tokens->>'outputTokens')::int), 0)::int, coalesce(sum(cost_micro_usd), 0)::int
        from coaching_reports where created_at >= ${start} and created_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('sent_at')}, 'seller_assistant', count(*)::int, 0,
             coalesce(sum((tokens->>'inputTokens')::int), 0)::int, coalesce(sum((tokens->>'outputTokens')::int), 0)::int, 0
        from messages where sender = 'bot' and status = 'sent' and sent_at >= ${start} and sent_at < ${end} group by 1, 2
      union all
      select tenant_id, ${day('qualified_at')}, 'seller_assistant', 0, count(*)::int, 0, 0, 0
        from leads where qualified_at >= ${start} and qualified_at < ${end} and deleted_at is null group by 1, 2
    )
    insert into impact_daily (tenant_id, day, feature, uses, successes, input_tokens, output_tokens, ai_cost_micro_usd, computed_at)
    select tenant_id, day, feature, sum(uses), sum(successes), sum(input_tokens), sum(output_tokens), sum(cost), now()
    from measured group by 1, 2, 3
    on conflict (tenant_id, day, feature) do update set uses = excluded.uses, successes = excluded.successes,
      input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, ai_cost_micro_usd = excluded.ai_cost_micro_usd, computed_at = excluded.computed_at`);
    return (result as { rowCount?: number }).rowCount ?? 0;
  });
}
