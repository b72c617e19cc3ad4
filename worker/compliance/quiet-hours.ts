/**
 * Quiet hours for proactive SMS (PRODUCT §3.3): a message may go out only inside the allowed
 * window of the *recipient's* local day. The window is the intersection of
 *   the tenant's window (it can only make things stricter),
 *   the federal TCPA window, and
 *   the recipient's state rule (when the tenant keeps `stateRules` on).
 * A lead's own inbound message is not subject to this (replying right away is allowed at any
 * hour); that decision belongs to the caller.
 */
import { areaCodeInfo, STATE_TIME_ZONES, stateCode } from './area-codes';
import {
  firstInstantInWindows,
  formatHhMm,
  localDateTime,
  parseHhMm,
  type LocalDate,
  type MinuteWindow,
} from './local-time';
import { areaCodeOf, normalizePhone } from './phone';

export type { LocalDate, MinuteWindow } from './local-time';

export interface RecipientLocale {
  /** Two-letter state/province code, or null when unknown. */
  state: string | null;
  timeZone: string;
  /** What decided the time zone: the lead's address, their phone's area code, or the tenant's own zone. */
  source: 'address' | 'area_code' | 'tenant';
}

/** `TenantSettings['quietHours']`: the tenant's "HH:MM" window and whether state rules apply. */
export interface QuietHoursSettings {
  start: string;
  end: string;
  stateRules: boolean;
}

/** How far ahead `nextAllowedSendTime` looks for an open window before giving up. */
export const SEARCH_HORIZON_DAYS = 8;

/**
 * Where the recipient is, for quiet-hours purposes. The address wins over the area code (people
 * keep their numbers when they move). When both name the same state the area code's zone is
 * used, as it is more precise inside states that span zones (915 El Paso in Texas); otherwise
 * the state's predominant zone. With neither, the tenant's own zone.
 */
export function recipientLocale(r: { state?: string | null; phone?: string | null }, fallbackTimeZone: string): RecipientLocale {
  const addressState = stateCode(r.state);
  const phone = r.phone ? normalizePhone(r.phone) : null;
  const areaCode = phone ? areaCodeOf(phone) : null;
  const fromAreaCode = areaCode ? areaCodeInfo(areaCode) : null;

  if (addressState) {
    const timeZone =
      fromAreaCode?.state === addressState ? fromAreaCode.timeZone : (STATE_TIME_ZONES[addressState] ?? fallbackTimeZone);
    return { state: addressState, timeZone, source: 'address' };
  }
  if (fromAreaCode) return { state: fromAreaCode.state, timeZone: fromAreaCode.timeZone, source: 'area_code' };
  return { state: null, timeZone: fallbackTimeZone, source: 'tenant' };
}

const h = (hours: number): number => hours * 60;
const SUNDAY = 0;
const SATURDAY = 6;

/** TCPA: no telephone solicitation before 8 a.m. or after 9 p.m. at the called party's location (47 CFR § 64.1200(c)(1)). */
const FEDERAL: MinuteWindow = { start: h(8), end: h(21) };

/**
 * States stricter than the federal window, as listed in PRODUCT §3.3 (US, 2025). Each maps a
 * local weekday (0 = Sunday) to that day's window.
 */
