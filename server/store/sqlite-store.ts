import Database from 'better-sqlite3';
import { migrate } from '../../shared/migrations';
import { SCHEMA } from './schema';
import type { CityStore, Db, SqlParam } from './sql';

export interface SqliteStore extends CityStore {
  /** The file's own connection, for what only SQLite has (the SIP server's file, tools, tests). */
  readonly sqlite: Database.Database;
}

/**
 * The city store in one SQLite file (the default: one machine, no server to run), in WAL mode, at
 * the current schema. One connection: statements run synchronously, and a transaction holds the
 * connection from BEGIN to COMMIT while other callers wait their turn, so that nobody's statement
 * lands inside another's transaction across an `await`.
 */
export function openSqliteStore(file: string): SqliteStore {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  migrate(sqlite, SCHEMA);
  return sqliteStore(sqlite);
}

/** The store's interface over a connection already opened and set up (the SIP server's file has a schema of its own). */
export function sqliteStore(sqlite: Database.Database): SqliteStore {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = sqlite.prepare(sql)));
    return s;
  };
  const direct: Omit<Db, 'write' | 'read'> = {
    engine: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlParam[] = []) => prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlParam[] = []) => prepare(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlParam[] = []) => prepare(sql).run(...params).changes,
  };

  // The connection's owner: a transaction, from BEGIN to COMMIT or ROLLBACK; while one runs or
  // waits, every other statement queues behind it (in order), else it runs at once.
  let turn: Promise<void> = Promise.resolve();
  let pending = 0;
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = turn;
    let release!: () => void;
    turn = new Promise<void>((r) => (release = r));
    pending++;
    await before;
    try {
      return await fn();
    } finally {
      pending--;
      release();
    }
  }

  function transaction(begin: string) {
    return <T>(fn: (tx: Db) => Promise<T>): Promise<T> =>
      exclusive(async () => {
        sqlite.exec(begin);
        try {
          const result = await fn(tx);
          sqlite.exec('COMMIT');
          return result;
        } catch (e) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw e;
        }
      });
  }
  // Inside a transaction: statements run directly, a nested transaction joins this one.
  const tx: Db = { ...direct, write: (fn) => fn(tx), read: (fn) => fn(tx) };

  const queued = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => (pending > 0 ? exclusive(() => f(...a)) : f(...a));
  return {
    ...direct,
    sqlite,
    all: queued(direct.all) as Db['all'],
    get: queued(direct.get) as Db['get'],
    run: queued(direct.run),
    write: transaction('BEGIN IMMEDIATE'),
    read: transaction('BEGIN'),
    close: async () => {
      await turn;
      sqlite.close();
    },
  };
}
