import type { SearchHit } from '../../../shared/contract';
import type { ManualEntry } from '../../../shared/manual';
import { getMeta, setMeta, type CacheDb } from '../cache/cache-db';
import { entryIndexText } from './index-text';
import { createLexicon, type Lexicon } from './lexicon';
import { planQuery } from './query-plan';
import { needlesOf, rerank, snippetOf, spansOf, type Candidate } from './rank';

// Bump when tokenisation changes: the index is then rebuilt from the cached entries at open.
const INDEX_VERSION = '1';
// bm25 weights per column: title, keywords, body, 초성, single syllables.
const WEIGHTS = [10, 6, 1, 5, 3];
const CANDIDATES = 40;
const ENOUGH = 20;

type Indexable = Pick<ManualEntry, 'title' | 'keywords' | 'body'>;

interface CandidateRow {
  rowid: number;
  id: string;
  version: number;
  kind: ManualEntry['kind'];
  category: string;
  title: string;
  keywords: string;
  body: string;
  updated_at: string;
  rank: number;
  usage: number;
}

/**
 * Korean full-text search over the cached consultation DB: an FTS5 index of syllable bigrams
 * (two-syllable queries, the commonest, match; SQLite's trigram tokenizer cannot), 초성 and single
 * syllables, with typo, English-keyboard and synonym handling in the query planner.
 */
export function createSearchIndex(db: CacheDb, clock: () => Date) {
  const insert = db.prepare('INSERT INTO entry_fts(rowid, title, keywords, body, choseong, uni) VALUES (?, ?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM entry_fts WHERE rowid = ?');
  const allEntries = db.prepare('SELECT rowid, title, keywords, body FROM entries');
  const synonymOf = db.prepare('SELECT expansions FROM synonyms WHERE term = ?');
  // The FTS5 match runs first and alone (MATERIALIZED): joined or filtered in one query, SQLite
  // may instead walk the entries and probe the index row by row, several times slower.
  const candidates = (filter: string) =>
    db.prepare(`
      WITH hits AS MATERIALIZED (
        SELECT rowid, bm25(entry_fts, ${WEIGHTS.join(', ')}) AS rank FROM entry_fts WHERE entry_fts MATCH @match
        ${filter ? '' : `ORDER BY rank LIMIT ${CANDIDATES}`}
      )
      SELECT e.rowid, e.id, e.version, e.kind, e.category, e.title, e.keywords, e.body, e.updated_at, hits.rank,
             COALESCE(u.synced + u.pending, 0) AS usage
      FROM hits JOIN entries e ON e.rowid = hits.rowid
      LEFT JOIN entry_usage u ON u.entry_id = e.id
      ${filter}
      ORDER BY hits.rank LIMIT ${CANDIDATES}`);
  const query = candidates('');
  const queryInCategory = candidates('WHERE substr(e.category, 1, length(@category)) = @category');
  let lexicon: Lexicon | null = null;

  const termsOf = (e: Indexable) => entryIndexText(e).terms;

  function lex(): Lexicon {
    if (!lexicon) {
      lexicon = createLexicon();
      for (const r of allEntries.iterate() as IterableIterator<{ title: string; keywords: string; body: string }>) {
        lexicon.add(termsOf({ ...r, keywords: JSON.parse(r.keywords) as string[] }));
      }
    }
    return lexicon;
  }

  function add(rowid: number, e: Indexable): void {
    const t = entryIndexText(e);
    insert.run(rowid, t.title, t.keywords, t.body, t.choseong, t.uni);
    lexicon?.add(t.terms);
  }

  const rebuild = db.transaction(() => {
    db.exec('DELETE FROM entry_fts');
    lexicon = null;
    for (const r of allEntries.all() as { rowid: number; title: string; keywords: string; body: string }[]) {
      add(r.rowid, { ...r, keywords: JSON.parse(r.keywords) as string[] });
    }
    setMeta(db, 'searchIndex', INDEX_VERSION);
  });
  if (getMeta(db, 'searchIndex') !== INDEX_VERSION) rebuild();

  return {
    /** (Re)indexes one entry; call in the transaction that writes it. `previous` is its old text, if any. */
    put(rowid: number, entry: Indexable, previous: Indexable | null): void {
      if (previous) {
        remove.run(rowid);
        lexicon?.remove(termsOf(previous));
      }
      add(rowid, entry);
    },
    drop(rowid: number, previous: Indexable): void {
      remove.run(rowid);
      lexicon?.remove(termsOf(previous));
    },
    /** Builds the in-memory vocabulary now rather than on the first keystroke. */
    warm(): void {
      lex();
    },
    /** The whole index from the entries table, e.g. after a full resync. */
    rebuild(): void {
      rebuild();
    },

    search(text: string, limit: number, category?: string): SearchHit[] {
      const l = lex();
      const plan = planQuery(text, {
        known: l.known,
        near: l.near,
        synonyms: (term) => {
          const row = synonymOf.get(term) as { expansions: string } | undefined;
          return row ? (JSON.parse(row.expansions) as string[]) : [];
        },
      });
      const run = (match: string) => (category ? queryInCategory.all({ match, category }) : query.all({ match })) as CandidateRow[];
      // The most demanding tier first; broader ones only while too few entries were found.
      let rows: CandidateRow[] = [];
      for (const tier of plan.tiers) {
        if (rows.length >= ENOUGH) break;
        const seen = new Set(rows.map((r) => r.id));
        rows = [...rows, ...run(tier).filter((r) => !seen.has(r.id))];
      }
      if (rows.length === 0) return [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const candidates: Candidate[] = rows.map((r) => ({
        id: r.id,
        version: r.version,
        title: r.title,
        keywords: JSON.parse(r.keywords) as string[],
        body: r.body,
        bm25: r.rank,
        usage: r.usage,
        updatedAt: r.updated_at,
      }));
      const needles = needlesOf(plan);
      return rerank(plan, candidates, clock())
        .slice(0, limit)
        .map((c) => {
          const row = byId.get(c.id) as CandidateRow;
          const snippet = snippetOf(c.body, needles);
          return {
            id: c.id,
            kind: row.kind,
            title: c.title,
            category: row.category,
            snippet: snippet.text,
            highlights: snippet.highlights,
            titleHighlights: spansOf(c.title, needles),
            score: Math.round(c.score * 1000) / 1000,
          };
        });
    },
  };
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