const STATE_RULES: Readonly<Record<string, (weekday: number) => MinuteWindow>> = {
  // Florida Telephone Solicitation Act as amended in 2021 (SB 1120), Fla. Stat. § 501.059(8)(b): 8 a.m.–8 p.m.
  FL: () => ({ start: h(8), end: h(20) }),
  // Oklahoma Telephone Solicitation Act of 2022, 15 O.S. § 775C.4: 8 a.m.–8 p.m.
  OK: () => ({ start: h(8), end: h(20) }),
  // Maryland Stop the Spam Calls Act (2023): 8 a.m.–8 p.m.
  MD: () => ({ start: h(8), end: h(20) }),
  // Mississippi telephone-solicitation law: 8 a.m.–8 p.m.
  MS: () => ({ start: h(8), end: h(20) }),
  // New Jersey, per PRODUCT §3.3: 8 a.m.–8 p.m.
  NJ: () => ({ start: h(8), end: h(20) }),
  // Connecticut, Conn. Gen. Stat. § 42-288a as amended in 2023: 9 a.m.–8 p.m.
  CT: () => ({ start: h(9), end: h(20) }),
  // Texas, Tex. Bus. & Com. Code § 301.051: 9 a.m.–9 p.m. Monday–Saturday, noon–9 p.m. Sunday.
  TX: (weekday) => (weekday === SUNDAY ? { start: h(12), end: h(21) } : { start: h(9), end: h(21) }),
  // Rhode Island, R.I. Gen. Laws § 5-61-3.6 ("hours of operation", § 5-61-2): weekdays
  // 9 a.m.–6 p.m., weekends 10 a.m.–5 p.m.
  RI: (weekday) => (weekday === SUNDAY || weekday === SATURDAY ? { start: h(10), end: h(17) } : { start: h(9), end: h(18) }),
};

function tenantWindow(s: QuietHoursSettings): MinuteWindow {
  return { start: parseHhMm(s.start), end: parseHhMm(s.end) };
}

function stateRuleFor(state: string | null, s: QuietHoursSettings): ((weekday: number) => MinuteWindow) | null {
  if (!s.stateRules || !state) return null;
  return STATE_RULES[state] ?? null;
}

/**
 * The allowed `[start, end)` minutes of the recipient's local day, or null when nothing may be
 * sent that day (only possible when the tenant's window is empty: start ≥ end).
 */
export function allowedWindow(localDate: LocalDate, state: string | null, s: QuietHoursSettings): MinuteWindow | null {
  const windows = [tenantWindow(s), FEDERAL];
  const stateRule = stateRuleFor(state, s);
  if (stateRule) windows.push(stateRule(localDate.weekday));
  const start = Math.max(...windows.map((w) => w.start));
  const end = Math.min(...windows.map((w) => w.end));
  return start < end ? { start, end } : null;
}

export function isSendAllowed(now: Date, locale: RecipientLocale, s: QuietHoursSettings): boolean {
  const here = localDateTime(now.getTime(), locale.timeZone);
  const window = allowedWindow(here, locale.state, s);
  return window !== null && here.minuteOfDay >= window.start && here.minuteOfDay < window.end;
}

/**
 * When a proactive message due at `now` may go out: `now` itself if allowed, else the first
 * allowed minute after it (a whole minute, DST-correct). Throws a RangeError when no window opens
 * within SEARCH_HORIZON_DAYS, which only an empty tenant window (start ≥ end) can cause.
 */
export function nextAllowedSendTime(now: Date, locale: RecipientLocale, s: QuietHoursSettings): Date {
  const next = firstInstantInWindows(
    now.getTime(),
    locale.timeZone,
    (date) => allowedWindow(date, locale.state, s),
    SEARCH_HORIZON_DAYS,
  );
  if (next === null) {
    throw new RangeError(`quiet hours ${s.start}–${s.end} leave no sending time within ${SEARCH_HORIZON_DAYS} days`);
  }
  return new Date(next);
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/**
 * The window that applies to the recipient's local day at `now`, for logs and the UI, e.g.
 * "TX Sunday: 12:00–21:00 local (America/Chicago)".
 */
export function describeQuietHours(now: Date, locale: RecipientLocale, s: QuietHoursSettings): string {
  const here = localDateTime(now.getTime(), locale.timeZone);
  const label = [locale.state, WEEKDAY_NAMES[here.weekday]].filter(Boolean).join(' ');
  const window = allowedWindow(here, locale.state, s);
  const hours = window ? `${formatHhMm(window.start)}–${formatHhMm(window.end)} local` : 'no sending';
  return `${label}: ${hours} (${locale.timeZone})`;
}
