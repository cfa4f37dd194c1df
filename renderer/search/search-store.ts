import { createStore } from 'zustand/vanilla';
import type { SearchHit } from '../../shared/contract';
import type { ManualEntry } from '../../shared/manual';
import type { CoreClient } from '../../shared/rpc';
import type { LocalIndex } from './local-index';
import type { SearchEpisodes } from './search-episodes';

export interface SearchState {
  query: string;
  hits: SearchHit[];
  /** The query `hits` answer (the screen's results can lag the box by one answer). */
  hitsFor: string;
  /** Who answered it: the page's own index (within the keystroke's frame) or the core. */
  answeredBy: 'page' | 'core' | null;
  status: 'idle' | 'searching' | 'done' | 'error';
  error: string | null;
  open: ManualEntry | null;
  setQuery(query: string): void;
  /** Enter in the search box: the agent settled on the query. */
  entered(): void;
  /** Asks again for the query shown (the manual changed). */
  refresh(): void;
  openEntry(id: string): void;
  /** Opens a result of the query typed (the search found what the agent looked for). */
  openResult(id: string): void;
  close(): void;
}

const LIMIT = 10;

/**
 * Search-as-you-type state. Every keystroke is answered at once (no debounce, so no lag): by the
 * page's own index when it is loaded, in the same frame; else by the core, where an answer that
 * arrives after a newer query was sent is dropped, so results never jump back to an older query.
 * The box's changes, Enter and the results opened go to `episodes`, which tells searches that
 * found nothing from keystrokes.
 */
export function createSearchStore(core: () => CoreClient | null, local?: Pick<LocalIndex, 'search' | 'used'>, episodes?: Pick<SearchEpisodes, 'typed' | 'entered' | 'opened'>) {
  let latest = 0;
  return createStore<SearchState>()((set, get) => ({
    query: '',
    hits: [],
    hitsFor: '',
    answeredBy: null,
    status: 'idle',
    error: null,
    open: null,
    setQuery(query) {
      episodes?.typed(query);
      const mine = ++latest;
      const client = core();
      if (!query.trim() || !client) {
        set({ query, hits: [], hitsFor: query, answeredBy: null, status: 'idle', error: null });
        return;
      }
      const hits = local?.search(query, LIMIT);
      if (hits) {
        set({ query, hits, hitsFor: query, answeredBy: 'page', status: 'done', error: null });
        return;
      }
      set({ query, status: 'searching' });
      client.call('search', { query, limit: LIMIT }).then(
        (r) => {
          if (mine === latest) set({ hits: r.hits, hitsFor: query, answeredBy: 'core', status: 'done', error: null });
        },
        (e: Error) => {
          if (mine === latest) set({ status: 'error', error: e.message });
        },
      );
    },
    entered() {
      episodes?.entered();
    },
    refresh() {
      const { query } = get();
      if (query.trim()) get().setQuery(query);
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
    openResult(id) {
      episodes?.opened();
      get().openEntry(id);
    },
    close() {
      set({ open: null });
    },
  }));
}

export type SearchStore = ReturnType<typeof createSearchStore>;
