'use client';

/**
 * Manager → Team coaching. The list (GET /v1/coaching/team) puts every agent's headline figures
 * beside the team median and sorts by any of them; tapping an agent opens their report
 * (?agent=usr_… so it can be shared and survives a reload) with insights, next-best actions, the
 * narrative — saying whether Claude or the rules wrote it, and what the analysis cost — and
 * "Analyze now", whose rate limit (429 + Retry-After) is shown as a countdown.
 */
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Card, EmptyState, Explain, Loading, Notice, PageHeader, ResourceView, cx } from '../../components/ui';
import { ApiError, describeError, type Answer } from '../../lib/api/client';
import type { Schemas } from '../../lib/api/openapi.gen';
import { count, dateTime, duration, percent } from '../../lib/format';
import { session } from '../../lib/session';
import { useResource } from '../../lib/use-resource';

type Team = Answer<'/coaching/team', 'get'>;
type Row = Team['agents'][number];
type Metrics = Schemas['CoachingMetrics'];
type TeamMetrics = Schemas['CoachingTeamMetrics'];
type Report = Schemas['CoachingReport'];

/** The headline columns: how to read the agent's value and the team median, and which way is better. */
interface Column {
  key: string;
  label: string;
  definition: string;
  agent: (m: Metrics) => number | null;
  team: (t: TeamMetrics) => number | null;
  show: (n: number | null) => string;
  better: 'low' | 'high' | null;
}

