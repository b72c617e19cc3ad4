'use client';

/**
 * Admin → Models: per kind the active version (or the documented priors) with its cross-validated
 * metrics and the live alert precision, the stored versions with why each is (not) active, a
 * manual rollback, and the CSV import. Churn is a kind like the others, except that it raises no
 * alerts of its own to measure: its live outcomes are the saves of GET /v1/churn/summary. Training is long-running for a person, so the upload is
 * queued (wait=false) and the screen follows the run every second: rows parsed, folds done, phase,
 * then the result and every bad row the API reported (never silently dropped).
 */
import Link from 'next/link';
import { useState } from 'react';
import { Badge, Button, Card, Dialog, EmptyState, Explain, Loading, Notice, PageHeader, ResourceView } from '../../../components/ui';
import type { Schemas } from '../../../lib/api/openapi.gen';
import { MODEL_KIND_LABEL, TRAINABLE_MODEL_KINDS, type TrainableModelKind } from '../../../lib/api/types';
import { count, dateTime, humanize, percent } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../lib/use-session';
import { AdminNav } from '../admin-nav';
import { CsvImport } from './csv-import';

type Model = Schemas['Model'];
type Version = Schemas['ModelVersion'];
export type Metrics = Schemas['ModelMetrics'];

const STATUS_TONE = { active: 'emerald', candidate: 'sky', rejected: 'red', retired: 'slate' } as const;

