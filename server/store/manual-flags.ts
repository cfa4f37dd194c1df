import type { Flag, FlagInput, FlagState } from '../../shared/knowledge';
import { whereOf, type Db } from './sql';
import type { User } from './users';

/**
 * Flags agents raise on manual entries from their desks (KCS "flag it"): each reaches the owning
 * department's inbox once, whatever the desk's outbox repeats, and is closed by the department's
 * reply or by the next publication of the entry — which the agent sees on their desk.
 */

interface FlagRow {
  id: string;
  entry_id: string;
  entry_title: string | null;
  entry_version: number;
  department: string | null;
  kind: Flag['kind'];
  note: string;
  agent: string;
  at: string;
  received_at: string;
  state: FlagState;
  reply: string | null;
  closed_by: string | null;
  closed_at: string | null;
  fixed_version: number | null;
}

const flagOf = (r: FlagRow): Flag => ({
  id: r.id,
  entryId: r.entry_id,
  entryTitle: r.entry_title ?? r.entry_id,
  entryVersion: r.entry_version,
  department: r.department,
  kind: r.kind,
  note: r.note,
  agent: r.agent,
  at: r.at,
  receivedAt: r.received_at,
  state: r.state,
  reply: r.reply,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  fixedVersion: r.fixed_version,
});

const SELECT_FLAGS = 'SELECT f.*, e.title AS entry_title FROM manual_flags f LEFT JOIN manual_entries e ON e.id = f.entry_id';

export interface FlagIntake {
  stored: string[];
  duplicates: string[];
  refused: { id: string; reason: string }[];
}

/**
 * Takes a desk's flags: each stored once under its id (a resent flag is a duplicate), addressed to
 * the department that owns the entry now. A flag on an entry the city no longer has, or an id
 * another agent used, is refused alone; the rest of the batch is kept.
 */
export async function takeFlags(db: Db, flags: readonly FlagInput[], agent: string, now: Date): Promise<FlagIntake> {
  return db.write(async (tx) => {
    const out: FlagIntake = { stored: [], duplicates: [], refused: [] };
    for (const f of flags) {
      const seen = await tx.get<{ agent: string }>('SELECT agent FROM manual_flags WHERE id = ?', [f.id]);
      if (seen) {
        if (seen.agent === agent) out.duplicates.push(f.id);
        else out.refused.push({ id: f.id, reason: 'this id is another agent’s flag' });
        continue;
      }
      const entry = await tx.get<{ department: string | null }>('SELECT department FROM manual_entries WHERE id = ? AND deleted = 0', [f.entryId]);
      if (!entry) {
        out.refused.push({ id: f.id, reason: `no manual entry ${f.entryId}` });
        continue;
      }
      await tx.run(
        `INSERT INTO manual_flags(id, entry_id, entry_version, department, kind, note, agent, at, received_at, during_call, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
        [f.id, f.entryId, f.entryVersion, entry.department, f.kind, f.note, agent, f.at, now.toISOString(), f.duringCall ? 1 : 0],
      );
      out.stored.push(f.id);
    }
    return out;
  });
}

export interface FlagQuery {
  department?: string;
  agent?: string;
  entryId?: string;
  states?: readonly FlagState[];
  limit?: number;
}

export async function listFlags(db: Db, q: FlagQuery): Promise<Flag[]> {
  const { where, params } = whereOf([
    ['f.department', q.department],
    ['f.agent', q.agent],
    ['f.entry_id', q.entryId],
    ['f.state', q.states],
  ]);
  const rows = await db.all<FlagRow>(`${SELECT_FLAGS} ${where} ORDER BY f.received_at DESC LIMIT ?`, [...params, q.limit ?? 500]);
  return rows.map(flagOf);
}

export type FlagRefusal = 'no-flag' | 'other-department' | 'closed';

/** The department's answer to an open flag (it was right as written, or is being dealt with elsewhere): it closes the flag. */
export async function answerFlag(db: Db, user: User, id: string, reply: string, now: Date): Promise<Flag | FlagRefusal> {
  return db.write(async (tx) => {
    const row = await tx.get<FlagRow>(`${SELECT_FLAGS} WHERE f.id = ?`, [id]);
    if (!row) return 'no-flag';
    if (!(user.role === 'reviewer' || (user.role === 'editor' && user.department === row.department))) return 'other-department';
    if (row.state !== 'open') return 'closed';
    await tx.run("UPDATE manual_flags SET state = 'answered', reply = ?, closed_by = ?, closed_at = ? WHERE id = ?", [reply, user.username, now.toISOString(), id]);
    return flagOf((await tx.get<FlagRow>(`${SELECT_FLAGS} WHERE f.id = ?`, [id])) as FlagRow);
  });
}

/** A publication of the entry closes its open flags as fixed, naming the version. */
export async function closeFlagsFixed(db: Db, entryId: string, version: number, by: string, now: Date): Promise<number> {
  return db.run("UPDATE manual_flags SET state = 'fixed', fixed_version = ?, closed_by = ?, closed_at = ? WHERE entry_id = ? AND state = 'open'", [version, by, now.toISOString(), entryId]);
}
