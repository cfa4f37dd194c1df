import Database from 'better-sqlite3';
import { usernameSchema } from '../../shared/auth';
import type { Presence, PresenceState } from '../../shared/presence';
import { sipDbFile } from './sip-provisioning';

export interface PresenceRow {
  username: string;
  state: PresenceState;
  reason: string | null;
  /** On a call: what it is about, as the desk last said. */
  category: string | null;
  since: Date;
  /** The desk's counter for the state (see Presence.version). */
  version: number;
}

/**
 * Agents' presence, kept in the SIP server's own file (DATA/sip.sqlite) because Kamailio reads it
 * there to pick the agent for each call to the representative number: `state = 'ready'` ordered by
 * `since` is "longest idle first". Two writers: the city server (here) and Kamailio, which desks
 * tell directly too (route PRESENCE in resources/kamailio/kamailio.cfg), so that distribution
 * follows the agents while the city server is down. The desk's `version` decides between them.
 */
export interface PresenceBoard {
  /**
   * Records a state unless a newer one is recorded (then the answer is the recorded row); `since`
   * moves only when the state changes, so repeating "ready" keeps the agent's place.
   */
  set(username: string, p: Presence, now: Date): PresenceRow;
  list(): PresenceRow[];
  /** Calls waiting for an agent to answer, and since when the longest has. */
  waiting(now: Date): { count: number; oldestSince: Date | null };
  close(): void;
}

export function openPresenceBoard(dataDir: string): PresenceBoard {
  const db = new Database(sipDbFile(dataDir));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS agent_presence (
    username VARCHAR(64) PRIMARY KEY NOT NULL,
    state VARCHAR(16) NOT NULL,
    reason VARCHAR(32),
    since INTEGER NOT NULL
  )`);
  // Calls to the representative number ringing an agent, not yet answered: Kamailio writes them
  // (its Call-ID's md5, since in epoch seconds) and removes them when answered or given up.
  db.exec('CREATE TABLE IF NOT EXISTS waiting_calls (call_id VARCHAR(64) PRIMARY KEY NOT NULL, since INTEGER NOT NULL)');
  // Added after the first release: older files get the column here.
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('agent_presence') as string[];
  if (!columns.includes('category')) db.exec('ALTER TABLE agent_presence ADD COLUMN category TEXT');
  if (!columns.includes('version')) db.exec('ALTER TABLE agent_presence ADD COLUMN version INTEGER NOT NULL DEFAULT 0');
  const get = db.prepare('SELECT username, state, reason, category, since, version FROM agent_presence WHERE username = ?');
  const put = db.prepare(
    'INSERT INTO agent_presence(username, state, reason, category, since, version) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET state = excluded.state, reason = excluded.reason, category = excluded.category, since = excluded.since, version = excluded.version',
  );
  const setDetails = db.prepare('UPDATE agent_presence SET reason = ?, category = ?, version = ? WHERE username = ?');
  const toRow = (r: { username: string; state: PresenceState; reason: string | null; category: string | null; since: number; version: number }): PresenceRow => ({
    ...r,
    since: new Date(r.since),
  });
  // Kamailio writes the same rows: read, decide and write as one transaction.
  const set = db.transaction((username: string, p: Presence, now: Date): PresenceRow => {
    const old = get.get(username) as Parameters<typeof toRow>[0] | undefined;
    const category = p.category ?? null;
    const version = p.version ?? (old ? old.version + 1 : 0);
    // A state the desk has since replaced (the SIP server heard of the newer one first).
    if (old && (version < old.version || (version === old.version && old.state !== p.state))) return toRow(old);
    if (old && old.state === p.state) {
      if (old.reason !== p.reason || old.category !== category || old.version !== version) setDetails.run(p.reason, category, version, username);
      return toRow({ ...old, reason: p.reason, category, version });
    }
    put.run(username, p.state, p.reason, category, now.getTime(), version);
    return { username, state: p.state, reason: p.reason, category, since: now, version };
  });
  return {
    set(username: string, p: Presence, now: Date): PresenceRow {
      // Kamailio builds SQL from these names: refuse anything that is not a plain username.
      usernameSchema.parse(username);
      return set.immediate(username, p, now);
    },
    list(): PresenceRow[] {
      return (db.prepare('SELECT username, state, reason, category, since, version FROM agent_presence ORDER BY username').all() as Parameters<typeof toRow>[0][]).map(toRow);
    },
    waiting(now: Date): { count: number; oldestSince: Date | null } {
      // A row older than any ring could last was left by a SIP server that stopped mid-call.
      const r = db.prepare('SELECT COUNT(*) AS n, MIN(since) AS oldest FROM waiting_calls WHERE since > ?').get(Math.floor(now.getTime() / 1000) - STALE_WAIT_S) as {
        n: number;
        oldest: number | null;
      };
      return { count: r.n, oldestSince: r.oldest === null ? null : new Date(r.oldest * 1000) };
    },
    close: () => void db.close(),
  };
}

const STALE_WAIT_S = 600;
