import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaCodeOf, normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['(512) 555-0142', '+15125550142'],
    ['512.555.0142', '+15125550142'],
    ['512-555-0142', '+15125550142'],
    ['5125550142', '+15125550142'],
    ['+1 512 555 0142', '+15125550142'],
    ['+1 (512) 555-0142', '+15125550142'],
    ['15125550142', '+15125550142'],
    ['1-512-555-0142', '+15125550142'],
    ['  512 555 0142  ', '+15125550142'],
    ['416/555/0199', '+14165550199'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+33 1 23 45 67 89', '+33123456789'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['+52 55 1234 5678', '+525512345678'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['hello'],
    ['555-0142'], // seven digits: no area code
    ['512-555-014'], // nine digits
    ['25125550142'], // eleven digits not starting with the NANP country code
    ['(112) 555-0142'], // area codes start with 2–9
    ['(512) 155-0142'], // so do exchanges
    ['(911) 555-0142'], // N11 is a service code
    ['(512) 411-0142'],
    ['+1 512 555 014'], // +1 needs exactly ten national digits
    ['+1 512 555 01422'],
    ['+0 123 456 789'], // no country code starts with 0
    ['+44 1234'], // six digits: too short for any real number
    ['+44 1234 5678 9012 34'], // over E.164's 15 digits
    ['512-555-0142 ext 12'], // an extension cannot receive SMS
    ['1-800-FLOWERS'],
    ['512+555+0142'],
  ])('rejects %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('is idempotent, and its output is E.164', () => {
    const nanpDigits = fc
      .tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 }))
      .filter(([area, exchange]) => area % 100 !== 11 && exchange % 100 !== 11)
      .map(([area, exchange, line]) => `${area}${exchange}${String(line).padStart(4, '0')}`);
    const format = fc.constantFrom(
      (d: string) => d,
      (d: string) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
      (d: string) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
      (d: string) => `1.${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
    );
    fc.assert(
      fc.property(nanpDigits, format, (digits, render) => {
        const e164 = normalizePhone(render(digits));
        expect(e164).toBe(`+1${digits}`);
        expect(normalizePhone(e164!)).toBe(e164);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const result = normalizePhone(junk);
        if (result !== null) expect(result).toMatch(/^\+[1-9]\d{6,14}$/);
      }),
    );
  });
});

describe('areaCodeOf', () => {
  it('reads the area code of NANP numbers only', () => {
    expect(areaCodeOf('+15125550142')).toBe('512');
    expect(areaCodeOf('+19155550142')).toBe('915');
    expect(areaCodeOf('+442079460958')).toBeNull();
    expect(areaCodeOf('5125550142')).toBeNull();
    expect(areaCodeOf('+1512555014')).toBeNull();
  });
});
