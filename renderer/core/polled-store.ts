import { createStore } from 'zustand/vanilla';
import type { Timers } from '../../shared/rpc';

export interface PolledState<T> {
  value: T | null;
  /** Why the last refresh failed (the screen then shows its last good value, marked stale). */
  error: string | null;
  watch(): () => void;
  /** Asks again now (something was just changed through another request). */
  refresh(): void;
}

/**
 * Something the city server knows (the team board, the queue), refreshed every `everyMs` while
 * someone watches it: one request at a time, the next only after the last answered, so a slow
 * server is never piled up on.
 */
export function createPolledStore<T>(deps: { load: () => Promise<T>; timers: Timers; everyMs: number }) {
  let watchers = 0;
  let timer: unknown = null;
  let generation = 0;

  return createStore<PolledState<T>>()((set) => {
    async function refresh(gen: number): Promise<void> {
      try {
        const value = await deps.load();
        if (gen === generation) set({ value, error: null });
      } catch (e) {
        if (gen === generation) set({ error: (e as Error).message });
      }
      if (gen === generation && watchers > 0) timer = deps.timers.setTimeout(() => void refresh(gen), deps.everyMs);
    }
    return {
      value: null,
      error: null,
      refresh() {
        if (watchers === 0) return;
        // A request in flight belongs to the old generation: its answer and its next turn are dropped.
        deps.timers.clearTimeout(timer);
        void refresh(++generation);
      },
      watch() {
        watchers += 1;
        if (watchers === 1) void refresh(++generation);
        return () => {
          watchers -= 1;
          if (watchers > 0) return;
          generation += 1;
          deps.timers.clearTimeout(timer);
          timer = null;
        };
      },
    };
  });
}

export type PolledStore<T> = ReturnType<typeof createPolledStore<T>>;
