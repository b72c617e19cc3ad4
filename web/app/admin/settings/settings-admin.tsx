'use client';

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Button, Card, ErrorState, Explain, Field, Input, Loading, Notice, PageHeader, Select, Toggle } from '../../../components/ui';
import type { Body } from '../../../lib/api/client';
import type { Tenant } from '../../../lib/api/types';
import { money, STAGE_LABEL } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { AdminNav } from '../admin-nav';

/** The settings sections PATCH /v1/tenant accepts (the Worker validates the merged result). */
interface Settings {
  quietHours: { start: string; end: string; stateRules: boolean };
  consent: { required: boolean; maxFollowUpsPerDay: number; maxFollowUpsPerWeek: number };
  businessRules: { averageSalePriceCents: number; commissionRate: number; teamSplit: number; stageCloseProbabilities: Record<string, number> };
  botPersona: { name: string; tone: 'friendly' | 'professional' | 'casual'; signature: string };
  alertThreshold: number;
  businessHours?: { start: string; end: string; days: number[] };
  alerting?: { windowHours: number; expireAfterHours: number };
}

const STAGES = ['new', 'q1', 'q2', 'q3', 'q4', 'qualified', 'appointment', 'contract', 'closed', 'lost'];
const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The form keeps text as typed; numbers are parsed on save. */
interface Form {
  name: string;
  timezone: string;
  qhStart: string;
  qhEnd: string;
  stateRules: boolean;
  consentRequired: boolean;
  perDay: string;
  perWeek: string;
  avgPrice: string;
  commission: string;
  split: string;
  stageP: Record<string, string>;
  persona: string;
  tone: Settings['botPersona']['tone'];
  signature: string;
  threshold: string;
}

function toForm(t: Tenant): Form {
  const s = t.settings as unknown as Settings;
  return {
    name: t.name,
    timezone: t.timezone,
    qhStart: s.quietHours.start,
    qhEnd: s.quietHours.end,
    stateRules: s.quietHours.stateRules,
    consentRequired: s.consent.required,
    perDay: String(s.consent.maxFollowUpsPerDay),
    perWeek: String(s.consent.maxFollowUpsPerWeek),
    avgPrice: String(Math.round(s.businessRules.averageSalePriceCents / 100)),
    commission: String(+(s.businessRules.commissionRate * 100).toFixed(3)),
    split: String(+(s.businessRules.teamSplit * 100).toFixed(2)),
    stageP: Object.fromEntries(STAGES.map((st) => [st, String(Math.round((s.businessRules.stageCloseProbabilities[st] ?? 0) * 100))])),
    persona: s.botPersona.name,
    tone: s.botPersona.tone,
    signature: s.botPersona.signature,
    threshold: String(Math.round(s.alertThreshold * 100)),
  };
}

type Patch = Body<'/tenant', 'patch'>;

function checkForm(f: Form): Record<string, string> {
  const bad: Record<string, string> = {};
  const range = (path: string, text: string, min: number, max: number, unit: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) bad[path] = `Between ${min} and ${max}${unit}`;
  };
  range('settings.consent.maxFollowUpsPerDay', f.perDay, 0, 10, '');
  range('settings.consent.maxFollowUpsPerWeek', f.perWeek, 0, 30, '');
  range('settings.businessRules.averageSalePriceCents', f.avgPrice, 0, 1_000_000_000, ' dollars');
  range('settings.businessRules.commissionRate', f.commission, 0, 20, ' %');
  range('settings.businessRules.teamSplit', f.split, 0, 100, ' %');
  for (const st of STAGES) range(`settings.businessRules.stageCloseProbabilities.${st}`, f.stageP[st] ?? '', 0, 100, ' %');
  range('settings.alertThreshold', f.threshold, 5, 99, ' %');
  if (f.qhStart >= f.qhEnd) bad['settings.quietHours.end'] = 'Must be after the start';
  return bad;
}

function toPatch(f: Form): Patch {
  return {
    name: f.name.trim(),
    timezone: f.timezone.trim(),
    settings: {
      quietHours: { start: f.qhStart, end: f.qhEnd, stateRules: f.stateRules },
      consent: { required: f.consentRequired, maxFollowUpsPerDay: Number(f.perDay), maxFollowUpsPerWeek: Number(f.perWeek) },
      businessRules: {
        averageSalePriceCents: Math.round(Number(f.avgPrice) * 100),
        commissionRate: Number(f.commission) / 100,
        teamSplit: Number(f.split) / 100,
        stageCloseProbabilities: Object.fromEntries(STAGES.map((st) => [st, Number(f.stageP[st]) / 100])),
      },
      botPersona: { name: f.persona.trim(), tone: f.tone, signature: f.signature },
      alertThreshold: Number(f.threshold) / 100,
    },
  };
}

