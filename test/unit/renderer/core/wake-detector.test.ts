import { describe, expect, it } from 'vitest';
import { watchForWake, type IntervalClock } from '../../../../renderer/core/wake-detector';

/** An interval clock the test moves by hand: `tick` fires the interval at whatever time it says. */
function manualClock(start = 1_000_000) {
  let now = start;
  const intervals = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const clock: IntervalClock = {
    now: () => now,
    setInterval: (fn, ms) => (intervals.set(next, { fn, ms }), next++),
    clearInterval: (h) => void intervals.delete(h as number),
  };
  return {
    clock,
    intervals,
    /** Time passes by `ms`, then the interval fires (late, if the machine slept). */
    tick(ms: number) {
      now += ms;
      for (const i of [...intervals.values()]) i.fn();
    },
  };
}

describe('watchForWake', () => {
  it('polls with the given period and stays quiet while the interval fires on time', () => {
    const c = manualClock();
    let woke = 0;
    watchForWake(c.clock, () => woke++, 5_000, 15_000);
    expect([...c.intervals.values()].map((i) => i.ms)).toEqual([5_000]);
    for (let i = 0; i < 100; i++) c.tick(5_000);
    // Late but within the gap (a busy main thread): not a sleep.
    c.tick(15_000);
    expect(woke).toBe(0);
  });

  it('reports a wake when the interval fires far later than due, once per sleep', () => {
    const c = manualClock();
    let woke = 0;
    watchForWake(c.clock, () => woke++);
    c.tick(5_000);
    c.tick(15_001);
    expect(woke).toBe(1);
    c.tick(5_000);
    c.tick(5_000);
    expect(woke).toBe(1);
    c.tick(8 * 3_600_000);
    expect(woke).toBe(2);
  });

  it('measures from the last tick, not from the start', () => {
    const c = manualClock();
    let woke = 0;
    watchForWake(c.clock, () => woke++, 1_000, 3_000);
    // 20 s in all, never more than 3 s between ticks.
    for (let i = 0; i < 8; i++) c.tick(2_500);
    expect(woke).toBe(0);
    c.tick(3_001);
    expect(woke).toBe(1);
  });

  it('stops watching when asked', () => {
    const c = manualClock();
    let woke = 0;
    const stop = watchForWake(c.clock, () => woke++);
    stop();
    expect(c.intervals.size).toBe(0);
    c.tick(60_000);
    expect(woke).toBe(0);
  });
});
