import { createStore } from 'zustand/vanilla';
import type { SearchHit } from '../../shared/contract';
import type { ManualEntry } from '../../shared/manual';
import type { CoreClient } from '../../shared/rpc';
import type { LocalIndex } from './local-index';

export interface SearchState {
  query: string;
  hits: SearchHit[];
  /** The query `hits` answer (the screen's results can lag the box by one answer). */
  hitsFor: string;
  /** Who answered it: the page's own index (within the keystroke's frame) or the core. */
  answeredBy: 'page' | 'core' | null;
  status: 'idle' | 'searching' | 'done' | 'error';
  error: string | null;
  /** Index of the highlighted result (keyboard). */
  active: number;
  open: ManualEntry | null;
  setQuery(query: string): void;
  /** Asks again for the query shown (the manual changed); the selection stays if the results do. */
  refresh(): void;
  move(delta: number): void;
  openActive(): void;
  openEntry(id: string): void;
  close(): void;
}

const LIMIT = 10;

/**
 * Search-as-you-type state. Every keystroke is answered at once (no debounce, so no lag): by the
 * page's own index when it is loaded, in the same frame; else by the core, where an answer that
 * arrives after a newer query was sent is dropped, so results never jump back to an older query.
 */
export function createSearchStore(core: () => CoreClient | null, local?: Pick<LocalIndex, 'search' | 'used'>) {
  let latest = 0;
  return createStore<SearchState>()((set, get) => ({
    query: '',
    hits: [],
    hitsFor: '',
    answeredBy: null,
    status: 'idle',
    error: null,
    active: 0,
    open: null,
    setQuery(query) {
      const mine = ++latest;
      const client = core();
      if (!query.trim() || !client) {
        set({ query, hits: [], hitsFor: query, answeredBy: null, status: 'idle', error: null, active: 0 });
        return;
      }
      const hits = local?.search(query, LIMIT);
      if (hits) {
        set({ query, hits, hitsFor: query, answeredBy: 'page', status: 'done', error: null, active: 0 });
        return;
      }
      set({ query, status: 'searching' });
      client.call('search', { query, limit: LIMIT }).then(
        (r) => {
          if (mine === latest) set({ hits: r.hits, hitsFor: query, answeredBy: 'core', status: 'done', error: null, active: 0 });
        },
        (e: Error) => {
          if (mine === latest) set({ status: 'error', error: e.message });
        },
      );
    },
    refresh() {
      const { query, hits, active } = get();
      if (!query.trim()) return;
      const before = hits.map((h) => h.id).join();
      get().setQuery(query);
      if (get().hits.map((h) => h.id).join() === before) set({ active });
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
        if (entry) {
          local?.used(id);
          void client.call('markUsed', { id }).catch(() => {});
        }
      });
    },
    close() {
      set({ open: null });
    },
  }));
}

export type SearchStore = ReturnType<typeof createSearchStore>;
