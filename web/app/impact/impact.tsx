'use client';

/**
 * Business impact (PRODUCT.md §3.7, issue #8): per feature what was measured and what it is worth,
 * with every money figure written out as its formula and the assumption values inline — the
 * numbers are only as good as the assumptions, so they are never shown apart from them.
 */
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Button, Card, ErrorState, Explain, Field, Input, Notice, PageHeader, Skeleton, cx } from '../../components/ui';
import type { Answer } from '../../lib/api/client';
import { count, dateTime, money, percent } from '../../lib/format';
import { session } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';
import { allowed, useSession } from '../../lib/use-session';

type ImpactData = Answer<'/impact', 'get'>;
type FeatureImpact = ImpactData['features'][number];
type FeatureId = FeatureImpact['feature'];

const FEATURE_LABEL: Record<FeatureId, string> = {
  intelligence: 'Lead intelligence',
  churn_prevention: 'Churn prevention',
  coaching: 'Agent coaching',
  seller_assistant: 'Seller assistant',
};
const FEATURES = Object.keys(FEATURE_LABEL) as FeatureId[];
const PRESETS = [7, 30, 90, 365] as const;
const DAY = 86_400_000;

/** The API counts whole UTC days, so the picker does too. */
const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const hours = (h: number) => `${h.toLocaleString('en-US', { maximumFractionDigits: 1 })} h`;
const pct = (f: number) => percent(f, Number.isInteger(f * 100) ? 0 : 1);

/** ?from=&to= (UTC days, both included) in the URL, so a view can be shared; none = the last 30 days. */
function useDays() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const from = params.get('from');
  const to = params.get('to');
  const set = (f: string | null, t: string | null) => {
    const q = new URLSearchParams(params.toString());
    for (const [k, v] of [['from', f], ['to', t]] as const) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
  };
  return { from, to, set };
}

export function Impact() {
  const days = useDays();
  const { me } = useSession();
  const query = { from: days.from ?? undefined, to: days.to ?? undefined };
  const data = useResource(() => session().api.get('/impact', { query }), [days.from, days.to]);
  const d = data.data;
  const canEdit = allowed(me, 'PATCH /tenant');

  return (
    <div data-screen-ready={data.status !== 'loading' ? 'true' : undefined} data-testid="impact">
      <PageHeader
        title="Business impact"
        subtitle={d ? `${d.range.from} – ${d.range.to} (UTC, ${d.range.days} days)` : 'Loading the range…'}
      />
      <RangePicker days={days} shown={d?.range} />
      <RollupNote computedAt={d ? d.computedAt : undefined} />
      {data.status === 'error' && !d ? (
        <ErrorState error={data.error!} onRetry={() => void data.reload()} title={data.errorStatus === 422 ? 'That range cannot be shown' : 'Could not load the impact figures'} />
      ) : !d ? (
        <div role="status" aria-live="polite" className="space-y-4">
          <span className="sr-only">Loading the impact figures…</span>
          <Skeleton className="h-44 w-full rounded-xl" />
          <div className="grid gap-4 lg:grid-cols-2">
            {FEATURES.map((f) => (
              <Skeleton key={f} className="h-[26rem] w-full rounded-xl" />
            ))}
          </div>
        </div>
      ) : (
        <div className={cx('space-y-4 transition-opacity', data.status === 'loading' && 'opacity-60')} aria-busy={data.status === 'loading'}>
          <Totals d={d} />
          {d.features.every((f) => f.measured.uses === 0 && f.measured.successes === 0) && (
            <Notice>
              <b>Nothing measured in this range yet.</b> No feature was used between {d.range.from} and {d.range.to}, or the daily roll-up has not covered these days yet; the cards show the assumptions that will price them.
            </Notice>
          )}
          <div className="grid gap-4 lg:grid-cols-2">
            {d.features.map((f) => (
              <FeatureCard key={f.feature} f={f} valuePerSuccess={d.assumptions.valuePerSuccess} />
            ))}
          </div>
          <Card id="impact-costs" title="Cost assumptions">
            <dl className="grid gap-2 text-sm sm:grid-cols-3">
              <Pair label="Infrastructure">{money(d.assumptions.infraCostPerDayCents)} per day, split evenly across the four features</Pair>
              <Pair label="AI input">{cents(d.assumptions.aiCentsPerMTok.input)} per million tokens</Pair>
              <Pair label="AI output">{cents(d.assumptions.aiCentsPerMTok.output)} per million tokens</Pair>
            </dl>
          </Card>
          {canEdit && <AssumptionsEditor d={d} onSaved={() => void data.reload()} />}
        </div>
      )}
    </div>
  );
}

