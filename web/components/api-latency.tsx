'use client';

/**
 * Per-feature API latency as this browser has experienced it, from the Performance API's
 * resource timings of the page's own /v1 calls (p50 / p95 / p99 per feature). Server-side
 * percentiles per feature need an API the Worker does not offer yet.
 */
import { useEffect, useState } from 'react';
import { duration } from '../lib/format';
import { Card, EmptyState, Explain } from './ui';

const FEATURES: Array<{ name: string; match: RegExp }> = [
  { name: 'Sign-in & session', match: /\/v1\/(auth|me)\b/ },
  { name: 'Alerts', match: /\/v1\/(alerts|notifications)\b/ },
  { name: 'Lead view', match: /\/v1\/leads\/[^/?]+/ },
  { name: 'Lead lists', match: /\/v1\/leads(\?|$)/ },
  { name: 'Dashboard', match: /\/v1\/dashboard\b/ },
  { name: 'Team & settings', match: /\/v1\/(users|tenant|routing|api-keys|integrations|audit-log)\b/ },
  { name: 'Readiness', match: /\/health\/ready\b/ },
];

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  name: string;
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

function measure(): Row[] {
  const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const by = new Map<string, number[]>();
  for (const e of entries) {
    if (e.initiatorType !== 'fetch' && e.initiatorType !== 'xmlhttprequest') continue;
    const f = FEATURES.find((x) => x.match.test(e.name));
    if (!f) continue;
    by.set(f.name, [...(by.get(f.name) ?? []), e.duration]);
  }
  return FEATURES.filter((f) => by.has(f.name)).map((f) => {
    const d = by.get(f.name)!.sort((a, b) => a - b);
    return { name: f.name, n: d.length, p50: percentile(d, 50), p95: percentile(d, 95), p99: percentile(d, 99) };
  });
}

export function ApiLatency() {
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    performance.setResourceTimingBufferSize?.(1000);
    const update = () => setRows(measure());
    update();
    const timer = setInterval(update, 5_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Card
      id="latency"
      title={
        <span className="inline-flex items-center gap-2">
          API latency per feature
          <Explain>Round-trip times of the requests this browser made since the page loaded (network included), from the browser&apos;s Performance API. p95: 95 % of requests were at least this fast.</Explain>
        </span>
      }
    >
      {rows === null ? (
        <div className="h-24" aria-hidden />
      ) : rows.length === 0 ? (
        <EmptyState title="No API calls measured yet">Use the app for a moment (or wait for the next readiness check) and the figures appear here.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[28rem] text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-600">
                <th scope="col" className="py-2 pr-3 font-semibold">Feature</th>
                <th scope="col" className="py-2 pr-3 text-right font-semibold">Requests</th>
                <th scope="col" className="py-2 pr-3 text-right font-semibold">p50</th>
                <th scope="col" className="py-2 pr-3 text-right font-semibold">p95</th>
                <th scope="col" className="py-2 text-right font-semibold">p99</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} className="border-b border-slate-100 last:border-0">
                  <th scope="row" className="py-2 pr-3 text-left font-medium">{r.name}</th>
                  <td className="py-2 pr-3 text-right tabular-nums">{r.n}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{duration(r.p50)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{duration(r.p95)}</td>
                  <td className="py-2 text-right tabular-nums">{duration(r.p99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
