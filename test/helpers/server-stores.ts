import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres';

export type StoreName = 'sqlite' | 'postgres';

/**
 * The stores the city server runs on, for a suite of server tests to run on each
 * (`describe.each(stores.names)`): its SQLite file, and PostgreSQL on a cluster this test file
 * starts. `database(name)` is a new database's URL for 'postgres' (start the server with it),
 * nothing for 'sqlite'.
 */
export function serverStores() {
  let pg: TestPostgres | null = null;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });
  return {
    names: [{ name: 'sqlite' }, { name: 'postgres' }] as const,
    database: async (name: StoreName): Promise<string | undefined> => (name === 'postgres' ? (pg as TestPostgres).database() : undefined),
    /** Restarts the PostgreSQL server (every connection cut), as an operator's restart would. */
    restartPostgres: () => (pg as TestPostgres).restart(),
  };
}
