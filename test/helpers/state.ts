import Database from 'better-sqlite3';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useKey } from '../../electron/core/cache/cache-db';
import { defaultKeyFile, keyFromFile } from '../../electron/core/cache/cache-key';

/**
 * A SQLite file read-only, as it is: a desk's cache with the key file beside it (`<cache>.key`,
 * as `minwon host` and `minwon sync` keep it) is read with that key, anything else in clear.
 */
export function openCacheReadOnly(file: string): CipherDatabase.Database {
  const db = new CipherDatabase(file, { readonly: true, fileMustExist: true });
  const keyFile = defaultKeyFile(file);
  if (existsSync(keyFile)) useKey(db, keyFromFile(keyFile));
  return db;
}
import type { RecordBatchResult } from '../../shared/record';

export interface KnowledgeState {
  entries: string[];
  departments: string[];
  history: string[];
}

function read(file: string, queries: Record<keyof KnowledgeState, string>): KnowledgeState {
  const db = openCacheReadOnly(file);
  try {
    const col = (sql: string) => (db.prepare(sql).pluck().all() as string[]).sort();
    return { entries: col(queries.entries), departments: col(queries.departments), history: col(queries.history) };
  } finally {
    db.close();
  }
}

/** What the city server holds, in a form comparable with a desk's cache. */
export function serverState(dataDir: string): KnowledgeState {
  return read(join(dataDir, 'city.sqlite'), {
    entries: "SELECT id || '@' || version FROM manual_entries WHERE deleted = 0",
    departments: "SELECT id || '=' || data FROM departments",
    history: 'SELECT id FROM records',
  });
}

export function cacheState(file: string): KnowledgeState {
  return read(file, {
    entries: "SELECT id || '@' || version FROM entries",
    departments: "SELECT id || '=' || data FROM departments",
    history: 'SELECT id FROM history',
  });
}

export function integrityCheck(file: string): string {
  const db = openCacheReadOnly(file);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/**
 * How many upload batches delivered each record id to the server: 1 is exactly once, 0 is lost.
 * Counting rows would not do: the id is the records table's key, so a record uploaded twice under
 * two batch keys still has one row (the server answers the second as a duplicate). The batches'
 * stored answers name every id each batch carried; a replay of the same key is not stored again.
 */
export function serverRecordDeliveries(dataDir: string, ids: readonly string[]): Map<string, number> {
  const db = new Database(join(dataDir, 'city.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const stored = new Set(db.prepare('SELECT id FROM records').pluck().all() as string[]);
    const deliveries = new Map<string, number>();
    for (const response of db.prepare('SELECT response FROM record_batches').pluck().all() as string[]) {
      const answer = JSON.parse(response) as RecordBatchResult;
      for (const id of [...answer.accepted, ...answer.duplicates]) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    return new Map(ids.map((id) => [id, stored.has(id) ? (deliveries.get(id) ?? 0) : 0]));
  } finally {
    db.close();
  }
}

/**
 * The page-atomicity check for a static data set: the cache holds exactly the changes up to its
 * cursor, no more (half a page) and no fewer (a page without its cursor, or a lost one).
 */
export function cacheMatchesItsCursor(cacheFile: string, dataDir: string): { cursorRev: number; cache: number[]; server: number[] } {
  const cache = openCacheReadOnly(cacheFile);
  const city = new Database(join(dataDir, 'city.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const cursor = cache.prepare("SELECT value FROM meta WHERE key = 'cursor'").pluck().get() as string | undefined;
    const cursorRev = cursor ? Number(cursor.split(':')[1]) : 0;
    const count = (db: Database.Database, sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
    const upTo = (kind: string) => count(city, 'SELECT COUNT(*) FROM changes WHERE kind = ? AND rev <= ? AND payload IS NOT NULL', kind, cursorRev);
    return {
      cursorRev,
      cache: [count(cache, 'SELECT COUNT(*) FROM entries'), count(cache, 'SELECT COUNT(*) FROM departments'), count(cache, 'SELECT COUNT(*) FROM history WHERE pending = 0')],
      server: [upTo('entry'), upTo('department'), upTo('history')],
    };
  } finally {
    cache.close();
    city.close();
  }
}

/** Names of the indexes a SQLite file has (the caller index must survive bulk loads and kills). */
export function indexNames(file: string): string[] {
  const db = openCacheReadOnly(file);
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
  } finally {
    db.close();
  }
}

/** The agent's state where Kamailio routes calls by it: the agent_presence row in DATA/sip.sqlite. */
export function routedState(dataDir: string, username: string): string | undefined {
  const db = new Database(join(dataDir, 'sip.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT state FROM agent_presence WHERE username = ?').pluck().get(username) as string | undefined;
  } finally {
    db.close();
  }
}