const meanCoverage = (c: Metrics['coverage']) => {
  const v = [c.q1Motivation, c.q2Timeline, c.q3Condition, c.q4Price].filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const teamCoverage = (t: TeamMetrics) => {
  const v = [t['coverage.q1Motivation'], t['coverage.q2Timeline'], t['coverage.q3Condition'], t['coverage.q4Price']].filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

function columns(defs: Record<string, string>): Column[] {
  return [
    { key: 'leads', label: 'Leads', definition: defs.leads ?? '', agent: (m) => m.leads, team: (t) => t.leads, show: count, better: null },
    { key: 'speedToLead', label: 'Speed to lead', definition: defs.speedToLeadMedianMs ?? '', agent: (m) => m.speedToLeadMedianMs, team: (t) => t.speedToLeadMedianMs, show: duration, better: 'low' },
    { key: 'replyTime', label: 'Reply time', definition: defs.replyTimeMedianMs ?? '', agent: (m) => m.replyTimeMedianMs, team: (t) => t.replyTimeMedianMs, show: duration, better: 'low' },
    { key: 'coverage', label: 'Q1–Q4 answered', definition: `${defs.coverage ?? ''} (the mean of the four)`, agent: (m) => meanCoverage(m.coverage), team: teamCoverage, show: (n) => percent(n), better: 'high' },
    { key: 'talkRatio', label: 'Talk ratio', definition: defs.talkRatio ?? '', agent: (m) => m.talkRatio, team: (t) => t.talkRatio, show: (n) => (n === null ? '—' : n.toFixed(2)), better: null },
    { key: 'followUp', label: 'Follow-up gap', definition: defs.followUpCadenceMedianMs ?? '', agent: (m) => m.followUpCadenceMedianMs, team: (t) => t.followUpCadenceMedianMs, show: duration, better: null },
    { key: 'slaMisses', label: 'SLA misses', definition: defs.slaMisses ?? '', agent: (m) => m.slaMisses, team: (t) => t.slaMisses, show: count, better: 'low' },
    { key: 'missed', label: 'Missed hot leads', definition: defs.missedOpportunities ?? '', agent: (m) => m.missedOpportunities, team: (t) => t.missedOpportunities, show: count, better: 'low' },
  ];
}

/** Worse than the team median by the column's own direction (for the red tint). */
function worse(c: Column, mine: number | null, median: number | null): boolean {
  if (mine === null || median === null || !c.better) return false;
  return c.better === 'low' ? mine > median : mine < median;
}

export function TeamCoaching() {
  const params = useSearchParams();
  const agent = params.get('agent');
  return agent ? <AgentReport agentId={agent} /> : <TeamView />;
}

function TeamView() {
  const team = useResource(() => session().api.get('/coaching/team'), []);
  const [sort, setSort] = useState<{ key: string; dir: 'asc' | 'desc' }>({ key: 'missed', dir: 'desc' });
  const cols = useMemo(() => columns(team.data?.definitions ?? {}), [team.data]);
  const sorted = useMemo(() => {
    if (!team.data) return [];
    if (sort.key === 'name') return [...team.data.agents].sort((a, b) => a.name.localeCompare(b.name) * (sort.dir === 'asc' ? 1 : -1));
    const col = cols.find((c) => c.key === sort.key)!;
    // Agents with nothing to measure go last whichever way the column is sorted.
    return [...team.data.agents].sort((a, b) => {
      const x = col.agent(a.metrics);
      const y = col.agent(b.metrics);
      if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
      return (x - y) * (sort.dir === 'asc' ? 1 : -1);
    });
  }, [team.data, sort, cols]);
  const toggle = (key: string) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' }));
  const header = (key: string, label: string) => (
    <button type="button" onClick={() => toggle(key)} className="inline-flex min-h-9 items-center gap-1 font-semibold hover:text-slate-900">
      {label}
      <span aria-hidden className="w-3 text-[10px]">{sort.key === key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
    </button>
  );
  return (
    <div data-screen-ready={team.status !== 'loading' ? 'true' : undefined} data-testid="team-coaching">
      <PageHeader title="Team coaching" subtitle={team.data ? `Each agent beside the team median, ${new Date(team.data.period.from).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} – ${new Date(team.data.period.to).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}. Tap an agent for their report.` : 'Each agent beside the team median. Tap an agent for their report.'} />
      <ResourceView resource={team} loading={<Loading rows={4} rowClass="h-12" />} isEmpty={(t) => t.agents.length === 0} empty={<EmptyState title="No agents yet">Coaching appears once agents work leads.</EmptyState>}>
        {(t) => (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="w-full min-w-[56rem] text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-600">
                <tr>
                  <th scope="col" aria-sort={sort.key === 'name' ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className="sticky left-0 bg-slate-50 px-3">
                    {header('name', 'Agent')}
                  </th>
                  {cols.map((c) => (
                    <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className="px-2 text-right">
                      <span className="inline-flex items-center gap-1">
                        {header(c.key, c.label)}
                        <Explain label={`What ${c.label} means`}>{c.definition}</Explain>
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                <tr className="bg-indigo-50/50 text-slate-700">
                  <th scope="row" className="sticky left-0 bg-indigo-50 px-3 py-2 text-left font-semibold">
                    Team median <span className="font-normal text-slate-500">({count(t.team.agents)} agents)</span>
                  </th>
                  {cols.map((c) => (
                    <td key={c.key} className="px-2 py-2 text-right tabular-nums">{c.show(c.team(t.team))}</td>
                  ))}
                </tr>
                {sorted.map((a) => (
                  <AgentRow key={a.agentId} row={a} cols={cols} team={t.team} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceView>
    </div>
  );
}

function AgentRow({ row, cols, team }: { row: Row; cols: Column[]; team: TeamMetrics }) {
  return (
    <tr className="hover:bg-slate-50" data-testid="coaching-agent">
      <th scope="row" className="sticky left-0 bg-white px-3 py-2 text-left">
        <Link href={`/coaching?agent=${encodeURIComponent(row.agentId)}`} className="font-semibold text-indigo-700 underline-offset-2 hover:underline">
          {row.name}
        </Link>
        <p className="max-w-56 truncate text-xs font-normal text-slate-600" title={row.topInsight}>
          {row.topInsight}
        </p>
      </th>
      {cols.map((c) => {
        const mine = c.agent(row.metrics);
        return (
          <td key={c.key} className={cx('px-2 py-2 text-right tabular-nums', worse(c, mine, c.team(team)) && 'font-semibold text-red-700')}>
            {c.show(mine)}
          </td>
        );
      })}
    </tr>
  );
}

function AgentReport({ agentId }: { agentId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const report = useResource(() => session().api.get('/coaching/agents/{id}', { path: { id: agentId } }), [agentId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!retryAt) return;
    const t = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryAt) setRetryAt(null);
    }, 1_000);
    return () => clearInterval(t);
  }, [retryAt]);

  async function analyze() {
    setBusy(true);
    setError(null);
    try {
      const fresh = await session().api.post('/coaching/agents/{id}/analyze', { path: { id: agentId }, body: {} });
      report.setData(() => fresh);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const wait = err.retryAfter ?? 60;
        setRetryAt(Date.now() + wait * 1000);
        setNow(Date.now());
        setError(`An analysis was run for this agent a moment ago; the next one is possible in ${wait} s.`);
      } else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  const waitLeft = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0;

  return (
    <div data-screen-ready={report.status !== 'loading' ? 'true' : undefined} data-testid="agent-coaching">
      <PageHeader
        title={report.data ? `Coaching: ${report.data.agentName}` : 'Coaching'}
        subtitle={report.data ? `${dateTime(report.data.period.from)} – ${dateTime(report.data.period.to)}` : 'Loading the report…'}
        actions={
          <>
            <Button onClick={() => router.push(pathname)}>← Team</Button>
            <Button variant="primary" busy={busy} disabled={waitLeft > 0} onClick={() => void analyze()}>
              {waitLeft > 0 ? `Analyze again in ${waitLeft} s` : 'Analyze now'}
            </Button>
          </>
        }
      />
      {error && (
        <div className="mb-3">
          <Notice tone={retryAt ? 'warning' : 'error'}>{error}</Notice>
        </div>
      )}
      <ResourceView resource={report} loading={<Loading rows={3} rowClass="h-32" />}>
        {(r) => <ReportBody report={r} />}
      </ResourceView>
    </div>
  );
}

function ReportBody({ report: r }: { report: Report }) {
  const cols = columns(r.definitions);
  const usd = r.costMicroUsd / 1_000_000;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Figures vs the team median" className="lg:col-span-2">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          {cols.map((c) => {
            const mine = c.agent(r.metrics);
            const median = c.team(r.team);
            return (
              <div key={c.key}>
                <dt className="flex items-center gap-1 text-xs text-slate-600">
                  {c.label} <Explain label={`What ${c.label} means`}>{c.definition}</Explain>
                </dt>
                <dd className={cx('text-lg font-semibold tabular-nums', worse(c, mine, median) ? 'text-red-700' : 'text-slate-900')}>{c.show(mine)}</dd>
                <dd className="text-xs text-slate-600 tabular-nums">team {c.show(median)}</dd>
              </div>
            );
          })}
        </dl>
      </Card>
      <Card title="Next best actions">
        {r.actions.length ? (
          <ol className="list-decimal space-y-2 pl-5 text-sm">
            {r.actions.map((a, i) => (
              <li key={i}>
                <span className="font-medium">{a.action}</span> <span className="text-slate-600">— {a.why}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-600">Nothing stands out to act on in this period.</p>
        )}
      </Card>
      <Card title="Insights">
        {r.insights.length ? (
          <ul className="space-y-3 text-sm">
            {r.insights.map((i, n) => (
              <li key={n}>
                <p className="font-semibold text-slate-900">{i.title}</p>
                <p className="text-slate-700">{i.detail}</p>
                {i.evidence?.length ? <p className="mt-0.5 text-xs text-slate-500">Evidence: {i.evidence.join(' · ')}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">No insights for this period.</p>
        )}
      </Card>
      <Card
        title="Narrative"
        className="lg:col-span-2"
        action={<Badge tone={r.generatedBy === 'claude' ? 'indigo' : 'slate'}>{r.generatedBy === 'claude' ? `Written by Claude${r.model ? ` (${r.model})` : ''}` : 'Written by the rules'}</Badge>}
      >
        {r.narrative ? <p className="whitespace-pre-line text-sm leading-relaxed text-slate-800">{r.narrative}</p> : <p className="text-sm text-slate-600">No narrative: the figures and actions above are the report.</p>}
        <p className="mt-3 text-xs text-slate-600" data-testid="coaching-cost">
          Analysis cost {usd === 0 ? '$0 (no model call)' : `$${usd.toFixed(usd < 0.01 ? 4 : 2)}`}
          {r.tokens ? ` · ${count(r.tokens.inputTokens)} tokens in, ${count(r.tokens.outputTokens)} out` : ''}
          {r.fallbackReason ? ` · Claude's answer was not used (${r.fallbackReason})` : ''} · {r.stored ? `analyzed ${dateTime(r.createdAt)}${r.trigger === 'nightly' ? ' (nightly)' : ''}` : 'computed now, not stored'}
        </p>
      </Card>
    </div>
  );
}