/** Cents with the cents shown when there are any ($1, $2.50): AI prices are small numbers. */
function cents(c: number): string {
  return Number.isInteger(c / 100) ? money(c) : `$${(c / 100).toFixed(2)}`;
}

function RollupNote({ computedAt }: { computedAt: string | null | undefined }) {
  // A fixed-height line, filled once known, so the cards below do not move.
  return (
    <p className="mb-4 min-h-10 text-xs text-slate-600 sm:min-h-5" data-testid="impact-computed">
      {computedAt === undefined
        ? '\u00a0'
        : computedAt
          ? `Figures come from the daily roll-up, last computed ${dateTime(computedAt)}. Today's activity appears after the next roll-up.`
          : 'No daily roll-up covers this range yet: figures appear after the next roll-up (it runs once a day, shortly after midnight UTC).'}
    </p>
  );
}

function RangePicker({ days, shown }: { days: ReturnType<typeof useDays>; shown: ImpactData['range'] | undefined }) {
  const [from, setFrom] = useState(days.from ?? '');
  const [to, setTo] = useState(days.to ?? '');
  useEffect(() => {
    setFrom(days.from ?? shown?.from ?? '');
    setTo(days.to ?? shown?.to ?? '');
  }, [days.from, days.to, shown?.from, shown?.to]);
  const today = utcDay(Date.now());
  const preset = (n: number) => (n === 30 && !days.from && !days.to) || (days.to === today && days.from === utcDay(Date.now() - (n - 1) * DAY));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    days.set(from || null, to || null);
  };
  return (
    <form onSubmit={apply} className="mb-2 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <div role="group" aria-label="Quick ranges" className="flex flex-wrap gap-1">
        {PRESETS.map((n) => (
          <Button key={n} size="sm" variant={preset(n) ? 'primary' : 'secondary'} aria-pressed={preset(n)} onClick={() => days.set(utcDay(Date.now() - (n - 1) * DAY), today)}>
            {n === 365 ? '12 months' : `${n} days`}
          </Button>
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-xs font-medium text-slate-700">
          From
          <Input type="date" aria-label="From (UTC day)" value={from} max={to || today} onChange={(e) => setFrom(e.target.value)} className="mt-0.5 w-40" />
        </label>
        <label className="text-xs font-medium text-slate-700">
          To
          <Input type="date" aria-label="To (UTC day)" value={to} min={from || undefined} max={today} onChange={(e) => setTo(e.target.value)} className="mt-0.5 w-40" />
        </label>
        <Button type="submit" size="md">
          Show
        </Button>
      </div>
    </form>
  );
}

function Pair({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}

/** A money figure, big, with its formula right under it. */
function Figure({ label, value, formula, testId, tone }: { label: string; value: string; formula: ReactNode; testId?: string; tone?: 'good' | 'bad' }) {
  return (
    <div className="min-w-0 py-2">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-sm font-medium text-slate-700">{label}</span>
        <span data-testid={testId} className={cx('text-lg font-semibold tabular-nums', tone === 'good' && 'text-emerald-700', tone === 'bad' && 'text-red-700', !tone && 'text-slate-900')}>
          {value}
        </span>
      </div>
      <p className="text-xs leading-relaxed text-slate-600" data-testid={testId ? `${testId}-formula` : undefined}>
        = {formula}
      </p>
    </div>
  );
}

const toneOf = (cents: number) => (cents > 0 ? 'good' : cents < 0 ? 'bad' : undefined);
const roiText = (roi: number | null) => (roi === null ? '—' : `${roi >= 0 ? '' : '−'}${Math.abs(roi * 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} %`);

function Totals({ d }: { d: ImpactData }) {
  const t = d.totals;
  return (
    <Card id="impact-totals" title={`All features, ${d.range.days} days`}>
      <div className="grid gap-x-6 sm:grid-cols-2 lg:grid-cols-4">
        <Figure label="Revenue impact" value={money(t.revenueImpactCents)} testId="total-revenue" formula="Σ per feature: successes × conversion lift × value per success" />
        <Figure label="Time value" value={money(t.timeValueCents)} formula="Σ per feature: hours saved × agent hour" />
        <Figure label="Operating cost" value={money(t.operatingCostCents)} formula="Σ per feature: AI tokens × price + infrastructure share" />
        <Figure
          label="Net impact"
          value={money(t.netImpactCents)}
          tone={toneOf(t.netImpactCents)}
          testId="total-net"
          formula={
            <>
              {money(t.revenueImpactCents)} + {money(t.timeValueCents)} − {money(t.operatingCostCents)} · ROI {roiText(t.roi)} (net ÷ cost)
            </>
          }
        />
      </div>
    </Card>
  );
}

function FeatureCard({ f, valuePerSuccess }: { f: FeatureImpact; valuePerSuccess: string }) {
  const m = f.measured;
  const a = f.assumptions;
  const successes = `${count(m.successes)} ${m.successes === 1 ? 'success' : 'successes'}`;
  return (
    <section aria-labelledby={`impact-${f.feature}-title`} data-testid={`impact-${f.feature}`} className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={`impact-${f.feature}-title`} className="mb-3 text-base font-semibold text-slate-900">
        {FEATURE_LABEL[f.feature]}
      </h2>
      <dl className="mb-3 grid grid-cols-2 gap-3 rounded-lg bg-slate-50 p-3">
        <Measured label="Uses" value={count(m.uses)} definition={m.definitions.uses} />
        <Measured label="Successes" value={count(m.successes)} definition={m.definitions.successes} />
      </dl>
      <div className="divide-y divide-slate-100">
        <Figure
          label="Revenue impact"
          value={money(f.revenueImpactCents)}
          testId={`revenue-${f.feature}`}
          formula={
            <>
              {successes} × <b className="font-semibold text-slate-800">{pct(a.conversionLift)} lift</b> × {money(a.valuePerSuccessCents)} per success{' '}
              <Explain label="How a success is valued">{valuePerSuccess}</Explain>
            </>
          }
        />
        <Figure
          label="Time saved"
          value={`${hours(f.timeSavedHours)} · ${money(f.timeValueCents)}`}
          formula={
            <>
              {count(m.uses)} uses × <b className="font-semibold text-slate-800">{a.minutesSavedPerUse} min</b> = {hours(f.timeSavedHours)} × {money(a.agentHourCents)} per agent hour
            </>
          }
        />
        <Figure
          label="Cost"
          value={money(f.cost.totalCents)}
          formula={
            <>
              AI {money(f.cost.aiCents)} ({count(m.inputTokens)} in + {count(m.outputTokens)} out tokens) + infrastructure {money(f.cost.infraCents)}
            </>
          }
        />
        <Figure
          label="Net impact"
          value={money(f.netImpactCents)}
          tone={toneOf(f.netImpactCents)}
          formula={
            <>
              {money(f.revenueImpactCents)} + {money(f.timeValueCents)} − {money(f.cost.totalCents)} · ROI {roiText(f.roi)}
            </>
          }
        />
      </div>
    </section>
  );
}

function Measured({ label, value, definition }: { label: string; value: string; definition: string }) {
  return (
    <div className="min-w-0">
      <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-600">
        {label} <Explain label={`What counts as ${label.toLowerCase()}`}>{definition}</Explain>
      </dt>
      <dd className="text-xl font-semibold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}

/** Text as typed; people type percentages (5) and dollars, the API takes fractions and cents. */
interface Form {
  lift: Record<FeatureId, string>;
  minutes: Record<FeatureId, string>;
  agentHour: string;
  infraPerDay: string;
  aiIn: string;
  aiOut: string;
}

function toForm(d: ImpactData): Form {
  const by = (pick: (f: FeatureImpact) => number) => Object.fromEntries(d.features.map((f) => [f.feature, String(pick(f))])) as Record<FeatureId, string>;
  return {
    lift: by((f) => +(f.assumptions.conversionLift * 100).toFixed(2)),
    minutes: by((f) => f.assumptions.minutesSavedPerUse),
    agentHour: String(d.features[0] ? d.features[0].assumptions.agentHourCents / 100 : 50),
    infraPerDay: String(d.assumptions.infraCostPerDayCents / 100),
    aiIn: String(d.assumptions.aiCentsPerMTok.input / 100),
    aiOut: String(d.assumptions.aiCentsPerMTok.output / 100),
  };
}

function check(f: Form): Record<string, string> {
  const bad: Record<string, string> = {};
  const range = (key: string, text: string, min: number, max: number, unit: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) bad[key] = `Between ${min} and ${max}${unit}`;
  };
  for (const id of FEATURES) {
    range(`lift.${id}`, f.lift[id], 0, 100, ' %');
    range(`minutes.${id}`, f.minutes[id], 0, 600, ' minutes');
  }
  range('agentHour', f.agentHour, 0, 10_000, ' dollars');
  range('infraPerDay', f.infraPerDay, 0, 100_000, ' dollars');
  range('aiIn', f.aiIn, 0, 1_000, ' dollars');
  range('aiOut', f.aiOut, 0, 1_000, ' dollars');
  return bad;
}

function AssumptionsEditor({ d, onSaved }: { d: ImpactData; onSaved: () => void }) {
  const [form, setForm] = useState<Form>(() => toForm(d));
  const [saved, setSaved] = useState(false);
  const [bad, setBad] = useState<Record<string, string>>({});
  const save = useAction(async (f: Form) => {
    await session().api.patch('/tenant', {
      body: {
        settings: {
          impact: {
            features: Object.fromEntries(FEATURES.map((id) => [id, { conversionLift: Number(f.lift[id]) / 100, minutesSavedPerUse: Number(f.minutes[id]) }])),
            agentHourCents: Math.round(Number(f.agentHour) * 100),
            infraCostPerDayCents: Math.round(Number(f.infraPerDay) * 100),
            aiInputCentsPerMTok: Number(f.aiIn) * 100,
            aiOutputCentsPerMTok: Number(f.aiOut) * 100,
          },
        },
      },
    });
    setSaved(true);
    onSaved();
  });
  const edit = (next: Partial<Form>) => {
    setForm((f) => ({ ...f, ...next }));
    setSaved(false);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const b = check(form);
    setBad(b);
    if (Object.keys(b).length === 0) void save.run(form);
  };
  const err = (k: string) => bad[k];
  return (
    <Card id="impact-assumptions" title="Assumptions" className="scroll-mt-20">
      <p className="mb-3 text-sm text-slate-600">What a success is worth and what a use saves are your team's estimates; changing them re-prices every range at once (the measured counts stay as they are).</p>
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          {FEATURES.map((id) => (
            <fieldset key={id} className="rounded-lg border border-slate-200 p-3">
              <legend className="px-1 text-sm font-semibold text-slate-800">{FEATURE_LABEL[id]}</legend>
              <div className="grid grid-cols-2 items-end gap-3">
                <Field label="Conversion lift (%)" htmlFor={`a-lift-${id}`} error={err(`lift.${id}`)}>
                  <Input id={`a-lift-${id}`} type="number" inputMode="decimal" min={0} max={100} step={0.1} value={form.lift[id]} invalid={!!err(`lift.${id}`)} onChange={(e) => edit({ lift: { ...form.lift, [id]: e.target.value } })} />
                </Field>
                <Field label="Minutes saved per use" htmlFor={`a-min-${id}`} error={err(`minutes.${id}`)}>
                  <Input id={`a-min-${id}`} type="number" inputMode="decimal" min={0} max={600} value={form.minutes[id]} invalid={!!err(`minutes.${id}`)} onChange={(e) => edit({ minutes: { ...form.minutes, [id]: e.target.value } })} />
                </Field>
              </div>
            </fieldset>
          ))}
        </div>
        <div className="grid grid-cols-2 items-end gap-4 sm:grid-cols-4">
          <Field label="Agent hour ($)" htmlFor="a-hour" error={err('agentHour')}>
            <Input id="a-hour" type="number" inputMode="decimal" min={0} value={form.agentHour} onChange={(e) => edit({ agentHour: e.target.value })} />
          </Field>
          <Field label="Infrastructure per day ($)" htmlFor="a-infra" error={err('infraPerDay')}>
            <Input id="a-infra" type="number" inputMode="decimal" min={0} step={0.01} value={form.infraPerDay} onChange={(e) => edit({ infraPerDay: e.target.value })} />
          </Field>
          <Field label="AI input ($ per M tokens)" htmlFor="a-ai-in" error={err('aiIn')}>
            <Input id="a-ai-in" type="number" inputMode="decimal" min={0} step={0.01} value={form.aiIn} onChange={(e) => edit({ aiIn: e.target.value })} />
          </Field>
          <Field label="AI output ($ per M tokens)" htmlFor="a-ai-out" error={err('aiOut')}>
            <Input id="a-ai-out" type="number" inputMode="decimal" min={0} step={0.01} value={form.aiOut} onChange={(e) => edit({ aiOut: e.target.value })} />
          </Field>
        </div>
        {save.error && <Notice tone="error">{save.error}</Notice>}
        {Object.keys(bad).length > 0 && <Notice tone="error">Some values are out of range; see the fields marked above.</Notice>}
        <div className="flex items-center justify-end gap-3">
          {saved && (
            <span role="status" className="text-sm font-medium text-emerald-700">
              Saved; the figures above use the new assumptions.
            </span>
          )}
          <Button type="submit" variant="primary" busy={save.busy}>
            Save assumptions
          </Button>
        </div>
      </form>
    </Card>
  );
}
