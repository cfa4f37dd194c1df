import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { login } from './http';
import { startPostgres, type TestPostgres } from './postgres';
import { startCityServerProcess, type CityServerProcess } from './processes';

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

export type ServerStores = ReturnType<typeof serverStores>;

/** A city server with the demo data on the store named, and sessions of agent1 and lead1. */
export async function startDemoCity(
  stores: ServerStores,
  name: StoreName,
  label: string,
  o: { pbxSecret?: string; trustProxy?: string; smsSecret?: string; smsCarrier?: string; port?: number } = {},
): Promise<{ server: CityServerProcess; agent: string; lead: string; dataDir: string; database: string | undefined }> {
  const database = await stores.database(name);
  const dataDir = mkdtempSync(join(tmpdir(), `minwon-${label}-`));
  const server = await startCityServerProcess(dataDir, { demo: true, ...o, ...(database ? { database } : {}) });
  const [agent, lead] = await Promise.all([login(server.url, 'agent1', 'agent1'), login(server.url, 'lead1', 'lead1')]);
  return { server, agent, lead, dataDir, database };
}
