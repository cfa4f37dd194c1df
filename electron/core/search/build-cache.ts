import { manualEntrySchema, type ManualEntryInput } from '../../../shared/manual';
import type { SyncPage, Synonym } from '../../../shared/sync';
import { createPageWriter, zeroCounts } from '../cache/apply-page';
import { openCacheDb, type CacheKey } from '../cache/cache-db';
import { createSearchIndex } from './search-index';

/**
 * Fills a desk cache straight from manual entries (and a synonym table), through the same
 * writer and index as a sync: for an offline install or a search evaluation. The cache keeps no
 * cursor, so a later sync with a city server starts from scratch.
 */
export function buildCacheFromManual(file: string, entries: readonly ManualEntryInput[], synonyms: readonly Synonym[], now: Date, key: CacheKey | null = null): number {
  const db = openCacheDb(file, key);
  try {
    const search = createSearchIndex(db, () => now);
    const writer = createPageWriter(db, search);
    let rev = 0;
    const changes: SyncPage['changes'] = [
      ...entries.map((e) => {
        const entry = manualEntrySchema.parse({ keywords: [], kind: 'manual', department: null, ...e, updatedAt: e.updatedAt ?? now.toISOString(), version: 1 });
        return { rev: ++rev, kind: 'entry' as const, key: entry.id, data: entry };
      }),
      ...synonyms.map((s) => ({ rev: ++rev, kind: 'synonym' as const, key: s.term, data: s })),
    ];
    const upserts = zeroCounts();
    db.transaction(() => {
      writer.apply({ cursor: 'offline-build:0', hasMore: false, reset: false, changes }, upserts, zeroCounts());
      db.prepare("DELETE FROM meta WHERE key = 'cursor'").run();
    })();
    return upserts.entry;
  } finally {
    db.close();
  }
}
