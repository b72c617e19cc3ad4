import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followUpCapCheck, type FollowUpCapInput } from './caps';

const CHICAGO = 'America/Chicago';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (local: string, offset: string): Date => new Date(`${local}:00${offset}`);
const CDT = '-05:00';

function check(input: Partial<FollowUpCapInput> & Pick<FollowUpCapInput, 'sentAt' | 'now'>) {
  return followUpCapCheck({ timeZone: CHICAGO, maxPerDay: 2, maxPerWeek: 5, ...input });
}

describe('followUpCapCheck', () => {
  it('allows a follow-up while both caps have room', () => {
    expect(check({ sentAt: [], now: at('2025-06-04T15:00', CDT) })).toEqual({ allowed: true });
    expect(check({ sentAt: [at('2025-06-04T09:00', CDT)], now: at('2025-06-04T15:00', CDT) })).toEqual({ allowed: true });
  });

  it('daily cap: the next local day opens at local midnight', () => {
    const result = check({ sentAt: [at('2025-06-04T09:00', CDT), at('2025-06-04T11:00', CDT)], now: at('2025-06-04T15:00', CDT) });
    expect(result).toEqual({ allowed: false, reason: 'daily_cap', nextAllowedAt: at('2025-06-05T00:00', CDT) });
  });

  it('the day is the recipient’s local day, not the UTC one', () => {
    // 23:30 CDT on the 3rd is already 04:30Z on the 4th, but for the lead it was yesterday.
    const yesterdayLate = at('2025-06-03T23:30', CDT);
    expect(yesterdayLate.toISOString().slice(0, 10)).toBe('2025-06-04');
    expect(check({ sentAt: [yesterdayLate, at('2025-06-04T09:00', CDT)], now: at('2025-06-04T15:00', CDT) })).toEqual({ allowed: true });
    // And 20:00 CDT on the 4th (01:00Z on the 5th) is still today.
    const result = check({ sentAt: [at('2025-06-04T09:00', CDT), at('2025-06-04T20:00', CDT)], now: at('2025-06-04T21:00', CDT) });
    expect(result).toMatchObject({ allowed: false, reason: 'daily_cap' });
  });

  it('weekly cap: rolling 7 × 24 h, opens when the oldest send in the window ages out', () => {
    const sentAt = [
      at('2025-05-29T10:00', CDT),
      at('2025-05-30T10:00', CDT),
      at('2025-05-31T10:00', CDT),
      at('2025-06-01T10:00', CDT),
      at('2025-06-02T10:00', CDT),
    ];
    const result = check({ sentAt, now: at('2025-06-04T15:00', CDT) });
    expect(result).toEqual({ allowed: false, reason: 'weekly_cap', nextAllowedAt: at('2025-06-05T10:00', CDT) });
    // A send older than 7 days does not count.
    expect(check({ sentAt: [at('2025-05-28T14:59', CDT), ...sentAt.slice(1)], now: at('2025-06-04T15:00', CDT) })).toEqual({ allowed: true });
  });

  it('when the week frees up on a day that is already full, waits for the next day', () => {
    const result = followUpCapCheck({
      sentAt: [at('2025-05-28T10:00', CDT), at('2025-06-01T12:00', CDT), at('2025-06-04T08:00', CDT)],
      now: at('2025-06-04T09:00', CDT),
      timeZone: CHICAGO,
      maxPerDay: 1,
      maxPerWeek: 3,
    });
    // The week has room from 4 June 10:00, but 4 June already had its one; 5 June 00:00 has both.
    expect(result).toEqual({ allowed: false, reason: 'weekly_cap', nextAllowedAt: at('2025-06-05T00:00', CDT) });
  });

  it('when the next day is inside a full week, waits for the week', () => {
    const result = followUpCapCheck({
      sentAt: [at('2025-05-29T16:00', CDT), at('2025-06-04T08:00', CDT), at('2025-06-04T09:00', CDT)],
      now: at('2025-06-04T15:00', CDT),
      timeZone: CHICAGO,
      maxPerDay: 2,
      maxPerWeek: 3,
    });
    expect(result).toEqual({ allowed: false, reason: 'weekly_cap', nextAllowedAt: at('2025-06-05T16:00', CDT) });
  });

  it('a cap of 0 switches follow-ups off: no next time', () => {
    expect(check({ sentAt: [], now: at('2025-06-04T15:00', CDT), maxPerDay: 0 })).toEqual({ allowed: false, reason: 'daily_cap', nextAllowedAt: null });
    expect(check({ sentAt: [], now: at('2025-06-04T15:00', CDT), maxPerWeek: 0 })).toEqual({ allowed: false, reason: 'weekly_cap', nextAllowedAt: null });
  });

  it('the next local day after a spring-forward midnight starts at 01:00 (Havana)', () => {
    // Cuba moves its clocks from 00:00 to 01:00 on 9 March 2025, so that day begins at 05:00Z.
    const result = followUpCapCheck({
      sentAt: [new Date('2025-03-08T15:00:00Z')],
      now: new Date('2025-03-08T20:00:00Z'),
      timeZone: 'America/Havana',
      maxPerDay: 1,
      maxPerWeek: 5,
    });
    expect(result).toEqual({ allowed: false, reason: 'daily_cap', nextAllowedAt: new Date('2025-03-09T05:00:00Z') });
  });

  it('nextAllowedAt is allowed, and an instant before it is not (property)', () => {
    const base = Date.parse('2025-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * DAY }),
        fc.array(fc.integer({ min: 1, max: 10 * DAY }), { maxLength: 12 }),
        fc.constantFrom(CHICAGO, 'America/New_York', 'America/Denver', 'Pacific/Honolulu', 'America/Havana'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        (nowOffset, agesMs, timeZone, maxPerDay, maxPerWeek) => {
          const now = new Date(base + nowOffset);
          const sentAt = agesMs.map((age) => new Date(now.getTime() - age));
          const result = followUpCapCheck({ sentAt, now, timeZone, maxPerDay, maxPerWeek });
          if (result.allowed) return;
          const next = result.nextAllowedAt;
          expect(next).not.toBeNull();
          expect(next!.getTime()).toBeGreaterThan(now.getTime());
          expect(followUpCapCheck({ sentAt, now: next!, timeZone, maxPerDay, maxPerWeek })).toEqual({ allowed: true });
          expect(followUpCapCheck({ sentAt, now: new Date(next!.getTime() - 1), timeZone, maxPerDay, maxPerWeek }).allowed).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
