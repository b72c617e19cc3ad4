'use client';

import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Dialog, EmptyState, Explain, Field, Input, Loading, Notice, PageHeader, ResourceView, Select } from '../../../components/ui';
import type { Body } from '../../../lib/api/client';
import type { RoutingDecision, RoutingRule, RoutingRules, User } from '../../../lib/api/types';
import { ALERT_KIND_LABEL, humanize } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { useTeam } from '../../../lib/use-team';
import { AdminNav } from '../admin-nav';

type Kind = NonNullable<NonNullable<RoutingRule['when']>['kinds']>[number];
type Temp = NonNullable<NonNullable<RoutingRule['when']>['temperatures']>[number];
const KINDS: Kind[] = ['hot_lead', 'human_requested', 'sell', 'buy', 'refinance', 'invest', 'churn_risk'];
const TEMPS: Temp[] = ['hot', 'warm', 'cold'];
const STRATEGY: Record<RoutingRule['strategy'], string> = { least_loaded: 'Least loaded', round_robin: 'Round robin', broadcast: 'Broadcast (first to claim)' };

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function describeRule(r: RoutingRule, team: Record<string, User>): { when: string; who: string } {
  const w = r.when ?? {};
  const when = [
    w.kinds?.length ? w.kinds.map((k) => ALERT_KIND_LABEL[k] ?? k).join(' / ') : 'any alert',
    w.zipPrefixes?.length ? `ZIP ${w.zipPrefixes.map((z) => `${z}${'x'.repeat(Math.max(0, 5 - z.length))}`).join(', ')}` : null,
    w.temperatures?.length ? w.temperatures.join(' / ') : null,
    w.minProbability !== undefined ? `probability ≥ ${Math.round(w.minProbability * 100)} %` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const p = r.pool ?? {};
  const who = [
    p.agentIds?.length ? p.agentIds.map((id) => team[id]?.name ?? id).join(', ') : 'every active agent',
    p.skills?.length ? `with ${p.skills.join(' + ')}` : null,
    p.preferTerritory !== false ? 'territory first' : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return { when, who };
}

export function RoutingAdmin() {
  const team = useTeam();
  const rules = useResource(async () => (await session().api.get('/routing/rules')).rules, []);
  const [draft, setDraft] = useState<RoutingRules | null>(null);
  const [editing, setEditing] = useState<{ index: number | null; rule: RoutingRule } | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const current = draft ?? rules.data ?? [];
  const dirty = draft !== null;

  const change = (next: RoutingRules) => {
    setDraft(next);
    setSavedAt(null);
  };
  const move = (i: number, by: -1 | 1) => {
    const next = current.slice();
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    change(next);
  };

  const save = useAction(async () => {
    const { rules: saved } = await session().api.put('/routing/rules', { body: { rules: current } });
    rules.setData(() => saved);
    setDraft(null);
    setSavedAt(Date.now());
  });
  const saveError = save.error;

  return (
    <div data-screen-ready={rules.status !== 'loading' ? 'true' : undefined}>
      <PageHeader
        title="Routing rules"
        subtitle="The first rule that matches an alert decides who gets it. No match: everyone, least loaded, territory first."
        actions={
          <>
            <Button onClick={() => setEditing({ index: null, rule: { id: '', name: '', when: {}, pool: { preferTerritory: true }, strategy: 'least_loaded', slaMinutes: 10 } })}>Add rule</Button>
            <Button variant="primary" disabled={!dirty} busy={save.busy} onClick={() => void save.run()}>
              Save order and rules
            </Button>
          </>
        }
      />
      <AdminNav />
      {saveError && (
        <div className="mb-3">
          <Notice tone="error">{saveError}</Notice>
        </div>
      )}
      {dirty && !saveError && (
        <div className="mb-3">
          <Notice tone="warning">Unsaved changes — the current rules stay in force until you save.</Notice>
        </div>
      )}
      {savedAt && !dirty && (
        <div className="mb-3">
          <Notice tone="success">Saved. New alerts are routed by these rules.</Notice>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)]">
        <section aria-label="Rules, in order">
          <ResourceView
            resource={rules}
            loading={<Loading rows={3} rowClass="h-24" />}
            isEmpty={() => current.length === 0}
            empty={<EmptyState title="No rules yet">Every alert goes to the least loaded active agent, preferring the one whose territory covers the lead. Add rules to route by kind, area, temperature or probability.</EmptyState>}
          >
            {() => (
              <ol className="space-y-3" data-testid="routing-rules">
                {current.map((r, i) => {
                  const d = describeRule(r, team);
                  return (
                    <li key={`${r.id}-${i}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                      <div className="flex items-start gap-3">
                        <span aria-hidden className="mt-0.5 inline-flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-sm font-bold text-indigo-800">
                          {i + 1}
                        </span>
                        <div className="min-w-0 flex-1">
                          <p className="font-semibold">
                            <span className="sr-only">Rule {i + 1}: </span>
                            {r.name} <span className="font-mono text-xs font-normal text-slate-600">{r.id}</span>
                          </p>
                          <p className="mt-1 text-sm text-slate-700">
                            <span className="font-medium">When</span> {d.when}
                          </p>
                          <p className="text-sm text-slate-700">
                            <span className="font-medium">Send to</span> {d.who} · <Badge>{STRATEGY[r.strategy]}</Badge> · SLA {r.slaMinutes ?? 10} min
                          </p>
                        </div>
                      </div>
                      <div className="mt-3 flex flex-wrap gap-2">
                        <Button size="sm" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${r.name} up`}>
                          ↑ Up
                        </Button>
                        <Button size="sm" disabled={i === current.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${r.name} down`}>
                          ↓ Down
                        </Button>
                        <Button size="sm" onClick={() => setEditing({ index: i, rule: r })}>
                          Edit
                        </Button>
                        <Button size="sm" variant="danger" onClick={() => change(current.filter((_, j) => j !== i))}>
                          Delete
                        </Button>
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
          </ResourceView>
        </section>
        <Preview dirty={dirty} />
      </div>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing?.index === null ? 'New rule' : `Edit “${editing?.rule.name ?? ''}”`} wide>
        {editing && (
          <RuleForm
            rule={editing.rule}
            team={team}
            taken={current.filter((_, j) => j !== editing.index).map((r) => r.id)}
            onCancel={() => setEditing(null)}
            onDone={(rule) => {
              change(editing.index === null ? [...current, rule] : current.map((r, j) => (j === editing.index ? rule : r)));
              setEditing(null);
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function RuleForm({ rule, team, taken, onDone, onCancel }: { rule: RoutingRule; team: Record<string, User>; taken: string[]; onDone: (r: RoutingRule) => void; onCancel: () => void }) {
  const [id, setId] = useState(rule.id);
  const [name, setName] = useState(rule.name);
  const [kinds, setKinds] = useState<Kind[]>(rule.when?.kinds ?? []);
  const [zips, setZips] = useState((rule.when?.zipPrefixes ?? []).join(', '));
  const [temps, setTemps] = useState<Temp[]>(rule.when?.temperatures ?? []);
  const [minP, setMinP] = useState(rule.when?.minProbability !== undefined ? String(Math.round(rule.when.minProbability * 100)) : '');
  const [agents, setAgents] = useState<string[]>(rule.pool?.agentIds ?? []);
  const [skills, setSkills] = useState((rule.pool?.skills ?? []).join(', '));
  const [preferTerritory, setPreferTerritory] = useState(rule.pool?.preferTerritory !== false);
  const [strategy, setStrategy] = useState<RoutingRule['strategy']>(rule.strategy);
  const [sla, setSla] = useState(String(rule.slaMinutes ?? 10));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const agentsList = Object.values(team).filter((u) => u.role === 'agent' || u.role === 'manager');

  function submit(e: FormEvent) {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (!/^[a-z0-9_-]{1,40}$/.test(id)) bad.id = 'Lower-case letters, digits, _ and - (up to 40)';
    else if (taken.includes(id)) bad.id = 'Another rule already has this id';
    if (!name.trim()) bad.name = 'Give the rule a name';
    const zipList = csv(zips);
    if (zipList.some((z) => !/^\d{1,5}$/.test(z))) bad.zips = 'ZIP prefixes are 1–5 digits';
    const p = minP === '' ? undefined : Number(minP) / 100;
    if (p !== undefined && !(p >= 0 && p <= 1)) bad.minP = '0 to 100';
    const slaN = Number(sla);
    if (!Number.isInteger(slaN) || slaN < 1 || slaN > 1440) bad.sla = '1 to 1440 minutes';
    setErrors(bad);
    if (Object.keys(bad).length) return;
    onDone({
      id,
      name: name.trim(),
      when: { ...(kinds.length ? { kinds } : {}), ...(zipList.length ? { zipPrefixes: zipList } : {}), ...(temps.length ? { temperatures: temps } : {}), ...(p !== undefined ? { minProbability: p } : {}) },
      pool: { ...(agents.length ? { agentIds: agents } : {}), ...(csv(skills).length ? { skills: csv(skills) } : {}), preferTerritory },
      strategy,
      slaMinutes: slaN,
    });
  }

  const check = <T,>(list: T[], set: (v: T[]) => void, v: T) => (e: { target: { checked: boolean } }) => set(e.target.checked ? [...list, v] : list.filter((x) => x !== v));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="r-name" error={errors.name}>
          <Input id="r-name" value={name} onChange={(e) => setName(e.target.value)} invalid={!!errors.name} />
        </Field>
        <Field label="Id" htmlFor="r-id" error={errors.id} hint="Stable identifier shown in the why-log">
          <Input id="r-id" value={id} onChange={(e) => setId(e.target.value.toLowerCase())} invalid={!!errors.id} />
        </Field>
      </div>
      <fieldset className="rounded-lg border border-slate-200 p-3">
        <legend className="px-1 text-sm font-semibold">When (all that are set must match)</legend>
        <p className="text-xs text-slate-600">Alert kinds (none ticked: any)</p>
        <div className="mt-1 grid grid-cols-2 gap-1 sm:grid-cols-3">
          {KINDS.map((k) => (
            <label key={k} className="flex min-h-9 items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={kinds.includes(k)} onChange={check(kinds, setKinds, k)} />
              {ALERT_KIND_LABEL[k] ?? k}
            </label>
          ))}
        </div>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field label="ZIP prefixes" htmlFor="r-zips" hint="787 matches 78701…78799" error={errors.zips}>
            <Input id="r-zips" value={zips} onChange={(e) => setZips(e.target.value)} inputMode="numeric" invalid={!!errors.zips} />
          </Field>
          <Field label="Minimum probability (%)" htmlFor="r-minp" hint="For model alerts (sell, buy…)" error={errors.minP}>
            <Input id="r-minp" type="number" min={0} max={100} value={minP} onChange={(e) => setMinP(e.target.value)} invalid={!!errors.minP} />
          </Field>
        </div>
        <p className="mt-3 text-xs text-slate-600">Lead temperature (none ticked: any)</p>
        <div className="mt-1 flex gap-4">
          {TEMPS.map((t) => (
            <label key={t} className="flex min-h-9 items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={temps.includes(t)} onChange={check(temps, setTemps, t)} />
              {humanize(t)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="rounded-lg border border-slate-200 p-3">
        <legend className="px-1 text-sm font-semibold">Send to</legend>
        <p className="text-xs text-slate-600">Named agents (none ticked: every active agent)</p>
        <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2">
          {agentsList.map((u) => (
            <label key={u.id} className="flex min-h-9 items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={agents.includes(u.id)} onChange={check(agents, setAgents, u.id)} />
              {u.name} <span className="text-xs text-slate-600">{u.skills.join(', ')}</span>
            </label>
          ))}
        </div>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field label="Required skills" htmlFor="r-skills" hint="Agents must have all of them">
            <Input id="r-skills" value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="seller, spanish" />
          </Field>
          <Field label="Strategy" htmlFor="r-strategy">
            <Select id="r-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as RoutingRule['strategy'])}>
              {Object.entries(STRATEGY).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="SLA (minutes to acknowledge)" htmlFor="r-sla" error={errors.sla}>
            <Input id="r-sla" type="number" min={1} max={1440} value={sla} onChange={(e) => setSla(e.target.value)} invalid={!!errors.sla} />
          </Field>
          <label className="flex min-h-11 items-center gap-2 self-end text-sm">
            <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={preferTerritory} onChange={(e) => setPreferTerritory(e.target.checked)} />
            Prefer the agent whose territory covers the lead
          </label>
        </div>
      </fieldset>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary">
          Keep
        </Button>
      </div>
    </form>
  );
}

type PreviewBody = Body<'/routing/preview', 'post'>;

function Preview({ dirty }: { dirty: boolean }) {
  const [kind, setKind] = useState<PreviewBody['kind']>('hot_lead');
  const [postalCode, setPostalCode] = useState('78701');
  const [temperature, setTemperature] = useState<'' | Temp>('hot');
  const [probability, setProbability] = useState('');
  const [result, setResult] = useState<RoutingDecision | null>(null);
  const preview = useAction(async (body: PreviewBody) => setResult((await session().api.post('/routing/preview', { body })).decision));
  const { busy, error } = preview;

  function run(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    void preview.run({ kind, ...(postalCode ? { postalCode } : {}), ...(temperature ? { temperature } : {}), ...(probability ? { probability: Number(probability) / 100 } : {}) });
  }

  return (
    <Card
      id="preview"
      title={
        <span className="inline-flex items-center gap-2">
          Test a route
          <Explain>Runs the saved rules against the team as it is now (load, pauses, working hours). Nothing is created and nobody is notified.</Explain>
        </span>
      }
    >
      {dirty && <p className="mb-2 text-xs font-medium text-amber-800">Uses the saved rules, not your unsaved changes.</p>}
      <form onSubmit={run} className="grid grid-cols-2 gap-3" noValidate>
        <Field label="Alert kind" htmlFor="p-kind">
          <Select id="p-kind" value={kind} onChange={(e) => setKind(e.target.value as PreviewBody['kind'])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {ALERT_KIND_LABEL[k] ?? k}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Lead ZIP" htmlFor="p-zip">
          <Input id="p-zip" value={postalCode} onChange={(e) => setPostalCode(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Temperature" htmlFor="p-temp">
          <Select id="p-temp" value={temperature} onChange={(e) => setTemperature(e.target.value as '' | Temp)}>
            <option value="">Any</option>
            {TEMPS.map((t) => (
              <option key={t} value={t}>
                {humanize(t)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Probability (%)" htmlFor="p-prob">
          <Input id="p-prob" type="number" min={0} max={100} value={probability} onChange={(e) => setProbability(e.target.value)} />
        </Field>
        <div className="col-span-2">
          <Button type="submit" variant="primary" busy={busy} className="w-full">
            Who would get it?
          </Button>
        </div>
      </form>
      {error && (
        <div className="mt-3">
          <Notice tone="error">{error}</Notice>
        </div>
      )}
      {result && (
        <div className="mt-4 space-y-2" data-testid="routing-preview" aria-live="polite">
          <p className="text-sm">
            <span className="font-semibold">{result.agents.length ? result.agents.map((a) => a.name).join(', ') : 'Nobody available'}</span>
            <span className="text-slate-600">
              {' '}
              · {STRATEGY[result.strategy]} · SLA {result.slaMinutes} min · rule <span className="font-mono">{result.ruleId}</span>
            </span>
          </p>
          <ol className="list-decimal space-y-1 rounded-lg bg-slate-50 py-2 pl-7 pr-3 text-sm text-slate-800">
            {result.why.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ol>
          <p className="text-xs text-slate-600">Decided in {result.decisionMs < 0.01 ? 'under 0.01' : result.decisionMs.toFixed(2)} ms.</p>
        </div>
      )}
    </Card>
  );
}
