import type { SyncReport } from '../../../shared/contract';
import type { SyncChange, SyncPage } from '../../../shared/sync';
import { setMeta, type CacheDb } from './cache-db';
import { HISTORY_CALLER_INDEX } from './schema';

export type ChangeCounts = SyncReport['upserts'];
export const zeroCounts = (): ChangeCounts => ({ entry: 0, department: 0, history: 0 });

/**
 * Writes validated sync pages into the cache. Each page and its cursor go in one transaction,
 * so an interrupted sync resumes after the last whole page and never leaves half of one.
 */
export function createPageWriter(db: CacheDb) {
  const upsertEntry = db.prepare(`
    INSERT INTO entries(id, kind, category, title, body, keywords, department, updated_at, version)
    VALUES (@id, @kind, @category, @title, @body, @keywords, @department, @updatedAt, @version)
    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, category = excluded.category, title = excluded.title,
      body = excluded.body, keywords = excluded.keywords, department = excluded.department,
      updated_at = excluded.updated_at, version = excluded.version`);
  const deleteEntry = db.prepare('DELETE FROM entries WHERE id = ?');
  const upsertDepartment = db.prepare(
    'INSERT INTO departments(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data',
  );
  const deleteDepartment = db.prepare('DELETE FROM departments WHERE id = ?');
  // Positional parameters: history arrives by the hundred thousand, and named binding costs a
  // property lookup per column.
  const upsertHistory = db.prepare(`
    INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, pending)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
    ON CONFLICT(id) DO UPDATE SET caller_e164 = excluded.caller_e164, agent_id = excluded.agent_id,
      started_at = excluded.started_at, ended_at = excluded.ended_at, category = excluded.category,
      outcome = excluded.outcome, manual_ids = excluded.manual_ids, notes = excluded.notes,
      department = excluded.department, pending = 0`);
  const deleteHistory = db.prepare('DELETE FROM history WHERE id = ?');

  function applyChange(c: SyncChange, upserts: ChangeCounts, deletes: ChangeCounts): void {
    if (c.data === null) {
      deletes[c.kind]++;
      if (c.kind === 'entry') deleteEntry.run(c.key);
      else if (c.kind === 'department') deleteDepartment.run(c.key);
      else deleteHistory.run(c.key);
      return;
    }
    upserts[c.kind]++;
    if (c.kind === 'entry') upsertEntry.run({ ...c.data, keywords: JSON.stringify(c.data.keywords) });
    else if (c.kind === 'department') upsertDepartment.run(c.key, JSON.stringify(c.data));
    else {
      const h = c.data;
      upsertHistory.run(h.id, h.callerE164, h.agentId, h.startedAt, h.endedAt, h.category, h.outcome, JSON.stringify(h.manualIds), h.notes, h.department);
    }
  }

  const apply = db.transaction((page: SyncPage, upserts: ChangeCounts, deletes: ChangeCounts) => {
    if (page.reset) {
      // The server is a different database (restored or replaced): start over, but keep this
      // desk's records that the city has not received yet.
      db.exec(`DELETE FROM entries; DELETE FROM departments;
               DELETE FROM history WHERE id NOT IN (SELECT record_id FROM outbox UNION SELECT record_id FROM outbox_rejected);`);
    }
    for (const c of page.changes) applyChange(c, upserts, deletes);
    setMeta(db, 'cursor', page.cursor);
  });

  return {
    /**
     * Before a sync from scratch: drop the caller index, so history loads without maintaining
     * it row by row (the usual bulk-load practice). `endBulk` rebuilds it, also after a failure.
     */
    beginBulk(): void {
      db.exec(`DROP INDEX IF EXISTS ${HISTORY_CALLER_INDEX.name}`);
    },
    endBulk(): void {
      db.exec(HISTORY_CALLER_INDEX.create);
    },
    /** Applies one already-validated page; adds what it did to the counters. */
    apply(page: SyncPage, upserts: ChangeCounts, deletes: ChangeCounts): void {
      apply(page, upserts, deletes);
    },
  };
}
