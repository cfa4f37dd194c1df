import type { SearchHit } from '../../../shared/contract';
import type { ManualEntry } from '../../../shared/manual';
import { answerQuery, CANDIDATES, type FoundEntry } from '../../../shared/search/answer';
import { entryIndexText, searchableBody, termsOf } from '../../../shared/search/index-text';
import { createLexicon, type Lexicon } from '../../../shared/search/lexicon';
import { COLUMN_WEIGHTS, type Match } from '../../../shared/search/match';
import { getMeta, setMeta, type CacheDb } from '../cache/cache-db';

// Bump when tokenisation changes: the index is then rebuilt from the cached entries at open.
const INDEX_VERSION = '2';

type Indexable = Pick<ManualEntry, 'title' | 'keywords' | 'body' | 'sections'>;

/** An entry's searchable columns as the cache stores them (keywords and sections as JSON). */
export interface IndexableRow {
  title: string;
  keywords: string;
  body: string;
  sections: string | null;
}

export const indexable = (r: IndexableRow): Indexable => ({
  title: r.title,
  keywords: JSON.parse(r.keywords) as string[],
  body: r.body,
  ...(r.sections ? { sections: JSON.parse(r.sections) as ManualEntry['sections'] } : {}),
});

interface CandidateRow extends IndexableRow {
  id: string;
  version: number;
  kind: ManualEntry['kind'];
  category: string;
  updated_at: string;
  rank: number;
  usage: number;
}

// Tokens reach FTS5 only inside double quotes with quotes doubled, and are letters or digits
// anyway: whatever the agent types (", *, NEAR(, OR, ^) cannot become query syntax.
const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** A planned match as an FTS5 MATCH expression. */
export function fts5(m: Match): string {
  if ('token' in m) return `{${m.in.join(' ')}} : ${quote(m.token)}${m.prefix ? '*' : ''}`;
  const [parts, joiner] = 'all' in m ? [m.all, ' AND '] : [m.any, ' OR '];
  return `(${parts.map(fts5).join(joiner)})`;
}

/**
 * Korean full-text search over the cached consultation DB: an FTS5 index of syllable bigrams
 * (two-syllable queries, the commonest, match; SQLite's trigram tokenizer cannot), 초성 and single
 * syllables, with typo, English-keyboard and synonym handling in the query planner.
 */
