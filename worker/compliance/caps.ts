/**
 * Caps on automated follow-ups per lead (PRODUCT §3.3; tenant settings
 * `consent.maxFollowUpsPerDay` / `maxFollowUpsPerWeek`).
 *
 * - Day: the recipient's local calendar day, so "2 a day" means what the lead experiences.
 * - Week: a rolling 7 × 24 h window ending now. A calendar week would let a burst straddle
 *   Sunday night (5 on Saturday, 5 on Monday), which is exactly what a cap is meant to stop.
 *
 * `nextAllowedAt` is when the caps alone next allow a message; quiet hours still apply on top
 * (pass it to `nextAllowedSendTime`).
 */
import { DAY_MS, firstInstantInWindows, isLaterDate, localDateTime, MINUTES_PER_DAY, sameDate } from './local-time';

const WEEK_MS = 7 * DAY_MS;

export interface FollowUpCapInput {
  /** When earlier automated follow-ups to this lead were sent (any order). */
  sentAt: readonly Date[];
  now: Date;
  /** The recipient's zone (`RecipientLocale.timeZone`). */
  timeZone: string;
  maxPerDay: number;
  maxPerWeek: number;
}

export type FollowUpCapResult =
  | { allowed: true }
  /** `nextAllowedAt` is null when the cap is 0: the tenant has switched follow-ups off. */
  | { allowed: false; reason: 'daily_cap' | 'weekly_cap'; nextAllowedAt: Date | null };

export function followUpCapCheck(input: FollowUpCapInput): FollowUpCapResult {
  const { now, timeZone, maxPerDay, maxPerWeek } = input;
  const sent = input.sentAt.map((d) => d.getTime()).sort((a, b) => a - b);
  const dailyFull = (at: number) => sentOnLocalDayOf(sent, at, timeZone) >= maxPerDay;
  const weeklyFull = (at: number) => sentInWeekEndingAt(sent, at).length >= maxPerWeek;

  const start = now.getTime();
  const weekly = weeklyFull(start);
  if (!weekly && !dailyFull(start)) return { allowed: true };
  // The weekly cap is reported first: it is the one that keeps the lead waiting longer.
  const reason = weekly ? 'weekly_cap' : 'daily_cap';
  if (maxPerDay <= 0 || maxPerWeek <= 0) return { allowed: false, reason, nextAllowedAt: null };

  // Release the binding cap, then re-check both: a week's oldest send expiring can land on a
  // day that is itself full, and the next local day can still be inside a full week.
  let at = start;
  for (;;) {
    if (weeklyFull(at)) at = weeklyReleaseAt(sent, at, maxPerWeek);
    else if (dailyFull(at)) at = startOfNextLocalDay(at, timeZone);
    else return { allowed: false, reason, nextAllowedAt: new Date(at) };
  }
}

function sentOnLocalDayOf(sent: readonly number[], at: number, timeZone: string): number {
  const day = localDateTime(at, timeZone);
  return sent.filter((t) => sameDate(localDateTime(t, timeZone), day)).length;
}

/** Sends inside `(at − 7 days, …)`, counting any stamped after `at` (clock skew) rather than ignoring them. */
function sentInWeekEndingAt(sent: readonly number[], at: number): number[] {
  return sent.filter((t) => t > at - WEEK_MS);
}

/** The moment enough of the week's sends have aged out to leave room for one more. */
function weeklyReleaseAt(sent: readonly number[], at: number, maxPerWeek: number): number {
  const inWeek = sentInWeekEndingAt(sent, at);
  // Of k sends in the window, the oldest k − max + 1 must leave it; the last of those to leave
  // is at index k − max, and it leaves exactly 7 days after it was sent.
  const mustLeave = inWeek[inWeek.length - maxPerWeek];
  return mustLeave === undefined ? at : Math.max(at, mustLeave + WEEK_MS);
}

/** The first instant of the local day after `at`'s (local midnight, or whatever follows it on a DST day). */
function startOfNextLocalDay(at: number, timeZone: string): number {
  const today = localDateTime(at, timeZone);
  const next = firstInstantInWindows(
    at,
    timeZone,
    (date) => (isLaterDate(date, today) ? { start: 0, end: MINUTES_PER_DAY } : null),
    2,
  );
  if (next === null) throw new Error(`no next local day after ${new Date(at).toISOString()} in ${timeZone}`);
  return next;
}
