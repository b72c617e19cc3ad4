import { describe, expect, it } from 'vitest';
import { addBusinessMinutes } from './business-time';

const HOURS = { start: '08:00', end: '20:00', days: [1, 2, 3, 4, 5, 6] };
const TZ = 'America/Chicago';

describe('addBusinessMinutes', () => {
  it('adds plain minutes inside business hours', () => {
    // Tuesday 2026-11-17 10:00 Chicago = 16:00Z
    expect(addBusinessMinutes(new Date('2026-11-17T16:00:00Z'), 10, TZ, HOURS).toISOString()).toBe('2026-11-17T16:10:00.000Z');
  });

  it('starts the clock at the next opening when raised at night', () => {
    // Tuesday 23:00 Chicago (05:00Z Wednesday) → Wednesday 08:10 Chicago = 14:10Z
    expect(addBusinessMinutes(new Date('2026-11-18T05:00:00Z'), 10, TZ, HOURS).toISOString()).toBe('2026-11-18T14:10:00.000Z');
  });

  it('carries what is left at closing into the next business day', () => {
    // Tuesday 19:55 Chicago (01:55Z Wed) + 10 min → 5 min today, 5 min from Wednesday 08:00
    expect(addBusinessMinutes(new Date('2026-11-18T01:55:00Z'), 10, TZ, HOURS).toISOString()).toBe('2026-11-18T14:05:00.000Z');
  });

  it('skips closed days (Sunday)', () => {
    // Saturday 2026-11-21 19:00 Chicago (01:00Z Sun) + 120 min → 60 min Saturday, then Monday 09:00 Chicago = 15:00Z
    expect(addBusinessMinutes(new Date('2026-11-22T01:00:00Z'), 120, TZ, HOURS).toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  it('keeps the seconds: a 1-minute SLA raised at 10:00:40 is due at 10:01:40, not at a rounded minute', () => {
    expect(addBusinessMinutes(new Date('2026-11-17T16:00:40.500Z'), 1, TZ, HOURS).toISOString()).toBe('2026-11-17T16:01:40.500Z');
  });

  it('is exact at the opening minute', () => {
    expect(addBusinessMinutes(new Date('2026-11-17T14:00:00Z'), 1, TZ, HOURS).toISOString()).toBe('2026-11-17T14:01:00.000Z');
  });
});
