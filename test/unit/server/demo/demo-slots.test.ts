import { describe, expect, it } from 'vitest';
import { demoSlots } from '../../../../server/demo/seed';
import { reservationSettingsSchema } from '../../../../shared/reservation';

describe('the demo’s reservation slots', () => {
  it('open the two weeks after the day of seeding, weekdays only, at Korean office hours, as a valid setting', () => {
    // Monday 7 December 2026, 23:30 in Korea: the next day is a Tuesday.
    const slots = demoSlots(new Date('2026-12-07T14:30:00.000Z'));
    expect(reservationSettingsSchema.safeParse({ reminderMinutes: 60, slots }).success).toBe(true);
    expect(slots).toHaveLength(10 * 3);
    expect(slots[0]).toMatchObject({ id: 'passport-2026-12-08', start: '2026-12-08T01:00:00.000Z', capacity: 3 });
    const days = new Set(slots.map((s) => new Date(Date.parse(s.start) + 9 * 3_600_000).getUTCDay()));
    expect([...days].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(slots.at(-1)).toMatchObject({ id: 'welfare-2026-12-21', start: '2026-12-21T07:00:00.000Z' });
  });
});
