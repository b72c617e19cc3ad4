/**
 * Feature encoder fitted on training rows (string-valued records, as parsed from CSV or built
 * from stored lead facts). It decides each column's type, learns standardisation and category
 * levels, and serialises to plain JSON so a stored model encodes future rows exactly as in
 * training.
 *
 * Two views of a row:
 * - `encodeLinear`: dense vector for linear models — numeric columns standardised (missing →
 *   0 = the mean, plus a missing indicator), categoricals one-hot over levels seen ≥
 *   `minLevelCount` times, rarer ones pooled into "other", missing as its own level.
 * - `encodeColumns`: one value per source column for trees — the raw number (NaN when
 *   missing) or the categorical level index.
 *
 * Fair Housing: columns naming a protected class (race, colour, religion, national origin, sex,
 * familial status, disability, and age as a common proxy) are refused by default. A lead score
 * that conditions on them would be unlawful steering in US real estate, so a caller must
 * consciously exclude them, or explicitly choose `drop` (silently skipped, listed in `dropped`).
 */

import type { CsvRow } from './csv';

export const DEFAULT_MISSING_TOKENS = ['', 'na', 'n/a', 'nan', 'null', 'none', 'select', '?'];

/** Phrases matched as whole words against a column name (camelCase and punctuation split). */
export const DEFAULT_PROTECTED_ATTRIBUTES = [
  'race',
  'racial',
  'ethnicity',
  'ethnic',
  'color',
  'colour',
  'skin',
  'religion',
  'religious',
  'faith',
  'national origin',
  'nationality',
  'sex',
  'gender',
  'familial status',
  'family status',
  'marital',
  'pregnant',
  'pregnancy',
  'dependents',
  'children',
  'disability',
  'disabled',
  'handicap',
  'age',
  'birth',
  'dob',
  'birthdate',
  'senior citizen',
];

export type ProtectedPolicy = 'refuse' | 'drop' | 'allow';

export interface EncoderOptions {
  /** Column names or globs (`Asymmetrique *`) never used as features (ids, leaking columns). */
  exclude?: string[];
  /** Lower-cased, trimmed tokens treated as missing. */
  missingTokens?: string[];
  /** A categorical level needs this many training rows to get its own one-hot slot. */
  minLevelCount?: number;
  /** At most this many levels per categorical (most frequent first); the rest are "other". */
  maxLevels?: number;
  /** Force a column's type instead of the automatic guess (e.g. ZIP codes as categorical). */
  types?: Record<string, 'numeric' | 'categorical'>;
  protectedAttributes?: ProtectedPolicy;
  /** Replaces the default deny-list. */
  denyList?: string[];
}

export interface NumericColumn {
  name: string;
  type: 'numeric';
  mean: number;
  std: number;
  /** Whether a missing indicator slot exists (missing values were seen in training). */
  missingIndicator: boolean;
}

export const OTHER_LEVEL = '(other)';
export const MISSING_LEVEL = '(missing)';

export interface CategoricalColumn {
  name: string;
  type: 'categorical';
  /** Ordered levels; may include OTHER_LEVEL and MISSING_LEVEL. */
  levels: string[];
}

export type EncodedColumn = NumericColumn | CategoricalColumn;

export interface EncoderSpec {
  columns: EncodedColumn[];
  missingTokens: string[];
  /** Protected columns skipped under the `drop` policy. */
  dropped: string[];
  /** Linear-view slot names and, for each, the index of its source column. */
  featureNames: string[];
  featureColumn: number[];
}

export class ProtectedAttributeError extends Error {
  readonly code = 'protected_attribute';
  constructor(readonly columns: string[]) {
    super(
      `refusing protected attribute(s) as model features: ${columns.join(', ')} ` +
        '(Fair Housing: exclude them, or drop them explicitly)',
    );
    this.name = 'ProtectedAttributeError';
  }
}

function words(name: string): string {
  return (
    ' ' +
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim() +
    ' '
  );
}

export function isProtectedAttribute(
  column: string,
  denyList: readonly string[] = DEFAULT_PROTECTED_ATTRIBUTES,
): boolean {
  const w = words(column);
  return denyList.some((phrase) => w.includes(words(phrase)));
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.trim().replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function matchesAny(column: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.includes('*') ? globToRegExp(p).test(column) : p.trim() === column));
}

