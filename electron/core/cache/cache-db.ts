import Database from 'better-sqlite3';
import { migrate } from '../../../shared/migrations';
import { CACHE_SCHEMA, HISTORY_BULK_INDEXES } from './schema';

export type CacheDb = Database.Database;

/** Opens (creating when missing) a desk's local cache, in WAL mode, at the current schema. */
export function openCacheDb(file: string): CacheDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last transactions but never corrupts; a saved
  // record is the exception and is written with a full sync (outbox.ts).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, CACHE_SCHEMA);
  // A load from scratch that was killed before its end leaves the history indexes dropped.
  for (const index of HISTORY_BULK_INDEXES) db.exec(index.create);
  return db;
}

export function getMeta(db: CacheDb, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: CacheDb, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
