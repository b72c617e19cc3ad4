/**
 * Phone numbers are stored and compared as E.164 (CONVENTIONS: "phone numbers E.164").
 * Input comes from web forms, CSV imports and CRMs, so US/Canadian numbers arrive in every
 * national format; anything else must already carry its `+` country code.
 */

// Characters people type around the digits. Letters (vanity numbers, "ext. 12") are rejected:
// an extension cannot receive SMS, and guessing at vanity letters would text a stranger.
const PHONE_CHARS = /^\+?[\d\s().\-/]+$/;

// NANP: area code and exchange are both NXX (N = 2–9); N11 codes are service codes (411, 911).
const NANP_NATIONAL = /^[2-9]\d\d[2-9]\d{6}$/;
const N11 = /^[2-9]11$/;

// E.164 allows at most 15 digits; the shortest numbers in use (small Pacific islands) have 7.
const E164_DIGITS = /^[1-9]\d{6,14}$/;

/** The E.164 form of `input` (e.g. "+15125550142"), or null when it cannot be a real number. */
export function normalizePhone(input: string): string | null {
  const text = input.trim();
  if (!PHONE_CHARS.test(text)) return null;
  const digits = text.replace(/\D/g, '');

  if (text.startsWith('+')) return international(digits);
  if (digits.length === 10) return nanp(digits);
  if (digits.length === 11 && digits.startsWith('1')) return nanp(digits.slice(1));
  // "011" is how North Americans dial out: 011 44 20 7946 0958.
  if (digits.startsWith('011')) return international(digits.slice(3));
  return null;
}

function international(digits: string): string | null {
  if (digits.startsWith('1')) return digits.length === 11 ? nanp(digits.slice(1)) : null;
  return E164_DIGITS.test(digits) ? `+${digits}` : null;
}

function nanp(national: string): string | null {
  if (!NANP_NATIONAL.test(national)) return null;
  if (N11.test(national.slice(0, 3)) || N11.test(national.slice(3, 6))) return null;
  return `+1${national}`;
}

/** The three-digit area code of a NANP number in E.164 ("+15125550142" → "512"), else null. */
export function areaCodeOf(e164: string): string | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164);
  return match?.[1] ?? null;
}
