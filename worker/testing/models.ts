import { seededRandom, sigmoid } from '../intelligence/models';

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const SOURCES = ['Zillow', 'Referral', 'Google', 'Open House'] as const;
const SOURCE_EFFECT: Record<(typeof SOURCES)[number], number> = { Zillow: 0, Referral: 1.8, Google: -0.6, 'Open House': 0.75 };

export interface SyntheticLeads {
  csv: string;
  header: string[];
  rows: Array<Record<string, string | number>>;
  positives: number;
}

/**
 * Historical leads whose outcome follows a known logistic model of visits, source, valuation
 * checks and days since contact (so a trained model must find AUC ≈ 0.89). `flip` turns that
 * share of outcomes into noise; `noiseColumns` adds columns that carry no signal.
 */
export function syntheticLeads(n: number, seed: number, opts: { flip?: number; noiseColumns?: number } = {}): SyntheticLeads {
  const rand = seededRandom(seed);
  const noise = Array.from({ length: opts.noiseColumns ?? 0 }, (_, j) => `Noise ${j + 1}`);
  const header = ['Lead Id', 'Visits', 'Source', 'Valuation Checks', 'Days Since Contact', ...noise, 'Converted'];
  const rows: SyntheticLeads['rows'] = [];
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const visits = Math.floor(rand() * 12);
    const source = SOURCES[Math.floor(rand() * SOURCES.length)]!;
    const checks = Math.floor(rand() * 4);
    const days = Math.floor(rand() * 90);
    const z = -1.5 + 0.5 * (visits - 6) + SOURCE_EFFECT[source] + 1.2 * checks - 0.03 * days;
    let y = rand() < sigmoid(z) ? 1 : 0;
    if (opts.flip && rand() < opts.flip) y = 1 - y;
    positives += y;
    const row: Record<string, string | number> = { 'Lead Id': `L${seed}-${i}`, Visits: visits, Source: source, 'Valuation Checks': checks, 'Days Since Contact': days };
    for (const c of noise) row[c] = Number(gaussian(rand).toFixed(2));
    row.Converted = y;
    rows.push(row);
  }
  const csv = [header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n') + '\n';
  return { csv, header, rows, positives };
}
