import { MAX_MESSAGE_BYTES } from '../../../shared/rpc';
import type { SearchCorpus, SearchPriors } from '../../../shared/contract';
import { entryFromRow, type EntryRow } from '../../../shared/sql-rows';
import type { CacheDb } from '../cache/cache-db';

// A page of entries stays well under one message, counting three bytes a character (Hangul in UTF-8).
const PAGE_CHARS = Math.floor(MAX_MESSAGE_BYTES / 2 / 3);
const PAGE_ROWS = 500;

/**
 * The cached manual for the page's in-memory search index: every entry, sections included, with
 * its rowid (the core's FTS5 breaks bm25 ties by it, so the page does too), the synonyms, and the
 * use counts the core ranks with.
 */
export function createSearchCorpus(db: CacheDb) {
  const entries = db.prepare(`SELECT rowid, * FROM entries WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`);
  const synonyms = db.prepare('SELECT term, expansions FROM synonyms ORDER BY term');
  const usage = db.prepare('SELECT entry_id, synced + pending AS n FROM entry_usage WHERE synced + pending > 0 ORDER BY entry_id');
  return {
    /** Entries after rowid `after`, as many as fit a page (at least one). */
    page(after: number): SearchCorpus {
      const rows = entries.all(after) as (EntryRow & { rowid: number })[];
      const out: SearchCorpus['entries'] = [];
      let chars = 0;
      for (const r of rows) {
        chars += r.title.length + r.body.length + r.keywords.length + r.category.length + (r.sections?.length ?? 0) + 100;
        if (out.length > 0 && chars > PAGE_CHARS) break;
        const e = entryFromRow(r);
        out.push({ rowid: r.rowid, id: e.id, version: e.version, kind: e.kind, category: e.category, title: e.title, keywords: e.keywords, body: e.body, ...(e.sections ? { sections: e.sections } : {}), updatedAt: e.updatedAt });
      }
      const more = out.length < rows.length || rows.length === PAGE_ROWS;
      return { entries: out, next: more ? (out.at(-1)?.rowid ?? null) : null };
    },
    priors(): SearchPriors {
      return {
        synonyms: (synonyms.all() as { term: string; expansions: string }[]).map((r) => ({ term: r.term, expansions: JSON.parse(r.expansions) as string[] })),
        usage: (usage.all() as { entry_id: string; n: number }[]).map((r): [string, number] => [r.entry_id, r.n]),
      };
    },
  };
}
