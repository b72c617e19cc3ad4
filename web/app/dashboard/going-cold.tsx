'use client';

/**
 * Dashboard → Going cold: leads the churn model flags as at risk, what the prevention sequence
 * did about them, and whether it works — saves among treated leads against the random holdout,
 * each with its 95 % interval, and the lift. With too few resolved episodes the API says so and
 * so does this section, instead of showing a lift that means nothing.
 */
import { Card, ErrorState, Explain, Skeleton, cx } from '../../components/ui';
import type { Schemas } from '../../lib/api/openapi.gen';
import { count, duration, humanize, percent, STAGE_LABEL } from '../../lib/format';
import { session } from '../../lib/session';
import { useResource } from '../../lib/use-resource';

type Summary = Schemas['ChurnSummary'];
type Group = Summary['treated'];

function Label({ children, help }: { children: string; help: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      {children}
      <Explain label={`What “${children}” means`}>{help}</Explain>
    </span>
  );
}

export function GoingCold({ from, to }: { from?: string; to?: string }) {
  const summary = useResource(() => session().api.get('/churn/summary', { query: { from, to } }), [from, to]);
  const s = summary.data;
  return (
    <Card
      id="going-cold"
      title={
        <Label help="Leads whose conversation is going quiet, scored by the churn model, and the re-engagement sequence sent to them. A random holdout gets no sequence, so the difference in saves is what the sequence achieved.">Going cold</Label>
      }
    >
      {summary.status === 'error' && !s ? (
        <ErrorState error={summary.error!} onRetry={() => void summary.reload()} title="Could not load going-cold figures" />
      ) : !s ? (
        <div aria-hidden className="grid gap-3 sm:grid-cols-3">
          <Skeleton className="h-28" />
          <Skeleton className="h-28" />
          <Skeleton className="h-28" />
        </div>
      ) : (
        <Body s={s} refreshing={summary.status === 'loading'} />
      )}
    </Card>
  );
}

