// Query-string filters shared by the DLQ, bulk cancel and events endpoints. The SDK
// sends each filter as a query parameter, repeating it for multi-value filters: values
// of one parameter are OR-ed, different parameters are AND-ed. fromDate/toDate are
// epoch milliseconds. Parameters a given endpoint does not know are ignored.

type Value = string | number | undefined;
export type FieldMap<T> = Record<string, (record: T) => Value | Value[]>;

const PAGING = new Set(['count', 'cursor']);

export function hasFilters(params: URLSearchParams, fields: FieldMap<unknown>): boolean {
  for (const key of params.keys()) {
    if (PAGING.has(key)) continue;
    if (key in fields || key === 'fromDate' || key === 'toDate') return true;
  }
  return false;
}

export function applyFilters<T>(records: T[], params: URLSearchParams, fields: FieldMap<T>, time: (record: T) => number): T[] {
  const from = numberParam(params, 'fromDate');
  const to = numberParam(params, 'toDate');
  const active = [...new Set(params.keys())].filter((k) => k in fields);
  return records.filter((record) => {
    const t = time(record);
    if (from !== undefined && t < from) return false;
    if (to !== undefined && t > to) return false;
    for (const key of active) {
      const wanted = params.getAll(key).flatMap((v) => v.split(',')).map((v) => v.trim());
      const raw = fields[key]!(record);
      const have = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined).map(String);
      if (!wanted.some((w) => have.includes(w))) return false;
    }
    return true;
  });
}

/** Offset cursor; `cursor` is returned only when more records remain, as QStash does. */
export function paginate<T>(records: T[], params: URLSearchParams, defaultCount = 100): { page: T[]; cursor?: string } {
  const start = Math.max(0, Number(params.get('cursor') ?? 0) || 0);
  const count = Math.max(1, Math.min(1000, Number(params.get('count') ?? defaultCount) || defaultCount));
  const page = records.slice(start, start + count);
  const end = start + page.length;
  return end < records.length ? { page, cursor: String(end) } : { page };
}

function numberParam(params: URLSearchParams, key: string): number | undefined {
  const raw = params.get(key);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(raw);
  return Number.isNaN(d) ? undefined : d;
}
