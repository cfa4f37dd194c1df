import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres-store';
import type { CityStore } from '../../server/store/sql';
import { startPostgres, type TestPostgres } from './postgres';
import { tempCityDb } from './temp-db';

export interface StoreEngine {
  name: 'sqlite' | 'postgres';
  /** A new, empty city store on this engine, closed after the test. */
  open(): Promise<CityStore>;
}

/**
 * Both engines the city store runs on, for `describe.each`: SQLite in a temporary file, and a
 * PostgreSQL server this test file starts (a new database per store). Registers the hooks that
 * start and stop the server and close the stores.
 */
export function storeEngines(): StoreEngine[] {
  let server: TestPostgres | null = null;
  const opened: CityStore[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });
  const keep = (s: CityStore) => (opened.push(s), s);
  return [
    { name: 'sqlite', open: async () => keep(tempCityDb('store')) },
    { name: 'postgres', open: async () => keep(await openPostgresStore(await (server as TestPostgres).database())) },
  ];
}
