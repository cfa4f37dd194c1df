import { describe, expect, it } from 'vitest';
import { duration, elapsed } from '../../../../renderer/core/elapsed';

describe('time spans as the desk and the board show them', () => {
  it('reads mm:ss under an hour and h:mm:ss from an hour, whole seconds, never negative', () => {
    expect([0, 5, 65, 599.9, 3599, 3600, 3725.9, 36_000, -3].map(duration)).toEqual(['00:00', '00:05', '01:05', '09:59', '59:59', '1:00:00', '1:02:05', '10:00:00', '00:00']);
  });

  it('counts from a moment (ms) to now, with a clock a little behind counted as zero', () => {
    expect(elapsed(1_000, 2_500)).toBe('00:01');
    expect(elapsed(0, 61_000)).toBe('01:01');
    expect(elapsed(5_000, 4_000)).toBe('00:00');
  });
});
