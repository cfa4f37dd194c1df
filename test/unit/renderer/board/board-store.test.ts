import { describe, expect, it } from 'vitest';
import type { TeamBoard } from '../../../../shared/board';
import { createBoardStore } from '../../../../renderer/board/board-store';
import { manualClock } from '../../../helpers/manual-clock';

const boardAt = (at: string): TeamBoard => ({ at, day: '2026-11-28', waiting: { count: 0, oldestSince: null }, agents: [] });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('board store', () => {
  it('refreshes while watched, one request at a time, and stops when nobody watches', async () => {
    const clock = manualClock();
    let calls = 0;
    let fail = false;
    const store = createBoardStore({
      load: async () => {
        calls += 1;
        if (fail) throw new Error('city server unreachable');
        return boardAt(`2026-11-28T00:00:0${calls}Z`);
      },
      timers: clock.timers,
      everyMs: 2000,
    });
    const stop = store.getState().watch();
    await settle();
    expect(calls).toBe(1);
    expect(store.getState().value?.at).toBe('2026-11-28T00:00:01Z');
    clock.advance(1999);
    await settle();
    expect(calls).toBe(1);
    clock.advance(1);
    await settle();
    expect(calls).toBe(2);

    // A failure keeps the last board and says why; the next success clears it.
    fail = true;
    clock.advance(2000);
    await settle();
    expect(store.getState()).toMatchObject({ error: 'city server unreachable', value: { at: '2026-11-28T00:00:02Z' } });
    fail = false;
    clock.advance(2000);
    await settle();
    expect(store.getState().error).toBeNull();

    stop();
    clock.advance(10_000);
    await settle();
    expect(calls).toBe(4);
    expect(clock.pending()).toBe(0);
  });
});
