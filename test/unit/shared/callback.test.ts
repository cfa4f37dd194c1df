import { describe, expect, it } from 'vitest';
import { nextOpening, openingHoursSchema, type OpeningHours } from '../../../shared/callback';
import { DEFAULT_SETTINGS } from '../../../shared/settings';

// Times are Korea time (UTC+9): 2026-12-07 is a Monday.
const kst = (local: string) => new Date(`${local}+09:00`);

describe('nextOpening', () => {
  const hours = DEFAULT_SETTINGS.openingHours;

  it('is the moment itself inside opening hours', () => {
    expect(nextOpening(hours, kst('2026-12-07T09:00:00'))).toEqual(kst('2026-12-07T09:00:00'));
    expect(nextOpening(hours, kst('2026-12-07T17:59:59'))).toEqual(kst('2026-12-07T17:59:59'));
  });

  it('is the next opening before, after and between periods, over the weekend', () => {
    expect(nextOpening(hours, kst('2026-12-07T08:59:00'))).toEqual(kst('2026-12-07T09:00:00'));
    expect(nextOpening(hours, kst('2026-12-07T18:00:00'))).toEqual(kst('2026-12-08T09:00:00'));
    expect(nextOpening(hours, kst('2026-12-11T19:30:00'))).toEqual(kst('2026-12-14T09:00:00'));
    expect(nextOpening(hours, kst('2026-12-13T12:00:00'))).toEqual(kst('2026-12-14T09:00:00'));
    const split: OpeningHours = { weekly: Array.from({ length: 7 }, () => [{ from: '13:00', to: '18:00' }, { from: '09:00', to: '12:00' }]), holidays: [] };
    expect(nextOpening(split, kst('2026-12-07T12:30:00'))).toEqual(kst('2026-12-07T13:00:00'));
  });

  it('skips public holidays: Christmas, and the three days of Seollal with the weekend after', () => {
    expect(nextOpening(hours, kst('2026-12-24T18:30:00'))).toEqual(kst('2026-12-28T09:00:00'));
    expect(nextOpening(hours, kst('2027-02-05T18:00:00'))).toEqual(kst('2027-02-10T09:00:00'));
  });

  it('keeps a center open around the clock at the moment asked', () => {
    const always: OpeningHours = { weekly: Array.from({ length: 7 }, () => [{ from: '00:00', to: '24:00' }]), holidays: [] };
    expect(nextOpening(always, kst('2026-12-13T03:00:00'))).toEqual(kst('2026-12-13T03:00:00'));
  });

  it('refuses a schedule that never opens, or periods that end before they start', () => {
    expect(openingHoursSchema.safeParse({ weekly: Array.from({ length: 7 }, () => []), holidays: [] }).success).toBe(false);
    expect(openingHoursSchema.safeParse({ weekly: Array.from({ length: 7 }, () => [{ from: '18:00', to: '09:00' }]), holidays: [] }).success).toBe(false);
    expect(openingHoursSchema.safeParse({ weekly: Array.from({ length: 6 }, () => []), holidays: [] }).success).toBe(false);
    expect(openingHoursSchema.safeParse(hours).success).toBe(true);
  });
});
