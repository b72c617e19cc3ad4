'use client';

/**
 * The dashboard's charts (recharts). Each sits in a box of fixed height so nothing moves when
 * data arrives, shows its numbers on hover or tap (the tooltip), and carries a text equivalent
 * for screen readers.
 */
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export const COLORS = { indigo: '#4f46e5', indigoLight: '#a5b4fc', red: '#dc2626', amber: '#d97706', sky: '#0284c7', slate: '#94a3b8', emerald: '#059669' };

export interface Datum {
  label: string;
  value: number;
  color?: string;
}

function SrTable({ data, caption, format }: { data: Datum[]; caption: string; format: (v: number) => string }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <tbody>
        {data.map((d) => (
          <tr key={d.label}>
            <th scope="row">{d.label}</th>
            <td>{format(d.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const tooltipStyle = { borderRadius: 8, border: '1px solid #e2e8f0', fontSize: 12, boxShadow: '0 4px 12px rgb(15 23 42 / 0.12)' };

/**
 * Bars. `side`: categories down the side, bars across (long labels stay readable on a phone);
 * `bottom`: ordered buckets along the bottom (time, speed).
 */
function Bars({ data, caption, format = String, height, color = COLORS.indigo, axis }: { data: Datum[]; caption: string; format?: (v: number) => string; height: number; color?: string; axis: 'side' | 'bottom' }) {
  const side = axis === 'side';
  return (
    <div style={{ height }} className="w-full">
      <div aria-hidden className="h-full w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout={side ? 'vertical' : 'horizontal'} margin={side ? { top: 4, right: 44, bottom: 4, left: 4 } : { top: 20, right: 4, bottom: 4, left: 4 }}>
            <CartesianGrid horizontal={!side} vertical={side} stroke="#f1f5f9" />
            {side ? <XAxis type="number" hide allowDecimals={false} /> : <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#334155' }} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} interval={0} />}
            {side ? <YAxis type="category" dataKey="label" width={96} tick={{ fontSize: 12, fill: '#334155' }} tickLine={false} axisLine={false} interval={0} /> : <YAxis hide allowDecimals={false} />}
            <Tooltip cursor={{ fill: '#eef2ff' }} contentStyle={tooltipStyle} formatter={(v) => [format(Number(v)), caption]} />
            <Bar dataKey="value" radius={side ? [0, 4, 4, 0] : [4, 4, 0, 0]} isAnimationActive={false} maxBarSize={side ? 22 : 48}>
              {data.map((d) => (
                <Cell key={d.label} fill={d.color ?? color} />
              ))}
              <LabelList dataKey="value" position={side ? 'right' : 'top'} formatter={(v: unknown) => format(Number(v))} style={{ fontSize: side ? 12 : 11, fill: '#0f172a', fontWeight: 600 }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <SrTable data={data} caption={caption} format={format} />
    </div>
  );
}

export function HBarChart(props: { data: Datum[]; caption: string; format?: (v: number) => string; color?: string }) {
  return <Bars {...props} axis="side" height={Math.max(120, props.data.length * 34 + 16)} />;
}

export function VBarChart(props: { data: Datum[]; caption: string; format?: (v: number) => string; height?: number; color?: string }) {
  return <Bars {...props} axis="bottom" height={props.height ?? 200} />;
}

export function Donut({ data, caption, centre }: { data: Datum[]; caption: string; centre: string }) {
  const total = data.reduce((a, d) => a + d.value, 0);
  return (
    <div className="flex items-center gap-4">
      <div aria-hidden className="relative h-28 w-28 shrink-0 sm:h-36 sm:w-36">
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie data={total ? data : [{ label: 'none', value: 1, color: '#e2e8f0' }]} dataKey="value" nameKey="label" innerRadius="62%" outerRadius="100%" paddingAngle={total ? 1 : 0} isAnimationActive={false} stroke="none">
              {(total ? data : [{ label: 'none', color: '#e2e8f0' }]).map((d) => (
                <Cell key={d.label} fill={d.color} />
              ))}
            </Pie>
            {total > 0 && <Tooltip contentStyle={tooltipStyle} formatter={(v, name) => [`${v} (${Math.round((Number(v) / total) * 100)} %)`, String(name)]} />}
          </PieChart>
        </ResponsiveContainer>
        <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center">
          <span className="text-xl font-bold tabular-nums">{total}</span>
          <span className="text-[11px] text-slate-600">{centre}</span>
        </div>
      </div>
      <ul className="min-w-0 flex-1 space-y-1.5 text-sm">
        {data.map((d) => (
          <li key={d.label} className="flex items-center gap-2">
            <span aria-hidden className="h-3 w-3 shrink-0 rounded-sm" style={{ background: d.color }} />
            <span className="flex-1 truncate">{d.label}</span>
            <span className="font-semibold tabular-nums">{d.value}</span>
            <span className="w-11 text-right text-xs tabular-nums text-slate-600">{total ? `${Math.round((d.value / total) * 100)} %` : '—'}</span>
          </li>
        ))}
      </ul>
      <span className="sr-only">{caption}</span>
    </div>
  );
}
