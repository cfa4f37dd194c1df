import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { migrate } from '../../../shared/migrations';
import { CACHE_SCHEMA, HISTORY_BULK_INDEXES } from './schema';

export type CacheDb = Database.Database;

/** The 32-byte key a desk's cache is encrypted with (SQLCipher's format, through SQLite3 Multiple Ciphers). */
export type CacheKey = Buffer;

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether `file` is an SQLite file in clear (the desks' caches before encryption). */
function isPlainSqlite(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PLAIN_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Makes `db` read and write with `key` (before its first statement). */
export function useKey(db: CacheDb, key: CacheKey): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** Encrypts a cache kept in clear, in place (SQLite can only re-key a file out of WAL mode). */
function encryptInPlace(file: string, key: CacheKey): void {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.pragma("cipher = 'sqlcipher'");
    db.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

/**
 * Opens (creating when missing) a desk's local cache, in WAL mode, at the current schema. With a
 * key the file is encrypted (callers' history and notes are personal data on a desk's disk); a
 * cache still in clear is encrypted in place first. Tools reading a cache they built themselves
 * (the search evaluation, benchmarks) may leave the key out.
 */
export function openCacheDb(file: string, key: CacheKey | null = null): CacheDb {
  if (key && isPlainSqlite(file)) encryptInPlace(file, key);
  const db = new Database(file);
  try {
    if (key) useKey(db, key);
    db.pragma('journal_mode = WAL');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new Error(`${file} cannot be read with this desk's cache key (another desk's cache, or a lost key): move it aside and the desk loads everything from the city again`, { cause: e });
    }
    throw e;
  }
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
