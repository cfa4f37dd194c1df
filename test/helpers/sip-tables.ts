import Database from 'better-sqlite3';
import { openPostgresStore } from '../../server/store/postgres-store';
import { sipDbFile } from '../../server/store/sip-store';
import type { CityStore } from '../../server/store/sql';
import { sqliteStore } from '../../server/store/sqlite-store';

/**
 * The tables Kamailio reads and writes (accounts, presence, waiting calls), opened as it opens
 * them: the SIP file a city server on SQLite provisioned in `dataDir`, or the city's PostgreSQL
 * database. For tests that check what the SIP server sees, or play its part in writing.
 */
export async function openSipTables(dataDir: string, database: string | undefined): Promise<CityStore> {
  if (database) return openPostgresStore(database);
  const sqlite = new Database(sipDbFile(dataDir), { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return sqliteStore(sqlite);
}
