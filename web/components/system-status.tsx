'use client';

import { useCallback, useEffect, useState } from 'react';

interface Check {
  status: 'ok' | 'down';
  latencyMs: number;
  mode: 'embedded' | 'local-server' | 'managed';
  error?: string;
}
interface Readiness {
  status: 'ok' | 'degraded';
  checks: Record<'postgres' | 'redis' | 'qstash', Check>;
  jobs: Record<string, { lastRunAt: string | null; status: string | null }>;
}

const LABELS: Record<string, { name: string; role: string }> = {
  postgres: { name: 'Postgres', role: 'System of record: leads, messages, alerts' },
  redis: { name: 'Redis', role: 'Counters, rate limits, idempotency keys' },
  qstash: { name: 'QStash', role: 'Schedules and delayed jobs' },
};

const MODE_LABEL: Record<Check['mode'], string> = {
  embedded: 'embedded',
  'local-server': 'local server',
  managed: 'managed',
};

export function SystemStatus() {
  const [data, setData] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await fetch('/health/ready', { cache: 'no-store' });
      const body = (await res.json()) as Readiness;
      if (!body?.checks) throw new Error(`unexpected answer (HTTP ${res.status})`);
      setData(body);
      setError(null);
    } catch (err) {
      setError(`Could not reach the API: ${(err as Error).message}`);
    } finally {
      setCheckedAt(new Date());
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section aria-labelledby="status-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-3">
        <h2 id="status-heading" className="sr-only">Dependencies</h2>
        <OverallBadge status={error ? 'unreachable' : (data?.status ?? 'loading')} />
        <button
          type="button"
          onClick={() => void load()}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          Check again
        </button>
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <ul className="grid gap-3 sm:grid-cols-3">
        {(['postgres', 'redis', 'qstash'] as const).map((key) => {
          const check = data?.checks[key];
          return (
            <li key={key} className="min-h-32 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`check-${key}`}>
              <div className="flex items-center justify-between">
                <span className="font-semibold">{LABELS[key]!.name}</span>
                {check ? (
                  <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${check.status === 'ok' ? 'bg-emerald-100 text-emerald-800' : 'bg-red-100 text-red-800'}`}>
                    {check.status === 'ok' ? 'OK' : 'Down'}
                  </span>
                ) : (
                  <span className="h-5 w-10 animate-pulse rounded-full bg-slate-200" aria-hidden />
                )}
              </div>
              <p className="mt-1 text-xs text-slate-500">{LABELS[key]!.role}</p>
              {check && (
                <dl className="mt-3 grid grid-cols-2 gap-1 text-sm">
                  <dt className="text-slate-500">Latency</dt>
                  <dd className="text-right tabular-nums">{check.latencyMs} ms</dd>
                  <dt className="text-slate-500">Runs as</dt>
                  <dd className="text-right">{MODE_LABEL[check.mode]}</dd>
                  {check.error && (
                    <>
                      <dt className="text-slate-500">Error</dt>
                      <dd className="text-right text-red-700">{check.error}</dd>
                    </>
                  )}
                </dl>
              )}
            </li>
          );
        })}
      </ul>
      <p className="text-xs text-slate-500">
        {data?.jobs.heartbeat?.lastRunAt
          ? `Scheduler heartbeat last ran ${new Date(data.jobs.heartbeat.lastRunAt).toLocaleTimeString()}.`
          : 'Scheduler heartbeat has not run yet (it fires every minute).'}{' '}
        {checkedAt && `Checked ${checkedAt.toLocaleTimeString()}.`}
      </p>
    </section>
  );
}

function OverallBadge({ status }: { status: 'ok' | 'degraded' | 'loading' | 'unreachable' }) {
  const styles = {
    ok: 'bg-emerald-700 text-white',
    degraded: 'bg-amber-500 text-slate-900',
    loading: 'bg-slate-200 text-slate-700',
    unreachable: 'bg-red-600 text-white',
  }[status];
  const text = { ok: 'All systems ready', degraded: 'Degraded', loading: 'Checking…', unreachable: 'API unreachable' }[status];
  return (
    <span role="status" className={`rounded-full px-3 py-1 text-sm font-semibold ${styles}`}>
      {text}
    </span>
  );
}
