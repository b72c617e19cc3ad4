'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, EmptyState, ErrorState, Explain, Input, PageHeader, Select, Skeleton, cx } from '../../components/ui';
import type { Dashboard as DashboardData } from '../../lib/api/types';
import { ALERT_KIND_LABEL, count, duration, humanize, money, percent, STAGE_LABEL } from '../../lib/format';
import { useInbox } from '../../lib/inbox-store';
import { session } from '../../lib/session';
import { useResource } from '../../lib/use-resource';
import { allowed, useSession } from '../../lib/use-session';
import { useTeam } from '../../lib/use-team';
import { COLORS, Donut, HBarChart, VBarChart } from './charts';
import { GoingCold } from './going-cold';

const DAY = 86_400_000;
const PRESETS = [
  { id: '7', label: '7 days', days: 7 },
  { id: '30', label: '30 days', days: 30 },
  { id: '90', label: '90 days', days: 90 },
  { id: '365', label: '12 months', days: 365 },
] as const;

/** yyyy-mm-dd in local time ⇄ Date at local midnight. */
function dayString(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function localMidnight(s: string): Date | null {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The range lives in the URL (?from=2026-01-01&to=2026-01-31&agent=usr_…, both days included) so a
 * view can be shared and survives a reload; none given = the last 30 days up to now.
 */
function useRange() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const agent = params.get('agent');
  const from = fromDay ? localMidnight(fromDay) : null;
  const toStart = toDay ? localMidnight(toDay) : null;
  const query = {
    from: from?.toISOString(),
    // `to` is exclusive on the API: the end of the last day chosen.
    to: toStart ? new Date(toStart.getTime() + DAY).toISOString() : undefined,
    agentId: agent ?? undefined,
  };
  const set = (next: { from?: string | null; to?: string | null; agent?: string | null }) => {
    const q = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(next)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
  };
  return { fromDay, toDay, agent, query, set };
}

export function Dashboard() {
  const range = useRange();
  const { me } = useSession();
  const team = useTeam();
  const { alertEvents, live } = useInbox();
  const key = JSON.stringify(range.query);
  const data = useResource(() => session().api.get('/dashboard', { query: range.query }), [key]);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useEffect(() => {
    if (data.status === 'ready') setUpdatedAt(new Date());
  }, [data.data, data.status]);

  // Alerts raised or acted on anywhere reach a manager's feed; re-read (at most once a second).
  const { reload } = data;
  useEffect(() => {
    if (alertEvents === 0) return;
    const t = setTimeout(() => void reload(), 600);
    return () => clearTimeout(t);
  }, [alertEvents, reload]);

  const preset = !range.fromDay && !range.toDay ? '30' : null;
  const agents = Object.values(team).filter((u) => u.role === 'agent' || u.role === 'manager');

  return (
    <div data-screen-ready={data.status !== 'loading' ? 'true' : undefined} data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        subtitle={
          <span className="inline-flex flex-wrap items-center gap-x-2">
            <span>{data.data ? `${new Date(data.data.range.from).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })} – ${new Date(new Date(data.data.range.to).getTime() - 1).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })}` : 'Loading the range…'}</span>
            {updatedAt && (
              <span className="text-xs text-slate-500">
                · updated {updatedAt.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' })}
                {live === 'live' ? ' · live' : ''}
              </span>
            )}
          </span>
        }
      />
      <RangePicker range={range} preset={preset} agents={allowed(me, 'GET /users') ? agents : []} />
      {data.status === 'error' && !data.data ? (
        <ErrorState error={data.error!} onRetry={() => void data.reload()} title={data.errorStatus === 422 ? 'That range cannot be shown' : 'Could not load the dashboard'} />
      ) : (
        <Body d={data.data} refreshing={data.status === 'loading' && !!data.data} />
      )}
      {allowed(me, 'GET /churn/summary') && (
        <div className="mt-4">
          <GoingCold from={range.query.from} to={range.query.to} />
        </div>
      )}
    </div>
  );
}

function RangePicker({ range, preset, agents }: { range: ReturnType<typeof useRange>; preset: string | null; agents: Array<{ id: string; name: string }> }) {
  const [from, setFrom] = useState(range.fromDay ?? '');
  const [to, setTo] = useState(range.toDay ?? '');
  useEffect(() => {
    setFrom(range.fromDay ?? '');
    setTo(range.toDay ?? '');
  }, [range.fromDay, range.toDay]);
  const choose = (days: number) => {
    const end = new Date();
    const start = new Date(end.getTime() - (days - 1) * DAY);
    range.set({ from: dayString(start), to: dayString(end) });
  };
  const active = (days: number) => {
    if (preset) return String(days) === preset;
    const f = range.fromDay && localMidnight(range.fromDay);
    return !!f && range.toDay === dayString(new Date()) && Math.round((Date.now() - f.getTime()) / DAY) + 1 === days;
  };
  const custom = !PRESETS.some((p) => active(p.days)) || !!range.agent;
  const [more, setMore] = useState(custom);
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <div role="group" aria-label="Quick ranges" className="flex flex-wrap gap-1">
        {PRESETS.map((p) => (
          <Button key={p.id} size="sm" variant={active(p.days) ? 'primary' : 'secondary'} aria-pressed={active(p.days)} onClick={() => choose(p.days)}>
            {p.label}
          </Button>
        ))}
        {/* Phones: the custom range and agent filter fold away behind one button. */}
        <Button size="sm" variant="ghost" className="sm:hidden" aria-expanded={more} aria-controls="range-more" onClick={() => setMore((m) => !m)}>
          {more ? 'Fewer filters' : 'More…'}
        </Button>
      </div>
      <div id="range-more" className={cx('w-full flex-wrap items-end gap-3 sm:flex sm:w-auto', more ? 'flex' : 'hidden')}>
        <form
          className="grid w-full grid-cols-2 items-end gap-2 sm:flex sm:w-auto sm:flex-wrap"
          onSubmit={(e) => {
            e.preventDefault();
            range.set({ from: from || null, to: to || null });
          }}
        >
          <label className="text-xs font-medium text-slate-700">
            From
            <Input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} className="mt-0.5 sm:w-40" />
          </label>
          <label className="text-xs font-medium text-slate-700">
            To (included)
            <Input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} className="mt-0.5 sm:w-40" />
          </label>
          <Button type="submit" size="md" className="col-span-2 sm:col-span-1">
            Apply
          </Button>
        </form>
        {agents.length > 0 && (
          <label className="w-full text-xs font-medium text-slate-700 sm:w-auto">
            Agent
            <Select value={range.agent ?? ''} onChange={(e) => range.set({ agent: e.target.value || null })} className="mt-0.5 sm:w-48">
              <option value="">Whole team</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </label>
        )}
      </div>
    </div>
  );
}