export function SettingsAdmin() {
  const tenant = useResource(() => session().api.get('/tenant'), []);
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction(async (f: Form) => {
    const updated = await session().api.patch('/tenant', { body: toPatch(f) });
    tenant.setData(() => updated);
    setForm(toForm(updated));
    setSaved(true);
  });
  const { busy, error, fields } = save;

  useEffect(() => {
    if (tenant.data && !form) setForm(toForm(tenant.data));
  }, [tenant.data, form]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setSaved(false);
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    // The API checks fractions (0.03); people type percentages (3): say it in their terms first.
    const bad = checkForm(form);
    if (Object.keys(bad).length) {
      save.setFields(bad);
      save.setError('Some values are out of range; see the fields marked below.');
      return;
    }
    void save.run(form);
  }

  const fe = (path: string) => fields[path] ?? fields[`settings.${path}`];
  const s = tenant.data?.settings as unknown as Settings | undefined;
  return (
    <div data-screen-ready={tenant.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="Business rules" subtitle="Quiet hours, consent, commission assumptions and the assistant's persona. Changes apply to the next message and the next dashboard refresh." />
      <AdminNav />
      {tenant.status === 'loading' || (tenant.status === 'ready' && !form) ? (
        <Loading rows={3} rowClass="h-40" />
      ) : tenant.status === 'error' ? (
        <ErrorState error={tenant.error!} onRetry={() => void tenant.reload()} />
      ) : (
        form && (
          <form onSubmit={submit} noValidate className="space-y-4">
            <div className="grid gap-4 lg:grid-cols-2">
              <Card id="team" title="Team">
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label="Team name" htmlFor="s-name" error={fe('name')}>
                    <Input id="s-name" value={form.name} onChange={(e) => set('name', e.target.value)} invalid={!!fe('name')} />
                  </Field>
                  <Field label="Time zone" htmlFor="s-tz" hint="IANA name, e.g. America/Chicago" error={fe('timezone')}>
                    <Input id="s-tz" value={form.timezone} onChange={(e) => set('timezone', e.target.value)} invalid={!!fe('timezone')} />
                  </Field>
                </div>
              </Card>
              <Card id="quiet" title={<Titled text="Quiet hours" explain="Proactive texts (first touch, follow-ups) only go out inside this window in the lead's local time. A reply to the lead's own text is sent at once at any hour." />}>
                <div className="grid grid-cols-2 gap-4">
                  <Field label="From" htmlFor="s-qh-start" error={fe('quietHours.start')}>
                    <Input id="s-qh-start" type="time" value={form.qhStart} onChange={(e) => set('qhStart', e.target.value)} />
                  </Field>
                  <Field label="Until" htmlFor="s-qh-end" error={fe('quietHours.end')}>
                    <Input id="s-qh-end" type="time" value={form.qhEnd} onChange={(e) => set('qhEnd', e.target.value)} />
                  </Field>
                </div>
                <div className="mt-4">
                  <Toggle id="s-staterules" label="Stricter state rules" description="FL, OK, MD, MS, NJ, CT, TX and RI limits on top of this window" checked={form.stateRules} onChange={(v) => set('stateRules', v)} />
                </div>
              </Card>
              <Card id="consent-policy" title={<Titled text="Consent policy" explain="With consent required, nobody gets an automated text until consent is recorded: a GHL consent tag, a form consent via the API, or their own inbound text." />}>
                <Toggle id="s-consent" label="Require consent for automated texts" checked={form.consentRequired} onChange={(v) => set('consentRequired', v)} />
                <div className="mt-4 grid grid-cols-2 gap-4">
                  <Field label="Follow-ups per day" htmlFor="s-perday" error={fe('consent.maxFollowUpsPerDay')}>
                    <Input id="s-perday" type="number" min={0} max={10} value={form.perDay} onChange={(e) => set('perDay', e.target.value)} />
                  </Field>
                  <Field label="Follow-ups per week" htmlFor="s-perweek" error={fe('consent.maxFollowUpsPerWeek')}>
                    <Input id="s-perweek" type="number" min={0} max={30} value={form.perWeek} onChange={(e) => set('perWeek', e.target.value)} />
                  </Field>
                </div>
              </Card>
              <Card id="persona" title="Assistant persona">
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label="Name" htmlFor="s-persona" error={fe('botPersona.name')}>
                    <Input id="s-persona" value={form.persona} onChange={(e) => set('persona', e.target.value)} />
                  </Field>
                  <Field label="Tone" htmlFor="s-tone">
                    <Select id="s-tone" value={form.tone} onChange={(e) => set('tone', e.target.value as Form['tone'])}>
                      <option value="friendly">Friendly</option>
                      <option value="professional">Professional</option>
                      <option value="casual">Casual</option>
                    </Select>
                  </Field>
                  <div className="sm:col-span-2">
                    <Field label="Signature" htmlFor="s-signature" hint="Appended to the assistant's texts (optional)" error={fe('botPersona.signature')}>
                      <Input id="s-signature" value={form.signature} maxLength={80} onChange={(e) => set('signature', e.target.value)} />
                    </Field>
                  </div>
                </div>
              </Card>
              <Card id="commission" title={<Titled text="Commission assumptions" explain="The dashboard's forecast: Σ over open leads of p(close | stage) × average sale price × commission rate × team split." />} className="lg:col-span-2">
                <div className="grid gap-4 sm:grid-cols-3">
                  <Field label="Average sale price ($)" htmlFor="s-avg" hint={money(Number(form.avgPrice) * 100)} error={fe('businessRules.averageSalePriceCents')}>
                    <Input id="s-avg" type="number" min={0} step={1000} value={form.avgPrice} onChange={(e) => set('avgPrice', e.target.value)} />
                  </Field>
                  <Field label="Commission rate (%)" htmlFor="s-rate" error={fe('businessRules.commissionRate')}>
                    <Input id="s-rate" type="number" min={0} max={20} step={0.1} value={form.commission} onChange={(e) => set('commission', e.target.value)} />
                  </Field>
                  <Field label="Team split (%)" htmlFor="s-split" hint="The team's share of the commission" error={fe('businessRules.teamSplit')}>
                    <Input id="s-split" type="number" min={0} max={100} value={form.split} onChange={(e) => set('split', e.target.value)} />
                  </Field>
                </div>
                <fieldset className="mt-4">
                  <legend className="text-sm font-medium text-slate-800">Chance of closing, by stage (%)</legend>
                  <div className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-5">
                    {STAGES.map((st) => (
                      <Field key={st} label={STAGE_LABEL[st] ?? st} htmlFor={`s-p-${st}`} error={fe(`businessRules.stageCloseProbabilities.${st}`)}>
                        <Input id={`s-p-${st}`} type="number" min={0} max={100} value={form.stageP[st] ?? ''} onChange={(e) => set('stageP', { ...form.stageP, [st]: e.target.value })} />
                      </Field>
                    ))}
                  </div>
                </fieldset>
              </Card>
              <Card id="alerts" title={<Titled text="Alerts" explain="A model alert (likely to sell, buy…) is raised when the lead's probability reaches this threshold." />}>
                <Field label="Alert threshold (%)" htmlFor="s-threshold" error={fe('alertThreshold')}>
                  <Input id="s-threshold" type="number" min={5} max={99} value={form.threshold} onChange={(e) => set('threshold', e.target.value)} />
                </Field>
                {s?.alerting && (
                  <p className="mt-3 text-xs text-slate-600">
                    One alert per lead and kind every {s.alerting.windowHours} h; unsettled alerts expire after {s.alerting.expireAfterHours} h.
                  </p>
                )}
              </Card>
              {s?.businessHours && (
                <Card id="hours" title={<Titled text="Business hours" explain="When SLA clocks run: an alert raised at night escalates from the next opening. Set through the API." />}>
                  <p className="text-sm text-slate-800">
                    {s.businessHours.days.map((d) => WEEKDAYS[d]).join(', ')} · {s.businessHours.start}–{s.businessHours.end} ({form.timezone})
                  </p>
                </Card>
              )}
            </div>
            {error && <Notice tone="error">{error}</Notice>}
            {/* Always in reach on a long form; above the phone's tab bar. */}
            <div className="sticky bottom-[calc(4rem+env(safe-area-inset-bottom))] z-10 -mx-3 flex items-center justify-end gap-3 border-t border-slate-200 bg-slate-50/95 px-3 py-3 backdrop-blur sm:bottom-0 sm:mx-0 sm:rounded-b-xl sm:px-0">
              {saved && <span className="text-sm font-medium text-emerald-700">Saved</span>}
              <Button type="submit" variant="primary" size="lg" busy={busy}>
                Save business rules
              </Button>
            </div>
          </form>
        )
      )}
    </div>
  );
}

function Titled({ text, explain }: { text: string; explain: ReactNode }) {
  return (
    <span className="inline-flex items-center gap-2">
      {text}
      <Explain>{explain}</Explain>
    </span>
  );
}
