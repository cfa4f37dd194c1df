import { bigrams, stems, words } from './hangul';
import { SEOUL_OFFSET_MS } from './seoul-time';

/**
 * Knowledge gaps (issue 21): the questions agents searched the manual for and found nothing worth
 * opening, grouped by their wording as the desk's search cuts it, so a department reads "questions
 * with no answer in the manual" rather than a list of strings.
 */

/** Words of a question that say nothing of its topic (as they are, or as their stem: 있나요 is 있나). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '문의', '질문', '어떻게', '어디', '어디서', '언제', '얼마', '얼마나', '무엇', '뭔가', '있나', '있어요', '없어요', '하나', '되나',
  '알려', '알려주세요', '궁금', '방법', '관련', '혹시', '가능', '가능한가요', '해도', '되요', '돼요', '그냥', '너무', '많이', '정말',
]);

/**
 * The topic words of a query: Hangul words without their particle or ending (the search's stems),
 * Latin and digit words lowercased, stop words and one-syllable words dropped; each once, sorted.
 */
export function gapTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const w of words(query)) {
    if (w.kind === 'choseong') continue;
    // Only Hangul has endings: a Latin or digit word is its own stem.
    const term = stems(w.text)[0] ?? w.text;
    if (term.length < 2 || STOP_WORDS.has(term) || STOP_WORDS.has(w.text)) continue;
    terms.add(term);
  }
  return [...terms].sort();
}

/** The Monday (a Seoul calendar day, YYYY-MM-DD) of the week `at` falls in, Korea time. */
export function seoulWeekOf(at: string | Date): string {
  const local = new Date(new Date(at).getTime() + SEOUL_OFFSET_MS);
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

export interface MissRow {
  query: string;
  /** gapTerms(query), joined by spaces, as stored. */
  terms: string;
  category: string | null;
  week: string;
}

export interface GapGroup {
  /** The most frequent wording: what the department reads first. */
  label: string;
  count: number;
  /** Each wording with how often it was searched, most frequent first (at most 10). */
  wordings: { query: string; count: number }[];
  /** The group's topic words, the most shared first. */
  terms: string[];
  /** The consultation category most of its searches had, if any. */
  category: string | null;
  /** Searches per week (Monday), oldest first. */
  weeks: { week: string; count: number }[];
}

export interface GroupOptions {
  /** Share of the smaller wording's term bigrams the other must hold to join it (overlap coefficient). */
  overlap?: number;
  /** Bigrams held by more wordings than this say nothing of a topic: they link no pair. */
  maxPosting?: number;
}

interface Wording {
  key: string;
  grams: Set<string>;
  rows: MissRow[];
}

/** The term bigrams of a wording: spacing and compounds (전기차충전소, 전기차 충전소) cut alike. */
const gramsOf = (terms: string): Set<string> => new Set(terms.split(' ').flatMap((t) => bigrams(t)));

function find(parent: number[], i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i] as number] as number;
    i = parent[i] as number;
  }
  return i;
}

function countBy<T>(items: readonly T[], keyOf: (t: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const byCount = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

/**
 * Groups searches by wording: first identical term sets (one pass, as GROUP BY would), then
 * wordings whose term bigrams overlap enough, joined transitively (union-find over an inverted
 * index of bigrams, so the cost follows the distinct wordings, not the searches). Largest group first.
 */
export function groupGaps(rows: readonly MissRow[], o: GroupOptions = {}): GapGroup[] {
  const overlap = o.overlap ?? 0.5;
  const maxPosting = o.maxPosting ?? 500;
  const byKey = new Map<string, Wording>();
  for (const row of rows) {
    if (!row.terms) continue;
    let w = byKey.get(row.terms);
    if (!w) byKey.set(row.terms, (w = { key: row.terms, grams: gramsOf(row.terms), rows: [] }));
    w.rows.push(row);
  }
  const wordings = [...byKey.values()];
  const postings = new Map<string, number[]>();
  wordings.forEach((w, i) => {
    for (const g of w.grams) {
      const list = postings.get(g);
      if (list) list.push(i);
      // Stryker disable next-line ArrayDeclaration: the first wording of a bigram is never a later one's partner (pairs are looked up forwards).
      else postings.set(g, [i]);
    }
  });
  const parent = wordings.map((_, i) => i);
  wordings.forEach((w, i) => {
    const shared = new Map<number, number>();
    for (const g of w.grams) {
      const list = postings.get(g) as number[];
      if (list.length > maxPosting) continue;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: each pair once, from its first wording; counted from either side (or both) it joins the same.
      for (const j of list) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const [j, n] of shared) {
      const other = wordings[j] as Wording;
      if (n / Math.min(w.grams.size, other.grams.size) >= overlap) parent[find(parent, j)] = find(parent, i);
    }
  });
  const groups = new Map<number, Wording[]>();
  wordings.forEach((w, i) => {
    const root = find(parent, i);
    const members = groups.get(root);
    if (members) members.push(w);
    else groups.set(root, [w]);
  });
  return [...groups.values()]
    .map((members): GapGroup => {
      const all = members.flatMap((m) => m.rows);
      const wordingCounts = byCount(countBy(all, (r) => r.query));
      return {
        label: (wordingCounts[0] as [string, number])[0],
        count: all.length,
        wordings: wordingCounts.slice(0, 10).map(([query, count]) => ({ query, count })),
        terms: byCount(countBy(all.flatMap((r) => r.terms.split(' ')), (t) => t || null)).slice(0, 5).map(([t]) => t),
        category: byCount(countBy(all, (r) => r.category))[0]?.[0] ?? null,
        weeks: [...countBy(all, (r) => r.week)].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([week, count]) => ({ week, count })),
      };
    })
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}
