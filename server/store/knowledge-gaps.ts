import { gapTerms, groupGaps, seoulWeekOf, type GapGroup, type MissRow } from '../../shared/knowledge-gaps';
import type { SearchMiss } from '../../shared/knowledge';
import type { Db } from './sql';

/**
 * What the manual could not answer (issue 21): the searches desks report as ending without an
 * entry opened, and the consultations filed without an entry linked or ended in a transfer.
 */

/**
 * Stores a desk's misses, each once under its id (a resent batch adds nothing), with its terms and
 * week; `mask` takes out what an agent may have typed of a citizen's (a number, a resident number).
 */
export async function takeMisses(db: Db, misses: readonly SearchMiss[], agent: string, mask: (text: string) => string = (t) => t): Promise<{ stored: number }> {
  return db.write(async (tx) => {
    let stored = 0;
    for (const m of misses) {
      const query = mask(m.query);
      stored += await tx.run('INSERT INTO search_misses(id, query, terms, category, at, week, agent) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        m.id,
        query,
        gapTerms(query).join(' '),
        m.category,
        m.at,
        seoulWeekOf(m.at),
        agent,
      ]);
    }
    return { stored };
  });
}

export interface GapQuery {
  /** Instants (ISO), from inclusive, to exclusive. */
  from: string;
  to: string;
  /** Only the groups whose category is one of these (a department's). */
  categories?: readonly string[];
}

/** Consultations the manual did not carry, per category and week. */
export interface UnlinkedRow {
  category: string;
  week: string;
  /** Filed with no entry linked. */
  unlinked: number;
  /** Ended in a transfer to a department. */
  transferred: number;
}

export interface GapReport {
  groups: (GapGroup & { department: string | null })[];
  consultations: UnlinkedRow[];
  searches: number;
}

/** The department that owns most live entries of each category: who a gap in it is shown to. */
export async function categoryOwners(db: Db): Promise<Map<string, string>> {
  const rows = await db.all<{ category: string; department: string; n: number }>(
    'SELECT category, department, COUNT(*) AS n FROM manual_entries WHERE deleted = 0 AND department IS NOT NULL GROUP BY category, department ORDER BY category, n DESC, department',
  );
  const owners = new Map<string, string>();
  for (const r of rows) if (!owners.has(r.category)) owners.set(r.category, r.department);
  return owners;
}

/** The searches of [from, to) that found nothing, grouped by topic. */
export async function missGroups(db: Db, q: GapQuery): Promise<{ groups: GapGroup[]; searches: number }> {
  const rows = await db.all<MissRow>('SELECT query, terms, category, week FROM search_misses WHERE at >= ? AND at < ?', [q.from, q.to]);
  return { groups: groupGaps(rows), searches: rows.length };
}

export async function gapReport(db: Db, q: GapQuery): Promise<GapReport> {
  const { groups: all, searches } = await missGroups(db, q);
  const owners = await categoryOwners(db);
  const wanted = q.categories ? new Set(q.categories) : null;
  const groups = all
    .filter((g) => !wanted || (g.category !== null && wanted.has(g.category)))
    .map((g) => ({ ...g, department: g.category ? (owners.get(g.category) ?? null) : null }));
  const records = await db.all<{ category: string; started_at: string; unlinked: number; transferred: number }>(
    `SELECT category, started_at, CASE WHEN manual_ids = '[]' THEN 1 ELSE 0 END AS unlinked, CASE WHEN outcome = 'transferred' THEN 1 ELSE 0 END AS transferred
     FROM records WHERE started_at >= ? AND started_at < ? AND (manual_ids = '[]' OR outcome = 'transferred')`,
    [q.from, q.to],
  );
  const byCell = new Map<string, UnlinkedRow>();
  for (const r of records) {
    if (wanted && !wanted.has(r.category)) continue;
    const week = seoulWeekOf(r.started_at);
    const key = `${r.category}\u0000${week}`;
    const cell = byCell.get(key) ?? { category: r.category, week, unlinked: 0, transferred: 0 };
    cell.unlinked += r.unlinked;
    cell.transferred += r.transferred;
    byCell.set(key, cell);
  }
  const consultations = [...byCell.values()].sort((a, b) => (a.week === b.week ? b.unlinked + b.transferred - (a.unlinked + a.transferred) : a.week < b.week ? 1 : -1));
  return { groups, consultations, searches };
}