function Body({ s, refreshing }: { s: Summary; refreshing: boolean }) {
  const stages = Object.entries(s.atRiskByStage).filter(([, n]) => n > 0);
  const atRisk = stages.reduce((a, [, n]) => a + n, 0);
  const enough = s.pValue !== null;
  return (
    <div className={cx('space-y-4 transition-opacity', refreshing && 'opacity-80')} data-testid="going-cold-body">
      <p className={cx('rounded-lg border p-3 text-sm', enough ? 'border-slate-200 bg-slate-50 text-slate-800' : 'border-amber-300 bg-amber-50 text-amber-950')} data-testid="churn-verdict">
        {enough ? sentence(s.verdict) : `Not enough data yet: ${s.verdict.replace(/^not enough data:\s*/i, '')}.`}
      </p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            <Label help={`Leads whose newest churn score in the range is at or over your threshold (${percent(s.riskThreshold)}), by their current stage.`}>At risk</Label>
          </h3>
          <p className="mt-1 text-2xl font-bold tabular-nums">{count(atRisk)}</p>
          {stages.length ? (
            <ul className="mt-1 text-sm text-slate-700">
              {stages.map(([stage, n]) => (
                <li key={stage} className="flex justify-between gap-2">
                  <span>{STAGE_LABEL[stage] ?? humanize(stage)}</span>
                  <span className="tabular-nums">{count(n)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">None in this range.</p>
          )}
        </div>
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            <Label help="Messages of the re-engagement sequence, by step, and where each stands (sent, skipped because the lead replied or opted out, failed).">Interventions</Label>
          </h3>
          {s.interventions.length ? (
            <ul className="mt-1 space-y-1 text-sm text-slate-700">
              {s.interventions.map((i) => (
                <li key={`${i.step}-${i.kind}`}>
                  <span className="font-semibold">
                    Step {i.step} · {humanize(i.kind)}
                  </span>{' '}
                  <span className="tabular-nums">({count(i.total)})</span>
                  <span className="block text-xs text-slate-600">
                    {Object.entries(i.statuses)
                      .map(([k, n]) => `${humanize(k)} ${count(n)}`)
                      .join(' · ')}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">None sent in this range.</p>
          )}
          <p className="mt-2 text-xs text-slate-600">
            <Label help="From the risk being detected to the first message of the sequence going out (median and 95th percentile).">Detection → action</Label> p50 {duration(s.detectionToActionMs.p50)} · p95 {duration(s.detectionToActionMs.p95)} ({count(s.detectionToActionMs.n)})
          </p>
        </div>
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            <Label help="Episodes that ended: saved (the lead engaged again in the window), not saved (the window passed in silence), or still pending.">Outcomes</Label>
          </h3>
          <dl className="mt-1 grid grid-cols-[1fr_auto] gap-x-2 text-sm">
            <dt>Saved</dt>
            <dd className="tabular-nums">{count(s.outcomes.saved)}</dd>
            <dt>Not saved</dt>
            <dd className="tabular-nums">{count(s.outcomes.notSaved)}</dd>
            <dt>Pending</dt>
            <dd className="tabular-nums">{count(s.outcomes.pending)}</dd>
          </dl>
        </div>
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            <Label help="Treated save rate minus holdout save rate, in percentage points. Positive means the sequence saves leads that would otherwise have gone cold. Judged by the two-proportion z-test only with enough resolved episodes in both groups.">Lift</Label>
          </h3>
          <p className="mt-1 text-2xl font-bold tabular-nums" data-testid="churn-lift">
            {s.lift === null || !enough ? '—' : `${s.lift >= 0 ? '+' : ''}${(s.lift * 100).toFixed(1)} pts`}
          </p>
          <p className="text-xs text-slate-600">{s.pValue === null ? 'not enough resolved episodes to test' : `p = ${s.pValue < 0.001 ? '< 0.001' : s.pValue.toFixed(3)}`}</p>
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <Rate name="Treated" g={s.treated} help="Leads at risk that received the sequence: saved ÷ resolved episodes, with the Wilson 95 % interval." />
        <Rate name="Holdout" g={s.holdout} help="Leads at risk picked at random to get no sequence (the comparison group): saved ÷ resolved episodes, with the Wilson 95 % interval." />
      </div>
    </div>
  );
}

const sentence = (v: string) => `${v.charAt(0).toUpperCase()}${v.slice(1)}${/[.!?]$/.test(v) ? '' : '.'}`;

/** A save rate with its interval drawn on a 0–100 % bar. */
function Rate({ name, g, help }: { name: string; g: Group; help: string }) {
  return (
    <div className="rounded-lg border border-slate-200 p-3" data-testid={`churn-${name.toLowerCase()}`}>
      <p className="flex items-center justify-between text-sm font-semibold text-slate-800">
        <Label help={help}>{`${name} save rate`}</Label>
        <span className="tabular-nums">{g.rate === null ? '—' : percent(g.rate, 1)}</span>
      </p>
      <div className="relative mt-2 h-2 rounded-full bg-slate-100" aria-hidden>
        {g.ci95 && <div className="absolute inset-y-0 rounded-full bg-indigo-200" style={{ left: `${g.ci95[0] * 100}%`, width: `${Math.max(0.5, (g.ci95[1] - g.ci95[0]) * 100)}%` }} />}
        {g.rate !== null && <div className="absolute inset-y-[-2px] w-0.5 bg-indigo-700" style={{ left: `${g.rate * 100}%` }} />}
      </div>
      <p className="mt-1 text-xs text-slate-600 tabular-nums">
        {g.ci95 ? `95 % interval ${percent(g.ci95[0], 1)} – ${percent(g.ci95[1], 1)}` : 'no interval yet'} · {count(g.saved)} saved of {count(g.resolved)} resolved · {count(g.pending)} pending
      </p>
    </div>
  );
}
