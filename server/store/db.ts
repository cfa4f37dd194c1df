import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { migrate } from '../../shared/migrations';
import { SCHEMA } from './schema';

export type Db = Database.Database;

/** Opens (creating when missing) the city server's SQLite file, in WAL mode, at the current schema. */
export function openCityDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, SCHEMA);
  // The epoch names this database in sync cursors, so a desk notices a replaced or restored server.
  db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('epoch', ?)").run(randomBytes(9).toString('base64url'));
  return db;
}

/**
 * Runs `fn` as a write transaction that takes the write lock first (BEGIN IMMEDIATE). A deferred
 * one reads first and may find, when it comes to write, that another process (an import, the
 * SIP server) wrote meanwhile: SQLite must then fail it at once (SQLITE_BUSY), busy timeout or
 * not. Taking the lock first makes it wait its turn instead.
 */
export function inWriteTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export function getEpoch(db: Db): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'epoch'").get() as { value: string }).value;
}
