/**
 * The search index's columns, each entry's text cut into tokens (see index-text.ts): syllable
 * bigrams and Latin/digit words of the title, keywords and body; 초성 of head words; single syllables.
 */
export const COLUMNS = ['title', 'keywords', 'body', 'choseong', 'uni'] as const;
export type Column = (typeof COLUMNS)[number];
export const TEXT_COLUMNS: readonly Column[] = ['title', 'keywords', 'body'];
/** bm25 weight of a token found in each column, in COLUMNS order. */
export const COLUMN_WEIGHTS: readonly number[] = [10, 6, 1, 5, 3];

/**
 * What a query asks of the index: a token (or a token prefix) in some columns, or all / any of
 * several. Built by the query planner; run by SQLite's FTS5 in the core (as a MATCH expression)
 * and by the in-memory index in the page, which must agree.
 */
export type Match = { all: Match[] } | { any: Match[] } | { token: string; prefix: boolean; in: readonly Column[] };

export const token = (t: string, prefix: boolean, columns: readonly Column[]): Match => ({ token: t, prefix, in: columns });
/** All / any of `parts`; a single part stands for itself. */
export const all = (parts: Match[]): Match => (parts.length === 1 ? (parts[0] as Match) : { all: parts });
export const any = (parts: Match[]): Match => (parts.length === 1 ? (parts[0] as Match) : { any: parts });

/** The tokens of a match, in order, each as often as it occurs: bm25 scores each one. */
export function phrasesOf(m: Match): Extract<Match, { token: string }>[] {
  if ('token' in m) return [m];
  return ('all' in m ? m.all : m.any).flatMap(phrasesOf);
}
