import { describe, expect, it } from 'vitest';
import { firstInstantInWindows, localDateTime, sameDate, utcOffsetMinutes, type LocalDate } from './local-time';

const NEW_YORK = 'America/New_York';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// Quiet-hours windows never reach the 01:00–03:00 hours where US clocks change, so these cases
// drive the search directly with windows that do.
describe('firstInstantInWindows across offset changes', () => {
  const springForward: LocalDate = { year: 2025, month: 3, day: 9, weekday: 0 };
  const fallBack: LocalDate = { year: 2025, month: 11, day: 2, weekday: 0 };

  it('a window opening at a wall time that does not exist opens when the clock jumps into it', () => {
    // 02:30–05:00 on 9 March 2025 in New York: 02:00 EST is followed by 03:00 EDT (07:00Z).
    const windowOn = (d: LocalDate) => (sameDate(d, springForward) ? { start: 150, end: 300 } : null);
    expect(iso(firstInstantInWindows(Date.parse('2025-03-09T05:00:00Z'), NEW_YORK, windowOn, 8))).toBe('2025-03-09T07:00:00.000Z');
  });

  it('the repeated hour of a fall-back night re-enters a window that had closed', () => {
    // 00:00–01:30 every day. At 01:45 EDT (05:45Z) it has closed; at 06:00Z the clock goes back
    // to 01:00 EST, inside it again.
    const windowOn = () => ({ start: 0, end: 90 });
    expect(iso(firstInstantInWindows(Date.parse('2025-11-02T05:45:00Z'), NEW_YORK, windowOn, 8))).toBe('2025-11-02T06:00:00.000Z');
  });

  it('a wall time that happens twice opens at its first occurrence', () => {
    // 01:15–01:20 on 2 November 2025 happens at 05:15Z (EDT) and again at 06:15Z (EST).
    const windowOn = (d: LocalDate) => (sameDate(d, fallBack) ? { start: 75, end: 80 } : null);
    expect(iso(firstInstantInWindows(Date.parse('2025-11-02T04:00:00Z'), NEW_YORK, windowOn, 8))).toBe('2025-11-02T05:15:00.000Z');
    expect(iso(firstInstantInWindows(Date.parse('2025-11-02T05:30:00Z'), NEW_YORK, windowOn, 8))).toBe('2025-11-02T06:15:00.000Z');
  });

  it('a day that starts at 01:00 (Havana springs forward at midnight) opens at 01:00', () => {
    const windowOn = (d: LocalDate) => (sameDate(d, springForward) ? { start: 0, end: 24 * 60 } : null);
    expect(iso(firstInstantInWindows(Date.parse('2025-03-09T03:00:00Z'), 'America/Havana', windowOn, 8))).toBe('2025-03-09T05:00:00.000Z');
    expect(localDateTime(Date.parse('2025-03-09T05:00:00Z'), 'America/Havana')).toMatchObject({ day: 9, minuteOfDay: 60 });
  });

  it('gives up when no window opens within the horizon', () => {
    expect(firstInstantInWindows(Date.parse('2025-06-02T12:00:00Z'), NEW_YORK, () => null, 8)).toBeNull();
    const farAway = (d: LocalDate) => (d.month === 6 && d.day === 20 ? { start: 600, end: 660 } : null);
    expect(firstInstantInWindows(Date.parse('2025-06-02T12:00:00Z'), NEW_YORK, farAway, 8)).toBeNull();
    expect(iso(firstInstantInWindows(Date.parse('2025-06-12T12:00:00Z'), NEW_YORK, farAway, 8))).toBe('2025-06-20T14:00:00.000Z');
  });
});

describe('localDateTime', () => {
  it('reads wall-clock parts, weekday and offset', () => {
    expect(localDateTime(Date.parse('2025-06-02T01:30:00Z'), NEW_YORK)).toEqual({ year: 2025, month: 6, day: 1, weekday: 0, minuteOfDay: 21 * 60 + 30 });
    expect(localDateTime(Date.parse('2025-06-02T04:00:00Z'), NEW_YORK)).toEqual({ year: 2025, month: 6, day: 2, weekday: 1, minuteOfDay: 0 });
    expect(utcOffsetMinutes(Date.parse('2025-06-02T12:00:00Z'), NEW_YORK)).toBe(-240);
    expect(utcOffsetMinutes(Date.parse('2025-01-02T12:00:00Z'), NEW_YORK)).toBe(-300);
    expect(utcOffsetMinutes(Date.parse('2025-01-02T12:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });
});
