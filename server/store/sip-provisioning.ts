import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { value, type Db } from './sql';
import { sipAccounts } from './users';

/** The SQLite file Kamailio's auth_db reads (resources/kamailio/kamailio.cfg). */
export function sipDbFile(dataDir: string): string {
  return join(dataDir, 'sip.sqlite');
}

// Kamailio 5.6 checks this table version before it uses the table.
const SUBSCRIBER_VERSION = 7;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export const DEFAULT_SIP_DOMAIN = '127.0.0.1';

/** The SIP domain (and digest realm) phones register in; kept with the data. */
export async function sipDomain(db: Db): Promise<string> {
  return (await value<string>(db, "SELECT value FROM meta WHERE key = 'sipDomain'")) ?? DEFAULT_SIP_DOMAIN;
}

export const DEFAULT_SIP_WS_URL = 'ws://127.0.0.1:8088';

/** The SIP server's WebSocket address that desks are told at login. */
export async function sipWsUrl(db: Db): Promise<string> {
  return (await value<string>(db, "SELECT value FROM meta WHERE key = 'sipWsUrl'")) ?? DEFAULT_SIP_WS_URL;
}

/** STUN servers desks are told at login (none by default: a city LAN needs none). */
export async function sipStunServers(db: Db): Promise<string[]> {
  const v = await value<string>(db, "SELECT value FROM meta WHERE key = 'sipStunServers'");
  return v ? (JSON.parse(v) as string[]) : [];
}

/** `stunServers`: replaces the list ([] clears it). */
export async function setSipSettings(db: Db, s: { domain?: string; wsUrl?: string; stunServers?: string[] }): Promise<void> {
  const put = (key: string, v: string) => db.run('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [key, v]);
  if (s.domain) await put('sipDomain', s.domain);
  if (s.wsUrl) await put('sipWsUrl', s.wsUrl);
  if (s.stunServers) await put('sipStunServers', JSON.stringify(s.stunServers));
}

/**
 * Writes every enabled account's digest credentials (HA1 only) for the SIP server, replacing
 * what was there: accounts removed or disabled here can no longer register. The SIP server gets
 * a file of its own, so it never opens the city's database.
 */
export async function provisionSip(db: Db, dataDir: string): Promise<number> {
  const realm = await sipDomain(db);
  const accounts = await sipAccounts(db);
  const sip = new Database(sipDbFile(dataDir));
  try {
    sip.pragma('journal_mode = WAL');
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
      );`);
    // A file provisioned before practice callers existed gains the column (Kamailio loads it at each authentication).
    if (!(sip.prepare("SELECT COUNT(*) FROM pragma_table_info('subscriber') WHERE name = 'practice_caller'").pluck().get() as number)) {
      sip.exec('ALTER TABLE subscriber ADD COLUMN practice_caller INTEGER DEFAULT 0 NOT NULL');
    }
    const insert = sip.prepare('INSERT INTO subscriber(username, domain, ha1, ha1b, practice_caller) VALUES (?, ?, ?, ?, ?)');
    sip.transaction(() => {
      sip.prepare('INSERT OR REPLACE INTO version(table_name, table_version) VALUES (?, ?)').run('subscriber', SUBSCRIBER_VERSION);
      sip.exec('DELETE FROM subscriber');
      for (const a of accounts) {
        insert.run(a.username, realm, md5(`${a.username}:${realm}:${a.secret}`), md5(`${a.username}@${realm}:${realm}:${a.secret}`), a.practiceCaller ? 1 : 0);
      }
    })();
    return accounts.length;
  } finally {
    sip.close();
  }
}
