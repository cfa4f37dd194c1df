import { afterEach } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres-store';
import type { CityStore } from '../../server/store/sql';
import { serverStores, type StoreName } from './server-stores';
import { tempCityDb } from './temp-db';

export interface StoreEngine {
  name: StoreName;
  /** A new, empty city store on this engine, closed after the test. */
  open(): Promise<CityStore>;
}

/**
 * Both engines the city store runs on, for `describe.each`: SQLite in a temporary file, and the
 * PostgreSQL server this test file starts (`serverStores`; a new database per store). Closes the
 * stores after each test.
 */
export function storeEngines(): StoreEngine[] {
  const stores = serverStores();
  const opened: CityStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const keep = (s: CityStore) => (opened.push(s), s);
  return [
    { name: 'sqlite', open: async () => keep(tempCityDb('store')) },
    { name: 'postgres', open: async () => keep(await openPostgresStore((await stores.database('postgres')) as string)) },
  ];
}

/** The URL of the PostgreSQL database a store is on: to open a second instance on it. */
export async function databaseUrlOf(db: CityStore): Promise<string> {
  const r = await db.get<{ db: string; port: number }>("SELECT current_database() AS db, CAST(current_setting('port') AS INTEGER) AS port");
  return `postgres://postgres@127.0.0.1:${r?.port}/${r?.db}`;
}