export function ModelsAdmin() {
  const { can } = useSession();
  const models = useResource(async () => (await session().api.get('/models', { query: { versions: 20 } })).models, []);
  const canTrain = can('POST /models/{kind}/train');
  return (
    <div data-screen-ready={models.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="Models" subtitle="What scores each lead: a version trained on your own outcomes, or the documented priors until one is good enough." />
      <AdminNav />
      {canTrain && <CsvImport onTrained={() => void models.reload()} />}
      <ResourceView resource={models} loading={<Loading rows={4} rowClass="h-40" />} isEmpty={(m) => m.length === 0} empty={<EmptyState title="No models">The API listed no model kinds.</EmptyState>}>
        {(list) => (
          <div className="mt-4 grid gap-4 lg:grid-cols-2">
            {TRAINABLE_MODEL_KINDS.map((kind) => {
              const m = list.find((x) => x.kind === kind);
              return m ? <ModelCard key={kind} model={m} canActivate={canTrain} onChanged={() => void models.reload()} /> : null;
            })}
          </div>
        )}
      </ResourceView>
    </div>
  );
}

function ModelCard({ model, canActivate, onChanged }: { model: Model; canActivate: boolean; onChanged: () => void }) {
  const [confirm, setConfirm] = useState<Version | null>(null);
  const a = model.alerts;
  return (
    <Card
      id={`model-${model.kind}`}
      title={MODEL_KIND_LABEL[model.kind]}
      action={model.active ? <Badge tone="emerald">Version {model.active.version} active</Badge> : <Badge tone="slate">Documented priors</Badge>}
    >
      {model.active ? (
        <>
          <p className="mb-2 text-xs text-slate-600">
            {humanize(model.active.learner)} from {model.active.source === 'csv' ? 'an imported CSV' : 'recorded outcomes'} · active since {dateTime(model.active.activatedAt)}
          </p>
          <MetricGrid metrics={model.active.metrics} kind={model.kind} />
        </>
      ) : model.kind === 'churn' ? (
        <p className="text-sm text-slate-700">No trained version is active: the documented going-cold prior (churn-prior-v1) rates each lead&apos;s risk. Import a CSV of at-risk leads with whether they stayed cold, or let the nightly retrain learn from your resolved episodes.</p>
      ) : (
        <p className="text-sm text-slate-700">No trained version is active: the documented priors score these leads. Import a CSV of past leads with their outcomes to train one.</p>
      )}
      {model.kind === 'churn' ? (
        <p className="mt-3 text-sm text-slate-700" data-testid="churn-outcomes">
          <span className="font-semibold">Live outcomes: </span>
          churn raises no scored alerts to count, so there is no alert precision here. Whether flagged leads were saved (treated vs holdout, with the lift) is on the{' '}
          <Link href="/dashboard" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
            dashboard&apos;s going-cold panel
          </Link>
          .
        </p>
      ) : (
        <p className="mt-3 text-sm text-slate-700">
          <span className="font-semibold">Live alert precision: </span>
          {a.precision === null ? 'no alerts with a recorded outcome yet' : `${percent(a.precision)} (${count(a.converted)} of ${count(a.alertsWithOutcome)} alerts converted)`}{' '}
          <Explain>Of this kind&apos;s alerts whose outcome was recorded, the share that converted. It measures the model in production, not in training.</Explain>
        </p>
      )}
      <h3 className="mt-4 text-sm font-semibold text-slate-900">Versions</h3>
      {model.versions.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">None trained yet.</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100" aria-label={`${model.kind} versions`}>
          {model.versions.map((v) => (
            <li key={v.id} className="flex flex-wrap items-start gap-2 py-2 text-sm" data-testid={`version-${model.kind}-${v.version}`}>
              <span className="font-semibold tabular-nums">v{v.version}</span>
              <Badge tone={STATUS_TONE[v.status]}>{v.status}</Badge>
              <span className="text-slate-600 tabular-nums">AUC {fixed(v.metrics.auc)} · {count(v.metrics.n)} rows</span>
              <span className="ml-auto text-xs text-slate-500">{dateTime(v.createdAt)}</span>
              {v.decision && <p className="w-full text-xs text-slate-600">{v.decision}</p>}
              {canActivate && v.status !== 'active' && (
                <Button size="sm" onClick={() => setConfirm(v)} aria-label={`Activate ${model.kind} version ${v.version}`}>
                  Activate
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmActivate kind={model.kind} version={confirm} onClose={() => setConfirm(null)} onDone={onChanged} />
    </Card>
  );
}

function ConfirmActivate({ kind, version, onClose, onDone }: { kind: TrainableModelKind; version: Version | null; onClose: () => void; onDone: () => void }) {
  const { busy, error, run } = useAction(async (v: Version) => {
    await session().api.post('/models/{kind}/versions/{version}/activate', { path: { kind, version: v.version } });
    onClose();
    onDone();
  });
  return (
    <Dialog open={!!version} onClose={onClose} title={`Activate ${kind} version ${version?.version ?? ''}?`}>
      <p className="text-sm text-slate-700">Every new {kind} score will come from version {version?.version} at once (AUC {fixed(version?.metrics.auc)}). The change is recorded in the audit log and can be undone by activating another version.</p>
      {error && <div className="mt-3"><Notice tone="error">{error}</Notice></div>}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="primary" busy={busy} onClick={() => version && void run(version)}>
          Activate
        </Button>
      </div>
    </Dialog>
  );
}

export function fixed(n: number | null | undefined, digits = 3): string {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
}

/** The cross-validated figures, each with what it means (for churn, label 1 is a lead that stayed cold, not one that converted). */
export function MetricGrid({ metrics, kind }: { metrics: Metrics; kind: TrainableModelKind }) {
  const churn = kind === 'churn';
  const positive = churn ? 'stayed cold' : 'converted';
  const items: Array<[string, string, string]> = [
    ['AUC', fixed(metrics.auc), `Cross-validated ROC AUC: the chance a lead that ${positive} scores above one that did not. 0.5 is a coin flip, 1 is perfect.`],
    ['Brier', fixed(metrics.brier), 'Mean squared error of the probabilities (lower is better).'],
    ['ECE', fixed(metrics.ece), 'Expected calibration error over 10 bins: how far a "70 %" is from 70 % in practice (lower is better).'],
    [`Precision ≥ ${percent(metrics.threshold)}`, percent(metrics.precisionAtThreshold), `Of the rows scored at or above your ${churn ? 'risk' : 'alert'} threshold, the share that ${positive} (— when none reach it).`],
    ['Folds', count(metrics.folds), 'Cross-validation folds: each row is scored by a model that did not see it.'],
    ['Rows', `${count(metrics.n)} (${count(metrics.positives)} ${positive})`, `Rows trained on, and how many of them ${positive}.`],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
      {items.map(([label, value, help]) => (
        <div key={label}>
          <dt className="flex items-center gap-1 text-xs text-slate-600">
            {label} <Explain label={`What ${label} means`}>{help}</Explain>
          </dt>
          <dd className="font-semibold tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
