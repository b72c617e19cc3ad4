/**
 * The grounding check and the figure formats it leans on: a narration may only write numbers the
 * figure table shows (ids and Q1–Q4 labels are not figures), and cost follows the price table.
 */
import { describe, expect, it } from 'vitest';
import { costMicroUsd } from '../../providers/anthropic/coaching-narrator';
import { formatDuration, numbersIn, ungroundedNumbers, type Figure } from './insights';
import { median } from './metrics';

const figures: Figure[] = [
  { key: 'replyTimeMedianMs', label: 'Median reply time', agent: formatDuration(35 * 60_000), team: formatDuration(32.5 * 60_000) },
  { key: 'coverage.q3Condition', label: 'Q3 answered', agent: '25 %', team: '63 %' },
  { key: 'talkRatio', label: 'Talk ratio', agent: '1.56', team: 'n/a' },
  { key: 'leads', label: 'Leads', agent: '1200', team: '3' },
];

describe('coaching figures and grounding', () => {
  it('formats durations the way people say them', () => {
    expect(formatDuration(35 * 60_000)).toBe('35 min');
    expect(formatDuration(32.5 * 60_000)).toBe('33 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(36 * 3_600_000)).toBe('36 h');
    expect(formatDuration(60 * 3_600_000)).toBe('2.5 days');
  });

  it('takes the mean of the two middle values for an even count', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 15])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reads numbers but not ids or question labels', () => {
    expect(numbersIn('Call lead_3xYZab9KqPm (Q3, Q1–Q4) within 2 h; 1,200 leads; talk ratio 1,56')).toEqual(['2', '1200', '1.56']);
  });

  it('accepts a narration quoting only the figures and names what it invented', () => {
    expect(ungroundedNumbers('You answered Q3 in 25% of leads vs team 63 %; reply time 35 min (team 33 min); ratio 1.56; 1,200 leads', figures)).toEqual([]);
    expect(ungroundedNumbers('Replies take 47 min, 3 times the team; ratio 1.6', figures)).toEqual(['47', '1.6']);
  });

  it('prices tokens from the table: Haiku 4.5 at $1 / $5 per MTok, cache writes 1.25×, reads 0.1×', () => {
    expect(costMicroUsd('claude-haiku-4-5', { inputTokens: 2000, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBe(3500);
    expect(costMicroUsd('claude-haiku-4-5', { inputTokens: 100, outputTokens: 10, cacheReadTokens: 5000, cacheWriteTokens: 400 })).toBe(100 + 50 + 500 + 500);
    // Unknown model: priced as the dearer Sonnet (3 / 15) so tracking never undercounts.
    expect(costMicroUsd('claude-unknown-9', { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBe(4500);
  });
});
