/**
 * Event ingestion: a batch of up to 1 000 behavioural events becomes durable rows in one
 * statement (the caller's event id makes a resend a no-op), then hot per-lead counters in Redis.
 * Redis is an accelerator: if it is down the events are still stored, and the counters can be
 * rebuilt from Postgres (`rebuildLeadEventCounters`).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { events, leads } from '../../db/schema';
import { ValidationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { ServiceContext } from '../context';

export interface EventInput {
  id?: string;
  leadId?: string;
  externalId?: string;
  type: string;
  properties?: Record<string, unknown>;
  occurredAt: Date;
}

export const MAX_EVENTS_PER_CALL = 1000;
const COUNTER_TTL_SECONDS = 60 * 60 * 24 * 45;

export const counterKey = (tenantId: string, leadId: string) => `lp:ev:${tenantId}:${leadId}`;

/**
 * Event types that move a probability enough to score at once rather than at the next
 * 5-minute job (PRODUCT.md §3.4: "recomputed by the scoring job and immediately on strong signals").
 */
export const STRONG_EVENT_TYPES = new Set(['home_valuation_requested', 'home_valuation_viewed', 'saved_search', 'mortgage_calculator_used', 'life_event', 'listing_viewed', 'property_facts']);
/** A bulk load touching more leads than this is left to the job: immediate scoring is for live traffic. */
export const IMMEDIATE_SCORING_MAX_LEADS = 25;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Leads with a strong event in this batch, to score now (empty for bulk loads). */
  scoreNow: string[];
}

export async function ingestEvents(ctx: ServiceContext, batch: EventInput[]): Promise<IngestResult> {
  const leadIdOf = await resolveLeads(ctx, batch);
  const rows = JSON.stringify(
    batch.map((e, i) => ({ id: newId('event'), lead_id: leadIdOf[i]!, client_id: e.id ?? null, type: e.type, properties: e.properties ?? {}, occurred_at: e.occurredAt.toISOString() })),
  );
  // One statement: the rows travel as one JSON parameter (not 7 bind parameters per event), and
  // the leads that got a new event are marked in the same round trip — the scoring job rescores
  // leads whose newest event is after their last score. A resent event id inserts nothing.
  const inserted = (
    await ctx.db.execute<{ lead_id: string; type: string }>(sql`
      with ins as (
        insert into ${events} (id, tenant_id, lead_id, client_id, type, properties, occurred_at)
        select v.id, ${ctx.tenantId}::text, v.lead_id, v.client_id, v.type, v.properties, v.occurred_at
        from jsonb_to_recordset(${rows}::jsonb) as v(id text, lead_id text, client_id text, type text, properties jsonb, occurred_at timestamptz)
        on conflict do nothing
        returning lead_id, type
      ), marked as (
        update ${leads} set last_event_at = now()
        where ${leads.tenantId} = ${ctx.tenantId}::text and ${leads.id} in (select lead_id from ins)
      )
      select lead_id, type from ins`)
  ).rows.map((r) => ({ leadId: r.lead_id, type: r.type }));
  await bumpCounters(ctx, inserted);
  const strong = [...new Set(inserted.filter((e) => STRONG_EVENT_TYPES.has(e.type)).map((e) => e.leadId))];
  return { accepted: inserted.length, duplicates: batch.length - inserted.length, scoreNow: strong.length <= IMMEDIATE_SCORING_MAX_LEADS ? strong : [] };
}

/**
 * Each event's lead id. `leadId`s must be this tenant's leads (422 naming the items otherwise,
 * never a hint about other tenants); unknown `externalId`s become prospects.
 */
