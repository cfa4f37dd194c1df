import type { SearchHit } from '../../../shared/contract';
import type { Department } from '../../../shared/directory';
import type { ManualEntry } from '../../../shared/manual';
import { entryFromRow, type EntryRow } from '../../../shared/sql-rows';
import type { CacheDb } from './cache-db';

const SNIPPET = 80;

function snippet(body: string, terms: string[]): string {
  const at = Math.max(0, ...terms.map((t) => body.indexOf(t)));
  const start = Math.max(0, at - 20);
  return (start > 0 ? '…' : '') + body.slice(start, start + SNIPPET).replace(/\s+/g, ' ') + (start + SNIPPET < body.length ? '…' : '');
}

/**
 * Reads of the consultation DB from the cache. Search here is a plain substring match ranked
 * title > keywords > body, every term required; the user's text is only ever compared, never
 * interpreted as query syntax.
 */
export function createEntryReader(db: CacheDb) {
  const byId = db.prepare('SELECT * FROM entries WHERE id = ?');
  const all = db.prepare('SELECT id, kind, category, title, body, keywords FROM entries WHERE (@category IS NULL OR substr(category, 1, length(@category)) = @category)');
  const departments = db.prepare('SELECT data FROM departments ORDER BY id');
  return {
    get(id: string): ManualEntry | null {
      const r = byId.get(id) as EntryRow | undefined;
      return r ? entryFromRow(r) : null;
    },
    search(query: string, limit: number, category?: string): SearchHit[] {
      const terms = query
        .normalize('NFC')
        .split(/[\s\p{P}\p{S}]+/u)
        .filter((t) => t.length > 0);
      if (terms.length === 0) return [];
      const hits: SearchHit[] = [];
      for (const r of all.iterate({ category: category ?? null }) as IterableIterator<EntryRow>) {
        let score = 0;
        for (const t of terms) {
          const s = (r.title.includes(t) ? 3 : 0) + (r.keywords.includes(t) ? 2 : 0) + (r.body.includes(t) ? 1 : 0);
          if (s === 0) {
            score = 0;
            break;
          }
          score += s;
        }
        if (score > 0) hits.push({ id: r.id, kind: r.kind, title: r.title, category: r.category, snippet: snippet(r.body, terms), score });
      }
      return hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
    },
    departments(): Department[] {
      return (departments.all() as { data: string }[]).map((r) => JSON.parse(r.data) as Department);
    },
  };
}
