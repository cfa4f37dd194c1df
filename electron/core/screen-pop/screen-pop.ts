import { MAX_SUGGESTIONS, type ScreenPop, type Suggestion, type SuggestionReason } from '../../../shared/contract';
import { ivrCategoryPrefixes } from '../../../shared/ivr';
import type { EntryKind } from '../../../shared/manual';
import type { PhoneContext } from '../../../shared/phone';
import type { CacheDb } from '../cache/cache-db';
import { createHistoryReader } from '../cache/caller-history';
import type { SearchIndex } from '../search/search-index';
import { ABUSE_LOOKBACK_DAYS, type CallerProtection } from '../../../shared/recording';

const DAY_MS = 86_400_000;
// The caller's newest records read for callbacks, flags and suggestions: every record of any real
// caller; a number that calls all day long (a PBX test line) costs no more than that.
const CALLER_WINDOW = 200;
const MIN_SUGGESTIONS = 3;
const RECENT_DAYS = 90;
// A consultation a month old counts half as much as today's.
const HALF_LIFE_DAYS = 30;
const TOP_CATEGORIES = 5;
// The newest answered records of a category read for what resolves it city-wide: a fixed-size
// sample off the partial index keeps this bounded however many records the cache holds.
const CITY_SAMPLE = 300;
const CITY_TOP = 10;
// A category without entries of its own (free text, or a taxonomy's "일반 문의") is looked up by
// its text in its top-level category, a few at most.
const FALLBACK_CATEGORIES = 3;
const FALLBACK_DISCOUNT = 0.5;
// The IVR choice is what the caller says this call is about, so it outweighs everything the
// history says (at most 3 + 4 + 2 < 10); so does what a citizen wrote, its best match first.
const WEIGHT = { ivr: 10, text: 10, history: 3, own: 4, city: 2 } as const;

type HistoryItems = ScreenPop['items'];

interface EntryPick {
  id: string;
  kind: EntryKind;
  title: string;
  category: string;
  usage: number;
}

interface Signals {
  history: number;
  own: number;
  city: number;
}

export interface ScreenPopRequest {
  number: string;
  ivr?: string | undefined;
  /** A text inquiry's own words. */
  text?: string | undefined;
  limit: number;
}

/** The exclusive upper bound of the strings starting with `prefix`, for an index range scan. */
function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  const last = chars.pop();
  return last === undefined ? '\u{10FFFF}' : chars.join('') + String.fromCodePoint((last.codePointAt(0) ?? 0) + 1);
}

/** The caller's callbacks with no later answered record of the same category (newest first in, newest first out). */
export function openCallbacksOf(items: HistoryItems): HistoryItems {
  const answeredLater = new Set<string>();
  const open: HistoryItems = [];
  for (const item of items) {
    if (item.outcome === 'callback' && !answeredLater.has(item.category)) open.push(item);
    if (item.outcome === 'answered') answeredLater.add(item.category);
  }
  return open;
}

/**
 * Screen-pop for a ringing call, from the local cache only so it works offline: the caller's
 * history, open callbacks, flags for the agent, and the manual entries likely to be needed.
 */
