import { createStore } from 'zustand/vanilla';
import type { TeamBoard } from '../../shared/board';
import type { Timers } from '../../shared/rpc';

export interface BoardState {
  board: TeamBoard | null;
  /** Why the last refresh failed (the board then shows its last good state, marked stale). */
  error: string | null;
  watch(): () => void;
}

/**
 * The team lead's board, refreshed every `everyMs` while someone watches it: one request at a
 * time, the next only after the last answered, so a slow server is never piled up on.
 */
export function createBoardStore(deps: { load: () => Promise<TeamBoard>; timers: Timers; everyMs?: number }) {
  const everyMs = deps.everyMs ?? 2_000;
  let watchers = 0;
  let timer: unknown = null;
  let generation = 0;

  const store = createStore<BoardState>()((set) => {
    async function refresh(gen: number): Promise<void> {
      try {
        const board = await deps.load();
        if (gen === generation) set({ board, error: null });
      } catch (e) {
        if (gen === generation) set({ error: (e as Error).message });
      }
      if (gen === generation && watchers > 0) timer = deps.timers.setTimeout(() => void refresh(gen), everyMs);
    }
    return {
      board: null,
      error: null,
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
  return store;
}
export type BoardStore = ReturnType<typeof createBoardStore>;
