import { describe, expect, it } from 'vitest';
import { defaultRange, rangeInstants, validRange } from '../../../../../renderer/portal/protection/range';

describe('the recordings’ search range, in Seoul days', () => {
  it('starts with the last 7 days up to today in Korea, whatever the machine’s zone', () => {
    // 23:30 UTC on 2 December is already 3 December in Seoul.
    expect(defaultRange(new Date('2026-12-02T23:30:00Z'))).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(defaultRange(new Date('2026-12-02T14:59:59Z'))).toEqual({ from: '2026-11-26', to: '2026-12-02' });
  });

  it('asks from the first day’s Seoul midnight to the midnight after the last day', () => {
    expect(rangeInstants({ from: '2026-11-27', to: '2026-12-03' })).toEqual({ from: '2026-11-26T15:00:00.000Z', to: '2026-12-03T15:00:00.000Z' });
    expect(rangeInstants({ from: '2026-12-31', to: '2026-12-31' })).toEqual({ from: '2026-12-30T15:00:00.000Z', to: '2026-12-31T15:00:00.000Z' });
  });

  it('takes two dates in order only', () => {
    expect(validRange({ from: '2026-11-27', to: '2026-11-27' })).toBe(true);
    expect(validRange({ from: '2026-11-28', to: '2026-11-27' })).toBe(false);
    expect(validRange({ from: '', to: '2026-11-27' })).toBe(false);
    expect(validRange({ from: '2026-13-40', to: '2026-12-27' })).toBe(false);
  });
});
