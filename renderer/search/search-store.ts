import { createStore } from 'zustand/vanilla';
import type { SearchHit } from '../../shared/contract';
import type { ManualEntry } from '../../shared/manual';
import type { CoreClient } from '../../shared/rpc';

export interface SearchState {
  query: string;
  hits: SearchHit[];
  /** The query `hits` answer (the screen's results can lag the box by one answer). */
  hitsFor: string;
  status: 'idle' | 'searching' | 'done' | 'error';
  error: string | null;
  /** Index of the highlighted result (keyboard). */
  active: number;
  open: ManualEntry | null;
  setQuery(query: string): void;
  move(delta: number): void;
  openActive(): void;
  openEntry(id: string): void;
  close(): void;
}

const LIMIT = 10;

/**
 * Search-as-you-type state. Every keystroke sends its query at once (no debounce, so no lag);
 * an answer that arrives after a newer query was sent is dropped, so results never jump back to
 * an older query.
 */
export function createSearchStore(core: () => CoreClient | null) {
  let latest = 0;
  return createStore<SearchState>()((set, get) => ({
    query: '',
    hits: [],
    hitsFor: '',
    status: 'idle',
    error: null,
    active: 0,
    open: null,
    setQuery(query) {
      const mine = ++latest;
      const client = core();
      if (!query.trim() || !client) {
        set({ query, hits: [], hitsFor: query, status: 'idle', error: null, active: 0 });
        return;
      }
      set({ query, status: 'searching' });
      client.call('search', { query, limit: LIMIT }).then(
        (r) => {
          if (mine === latest) set({ hits: r.hits, hitsFor: query, status: 'done', error: null, active: 0 });
        },
        (e: Error) => {
          if (mine === latest) set({ status: 'error', error: e.message });
        },
      );
    },
    move(delta) {
      const { hits, active } = get();
      if (hits.length) set({ active: (active + delta + hits.length) % hits.length });
    },
    openActive() {
      const hit = get().hits[get().active];
      if (hit) get().openEntry(hit.id);
    },
    openEntry(id) {
      const client = core();
      if (!client) return;
      void client.call('getEntry', { id }).then((entry) => {
        set({ open: entry });
        // Opening an entry is what counts as using it (a ranking prior, city-wide).
        if (entry) void client.call('markUsed', { id }).catch(() => {});
      });
    },
    close() {
      set({ open: null });
    },
  }));
}

export type SearchStore = ReturnType<typeof createSearchStore>;