function Section({ title, definition, children, className, id }: { title: string; definition?: string; children: ReactNode; className?: string; id: string }) {
  return (
    <Card
      id={id}
      className={className}
      title={
        <span className="inline-flex items-center gap-2">
          {title}
          {definition && <Explain label={`How “${title}” is computed`}>{definition}</Explain>}
        </span>
      }
    >
      {children}
    </Card>
  );
}

function Body({ d, refreshing }: { d: DashboardData | undefined; refreshing: boolean }) {
  const charts = useMemo(() => (d ? chartData(d) : null), [d]);
  const hero = d
    ? [
        { id: 'new', label: 'New leads', value: count(d.hero.newLeads.value), def: d.hero.newLeads.definition },
        { id: 'qualified', label: 'Qualified', value: count(d.hero.qualified.value), def: d.hero.qualified.definition },
        { id: 'hot', label: 'Hot', value: count(d.hero.hot.value), def: d.hero.hot.definition },
        { id: 'speed', label: 'Median speed to lead', value: duration(d.hero.medianSpeedToLeadMs.value), def: d.hero.medianSpeedToLeadMs.definition },
        { id: 'conversion', label: 'Conversion', value: percent(d.hero.conversionRate.value, 1), def: d.hero.conversionRate.definition },
      ]
    : null;
  return (
    <div className={cx('space-y-4 transition-opacity', refreshing && 'opacity-80')} aria-busy={refreshing || !d}>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label="Headline figures">
        {(hero ?? Array.from({ length: 5 }, (_, i) => ({ id: String(i), label: '', value: '', def: '' }))).map((h, i) => (
          <li key={h.id} className={cx('min-h-24 rounded-xl border border-slate-200 bg-white p-3 shadow-sm', i === 4 && 'col-span-2 sm:col-span-1')} data-testid={hero ? `hero-${h.id}` : undefined}>
            {hero ? (
              <>
                <p className="flex items-center justify-between gap-1 text-xs font-semibold uppercase tracking-wide text-slate-600">
                  {h.label}
                  <Explain label={`What “${h.label}” means`}>{h.def}</Explain>
                </p>
                <p className="mt-2 text-2xl font-bold tabular-nums text-slate-900 sm:text-3xl">{h.value}</p>
              </>
            ) : (
              <>
                <Skeleton className="h-3 w-20" />
                <Skeleton className="mt-3 h-8 w-16" />
              </>
            )}
          </li>
        ))}
      </ul>
      {!d || !charts ? (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" aria-hidden>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-72 w-full rounded-xl" />
          ))}
        </div>
      ) : (
        <>
          {d.hero.newLeads.value === 0 && d.alertsByModel.length === 0 && (
            <EmptyState title="No leads in this range">Pick a longer range, or wait for the first leads to arrive — every figure below fills in as they do.</EmptyState>
          )}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Section id="funnel" title="Funnel" definition={d.definitions.funnel}>
              <HBarChart data={charts.funnel} caption="Leads reaching each stage" />
            </Section>
            <Section id="commission" title="Commission" definition={d.definitions.commission}>
              <Commission d={d} data={charts.commission} />
            </Section>
            <Section id="temperature" title="Lead temperature" definition={d.definitions.temperature}>
              <Donut data={charts.temperature} caption="Leads by temperature" centre="leads" />
            </Section>
            <Section id="speed" title="Speed to lead" definition={d.definitions.speedToLead}>
              <div className="mb-2 flex gap-4 text-sm">
                <span>
                  p50 <strong className="tabular-nums">{duration(d.speedToLead.p50Ms)}</strong>
                </span>
                <span>
                  p90 <strong className="tabular-nums">{duration(d.speedToLead.p90Ms)}</strong>
                </span>
                <span className="text-slate-600">{count(d.speedToLead.measured)} measured</span>
              </div>
              <VBarChart data={charts.speed} caption="Leads by time to first reply" height={180} color={COLORS.emerald} />
            </Section>
            <Section id="timeline" title="Selling timeline" definition={d.definitions.timeline}>
              <VBarChart data={charts.timeline} caption="Leads by selling timeline" height={180} />
            </Section>
            <Section id="price" title="Expected price" definition={d.definitions.price}>
              <HBarChart data={charts.price} caption="Leads by expected price" color={COLORS.sky} />
            </Section>
          </div>
          <Section id="alerts" title="Alerts by model" definition={d.definitions.alertsByModel}>
            <AlertsByModel rows={d.alertsByModel} />
          </Section>
          <Section id="leaderboard" title="Leaderboard" definition={d.definitions.leaderboard}>
            <Leaderboard rows={d.leaderboard} />
          </Section>
          <p className="text-xs text-slate-600">{d.definitions.cohort}</p>
        </>
      )}
    </div>
  );
}