/** Parses "1,234.5", "$99", "12%"; anything else is NaN. */
export function parseNumber(raw: string): number {
  const s = raw.trim().replace(/^\$/, '').replace(/%$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (s === '') return Number.NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : Number.NaN;
}

function isMissing(raw: string | undefined, tokens: ReadonlySet<string>): boolean {
  return raw === undefined || tokens.has(raw.trim().toLowerCase());
}

export function fitEncoder(rows: readonly CsvRow[], label: string, options: EncoderOptions = {}): EncoderSpec {
  const missingTokens = (options.missingTokens ?? DEFAULT_MISSING_TOKENS).map((t) => t.trim().toLowerCase());
  const tokens = new Set(missingTokens);
  const minLevelCount = options.minLevelCount ?? 10;
  const maxLevels = options.maxLevels ?? 64;
  const exclude = options.exclude ?? [];
  const policy = options.protectedAttributes ?? 'refuse';
  const denyList = options.denyList ?? DEFAULT_PROTECTED_ATTRIBUTES;

  const names = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) names.add(k);
  const candidates = [...names].filter((n) => n !== label && !matchesAny(n, exclude));

  const protectedCols = policy === 'allow' ? [] : candidates.filter((n) => isProtectedAttribute(n, denyList));
  if (protectedCols.length > 0 && policy === 'refuse') throw new ProtectedAttributeError(protectedCols);
  const used = candidates.filter((n) => !protectedCols.includes(n));

  const columns: EncodedColumn[] = [];
  for (const name of used) {
    let present = 0;
    let numeric = 0;
    const counts = new Map<string, number>();
    let missing = 0;
    for (const row of rows) {
      const raw = row[name];
      if (isMissing(raw, tokens)) {
        missing++;
        continue;
      }
      present++;
      const v = raw!.trim();
      if (!Number.isNaN(parseNumber(v))) numeric++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (present === 0) continue; // nothing to learn from
    const forced = options.types?.[name];
    const isNumeric = forced ? forced === 'numeric' : numeric >= 0.98 * present;
    if (isNumeric) {
      let sum = 0;
      let sq = 0;
      let k = 0;
      for (const row of rows) {
        const raw = row[name];
        const v = isMissing(raw, tokens) ? Number.NaN : parseNumber(raw!);
        if (Number.isNaN(v)) continue;
        sum += v;
        sq += v * v;
        k++;
      }
      const mean = k > 0 ? sum / k : 0;
      const variance = k > 0 ? Math.max(0, sq / k - mean * mean) : 0;
      const std = Math.sqrt(variance);
      if (std === 0 && k === rows.length) continue; // constant, never missing: no information
      columns.push({ name, type: 'numeric', mean, std: std > 0 ? std : 1, missingIndicator: k < rows.length });
    } else {
      const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const levels = sorted.filter(([, c]) => c >= minLevelCount).slice(0, maxLevels).map(([v]) => v);
      if (levels.length < sorted.length) levels.push(OTHER_LEVEL);
      if (missing > 0) levels.push(MISSING_LEVEL);
      if (levels.length < 2) continue; // a single level carries no information
      columns.push({ name, type: 'categorical', levels });
    }
  }

  const featureNames: string[] = [];
  const featureColumn: number[] = [];
  columns.forEach((c, ci) => {
    if (c.type === 'numeric') {
      featureNames.push(c.name);
      featureColumn.push(ci);
      if (c.missingIndicator) {
        featureNames.push(`${c.name} ${MISSING_LEVEL}`);
        featureColumn.push(ci);
      }
    } else {
      for (const level of c.levels) {
        featureNames.push(`${c.name}=${level}`);
        featureColumn.push(ci);
      }
    }
  });
  return { columns, missingTokens, dropped: protectedCols, featureNames, featureColumn };
}

/** Compiled form of a spec for fast repeated encoding (level lookups as maps). */
export interface Encoder {
  spec: EncoderSpec;
  dims: number;
  encodeLinear(row: CsvRow, out?: Float64Array): Float64Array;
  encodeColumns(row: CsvRow, out?: Float64Array): Float64Array;
}

export function compileEncoder(spec: EncoderSpec): Encoder {
  const tokens = new Set(spec.missingTokens);
  const offsets: number[] = [];
  let dims = 0;
  const levelMaps = spec.columns.map((c) => {
    offsets.push(dims);
    if (c.type === 'numeric') {
      dims += c.missingIndicator ? 2 : 1;
      return undefined;
    }
    dims += c.levels.length;
    return new Map(c.levels.map((l, i) => [l, i] as const));
  });

  function levelIndex(ci: number, raw: string | undefined): number {
    const map = levelMaps[ci]!;
    if (isMissing(raw, tokens)) return map.get(MISSING_LEVEL) ?? map.get(OTHER_LEVEL) ?? -1;
    return map.get(raw!.trim()) ?? map.get(OTHER_LEVEL) ?? -1;
  }

  return {
    spec,
    dims,
    encodeLinear(row, out = new Float64Array(dims)) {
      out.fill(0);
      spec.columns.forEach((c, ci) => {
        const o = offsets[ci]!;
        const raw = row[c.name];
        if (c.type === 'numeric') {
          const v = isMissing(raw, tokens) ? Number.NaN : parseNumber(raw!);
          if (Number.isNaN(v)) {
            if (c.missingIndicator) out[o + 1] = 1;
          } else {
            out[o] = (v - c.mean) / c.std;
          }
        } else {
          const li = levelIndex(ci, raw);
          if (li >= 0) out[o + li] = 1;
        }
      });
      return out;
    },
    encodeColumns(row, out = new Float64Array(spec.columns.length)) {
      spec.columns.forEach((c, ci) => {
        const raw = row[c.name];
        if (c.type === 'numeric') out[ci] = isMissing(raw, tokens) ? Number.NaN : parseNumber(raw!);
        else {
          const li = levelIndex(ci, raw);
          out[ci] = li >= 0 ? li : Number.NaN;
        }
      });
      return out;
    },
  };
}

const POSITIVE = new Set(['1', '1.0', 'yes', 'y', 'true', 't']);
const NEGATIVE = new Set(['0', '0.0', 'no', 'n', 'false', 'f']);

/** 1/0, Yes/No, true/false (any case); undefined for anything else. */
export function parseLabel(raw: string | undefined): 0 | 1 | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (POSITIVE.has(v)) return 1;
  if (NEGATIVE.has(v)) return 0;
  return undefined;
}
