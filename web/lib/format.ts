/** Display formatting shared by the screens (en-US, the tenant's market). */

const money0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactMoney = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
const int = new Intl.NumberFormat('en-US');

export function money(cents: number | null | undefined, opts: { compact?: boolean } = {}): string {
  if (cents === null || cents === undefined) return '—';
  return (opts.compact ? compactMoney : money0).format(cents / 100);
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : int.format(n);
}

export function percent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** 950 ms · 42 s · 3 min · 2 h 5 min · 3 d */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** "just now", "4 min ago", "yesterday 14:05", "Mar 3" — for lists that update live. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  const diff = Math.max(0, now - t);
  if (diff < 45_000) return 'just now';
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`;
  if (diff < 7 * 86_400_000) return `${Math.round(diff / 86_400_000)} d ago`;
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
}

/** +15125550142 → (512) 555-0142; anything else as given. */
export function phone(e164: string | null | undefined): string {
  if (!e164) return '—';
  const m = e164.match(/^\+1(\d{3})(\d{3})(\d{4})$/);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export function timeline(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  if (days <= 0) return 'now';
  if (days <= 45) return `within ${days} days`;
  if (days <= 540) return `about ${Math.round(days / 30)} months`;
  return `${Math.round(days / 365)}+ years`;
}

/** snake_case / kebab → "Sentence case". */
export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const s = value.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const ALERT_KIND_LABEL: Record<string, string> = {
  sell: 'Likely to sell',
  buy: 'Likely to buy',
  refinance: 'Likely to refinance',
  invest: 'Likely to invest',
  hot_lead: 'Hot lead',
  human_requested: 'Asked for a person',
  churn_risk: 'Going cold',
};

export const STAGE_LABEL: Record<string, string> = {
  new: 'New',
  q1: 'Q1 motivation',
  q2: 'Q2 timeline',
  q3: 'Q3 condition',
  q4: 'Q4 price',
  qualified: 'Qualified',
  appointment: 'Appointment',
  contract: 'Contract',
  closed: 'Closed',
  lost: 'Lost',
};

export function leadName(lead: { name: string | null; phone?: string | null } | null | undefined): string {
  return lead?.name || (lead?.phone ? phone(lead.phone) : 'Unknown lead');
}

export function place(address: { city: string | null; state: string | null; postalCode: string | null } | null | undefined): string {
  if (!address) return '';
  return [address.city, [address.state, address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}
