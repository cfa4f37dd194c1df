import { describe, expect, it } from 'vitest';
import { createPolledStore } from '../../../../renderer/core/polled-store';
import { manualClock } from '../../../helpers/manual-clock';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a polled store', () => {
  it('asks every few seconds while watched, once at a time, and not at all when nobody watches', async () => {
    const clock = manualClock();
    let n = 0;
    const store = createPolledStore({ load: async () => ++n, timers: clock.timers, everyMs: 5_000 });
    store.getState().refresh();
    expect(n).toBe(0);
    const stop = store.getState().watch();
    await settle();
    expect(store.getState().value).toBe(1);
    clock.advance(5_000);
    await settle();
    expect(store.getState().value).toBe(2);
    expect(clock.pending()).toBe(1);
    stop();
    expect(clock.pending()).toBe(0);
  });

  it('asks again at once when refreshed, dropping the answer of a request already on its way', async () => {
    const clock = manualClock();
    const answers: ((v: string) => void)[] = [];
    const store = createPolledStore({ load: () => new Promise<string>((r) => answers.push(r)), timers: clock.timers, everyMs: 5_000 });
    store.getState().watch();
    store.getState().refresh();
    expect(answers).toHaveLength(2);
    answers[1]?.('after the change');
    answers[0]?.('before the change');
    await settle();
    expect(store.getState().value).toBe('after the change');
    // One turn scheduled, not two.
    expect(clock.pending()).toBe(1);
  });
});
