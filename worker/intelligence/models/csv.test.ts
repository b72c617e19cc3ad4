import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvHeader } from './csv';

describe('parseCsv', () => {
  it('handles quoted commas, embedded newlines, escaped quotes and CRLF', () => {
    const text = 'id,name,note\r\n1,"Smith, Ann","said ""hi""\r\nthen left"\r\n2,Bob,\r\n';
    const r = parseCsv(text);
    expect(r.errors).toEqual([]);
    expect(r.header).toEqual(['id', 'name', 'note']);
    expect(r.rows).toEqual([
      { id: '1', name: 'Smith, Ann', note: 'said "hi"\r\nthen left' },
      { id: '2', name: 'Bob', note: '' },
    ]);
    // The second record starts on physical line 4 because the first spans lines 2–3.
    expect(r.lines).toEqual([2, 4]);
  });

  it('reports bad rows with their line numbers instead of dropping them silently', () => {
    const text = ['a,b', '1,2', '3', '4,5,6', '7,x"y', '"8",9', '"unterminated,10'].join('\n');
    const r = parseCsv(text);
    expect(r.rows).toEqual([
      { a: '1', b: '2' },
      { a: '8', b: '9' },
    ]);
    expect(r.lines).toEqual([2, 6]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 7]);
    expect(r.errors[0]!.message).toMatch(/expected 2 fields, found 1/);
    expect(r.errors[1]!.message).toMatch(/found 3/);
    expect(r.errors[2]!.message).toMatch(/quote inside unquoted field/);
    expect(r.errors[3]!.message).toMatch(/unterminated/);
  });

  it('accepts LF, a missing final newline, a BOM, blank lines and a trailing empty field', () => {
    const r = parseCsv('\uFEFFx,y\n\n1,\n2,3');
    expect(r.errors).toEqual([]);
    expect(r.header).toEqual(['x', 'y']);
    expect(r.rows).toEqual([
      { x: '1', y: '' },
      { x: '2', y: '3' },
    ]);
    expect(r.lines).toEqual([3, 4]);
  });

  it('reads the header alone, reporting duplicates and a broken header line', () => {
    expect(parseCsvHeader('\n\n a ,"b,c"\n1,2\n"never closed')).toEqual({ header: ['a', 'b,c'], errors: [] });
    expect(parseCsvHeader('x,y,x\n1,2,3').errors).toEqual([{ line: 1, message: 'duplicate header "x"' }]);
    expect(parseCsvHeader('"x,y\n1,2').errors[0]!.message).toMatch(/header: unterminated/);
    expect(parseCsvHeader('')).toEqual({ header: [], errors: [] });
  });
});
