/**
 * SLA clocks run in business time (PRODUCT.md §3.4: "SLA ladder … business-hours aware"): an
 * alert raised at 23:00 with a 10-minute SLA is due at 10 minutes past the next opening, not
 * at 23:10. Hours are the tenant's (settings.businessHours) in the tenant's time zone.
 */
import { localClock } from '../intelligence/routing/route';

export interface BusinessHours {
  start: string;
  end: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
}

const ISO_DAY: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const MINUTE = 60_000;
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * `from` plus `minutes` of open business time. Works in whole local minutes; around a DST change
 * a deadline can land up to an hour off, which an SLA of minutes tolerates.
 */
export function addBusinessMinutes(from: Date, minutes: number, timeZone: string, hours: BusinessHours): Date {
  const open = toMinutes(hours.start);
  const close = toMinutes(hours.end);
  const days = new Set(hours.days);
  let cursor = from.getTime();
  let remaining = minutes * MINUTE;
  // Each pass either finishes or moves to the next opening: two weeks of passes is more than enough.
  for (let pass = 0; pass < 30; pass++) {
    const clock = localClock(new Date(cursor), timeZone);
    const day = ISO_DAY[clock.day]!;
    // Local wall-clock position in ms (seconds kept: the local clock only has whole minutes).
    const now = toMinutes(clock.hhmm) * MINUTE + (cursor % MINUTE);
    if (days.has(day) && now >= open * MINUTE && now < close * MINUTE) {
      const left = close * MINUTE - now;
      if (remaining <= left) return new Date(cursor + remaining);
      remaining -= left;
      cursor += left;
      continue;
    }
    // Closed: jump to today's opening if it is still ahead, else to the next midnight and look again.
    cursor += now < open * MINUTE && days.has(day) ? open * MINUTE - now : 24 * 60 * MINUTE - now;
  }
  return new Date(from.getTime() + minutes * MINUTE);
}
