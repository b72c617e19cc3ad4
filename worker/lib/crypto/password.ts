/**
 * Password hashing with PBKDF2-HMAC-SHA256 from WebCrypto, the only password KDF workerd
 * offers natively (no scrypt/argon2 without WASM). Stored hashes are self-describing,
 *   pbkdf2-sha256$v1$<iterations>$<salt b64url>$<hash b64url>
 * so the cost can be raised later and old hashes upgraded at login (`needsRehash`).
 */
import { base64UrlDecode, base64UrlEncode, randomBytes, timingSafeEqual, utf8 } from './bytes';

/**
 * Deployed Workers reject PBKDF2 with more than 100 000 iterations (NotSupportedError), while
 * local workerd does not, so a higher value would pass every test and then break every login in
 * production. Never raise this above PBKDF2_MAX_ITERATIONS.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;

const SCHEME = 'pbkdf2-sha256';
const CURRENT_VERSION = 'v1';
/** Versions this code can verify. v1: NFKC-normalised password, SHA-256, 32-byte key. */
const KNOWN_VERSIONS: ReadonlySet<string> = new Set([CURRENT_VERSION]);
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/**
 * verifyPassword refuses inputs longer than this (UTF-16 units) without hashing: no acceptable
 * password is that long (256 code points ≤ 512 units), and it bounds normalisation work on
 * hostile input. The refusal depends only on the caller's own input, so it reveals nothing.
 */
const MAX_VERIFY_INPUT = 1024;

export interface ParsedPasswordHash {
  version: string;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
}

export interface PasswordCheck {
  ok: boolean;
  /** The password was right but the hash uses old parameters: store a fresh `hashPassword`. */
  needsRehash: boolean;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return formatPasswordHash({ version: CURRENT_VERSION, iterations: PBKDF2_ITERATIONS, salt, hash });
}

/**
 * Never throws: a malformed or unknown stored value is a failed login, not a 500. It still
 * spends a full PBKDF2 run, so a corrupt row is not distinguishable by timing either.
 */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parsed = parsePasswordHash(stored);
  if (typeof password !== 'string' || password.length > MAX_VERIFY_INPUT) return { ok: false, needsRehash: false };
  if (!parsed) {
    await burnPasswordCheck(password);
    return { ok: false, needsRehash: false };
  }
  let derived: Uint8Array;
  try {
    derived = await pbkdf2(password, parsed.salt, parsed.iterations, parsed.hash.length);
  } catch {
    return { ok: false, needsRehash: false };
  }
  const ok = timingSafeEqual(derived, parsed.hash);
  return { ok, needsRehash: ok && (parsed.version !== CURRENT_VERSION || parsed.iterations !== PBKDF2_ITERATIONS) };
}

/** The structured form of a stored hash, or null when it is not one this code can verify. */
export function parsePasswordHash(stored: string): ParsedPasswordHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 5) return null;
  const [scheme, version, iterationsText, saltText, hashText] = parts as [string, string, string, string, string];
  if (scheme !== SCHEME || !KNOWN_VERSIONS.has(version)) return null;
  // Canonical decimal only (no sign, leading zeros, exponent), within what Workers will run.
  if (!/^[1-9][0-9]{0,8}$/.test(iterationsText)) return null;
  const iterations = Number(iterationsText);
  if (iterations > PBKDF2_MAX_ITERATIONS) return null;
  try {
    const salt = base64UrlDecode(saltText);
    const hash = base64UrlDecode(hashText);
    if (salt.length < SALT_BYTES || hash.length !== HASH_BYTES) return null;
    return { version, iterations, salt, hash };
  } catch {
    return null;
  }
}

function formatPasswordHash(p: ParsedPasswordHash): string {
  return [SCHEME, p.version, String(p.iterations), base64UrlEncode(p.salt), base64UrlEncode(p.hash)].join('$');
}

/**
 * A well-formed hash at the current cost that no password matches: its "hash" is ASCII text,
 * not PBKDF2 output, so finding a match would mean inverting PBKDF2. Verifying against it
 * costs exactly what a real check costs.
 */
export const DUMMY_PASSWORD_HASH = `${SCHEME}$${CURRENT_VERSION}$${PBKDF2_ITERATIONS}$bGVhZHB1bHNlLWR1bW15IQ$ZHVtbXktaGFzaDpub3QtYS1yZWFsLXBhc3N3b3JkISE`;

/**
 * Login for an unknown email calls this instead of skipping the hash, so "no such user" and
 * "wrong password" take the same time and response timing cannot enumerate accounts.
 * Always resolves to false.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  const parsed = parsePasswordHash(DUMMY_PASSWORD_HASH) as ParsedPasswordHash;
  try {
    await pbkdf2(typeof password === 'string' ? password.slice(0, MAX_VERIFY_INPUT) : '', parsed.salt, parsed.iterations);
  } catch {
    // Nothing to report: the result is false either way.
  }
  return false;
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, length = HASH_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  // NFKC so the same password typed on different keyboards/IMEs (composed vs decomposed
  // accents, full-width digits) hashes the same, as NIST SP 800-63B recommends.
  const material = await crypto.subtle.importKey('raw', utf8(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, length * 8);
  return new Uint8Array(bits);
}

/**
 * The most common passwords that pass the length rule (shorter ones are refused anyway).
 * Compared case-insensitively. A small list on purpose: a breach-corpus check (e.g. k-anonymity
 * HIBP lookup) belongs in the service layer, not in a pure helper.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password1234',
  'password12345',
  'password123!',
  'passwordpassword',
  'p@ssw0rd1234',
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123123123123',
  '111111111111',
  '000000000000',
  '987654321098',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwertyuiopasdf',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qazwsxedcrfv',
  'asdfghjkl123',
  'zxcvbnm12345',
  'abc123456789',
  'abcdefghijkl',
  'iloveyou1234',
  'welcome12345',
  'letmein12345',
  'changeme1234',
  'football1234',
  'admin1234567',
  'leadpulse123',
  'leadpulse1234',
]);

/**
 * Human-readable reasons a new password is unacceptable; an empty array means it is fine.
 * Rules follow NIST SP 800-63B: length over composition, plus a blocklist and context words.
 */
export function passwordProblems(password: string, context: { email?: string; name?: string } = {}): string[] {
  const problems: string[] = [];
  // Count code points, not UTF-16 units, so an emoji is one character as the user sees it.
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) problems.push(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (chars.length > MAX_PASSWORD_LENGTH) problems.push(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (chars.length > 0 && new Set(chars).size === 1) problems.push('Do not repeat a single character.');

  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) problems.push('This password is too common; choose something less guessable.');

  // Very short local parts ("a@x.com") would match almost anything, so they are skipped.
  const local = context.email?.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 3 && lower.includes(local)) problems.push('Do not include your email address.');

  const nameWords = (context.name ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
  if (nameWords.some((w) => lower.includes(w))) problems.push('Do not include your name.');

  return problems;
}
