import { choseong, fromQwerty, isChoseongQuery, words } from '../../shared/hangul';
import type { Timers } from '../../shared/rpc';
import { tokensOf } from '../../shared/search/index-text';

/** A search that ended without an entry opened: what the agent settled on, and the consultation's category. */
export interface SearchMissReport {
  query: string;
  category: string | null;
}

export interface SearchEpisodeDeps {
  report(miss: SearchMissReport): void;
  /** The consultation's category as the agent has it now, or null (none chosen, no consultation). */
  category(): string | null;
  timers: Timers;
  /** Typing paused this long settles the query (Enter settles it at once). */
  settleMs?: number;
  /** An episode this long without a new settled query or an open ends. */
  idleMs?: number;
}

/** The query as meant: spaces collapsed, Latin words typed in English mode read as the Hangul they make. */
function meant(query: string): string {
  return words(query)
    .map((w) => (w.kind === 'alnum' ? (fromQwerty(w.text) ?? w.text) : w.text))
    .join(' ');
}

/**
 * Whether query `b` refines `a` rather than asking something else: one holds the other (typing on,
 * deleting back), they share a word's syllable pair or a Latin word (주차 요금 → 주차장 요금), or
 * one is the other's 초성 (ㅈㅁㄷㄹ → 주민등록).
 */
export function related(a: string, b: string): boolean {
  const [x, y] = [meant(a), meant(b)];
  const [cx, cy] = [x.replaceAll(' ', ''), y.replaceAll(' ', '')];
  if (!cx || !cy) return false;
  if (cx.includes(cy) || cy.includes(cx)) return true;
  const mine = new Set(tokensOf(x));
  if (tokensOf(y).some((t) => mine.has(t))) return true;
  const initials = (s: string) => (isChoseongQuery(s) ? s : choseong(s));
  const [ix, iy] = [initials(cx), initials(cy)];
  return (isChoseongQuery(cx) || isChoseongQuery(cy)) && (ix.includes(iy) || iy.includes(ix));
}

/**
 * Search episodes, for the manual's gaps: keystrokes are not searches. The query the agent settles
 * on (typing paused, or Enter) opens an episode; later typing that refines it stays in it. The
 * episode is a hit once an entry is opened from its results. It ends when the box is cleared, when
 * an unrelated query settles, after `idleMs` without a new query or an open, or when the
 * consultation is filed; ending without an entry opened, its last settled query is reported, once.
 */
export function createSearchEpisodes(deps: SearchEpisodeDeps) {
  const settleMs = deps.settleMs ?? 2_500;
  const idleMs = deps.idleMs ?? 120_000;
  // The box as it stands, and whether it has been settled since it last changed.
  let typed = '';
  let unsettled = false;
  let settleTimer: unknown = null;
  let idleTimer: unknown = null;
  let episode: { query: string; opened: boolean; category: string | null } | null = null;

  const stop = (timer: unknown) => timer !== null && deps.timers.clearTimeout(timer);

  function end(category: string | null = deps.category()): void {
    stop(idleTimer);
    idleTimer = null;
    const e = episode;
    episode = null;
    if (e && !e.opened) deps.report({ query: e.query, category: category ?? e.category });
  }

  function settle(): void {
    stop(settleTimer);
    settleTimer = null;
    if (!unsettled) return;
    unsettled = false;
    const query = typed.trim().replace(/\s+/g, ' ');
    if (!query) return;
    if (episode && !related(episode.query, query)) end();
    episode = { query, opened: episode?.opened ?? false, category: deps.category() ?? episode?.category ?? null };
    stop(idleTimer);
    idleTimer = deps.timers.setTimeout(() => {
      idleTimer = null;
      end();
    }, idleMs);
  }

  return {
    /** The search box changed (every keystroke). */
    typed(query: string): void {
      if (query === typed) return;
      typed = query;
      stop(settleTimer);
      settleTimer = null;
      if (!query.trim()) {
        unsettled = false;
        end();
        return;
      }
      unsettled = true;
      settleTimer = deps.timers.setTimeout(settle, settleMs);
    },
    /** Enter in the search box: the query as it stands is settled. */
    entered: settle,
    /** An entry was opened from the results: the episode found its answer. */
    opened(): void {
      settle();
      if (episode) episode.opened = true;
    },
    /**
     * The consultation was filed (or set aside): the episode ends with it, under its category. The
     * box may still hold the query: only typing starts another episode.
     */
    filed(category: string | null): void {
      stop(settleTimer);
      settleTimer = null;
      unsettled = false;
      end(category);
    },
  };
}

export type SearchEpisodes = ReturnType<typeof createSearchEpisodes>;
