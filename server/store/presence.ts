import Database from 'better-sqlite3';
import { usernameSchema } from '../../shared/auth';
import type { Presence, PresenceState } from '../../shared/presence';
import { sipDbFile } from './sip-provisioning';

export interface PresenceRow {
  username: string;
  state: PresenceState;
  reason: string | null;
  since: Date;
}

/**
 * Agents' presence, kept in the SIP server's own file (DATA/sip.sqlite) because Kamailio reads it
 * there to pick the agent for each call to the representative number: `state = 'ready'` ordered by
 * `since` is "longest idle first". The city server is the only writer.
 */
export interface PresenceBoard {
  /** Records a state; `since` moves only when the state changes, so repeating "ready" keeps the agent's place. */
  set(username: string, p: Presence, now: Date): PresenceRow;
  list(): PresenceRow[];
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
  const get = db.prepare('SELECT username, state, reason, since FROM agent_presence WHERE username = ?');
  const put = db.prepare(
    'INSERT INTO agent_presence(username, state, reason, since) VALUES (?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET state = excluded.state, reason = excluded.reason, since = excluded.since',
  );
  const setReason = db.prepare('UPDATE agent_presence SET reason = ? WHERE username = ?');
  const toRow = (r: { username: string; state: PresenceState; reason: string | null; since: number }): PresenceRow => ({ ...r, since: new Date(r.since) });
  return {
    set(username: string, p: Presence, now: Date): PresenceRow {
      // Kamailio builds SQL from these names: refuse anything that is not a plain username.
      usernameSchema.parse(username);
      const old = get.get(username) as Parameters<typeof toRow>[0] | undefined;
      if (old && old.state === p.state) {
        if (old.reason !== p.reason) setReason.run(p.reason, username);
        return toRow({ ...old, reason: p.reason });
      }
      put.run(username, p.state, p.reason, now.getTime());
      return { username, state: p.state, reason: p.reason, since: now };
    },
    list(): PresenceRow[] {
      return (db.prepare('SELECT username, state, reason, since FROM agent_presence ORDER BY username').all() as Parameters<typeof toRow>[0][]).map(toRow);
    },
    close: () => void db.close(),
  };
}