export function createSearchIndex(db: CacheDb, clock: () => Date) {
  const insert = db.prepare('INSERT INTO entry_fts(rowid, title, keywords, body, choseong, uni) VALUES (?, ?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM entry_fts WHERE rowid = ?');
  const allEntries = db.prepare('SELECT rowid, title, keywords, body, sections FROM entries');
  const synonymOf = db.prepare('SELECT expansions FROM synonyms WHERE term = ?');
  // The FTS5 match runs first and alone (MATERIALIZED): joined or filtered in one query, SQLite
  // may instead walk the entries and probe the index row by row, several times slower.
  const candidates = (filter: string) =>
    db.prepare(`
      WITH hits AS MATERIALIZED (
        SELECT rowid, bm25(entry_fts, ${COLUMN_WEIGHTS.join(', ')}) AS rank FROM entry_fts WHERE entry_fts MATCH @match
        ${filter ? '' : `ORDER BY rank LIMIT ${CANDIDATES}`}
      )
      SELECT e.id, e.version, e.kind, e.category, e.title, e.keywords, e.body, e.sections, e.updated_at, hits.rank,
             COALESCE(u.synced + u.pending, 0) AS usage
      FROM hits JOIN entries e ON e.rowid = hits.rowid
      LEFT JOIN entry_usage u ON u.entry_id = e.id
      ${filter}
      ORDER BY hits.rank LIMIT ${CANDIDATES}`);
  const query = candidates('');
  const queryInCategory = candidates('WHERE substr(e.category, 1, length(@category)) = @category');
  let lexicon: Lexicon | null = null;

  function lex(): Lexicon {
    if (!lexicon) {
      lexicon = createLexicon();
      for (const r of allEntries.iterate() as IterableIterator<IndexableRow>) lexicon.add(termsOf(indexable(r)));
    }
    return lexicon;
  }

  function add(rowid: number, e: Indexable): void {
    const t = entryIndexText(e);
    insert.run(rowid, t.title, t.keywords, t.body, t.choseong, t.uni);
    lexicon?.add(termsOf(e));
  }

  const rebuild = db.transaction(() => {
    db.exec('DELETE FROM entry_fts');
    lexicon = null;
    for (const r of allEntries.all() as (IndexableRow & { rowid: number })[]) add(r.rowid, indexable(r));
    setMeta(db, 'searchIndex', INDEX_VERSION);
  });
  // 'stale' (or an older version) means the entries changed without the index: rebuild first.
  const fresh = () => getMeta(db, 'searchIndex') === INDEX_VERSION;
  const ensureFresh = () => {
    if (!fresh()) rebuild();
  };
  ensureFresh();
  // Each sync transaction adds an index segment. FTS5 would merge them inside that transaction
  // (automerge), tripling the time a small delta takes; merging instead runs between syncs (tidy).
  db.exec("INSERT INTO entry_fts(entry_fts, rank) VALUES ('automerge', 0)");
  const mergeStep = db.prepare("INSERT INTO entry_fts(entry_fts, rank) VALUES ('merge', 64)");
  const totalChanges = db.prepare('SELECT total_changes()').pluck();

  const index = {
    /** (Re)indexes one entry; call in the transaction that writes it. `previous` is its old text, if any. */
    put(rowid: number, entry: Indexable, previous: Indexable | null): void {
      if (!fresh()) return;
      if (previous) {
        remove.run(rowid);
        lexicon?.remove(termsOf(previous));
      }
      add(rowid, entry);
    },
    drop(rowid: number, previous: Indexable): void {
      if (!fresh()) return;
      remove.run(rowid);
      lexicon?.remove(termsOf(previous));
    },
    /**
     * For a load from scratch: stop indexing entry by entry (committed with the first page), so
     * the load writes data only; the index is rebuilt once afterwards (`ensureFresh`), or at the
     * next open or search if the process stops first.
     */
    markStale(): void {
      setMeta(db, 'searchIndex', 'stale');
    },
    /** Rebuilds the index if entries changed without it. */
    ensureFresh,
    /** Builds the index if needed and the in-memory vocabulary, before the agent's first keystroke. */
    warm(): void {
      ensureFresh();
      lex();
      // One query through the whole path (statements compiled, index pages read): the agent's
      // first keystroke of the day is then as quick as the rest.
      index.search('민원 신청', 1);
    },
    /**
     * Merges index segments for up to `budgetMs` (call between syncs). Returns whether work
     * remains. Until merged, many small segments only make queries a little slower.
     */
    tidy(budgetMs: number, now: () => number): boolean {
      const end = now() + budgetMs;
      while (now() < end) {
        const before = totalChanges.get() as number;
        mergeStep.run();
        // FTS5 counts the command itself as one change: less than two means no merge work was left.
        if ((totalChanges.get() as number) - before < 2) return false;
      }
      return true;
    },

    search(text: string, limit: number, category?: string): SearchHit[] {
      ensureFresh();
      const l = lex();
      const lexicon = {
        known: l.known,
        near: l.near,
        synonyms: (term: string) => {
          const row = synonymOf.get(term) as { expansions: string } | undefined;
          return row ? (JSON.parse(row.expansions) as string[]) : [];
        },
      };
      const run = (m: Match): FoundEntry[] => {
        const match = fts5(m);
        const rows = (category ? queryInCategory.all({ match, category }) : query.all({ match })) as CandidateRow[];
        return rows.map((r) => {
          const e = indexable(r);
          return { id: r.id, version: r.version, kind: r.kind, category: r.category, title: r.title, keywords: e.keywords, body: searchableBody(e), bm25: r.rank, usage: r.usage, updatedAt: r.updated_at };
        });
      };
      return answerQuery(text, limit, lexicon, run, clock());
    },
  };
  return index;
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
