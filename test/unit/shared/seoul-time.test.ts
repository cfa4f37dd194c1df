import { describe, expect, it } from 'vitest';
import { seoulClock, seoulDay, seoulDayBounds, seoulInstant } from '../../../shared/seoul-time';

describe('Seoul time', () => {
  it('counts a Seoul day from its midnight, whatever zone the machine is in', () => {
    expect(seoulDay(new Date('2026-11-28T14:59:59Z'))).toMatchObject({ day: '2026-11-28' });
    expect(seoulDay(new Date('2026-11-28T15:00:00Z'))).toMatchObject({ day: '2026-11-29' });
    expect(seoulDay(new Date('2026-11-28T15:00:00Z')).from.toISOString()).toBe('2026-11-28T15:00:00.000Z');
    const { from, to } = seoulDayBounds('2026-12-08');
    expect([from.toISOString(), to.toISOString()]).toEqual(['2026-12-07T15:00:00.000Z', '2026-12-08T15:00:00.000Z']);
  });

  it('reads and writes the city’s wall clock', () => {
    expect(seoulClock(new Date('2026-12-07T16:00:00Z'))).toBe('01:00');
    expect(seoulInstant('2026-12-08', '15:00').toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(Number.isNaN(seoulInstant('2026-12-08', 'soon').getTime())).toBe(true);
  });
});
