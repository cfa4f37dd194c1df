import type { Department } from '../../../shared/directory';
import type { ManualEntry } from '../../../shared/manual';
import { entryFromRow, type EntryRow } from '../../../shared/sql-rows';
import type { CacheDb } from './cache-db';

/** Reads of the consultation DB and the directory from the cache (search is in search/). */
export function createEntryReader(db: CacheDb) {
  const byId = db.prepare('SELECT * FROM entries WHERE id = ?');
  const departments = db.prepare('SELECT data FROM departments ORDER BY id');
  return {
    get(id: string): ManualEntry | null {
      const r = byId.get(id) as EntryRow | undefined;
      return r ? entryFromRow(r) : null;
    },
    departments(): Department[] {
      return (departments.all() as { data: string }[]).map((r) => JSON.parse(r.data) as Department);
    },
  };
}
