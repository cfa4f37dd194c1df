import { usernameSchema } from '../../shared/auth';
import type { Presence, PresenceState } from '../../shared/presence';
import type { Db } from './sql';

export interface PresenceRow {
  username: string;
  state: PresenceState;
  reason: string | null;
  /** On a call: what it is about, as the desk last said. */
  category: string | null;
  /** On a call: warnings given to an abusive caller so far. */
  warnings: number;
  since: Date;
  /** The desk's counter for the state (see Presence.version). */
  version: number;
}

/**
 * Agents' presence, kept where the SIP server reads it (sip-store.ts) to pick the agent for each
 * call to the representative number: `state = 'ready'` ordered by `since` is "longest idle
 * first". Two writers: the city server (here, from any instance) and Kamailio, which desks tell
 * directly too (route PRESENCE in resources/kamailio/kamailio.cfg), so that distribution follows
 * the agents while the city server is down. The desk's `version` decides between them.
 */
export interface PresenceBoard {
  /**
   * Records a state unless a newer one is recorded (then the answer is the recorded row); `since`
   * moves only when the state changes, so repeating "ready" keeps the agent's place.
   */
  set(username: string, p: Presence, now: Date): Promise<PresenceRow>;
  list(): Promise<PresenceRow[]>;
  /** Calls waiting for an agent to answer, and since when the longest has. */
  waiting(now: Date): Promise<{ count: number; oldestSince: Date | null }>;
}

interface StoredRow {
  username: string;
  state: PresenceState;
  reason: string | null;
  category: string | null;
  warnings: number;
  since: number;
  version: number;
}

const COLUMNS = 'username, state, reason, category, warnings, since, version';
const toRow = (r: StoredRow): PresenceRow => ({ ...r, warnings: Number(r.warnings), since: new Date(r.since) });

// One statement, so that it is atomic against Kamailio's own writes on either engine (the upsert
// holds the row): a state older than the recorded one changes nothing and returns no row; the
// same state keeps its `since`. Without a counter from the desk, the recorded one plus one.
const UPSERT = `INSERT INTO agent_presence(${COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, COALESCE(CAST(? AS BIGINT), (SELECT version + 1 FROM agent_presence WHERE username = ?), 0))
  ON CONFLICT(username) DO UPDATE SET state = excluded.state, reason = excluded.reason, category = excluded.category, warnings = excluded.warnings, version = excluded.version,
    since = CASE WHEN agent_presence.state = excluded.state THEN agent_presence.since ELSE excluded.since END
  WHERE excluded.version > agent_presence.version OR (excluded.version = agent_presence.version AND excluded.state = agent_presence.state)
  RETURNING ${COLUMNS}`;

export function presenceBoard(db: Db): PresenceBoard {
  return {
    async set(username: string, p: Presence, now: Date): Promise<PresenceRow> {
      // Kamailio builds SQL from these names: refuse anything that is not a plain username.
      usernameSchema.parse(username);
      const stored = await db.get<StoredRow>(UPSERT, [username, p.state, p.reason, p.category ?? null, p.state === 'on-call' ? (p.warnings ?? 0) : 0, now.getTime(), p.version ?? null, username]);
      // Not stored: the desk has since said something newer (the SIP server heard it first).
      return toRow(stored ?? ((await db.get<StoredRow>(`SELECT ${COLUMNS} FROM agent_presence WHERE username = ?`, [username])) as StoredRow));
    },
    async list(): Promise<PresenceRow[]> {
      return (await db.all<StoredRow>(`SELECT ${COLUMNS} FROM agent_presence ORDER BY username`)).map(toRow);
    },
    async waiting(now: Date): Promise<{ count: number; oldestSince: Date | null }> {
      // A row older than any ring could last was left by a SIP server that stopped mid-call.
      const r = (await db.get<{ n: number; oldest: number | null }>('SELECT COUNT(*) AS n, MIN(since) AS oldest FROM waiting_calls WHERE since > ?', [
        Math.floor(now.getTime() / 1000) - STALE_WAIT_S,
      ])) as { n: number; oldest: number | null };
      return { count: Number(r.n), oldestSince: r.oldest === null ? null : new Date(r.oldest * 1000) };
    },
  };
}

const STALE_WAIT_S = 600;
