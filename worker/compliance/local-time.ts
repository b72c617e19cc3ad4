/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl.DateTimeFormat`, so it runs
 * unchanged in workerd and Node (no time-zone library: both runtimes ship full ICU data).
 *
 * All instants are epoch milliseconds (UTC). Every offset in use today is a whole number of
 * minutes, so a minute boundary in UTC is also a minute boundary on the local clock.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
export const MINUTES_PER_DAY = 24 * 60;

/** A calendar date on the recipient's wall clock. `month` 1–12; `weekday` 0 = Sunday … 6 = Saturday. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

export interface LocalDateTime extends LocalDate {
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
}

/** `[start, end)` in minutes of the local day. */
export interface MinuteWindow {
  start: number;
  end: number;
}

// Building a DateTimeFormat is far costlier than using one; a zone's formatter is reused.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The wall-clock date and minute at `epochMs` in `timeZone` (throws RangeError for an unknown zone). */
export function localDateTime(epochMs: number, timeZone: string): LocalDateTime {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN } = fields;
  // Some ICU builds still print midnight as "24" despite h23.
  const minuteOfDay = (hour % 24) * 60 + minute;
  return { year, month, day, weekday: weekdayOf(year, month, day), minuteOfDay };
}

/** Local time minus UTC, in minutes, at `epochMs` (e.g. -240 for New York in summer). */
export function utcOffsetMinutes(epochMs: number, timeZone: string): number {
  const local = localDateTime(epochMs, timeZone);
  const wallAsUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minuteOfDay);
  return (wallAsUtc - floorToMinute(epochMs)) / MINUTE_MS;
}

export function floorToMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
}

export function ceilToMinute(epochMs: number): number {
  return Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

export function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

export function isLaterDate(a: LocalDate, b: LocalDate): boolean {
  return Date.UTC(a.year, a.month - 1, a.day) > Date.UTC(b.year, b.month - 1, b.day);
}

/** A date's window, or null when nothing is allowed that day (an empty window counts as none). */
export type WindowOn = (date: LocalDate) => MinuteWindow | null;

function openWindow(windowOn: WindowOn, date: LocalDate): MinuteWindow | null {
  const window = windowOn(date);
  return window && window.start < window.end ? window : null;
}

function isInside(here: LocalDateTime, windowOn: WindowOn): boolean {
  const window = openWindow(windowOn, here);
  return window !== null && here.minuteOfDay >= window.start && here.minuteOfDay < window.end;
}

/**
 * Wall-clock minutes from `here` to the next window opening, looking `horizonDays` days ahead,
 * or null if none opens. Assumes the clock runs evenly; the caller corrects for offset changes.
 */
function wallMinutesToNextOpening(here: LocalDateTime, windowOn: WindowOn, horizonDays: number): number | null {
  const today = openWindow(windowOn, here);
  if (today && here.minuteOfDay < today.start) return today.start - here.minuteOfDay;
  for (let days = 1; days <= horizonDays; days++) {
    const window = openWindow(windowOn, addDays(here, days));
    if (window) return days * MINUTES_PER_DAY - here.minuteOfDay + window.start;
  }
  return null;
}

/** The first minute in `(from, to]` whose UTC offset differs from the one at `from`, or null if `to` has the same offset. */
function firstOffsetChange(from: number, to: number, timeZone: string): number | null {
  const before = utcOffsetMinutes(from, timeZone);
  if (utcOffsetMinutes(to, timeZone) === before) return null;
  let lo = from;
  let hi = to;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (utcOffsetMinutes(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The earliest instant at or after `from` whose local minute lies inside its date's window:
 * `from` itself if it does, else the first such minute boundary. Null if no window opens within
 * `horizonDays` days.
 *
 * It jumps straight to the next opening on the wall clock instead of walking minute by minute.
 * A DST change in between makes that jump land on the wrong wall time, so the jump stops at the
 * change and re-plans from there — which also handles wall times that do not exist (spring
 * forward: the window opens when the clock jumps into it) and ones that happen twice (fall back:
 * the repeated hour can re-enter a window). Two offset changes inside one jump (at most ~8 days)
 * would go unnoticed; no zone's current rules put two that close.
 */
export function firstInstantInWindows(from: number, timeZone: string, windowOn: WindowOn, horizonDays: number): number | null {
  if (isInside(localDateTime(from, timeZone), windowOn)) return from;
  // Every jump lands on an opening or an offset change, so the loop takes a few turns; this bound
  // is a safety net, and how far a search with no opening ahead looks for a clock change.
  const giveUpAt = floorToMinute(from + (horizonDays + 2) * DAY_MS);
  let t = ceilToMinute(from);
  while (t <= giveUpAt) {
    const here = localDateTime(t, timeZone);
    if (isInside(here, windowOn)) return t;
    const wait = wallMinutesToNextOpening(here, windowOn, horizonDays);
    // With no opening ahead on the wall clock, only the clock going back can still reach one.
    const target = wait === null ? giveUpAt : t + wait * MINUTE_MS;
    const change = firstOffsetChange(t, target, timeZone);
    if (change !== null) t = change;
    else if (wait === null) return null;
    else t = target;
  }
  return null;
}

/** Parses 24-hour "HH:MM" into minutes of the day. */
export function parseHhMm(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`expected 24-hour HH:MM, got ${JSON.stringify(value)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatHhMm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
