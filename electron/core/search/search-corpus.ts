import type { SearchCorpus } from '../../../shared/contract';
import { entryFromRow, type EntryRow } from '../../../shared/sql-rows';
import type { Synonym } from '../../../shared/sync';
import type { CacheDb } from '../cache/cache-db';

/**
 * The cached manual for the page's in-memory search index: every entry with its rowid (the
 * core's FTS5 breaks bm25 ties by it, so the page does too), the synonyms, and the use counts
 * the core ranks with.
 */
export function createSearchCorpus(db: CacheDb) {
  const entries = db.prepare('SELECT rowid, * FROM entries ORDER BY rowid');
  const synonyms = db.prepare('SELECT term, expansions FROM synonyms ORDER BY term');
  const usage = db.prepare('SELECT entry_id, synced + pending AS n FROM entry_usage WHERE synced + pending > 0 ORDER BY entry_id');
  return {
    read(part: 'all' | 'usage'): SearchCorpus {
      const counts = (usage.all() as { entry_id: string; n: number }[]).map((r): [string, number] => [r.entry_id, r.n]);
      if (part === 'usage') return { usage: counts };
      return {
        entries: (entries.all() as (EntryRow & { rowid: number })[]).map((r) => {
          const e = entryFromRow(r);
          return { rowid: r.rowid, id: e.id, version: e.version, kind: e.kind, category: e.category, title: e.title, keywords: e.keywords, body: e.body, updatedAt: e.updatedAt };
        }),
        synonyms: (synonyms.all() as { term: string; expansions: string }[]).map((r): Synonym => ({ term: r.term, expansions: JSON.parse(r.expansions) as string[] })),
        usage: counts,
      };
    },
  };
}
