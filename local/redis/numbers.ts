/**
 * Redis' number parsing and formatting rules, for the counters the in-memory engine implements itself
 * (ioredis-mock's versions use JavaScript doubles, accept garbage such as INCR on "abc", and lose
 * precision above 2^53).
 */
import { RedisError } from './types';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_A_FLOAT = 'ERR value is not a valid float';

/** Parses a 64-bit integer as strictly as Redis (no '+', no leading zeros, no spaces). */
export function parseInt64(text: string | undefined, error = NOT_AN_INTEGER): bigint {
  if (text === undefined || !/^(0|-?[1-9]\d*)$/.test(text)) throw new RedisError(error);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new RedisError(error);
  return value;
}

/** Adds with 64-bit overflow detection. The result is returned as a JSON-friendly number. */
export function addInt64(base: bigint, delta: bigint): { text: string; value: number } {
  const sum = base + delta;
  if (sum < INT64_MIN || sum > INT64_MAX) throw new RedisError('ERR increment or decrement would overflow');
  return { text: sum.toString(), value: Number(sum) };
}

/** A decimal number `digits × 10^-scale`, exact. */
interface Decimal {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string, error: string): Decimal {
  if (/^[+-]?inf(inity)?$/i.test(text)) throw new RedisError('ERR increment would produce NaN or Infinity');
  const match = DECIMAL.exec(text);
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match ?? [];
  const exponent = Number(exponentText);
  if (!match || whole + fraction === '' || Math.abs(exponent) > 4000) throw new RedisError(error);
  let digits = BigInt(whole + fraction);
  if (sign === '-') digits = -digits;
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/**
 * INCRBYFLOAT semantics: Redis adds in `long double` and prints with "%.17Lf", trailing zeros removed,
 * so 0.1 + 0.2 is "0.3" (a JavaScript double would say 0.30000000000000004). Exact decimal addition
 * rounded to 17 fractional digits reproduces that for every realistic input.
 */
export function addDecimalStrings(base: string, increment: string, baseError: string): string {
  const a = parseDecimal(base, baseError);
  const b = parseDecimal(increment, NOT_A_FLOAT);
  const scale = Math.max(a.scale, b.scale);
  let digits = a.digits * 10n ** BigInt(scale - a.scale) + b.digits * 10n ** BigInt(scale - b.scale);
  let outScale = scale;
  if (outScale > 17) {
    const divisor = 10n ** BigInt(outScale - 17);
    const half = divisor / 2n;
    digits = digits >= 0n ? (digits + half) / divisor : (digits - half) / divisor; // half away from zero
    outScale = 17;
  }
  return formatDecimal(digits, outScale);
}

function formatDecimal(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  if (scale > 0) text = `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(/\.?0+$/, '');
  return negative && text !== '0' ? `-${text}` : text;
}

/** Parses a sorted-set score like Redis' strtod use: decimals, exponents, and ±inf. */
export function parseScore(text: string): number {
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new RedisError(NOT_A_FLOAT);
  return Number(text);
}

export function formatScore(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}
