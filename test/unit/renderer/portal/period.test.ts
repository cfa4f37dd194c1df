import { describe, expect, it } from 'vitest';
import { lastWeeks, seoulDayAfter } from '../../../../renderer/portal/period';

describe('the portal’s days, in Seoul', () => {
  it('counts days on Seoul’s calendar, whatever the machine’s zone', () => {
    // 15:30 UTC is already the next day in Seoul.
    const lateUtc = new Date('2026-12-31T15:30:00Z');
    expect(seoulDayAfter(lateUtc, 0)).toBe('2027-01-01');
    expect(seoulDayAfter(lateUtc, 1)).toBe('2027-01-02');
  });

  it('takes the last four weeks up to today, both ends included', () => {
    expect(lastWeeks(new Date('2026-12-08T03:00:00Z'), 4)).toEqual({ from: '2026-11-11', to: '2026-12-08' });
  });
});