function chartData(d: DashboardData) {
  const timelineLabel: Record<string, string> = { '0-30d': '≤ 30 d', '31-90d': '1–3 mo', '91-180d': '3–6 mo', '180d+': '6 mo +', unknown: 'Unknown' };
  return {
    funnel: d.funnel.map((f) => ({ label: STAGE_LABEL[f.stage] ?? f.stage, value: f.count })),
    temperature: [
      { label: 'Hot', value: d.temperature.hot, color: COLORS.red },
      { label: 'Warm', value: d.temperature.warm, color: COLORS.amber },
      { label: 'Cold', value: d.temperature.cold, color: COLORS.sky },
      { label: 'Unclassified', value: d.temperature.unknown, color: COLORS.slate },
    ],
    timeline: d.timeline.map((t) => ({ label: timelineLabel[t.bucket] ?? t.bucket, value: t.count, color: t.bucket === 'unknown' ? COLORS.slate : undefined })),
    price: d.price.map((p) => ({ label: p.bucket === 'unknown' ? 'Unknown' : p.bucket.replace(/-/g, '–'), value: p.count, color: p.bucket === 'unknown' ? COLORS.slate : undefined })),
    speed: d.speedToLead.buckets.map((b) => ({ label: b.bucket.replace(/-/g, '–'), value: b.count })),
    commission: d.commission.byStage.filter((s) => s.leads > 0).map((s) => ({ label: STAGE_LABEL[s.stage] ?? s.stage, value: s.expectedCents })),
  };
}

function Commission({ d, data }: { d: DashboardData; data: Array<{ label: string; value: number }> }) {
  const c = d.commission;
  const a = c.assumptions;
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-lg bg-indigo-50 p-3">
          <dt className="text-xs font-semibold uppercase tracking-wide text-indigo-900">Forecast</dt>
          <dd className="text-2xl font-bold tabular-nums text-indigo-950" data-testid="commission-forecast">
            {money(c.forecastCents)}
          </dd>
          <dd className="text-xs text-indigo-900">open pipeline, weighted</dd>
        </div>
        <div className="rounded-lg bg-emerald-50 p-3">
          <dt className="text-xs font-semibold uppercase tracking-wide text-emerald-900">Actual</dt>
          <dd className="text-2xl font-bold tabular-nums text-emerald-950">{money(c.actualCents)}</dd>
          <dd className="text-xs text-emerald-900">
            {c.closedLeads} closed{c.closedLeads > c.closedLeadsWithPrice ? ` (${c.closedLeads - c.closedLeadsWithPrice} at the average price)` : ''}
          </dd>
        </div>
      </dl>
      {data.length > 0 ? (
        <div className="mt-3">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Forecast by stage</p>
          <HBarChart data={data} caption="Expected commission by stage" format={(v) => money(v, { compact: true })} color={COLORS.indigoLight} />
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600">No open leads in this range, so nothing is forecast.</p>
      )}
      <p className="mt-2 text-xs text-slate-600">
        Assumes an average sale of {money(a.averageSalePriceCents)}, {percent(a.commissionRate, 1)} commission and a {percent(a.teamSplit)} team split (Admin → Business rules).
      </p>
    </div>
  );
}