export function createScreenPop(db: CacheDb, phone: PhoneContext, clock: () => Date, search: SearchIndex) {
  const history = createHistoryReader(db, phone, clock);
  const columns = 'e.id, e.kind, e.title, e.category, COALESCE(u.synced + u.pending, 0) AS usage';
  const fromEntries = 'FROM entries e LEFT JOIN entry_usage u ON u.entry_id = e.id';
  const inRange = db.prepare(`SELECT ${columns} ${fromEntries} WHERE e.category >= ? AND e.category < ? ORDER BY usage DESC, e.id LIMIT ?`);
  const inCategory = db.prepare(`SELECT ${columns} ${fromEntries} WHERE e.category = ? ORDER BY usage DESC, e.id LIMIT ?`);
  const byIds = db.prepare(`SELECT ${columns} ${fromEntries} WHERE e.id IN (SELECT value FROM json_each(?))`);
  // Joined to entries: usage of a deleted entry stays in entry_usage but must never be suggested.
  // Entries agents use most, then the newest: a pop always has something to offer.
  const popular = db.prepare(`SELECT ${columns} ${fromEntries} ORDER BY usage DESC, e.updated_at DESC, e.id LIMIT ?`);
  // Counted in SQL: json_each is cheaper than parsing a few hundred arrays in JS on every ring.
  const resolvedBy = db.prepare(`
    WITH sample AS MATERIALIZED (
      SELECT rowid AS r, manual_ids FROM history
      WHERE category = ? AND outcome = 'answered' AND manual_ids <> '[]'
      ORDER BY started_at DESC LIMIT ${CITY_SAMPLE}
    )
    SELECT j.value AS id, COUNT(DISTINCT sample.r) AS n, (SELECT COUNT(*) FROM sample) AS total
    FROM sample, json_each(sample.manual_ids) j
    GROUP BY j.value ORDER BY n DESC, j.value LIMIT ${CITY_TOP}`);

  // Every desk sees a caller's protocol ends (the abusive-caller protocol) over the lookback, whoever took them.
  const abusiveEnds = db.prepare("SELECT COUNT(*) AS n, MAX(started_at) AS last FROM history WHERE caller_e164 = ? AND end_reason = 'abusive' AND started_at >= ?");
  function protectionOf(caller: ScreenPop['caller'], now: number): CallerProtection {
    if (caller.kind !== 'e164') return { abusiveEnds: 0, lastAbusiveAt: null };
    const r = abusiveEnds.get(caller.e164, new Date(now - ABUSE_LOOKBACK_DAYS * DAY_MS).toISOString()) as { n: number; last: string | null };
    return { abusiveEnds: r.n, lastAbusiveAt: r.last };
  }

  const entriesWithPrefix = (prefix: string, n: number) => inRange.all(prefix, prefixEnd(prefix), n) as EntryPick[];

  function suggest(ivr: string | undefined, text: string | undefined, items: HistoryItems, now: number): Suggestion[] {
    const prefixes = ivrCategoryPrefixes(ivr);
    const picks = new Map<string, EntryPick>();
    const keep = (rows: EntryPick[]) => rows.forEach((r) => picks.set(r.id, r));

    // (a') A text inquiry's words, searched as the agent would: the best match weighs most.
    const hits = text?.trim() ? search.search(text, MAX_SUGGESTIONS) : [];
    const textWeight = new Map(hits.map((h, i) => [h.id, 1 - i / hits.length]));
    if (hits.length > 0) keep(byIds.all(JSON.stringify(hits.map((h) => h.id))) as EntryPick[]);

    // (a) The IVR choice: its categories' most used entries. An entry with other signals as well
    // is fetched below, so the most used few are all that can rank on the IVR alone.
    for (const p of prefixes) keep(entriesWithPrefix(p, MAX_SUGGESTIONS));

    // (b) The caller's recent consultations, by category, weighted by recency, and (c) the
    // entries the caller was answered with.
    const categoryWeight = new Map<string, number>();
    const ownWeight = new Map<string, number>();
    for (const item of items) {
      const ageDays = Math.max(0, (now - Date.parse(item.startedAt)) / DAY_MS);
      if (ageDays > RECENT_DAYS) continue;
      const w = 0.5 ** (ageDays / HALF_LIFE_DAYS);
      categoryWeight.set(item.category, (categoryWeight.get(item.category) ?? 0) + w);
      if (item.outcome === 'answered') for (const id of item.manualIds) ownWeight.set(id, (ownWeight.get(id) ?? 0) + w);
    }
    const categories = [...categoryWeight].sort((a, b) => b[1] - a[1]).slice(0, TOP_CATEGORIES);
    const maxCategory = categories[0]?.[1] ?? 1;
    const categoryNorm = new Map(categories.map(([c, w]) => [c, w / maxCategory]));
    const maxOwn = Math.max(1e-9, ...ownWeight.values());

    const fallbackWeight = new Map<string, number>();
    const city = new Map<string, number>();
    let fallbacks = 0;
    for (const [category, norm] of categoryNorm) {
      const rows = inCategory.all(category, MAX_SUGGESTIONS) as EntryPick[];
      keep(rows);
      if (rows.length === 0 && fallbacks++ < FALLBACK_CATEGORIES) {
        for (const r of relatedEntries(category)) {
          picks.set(r.id, r);
          fallbackWeight.set(r.id, Math.max(fallbackWeight.get(r.id) ?? 0, norm * FALLBACK_DISCOUNT));
        }
      }
      // (c) City-wide: the entries linked to this category's latest answered records, by share.
      for (const { id, n, total } of resolvedBy.all(category) as { id: string; n: number; total: number }[]) {
        city.set(id, (city.get(id) ?? 0) + (norm * n) / total);
      }
    }
    // Linked ids are only suggestions if the entry is still in the manual: fetched from entries.
    const linked = [...new Set([...ownWeight.keys(), ...city.keys()])].filter((id) => !picks.has(id));
    if (linked.length > 0) keep(byIds.all(JSON.stringify(linked)) as EntryPick[]);

    const signalsOf = (e: EntryPick): Signals => ({
      history: Math.max(categoryNorm.get(e.category) ?? 0, fallbackWeight.get(e.id) ?? 0),
      own: (ownWeight.get(e.id) ?? 0) / maxOwn,
      city: city.get(e.id) ?? 0,
    });
    const scored = [...picks.values()].map((e) => {
      const s = signalsOf(e);
      const ivrMatch = prefixes.some((p) => e.category.startsWith(p));
      const textMatch = textWeight.get(e.id) ?? 0;
      const reasons: SuggestionReason[] = [];
      if (ivrMatch) reasons.push('ivr');
      if (textMatch > 0) reasons.push('text');
      if (s.history > 0) reasons.push('history');
      if (s.own + s.city > 0) reasons.push('resolved');
      const score = (ivrMatch ? WEIGHT.ivr : 0) + WEIGHT.text * textMatch + WEIGHT.history * s.history + WEIGHT.own * s.own + WEIGHT.city * s.city;
      return { e, reasons, score };
    });
    const ranked = scored
      .filter((x) => x.reasons.length > 0)
      .sort((a, b) => b.score - a.score || b.e.usage - a.e.usage || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0))
      .slice(0, MAX_SUGGESTIONS)
      .map(({ e, reasons }) => ({ id: e.id, kind: e.kind, title: e.title, category: e.category, reasons }));
    if (ranked.length >= MIN_SUGGESTIONS) return ranked;
    // Too little known about this call or caller (or in the manual for it): make it up to three
    // with what agents use most, so the agent always has somewhere to start.
    const seen = new Set(ranked.map((r) => r.id));
    const fill = (popular.all(MAX_SUGGESTIONS * 2) as EntryPick[])
      .filter((e) => !seen.has(e.id))
      .slice(0, (ranked.length > 0 ? MIN_SUGGESTIONS : MAX_SUGGESTIONS) - ranked.length)
      .map((e): Suggestion => ({ id: e.id, kind: e.kind, title: e.title, category: e.category, reasons: ['popular'] }));
    return [...ranked, ...fill];
  }

  /** Entries for a category the manual does not have: its sub-category's text searched in its top-level category, else that category's most used. */
  function relatedEntries(category: string): EntryPick[] {
    const slash = category.indexOf('/');
    const top = slash > 0 ? category.slice(0, slash + 1) : '';
    const leaf = slash > 0 ? category.slice(slash + 1) : category;
    const hits = search.search(leaf, MAX_SUGGESTIONS, top || undefined);
    if (hits.length > 0) return byIds.all(JSON.stringify(hits.map((h) => h.id))) as EntryPick[];
    return top ? entriesWithPrefix(top, MAX_SUGGESTIONS) : [];
  }

  return {
    pop({ number, ivr, text, limit }: ScreenPopRequest): ScreenPop {
      const now = clock().getTime();
      const { caller, items: window, callsLast30Days } = history.lookup(number, Math.max(limit, CALLER_WINDOW));
      const openCallbacks = openCallbacksOf(window);
      const callsLast7Days = window.filter((i) => now - Date.parse(i.startedAt) <= 7 * DAY_MS).length;
      const last = window[0];
      return {
        caller,
        items: window.slice(0, limit),
        callsLast30Days,
        openCallbacks,
        flags: {
          repeat: callsLast7Days >= 2 || callsLast30Days >= 3,
          unresolved: openCallbacks.length > 0 || last?.outcome === 'complaint' || last?.outcome === 'callback',
        },
        protection: protectionOf(caller, now),
        suggestions: suggest(ivr, text, window, now),
      };
    },
  };
}

export type ScreenPopService = ReturnType<typeof createScreenPop>;
