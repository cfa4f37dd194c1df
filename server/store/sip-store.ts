import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { CityStore, Db } from './sql';
import { sqliteStore } from './sqlite-store';

/** The SQLite file Kamailio reads when the city store is SQLite (resources/kamailio/kamailio.cfg). */
export function sipDbFile(dataDir: string): string {
  return join(dataDir, 'sip.sqlite');
}

// Kamailio 5.6 checks this table version before it uses the table.
const SUBSCRIBER_VERSION = 7;

/**
 * What the SIP server reads and writes: the accounts' digest credentials (`subscriber`, HA1
 * only), the agents' presence, the calls waiting for an agent and the queue log. With the city
 * store on SQLite they are a file of their own beside it (DATA/sip.sqlite), so Kamailio never
 * opens the city's file; on PostgreSQL they are tables of the city's database
 * (postgres-schema.ts), so every server instance and every Kamailio read one truth.
 */
export interface SipStore {
  readonly db: Db;
  /** Where it is, for the log. */
  readonly where: string;
  close(): Promise<void>;
}

/** `dataDir` is where the file goes on SQLite; PostgreSQL needs none. */
export function openSipStore(city: CityStore, dataDir: string | undefined): SipStore {
  if (city.engine === 'postgres') return { db: city, where: 'the city’s PostgreSQL database', close: async () => undefined };
  if (dataDir === undefined) throw new Error('the SIP server’s accounts file needs a data folder (--data DIR)');
  const file = sipDbFile(dataDir);
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    // Kamailio writes presence and waiting calls into the same file.
    sqlite.pragma('busy_timeout = 5000');
    createSipTables(sqlite);
  } catch (e) {
    sqlite.close();
    throw e;
  }
  const db = sqliteStore(sqlite);
  return { db, where: file, close: () => db.close() };
}

// The file predates versioned migrations: each table and later column is added when missing.
function createSipTables(sip: Database.Database): void {
  sip.exec(`
    CREATE TABLE IF NOT EXISTS version (table_name VARCHAR(32) NOT NULL PRIMARY KEY, table_version INTEGER DEFAULT 0 NOT NULL);
    CREATE TABLE IF NOT EXISTS subscriber (
      id INTEGER PRIMARY KEY NOT NULL,
      username VARCHAR(64) DEFAULT '' NOT NULL,
      domain VARCHAR(64) DEFAULT '' NOT NULL,
      password VARCHAR(64) DEFAULT '' NOT NULL,
      ha1 VARCHAR(128) DEFAULT '' NOT NULL,
      ha1b VARCHAR(128) DEFAULT '' NOT NULL,
      practice_caller INTEGER DEFAULT 0 NOT NULL,
      CONSTRAINT subscriber_account_idx UNIQUE (username, domain)
    );
    CREATE TABLE IF NOT EXISTS agent_presence (
      username VARCHAR(64) PRIMARY KEY NOT NULL,
      state VARCHAR(16) NOT NULL,
      reason VARCHAR(32),
      since INTEGER NOT NULL
    );
    -- Calls to the representative number ringing an agent, not yet answered: Kamailio writes them
    -- (its Call-ID's md5, since in epoch seconds) and removes them when answered or given up.
    CREATE TABLE IF NOT EXISTS waiting_calls (call_id VARCHAR(64) PRIMARY KEY NOT NULL, since INTEGER NOT NULL);
    -- Calls to the representative number nobody answered (Kamailio writes them, the city server
    -- takes them as callback requests): the Call-ID's md5, the caller's digits, epoch seconds.
    CREATE TABLE IF NOT EXISTS abandoned_calls (call_id VARCHAR(64) PRIMARY KEY NOT NULL, caller VARCHAR(24) NOT NULL, at INTEGER NOT NULL);
    -- Every call to the representative number from its arrival to its answer or end (Kamailio
    -- writes them: the Call-ID's md5, the database's epoch ms), taken by the city server for the
    -- analysis once finished (queue-log.ts).
    CREATE TABLE IF NOT EXISTS queue_log (call_id VARCHAR(64) PRIMARY KEY NOT NULL, arrived INTEGER NOT NULL, answered INTEGER, gone INTEGER);`);
  sip.prepare('INSERT INTO version(table_name, table_version) VALUES (?, ?) ON CONFLICT(table_name) DO UPDATE SET table_version = excluded.table_version').run('subscriber', SUBSCRIBER_VERSION);
  const columns = (table: string) => sip.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  if (!columns('subscriber').includes('practice_caller')) sip.exec('ALTER TABLE subscriber ADD COLUMN practice_caller INTEGER DEFAULT 0 NOT NULL');
  const presence = columns('agent_presence');
  if (!presence.includes('category')) sip.exec('ALTER TABLE agent_presence ADD COLUMN category TEXT');
  if (!presence.includes('version')) sip.exec('ALTER TABLE agent_presence ADD COLUMN version INTEGER NOT NULL DEFAULT 0');
  // The team board's alert: warnings the agent has given on the current call (the city server writes them).
  if (!presence.includes('warnings')) sip.exec('ALTER TABLE agent_presence ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0');
}