function AlertsByModel({ rows }: { rows: DashboardData['alertsByModel'] }) {
  if (rows.length === 0) return <EmptyState title="No alerts in this range">Alerts appear when a lead turns hot, asks for a person, or a model&apos;s probability crosses the threshold.</EmptyState>;
  const cells = (r: DashboardData['alertsByModel'][number]) => [
    { k: 'Raised', v: count(r.generated) },
    { k: 'Acknowledged', v: `${r.acknowledged}`, note: percent(r.generated ? r.acknowledged / r.generated : null), id: `acknowledged-${r.kind}` },
    { k: 'Converted', v: count(r.converted) },
    { k: 'Dismissed', v: count(r.dismissed) },
    { k: 'Expired', v: count(r.expired) },
    { k: 'Median ack', v: duration(r.medianAckMs) },
    { k: 'Precision', v: percent(r.precision) },
  ];
  return (
    <>
      <ul className="space-y-2 md:hidden">
        {rows.map((r) => (
          <li key={r.kind} className="rounded-lg border border-slate-100 p-3">
            <p className="font-semibold">{ALERT_KIND_LABEL[r.kind] ?? humanize(r.kind)}</p>
            <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
              {cells(r).map((c) => (
                <div key={c.k}>
                  <dt className="text-slate-600">{c.k}</dt>
                  <dd className="text-sm font-semibold tabular-nums">{c.v}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
      <table className="hidden w-full text-sm md:table" data-testid="alerts-by-model">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
          <tr className="border-b border-slate-200">
            <th scope="col" className="py-2 pr-3 font-semibold">Alert</th>
            {cells(rows[0]!).map((c) => (
              <th key={c.k} scope="col" className="py-2 pr-3 text-right font-semibold last:pr-0">
                {c.k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.kind} className="border-b border-slate-100 last:border-0" data-kind={r.kind}>
              <th scope="row" className="py-2 pr-3 text-left font-medium">
                {ALERT_KIND_LABEL[r.kind] ?? humanize(r.kind)}
              </th>
              {cells(r).map((c) => (
                <td key={c.k} className="py-2 pr-3 text-right tabular-nums last:pr-0" data-testid={c.id}>
                  {c.v} {c.note && <span className="text-xs text-slate-500">({c.note})</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Leaderboard({ rows }: { rows: DashboardData['leaderboard'] }) {
  if (rows.length === 0) return <EmptyState title="Nobody on the board yet">People appear once leads are assigned to them in this range.</EmptyState>;
  return (
    <>
      <ol className="space-y-2 md:hidden">
        {rows.map((r, i) => (
          <li key={r.agentId} className="rounded-lg border border-slate-100 p-3">
            <p className="flex items-center gap-2 font-semibold">
              <span className="inline-flex h-6 w-6 items-center justify-center rounded-full bg-slate-100 text-xs">{i + 1}</span>
              {r.name}
            </p>
            <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
              {[
                ['Leads', count(r.leads)],
                ['Qualified', count(r.qualified)],
                ['Converted', count(r.converted)],
                ['Median speed', duration(r.medianSpeedToLeadMs)],
                ['Acknowledged', count(r.alertsAcknowledged)],
                ['Claimed', count(r.alertsClaimed)],
              ].map(([k, v]) => (
                <div key={k}>
                  <dt className="text-slate-600">{k}</dt>
                  <dd className="text-sm font-semibold tabular-nums">{v}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ol>
      <div className="hidden md:block">
        <table className="w-full text-sm" data-testid="leaderboard">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
            <tr className="border-b border-slate-200">
              <th scope="col" className="w-10 py-2 pr-3 font-semibold">#</th>
              <th scope="col" className="py-2 pr-3 font-semibold">Agent</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">Leads</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">Qualified</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">Converted</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">Median speed</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">Alerts ack&apos;d</th>
              <th scope="col" className="py-2 text-right font-semibold">Claimed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.agentId} className="border-b border-slate-100 last:border-0">
                <td className="py-2 pr-3 tabular-nums text-slate-600">{i + 1}</td>
                <th scope="row" className="py-2 pr-3 text-left font-medium">
                  {r.name}
                </th>
                <td className="py-2 pr-3 text-right tabular-nums">{r.leads}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{r.qualified}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{r.converted}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{duration(r.medianSpeedToLeadMs)}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{r.alertsAcknowledged}</td>
                <td className="py-2 text-right tabular-nums">{r.alertsClaimed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