async function resolveLeads(ctx: ServiceContext, batch: EventInput[]): Promise<string[]> {
  const ids = [...new Set(batch.flatMap((e) => (e.leadId ? [e.leadId] : [])))];
  const externals = [...new Set(batch.flatMap((e) => (!e.leadId && e.externalId ? [e.externalId] : [])))];
  const known = new Set<string>();
  if (ids.length) {
    const rows = await ctx.db
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, ctx.tenantId), inArray(leads.id, ids), isNull(leads.deletedAt)));
    for (const r of rows) known.add(r.id);
    const missing = batch.flatMap((e, i) => (e.leadId && !known.has(e.leadId) ? [{ path: `events[${i}].leadId`, message: 'no such lead' }] : []));
    if (missing.length) throw new ValidationFailed('Some events name leads that do not exist', missing.slice(0, 50));
  }
  const byExternal = new Map<string, string>();
  if (externals.length) {
    // Create the unknown ones and read the known ones in one round trip: the select runs on the
    // statement's snapshot, so it answers the leads that existed and `ins` the ones just made.
    const fresh = JSON.stringify(externals.map((externalId) => ({ id: newId('lead'), external_id: externalId })));
    const { rows } = await ctx.db.execute<{ id: string; external_id: string }>(sql`
      with ins as (
        insert into ${leads} (id, tenant_id, external_id, source, kind)
        select v.id, ${ctx.tenantId}::text, v.external_id, 'events', 'prospect'
        from jsonb_to_recordset(${fresh}::jsonb) as v(id text, external_id text)
        on conflict do nothing
        returning id, external_id
      )
      select id, external_id from ins
      union all
      select ${leads.id}, ${leads.externalId} from ${leads}
      where ${leads.tenantId} = ${ctx.tenantId}::text and ${inArray(leads.externalId, externals)}`);
    for (const r of rows) byExternal.set(r.external_id, r.id);
    // A concurrent batch created one between our snapshot and our insert: it is there now.
    const raced = externals.filter((x) => !byExternal.has(x));
    if (raced.length) {
      const late = await ctx.db
        .select({ id: leads.id, externalId: leads.externalId })
        .from(leads)
        .where(and(eq(leads.tenantId, ctx.tenantId), inArray(leads.externalId, raced)));
      for (const r of late) byExternal.set(r.externalId!, r.id);
    }
  }
  return batch.map((e) => e.leadId ?? byExternal.get(e.externalId!)!);
}

async function bumpCounters(ctx: ServiceContext, inserted: Array<{ leadId: string; type: string }>) {
  if (!inserted.length) return;
  const perLead = new Map<string, Map<string, number>>();
  for (const e of inserted) {
    const types = perLead.get(e.leadId) ?? new Map<string, number>();
    types.set(e.type, (types.get(e.type) ?? 0) + 1);
    perLead.set(e.leadId, types);
  }
  try {
    const p = ctx.redis.pipeline();
    for (const [leadId, types] of perLead) {
      const key = counterKey(ctx.tenantId, leadId);
      let total = 0;
      for (const [type, n] of types) {
        p.hincrby(key, type, n);
        total += n;
      }
      p.hincrby(key, '_total', total);
      p.expire(key, COUNTER_TTL_SECONDS);
    }
    await p.exec();
  } catch (err) {
    // The events are stored; counters catch up on the next rebuild.
    ctx.logger.warn('event counters not updated (redis unavailable)', { leads: perLead.size, error: (err as Error).name });
  }
}

/** Recomputes a lead's counters from Postgres (after a Redis loss, or on demand). */
export async function rebuildLeadEventCounters(ctx: ServiceContext, leadId: string): Promise<Record<string, number>> {
  const rows = await ctx.db
    .select({ type: events.type, n: sql<number>`count(*)::int` })
    .from(events)
    .where(and(eq(events.tenantId, ctx.tenantId), eq(events.leadId, leadId)))
    .groupBy(events.type);
  const counts: Record<string, number> = Object.fromEntries(rows.map((r) => [r.type, r.n]));
  const total = rows.reduce((s, r) => s + r.n, 0);
  const key = counterKey(ctx.tenantId, leadId);
  const p = ctx.redis.pipeline();
  p.del(key);
  if (total) {
    p.hset(key, { ...counts, _total: total });
    p.expire(key, COUNTER_TTL_SECONDS);
  }
  await p.exec();
  return { ...counts, _total: total };
}

export async function leadEventCounters(ctx: ServiceContext, leadId: string): Promise<Record<string, number>> {
  const raw = (await ctx.redis.hgetall<Record<string, string | number>>(counterKey(ctx.tenantId, leadId))) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}
