import { verifyDaysOf, type EntryReuse } from '../../shared/knowledge';
import type { ManualEntry } from '../../shared/manual';
import { entryFromRow, type EntryRow } from '../../shared/sql-rows';
import { getSetting } from './settings';
import type { Db } from './sql';

/**
 * The manual as the portal shows it to the departments: each live entry with its owner, when it
 * must next be verified, how the desks use it (KCS reuse), and the draft under way.
 */

export interface PortalEntry {
  entry: ManualEntry;
  owner: string | null;
  verifiedAt: string | null;
  /** The day (ISO instant) its verification runs out: its category's interval after the last. */
  verifyBy: string | null;
  overdue: boolean;
  reuse: EntryReuse;
  draft: { id: string; state: string } | null;
}

type Row = EntryRow & { owner: string | null; verified_at: string | null; draft_id: string | null; draft_state: string | null };

const DAY_MS = 86_400_000;

async function countsBy(db: Db, sql: string): Promise<Map<string, number>> {
  return new Map((await db.all<{ id: string; n: number }>(sql)).map((r) => [r.id, Number(r.n)]));
}

/** Live entries, a department's or all, by category then title. */
export async function portalEntries(db: Db, q: { department?: string; overdueOnly?: boolean }, now: Date): Promise<PortalEntry[]> {
  const rows = await db.all<Row>(
    `SELECT e.*, d.id AS draft_id, d.state AS draft_state FROM manual_entries e
     LEFT JOIN manual_drafts d ON d.entry_id = e.id AND d.state IN ('draft', 'review', 'rejected', 'scheduled')
     WHERE e.deleted = 0 ${q.department ? 'AND e.department = ?' : ''} ORDER BY e.category, e.title`,
    q.department ? [q.department] : [],
  );
  const policy = await getSetting(db, 'knowledge');
  const [opened, linked, sms, flagged, open] = await Promise.all([
    countsBy(db, 'SELECT entry_id AS id, count AS n FROM entry_usage'),
    countsBy(db, 'SELECT entry_id AS id, count AS n FROM entry_links'),
    countsBy(db, "SELECT entry_id AS id, COUNT(*) AS n FROM sms_outbox WHERE status != 'refused' GROUP BY entry_id"),
    countsBy(db, 'SELECT entry_id AS id, COUNT(*) AS n FROM manual_flags GROUP BY entry_id'),
    countsBy(db, "SELECT entry_id AS id, COUNT(*) AS n FROM manual_flags WHERE state = 'open' GROUP BY entry_id"),
  ]);
  const out: PortalEntry[] = [];
  for (const r of rows) {
    const entry = entryFromRow(r);
    const verifyBy = r.verified_at ? new Date(Date.parse(r.verified_at) + verifyDaysOf(policy, entry.category) * DAY_MS).toISOString() : null;
    const overdue = verifyBy === null || Date.parse(verifyBy) <= now.getTime();
    if (q.overdueOnly && !overdue) continue;
    out.push({
      entry,
      owner: r.owner,
      verifiedAt: r.verified_at,
      verifyBy,
      overdue,
      reuse: { opened: opened.get(entry.id) ?? 0, linked: linked.get(entry.id) ?? 0, sentBySms: sms.get(entry.id) ?? 0, flagged: flagged.get(entry.id) ?? 0, openFlags: open.get(entry.id) ?? 0 },
      draft: r.draft_id ? { id: r.draft_id, state: r.draft_state as string } : null,
    });
  }
  return out;
}

/** Adds a record's links to the entries' counts (called once per record stored). */
export async function countLinks(db: Db, manualIds: readonly string[]): Promise<void> {
  for (const id of new Set(manualIds)) {
    await db.run('INSERT INTO entry_links(entry_id, count) VALUES (?, 1) ON CONFLICT(entry_id) DO UPDATE SET count = entry_links.count + 1', [id]);
  }
}
