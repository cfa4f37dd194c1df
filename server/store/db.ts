import { randomBytes } from 'node:crypto';
import type { Db } from './sql';
import { openSqliteStore, type SqliteStore } from './sqlite-store';

export type { Db } from './sql';

/** Opens (creating when missing) the city server's SQLite file at the current schema. */
export function openCityDb(file: string): SqliteStore {
  const store = openSqliteStore(file);
  // The epoch names this database in sync cursors, so a desk notices a replaced or restored server.
  store.sqlite.prepare("INSERT INTO meta(key, value) VALUES ('epoch', ?) ON CONFLICT DO NOTHING").run(randomBytes(9).toString('base64url'));
  return store;
}

export async function getEpoch(db: Db): Promise<string> {
  return ((await db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'epoch'")) as { value: string }).value;
}
