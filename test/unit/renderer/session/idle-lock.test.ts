import { describe, expect, it } from 'vitest';
import { watchIdle } from '../../../../renderer/session/idle-lock';
import { manualClock } from '../../../helpers/manual-clock';

const MINUTE = 60_000;

/** An event target whose listeners the test can see and fire. */
function fakeTarget() {
  const listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();
  return {
    listeners,
    addEventListener(type: string, l: EventListenerOrEventListenerObject | null) {
      if (!l) return;
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)?.add(l);
    },
    removeEventListener(type: string, l: EventListenerOrEventListenerObject | null) {
      if (l) listeners.get(type)?.delete(l);
    },
    fire(type: string) {
      for (const l of listeners.get(type) ?? []) (typeof l === 'function' ? l : l.handleEvent.bind(l))(new Event(type));
    },
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

function watched(o: { minutes?: number; busy?: boolean } = {}) {
  const clock = manualClock();
  const target = fakeTarget();
  const s = { minutes: o.minutes ?? 5, busy: o.busy ?? false, locks: 0 };
  const stop = watchIdle({
    target,
    minutes: () => s.minutes,
    busy: () => s.busy,
    lock: () => void s.locks++,
    now: clock.now,
    timers: { ...clock.timers, clearInterval: clock.timers.clearTimeout },
  });
  /** Time passes in the interval's own steps, as it would. */
  const pass = (ms: number) => {
    for (let left = ms; left > 0; left -= 1_000) clock.advance(Math.min(1_000, left));
  };
  return { s, target, clock, stop, pass };
}

describe('the idle lock', () => {
  it('locks once the minutes pass without the agent at the keyboard, and only once', () => {
    const { s, pass } = watched({ minutes: 5 });
    pass(5 * MINUTE - 15_000);
    expect(s.locks).toBe(0);
    pass(15_000);
    expect(s.locks).toBe(1);
    // The lock screen is up: the idle time starts afresh rather than locking again and again.
    pass(MINUTE);
    expect(s.locks).toBe(1);
  });

  it('counts keys, clicks and the wheel as the agent at the desk', () => {
    const { s, target, pass } = watched({ minutes: 5 });
    for (const input of ['keydown', 'pointerdown', 'wheel']) {
      pass(4 * MINUTE);
      target.fire(input);
    }
    pass(4 * MINUTE);
    expect(s.locks).toBe(0);
    pass(MINUTE);
    expect(s.locks).toBe(1);
  });

  it('does not count a bumped mouse', () => {
    const { s, target, pass } = watched({ minutes: 5 });
    pass(4 * MINUTE);
    target.fire('pointermove');
    target.fire('mousemove');
    pass(MINUTE);
    expect(s.locks).toBe(1);
  });

  it('never locks during a call, and the call does not count as idle time afterwards', () => {
    const { s, pass } = watched({ minutes: 5 });
    pass(4 * MINUTE);
    s.busy = true;
    // A long call the agent only listens to.
    pass(30 * MINUTE);
    expect(s.locks).toBe(0);
    s.busy = false;
    pass(4 * MINUTE);
    expect(s.locks).toBe(0);
    pass(MINUTE);
    expect(s.locks).toBe(1);
  });

  it('never locks when the city set no idle time, and follows a change of it', () => {
    const { s, pass } = watched({ minutes: 0 });
    pass(8 * 60 * MINUTE);
    expect(s.locks).toBe(0);
    s.minutes = 10;
    // The hours without input before count: the desk was idle all along.
    pass(15_000);
    expect(s.locks).toBe(1);
  });

  it('stops listening and checking once stopped', () => {
    const { s, target, clock, stop, pass } = watched({ minutes: 1 });
    expect(target.count()).toBe(3);
    expect(clock.pending()).toBe(1);
    stop();
    expect(target.count()).toBe(0);
    expect(clock.pending()).toBe(0);
    pass(10 * MINUTE);
    expect(s.locks).toBe(0);
  });
});
