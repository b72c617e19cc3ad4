'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Badge, Button, Card, Field, Notice, Select, cx } from '../../../components/ui';
import { ApiError, describeError } from '../../../lib/api/client';
import type { Schemas } from '../../../lib/api/openapi.gen';
import { MODEL_KIND_LABEL, TRAINABLE_MODEL_KINDS, type TrainableModelKind } from '../../../lib/api/types';
import { count } from '../../../lib/format';
import { session } from '../../../lib/session';
import { MetricGrid } from './models-admin';

type Training = Schemas['ModelTraining'];
const DONE = new Set<Training['status']>(['succeeded', 'rejected', 'failed']);

/** The header's column names, read from the file's first line only (the file itself is not parsed here). */
export function headerColumns(firstLine: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const ch = firstLine[i]!;
    if (quoted) {
      if (ch === '"' && firstLine[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur.trim()), (cur = '');
    else cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

async function readHeader(file: File): Promise<string[]> {
  // Only the first 64 KB: enough for any header, and a large file is not read into memory twice.
  const head = await file.slice(0, 65_536).text();
  return headerColumns(head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '');
}

/** A readable sentence for the upload's refusals (413 size, 422 e.g. a Fair-Housing column, 429). */
function uploadError(err: unknown): string {
  if (err instanceof ApiError && err.status === 413) return `The file is too large for one import: ${err.message}`;
  return describeError(err);
}

/** The outcome column a file most likely has for this kind (churn files say who churned). */
function guessLabel(columns: string[], kind: TrainableModelKind): string {
  const names = kind === 'churn' ? /^(churned|not_saved|stayed_cold|label|outcome)$/i : /^(converted|label|outcome)$/i;
  return columns.find((c) => names.test(c)) ?? '';
}

export function CsvImport({ onTrained }: { onTrained: () => void }) {
  const ids = useId();
  const [kind, setKind] = useState<TrainableModelKind>('sell');
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [label, setLabel] = useState('');
  const [exclude, setExclude] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [training, setTraining] = useState<Training | null>(null);
  // The kind the run trains, kept apart from the select, which may change while it runs.
  const [trainingKind, setTrainingKind] = useState<TrainableModelKind>('sell');
  const onTrainedRef = useRef(onTrained);
  onTrainedRef.current = onTrained;

  async function choose(f: File | null) {
    setFile(f);
    setError(null);
    setColumns([]);
    setExclude([]);
    setLabel('');
    if (!f) return;
    const cols = await readHeader(f);
    setColumns(cols);
    setLabel(guessLabel(cols, kind));
    if (cols.length < 2) setError('The first line of this file does not look like a CSV header (at least two columns).');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file || !label) return;
    setBusy(true);
    setError(null);
    setTraining(null);
    try {
      const queued = await session().api.upload<{ trainingId: string }>('/models/{kind}/train', {
        path: { kind },
        query: { label, exclude: exclude.length ? exclude.join(',') : undefined, wait: 'false' },
        file,
        contentType: 'text/csv',
      });
      setTrainingKind(kind);
      setTraining({ id: queued.trainingId, status: 'queued' } as Training);
    } catch (err) {
      setError(uploadError(err));
    } finally {
      setBusy(false);
    }
  }

  // Follow the run every second until it ends.
  const trainingId = training?.id;
  const finished = training ? DONE.has(training.status) : true;
  useEffect(() => {
    if (!trainingId || finished) return;
    let stop = false;
    const timer = setInterval(async () => {
      try {
        const t = await session().api.get('/models/trainings/{id}', { path: { id: trainingId } });
        if (stop) return;
        setTraining(t);
        if (DONE.has(t.status)) onTrainedRef.current();
      } catch (err) {
        if (!stop) setError(`Could not follow the training: ${describeError(err)}`);
      }
    }, 1_000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [trainingId, finished]);

  return (
    <Card id="csv-import" title="Import a CSV and train">
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        <Field label="Model" htmlFor={`${ids}-kind`}>
          <Select
            id={`${ids}-kind`}
            value={kind}
            onChange={(e) => {
              const next = e.target.value as TrainableModelKind;
              setKind(next);
              if (columns.length) setLabel(guessLabel(columns, next));
            }}
          >
            {TRAINABLE_MODEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {MODEL_KIND_LABEL[k]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="CSV file" htmlFor={`${ids}-file`} hint={kind === 'churn' ? 'At-risk leads, one per row: days_silent, response_rate_recent, response_rate_before, response_rate_decay, unanswered_outbound, stage_days, sentiment, stage, and a 0/1 outcome' : 'Past leads, one per row, with a 0/1 outcome column'}>
          <input id={`${ids}-file`} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0] ?? null)} className="block w-full text-sm file:mr-3 file:min-h-11 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:font-semibold" />
        </Field>
        <Field label="Label column" htmlFor={`${ids}-label`} hint={kind === 'churn' ? '1 / true = stayed cold (not saved)' : '1 / true = converted'}>
          <Select id={`${ids}-label`} value={label} disabled={!columns.length} onChange={(e) => setLabel(e.target.value)}>
            <option value="">{columns.length ? 'Choose the outcome column' : 'Choose a file first'}</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset className="min-w-0">
          <legend className="text-sm font-medium text-slate-900">Exclude columns</legend>
          <p className="text-xs text-slate-600">Ids, free text, or anything the model must not read</p>
          <div className="mt-1 flex max-h-36 flex-wrap gap-1.5 overflow-y-auto">
            {columns.filter((c) => c !== label).map((c) => {
              const on = exclude.includes(c);
              return (
                <label key={c} className={cx('inline-flex min-h-9 cursor-pointer items-center gap-1.5 rounded-full border px-3 text-sm', on ? 'border-indigo-400 bg-indigo-50 text-indigo-800' : 'border-slate-300 text-slate-700')}>
                  <input type="checkbox" className="h-4 w-4" checked={on} onChange={() => setExclude((x) => (on ? x.filter((y) => y !== c) : [...x, c]))} />
                  {c}
                </label>
              );
            })}
            {!columns.length && <span className="text-sm text-slate-500">—</span>}
          </div>
        </fieldset>
        <div className="sm:col-span-2">
          {error && <Notice tone="error">{error}</Notice>}
          <Button type="submit" variant="primary" className="mt-2" busy={busy} disabled={!file || !label || (!!training && !finished)}>
            Upload and train
          </Button>
        </div>
      </form>
      {training && <TrainingProgress training={training} kind={trainingKind} />}
    </Card>
  );
}

function TrainingProgress({ training: t, kind }: { training: Training; kind: TrainableModelKind }) {
  const p = t.progress;
  // Parsing counts for the first third, folds for the rest (training is the long part).
  const parsed = p?.rowsTotal ? p.rowsParsed / p.rowsTotal : t.status === 'queued' ? 0 : p && p.foldsDone > 0 ? 1 : 0;
  const folds = p?.foldsTotal ? p.foldsDone / p.foldsTotal : 0;
  const fraction = DONE.has(t.status) ? 1 : Math.min(1, parsed / 3 + (folds * 2) / 3);
  const tone = t.status === 'succeeded' ? 'emerald' : t.status === 'rejected' ? 'amber' : t.status === 'failed' ? 'red' : 'sky';
  return (
    <section aria-label="Training progress" data-testid="training" data-status={t.status} className="mt-5 border-t border-slate-200 pt-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-900">Training</h3>
        <Badge tone={tone}>{t.status === 'succeeded' ? 'new version active' : t.status}</Badge>
        {p?.phase && !DONE.has(t.status) && <span className="text-sm text-slate-600">{p.phase}</span>}
      </div>
      <div role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} className="mt-2 h-2.5 w-full overflow-hidden rounded-full bg-slate-200">
        <div className={cx('h-full rounded-full transition-[width] duration-500', t.status === 'failed' ? 'bg-red-500' : 'bg-indigo-600')} style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <p className="mt-1 text-sm tabular-nums text-slate-700" data-testid="training-counts">
        {count(p?.rowsParsed ?? 0)} rows parsed{p?.rowsTotal ? ` of ${count(p.rowsTotal)}` : ''} · folds {count(p?.foldsDone ?? 0)} / {count(p?.foldsTotal ?? 0)}
      </p>
      {t.error && (
        <div className="mt-3">
          <Notice tone="error">{t.error}</Notice>
        </div>
      )}
      {t.result && (
        <div className="mt-3 space-y-2" data-testid="training-result">
          <Notice tone={t.result.status === 'active' ? 'success' : 'warning'}>
            Version {t.result.version} is {t.result.status}. {t.result.decision}
          </Notice>
          <MetricGrid metrics={t.result.metrics} kind={kind} />
        </div>
      )}
      {(t.badRowCount ?? 0) > 0 && (
        <div className="mt-3" data-testid="bad-rows">
          <p className="text-sm font-semibold text-amber-900">
            {count(t.badRowCount)} {t.badRowCount === 1 ? 'row was' : 'rows were'} left out{t.badRowCount > t.badRows.length ? ` (the first ${t.badRows.length} are listed)` : ''}:
          </p>
          <ul className="mt-1 max-h-64 overflow-y-auto rounded-lg border border-amber-200 bg-amber-50 text-sm">
            {t.badRows.map((r) => (
              <li key={`${r.line}-${r.message}`} className="flex gap-3 border-b border-amber-100 px-3 py-1.5 last:border-0">
                <span className="w-20 shrink-0 font-mono tabular-nums">line {r.line}</span>
                <span className="text-amber-950">{r.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
