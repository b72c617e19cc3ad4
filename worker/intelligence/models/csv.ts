/**
 * RFC 4180 CSV parsing: quoted fields with embedded commas, newlines and doubled quotes; CRLF or
 * LF line ends; the first record is the header. A malformed record (wrong field count, a quote
 * inside an unquoted field, an unterminated quote) is reported with the physical line it starts
 * on and left out of `rows` — never dropped silently — so an import can show the tenant exactly
 * which lines to fix.
 */

export type CsvRow = Record<string, string>;

export interface CsvError {
  /** 1-based physical line on which the bad record starts. */
  line: number;
  message: string;
}

export interface CsvParseResult {
  header: string[];
  rows: CsvRow[];
  /** 1-based physical line of each row in `rows`, same order. */
  lines: number[];
  errors: CsvError[];
}

interface RawRecord {
  line: number;
  fields: string[];
  error?: string;
}

function* records(text: string): Generator<RawRecord> {
  let i = 0;
  let line = 1;
  const n = text.length;
  // A byte-order mark is not part of the first header name.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < n && text[i] === '"') {
        // Quoted field.
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (!closed) {
          error ??= 'unterminated quoted field';
          fields.push(field);
          yield { line: startLine, fields, error };
          return;
        }
        // After the closing quote only a separator or a line end may follow.
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          error ??= `unexpected character after closing quote in field ${fields.length + 1}`;
          while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
        }
      } else {
        while (i < n) {
          const c = text[i]!;
          if (c === ',' || c === '\n' || c === '\r') break;
          if (c === '"') error ??= `quote inside unquoted field ${fields.length + 1}`;
          field += c;
          i++;
        }
      }
      fields.push(field);
      field = '';
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === ',') {
        i++;
        if (i >= n) fields.push('');
        // a trailing comma at end of input means one more empty field; loop ends below
        if (i >= n) endOfRecord = true;
      } else {
        // \r\n, \n or a lone \r end the record.
        if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
        else i++;
        line++;
        endOfRecord = true;
      }
    }
    yield error === undefined ? { line: startLine, fields } : { line: startLine, fields, error };
  }
}

function isBlank(r: RawRecord): boolean {
  return r.fields.length === 1 && r.fields[0] === '' && r.error === undefined;
}

export function parseCsv(text: string): CsvParseResult {
  const header: string[] = [];
  const rows: CsvRow[] = [];
  const lines: number[] = [];
  const errors: CsvError[] = [];
  let haveHeader = false;
  for (const rec of records(text)) {
    // Blank lines (typically the final newline) carry no record.
    if (isBlank(rec)) continue;
    if (!haveHeader) {
      const h = readHeader(rec);
      errors.push(...h.errors);
      if (rec.error !== undefined) return { header, rows, lines, errors };
      header.push(...h.header);
      haveHeader = true;
      continue;
    }
    if (rec.error !== undefined) {
      errors.push({ line: rec.line, message: rec.error });
      continue;
    }
    if (rec.fields.length !== header.length) {
      errors.push({
        line: rec.line,
        message: `expected ${header.length} fields, found ${rec.fields.length}`,
      });
      continue;
    }
    const row: CsvRow = {};
    for (let j = 0; j < header.length; j++) row[header[j]!] = rec.fields[j]!;
    rows.push(row);
    lines.push(rec.line);
  }
  return { header, rows, lines, errors };
}

function readHeader(rec: RawRecord): { header: string[]; errors: CsvError[] } {
  if (rec.error !== undefined) return { header: [], errors: [{ line: rec.line, message: `header: ${rec.error}` }] };
  const header = rec.fields.map((f) => f.trim());
  const errors: CsvError[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) errors.push({ line: rec.line, message: `duplicate header "${h}"` });
    seen.add(h);
  }
  return { header, errors };
}

/**
 * The header record alone (the first non-blank record), without reading the rest: lets an
 * upload be checked for its columns before the whole file is parsed.
 */
export function parseCsvHeader(text: string): { header: string[]; errors: CsvError[] } {
  for (const rec of records(text)) if (!isBlank(rec)) return readHeader(rec);
  return { header: [], errors: [] };
}
