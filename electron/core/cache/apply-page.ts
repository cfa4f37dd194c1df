import type { SyncReport } from '../../../shared/contract';
import type { SyncChange, SyncPage } from '../../../shared/sync';
import { setMeta, type CacheDb } from './cache-db';
import { HISTORY_BULK_INDEXES } from './schema';
import type { ManualEntry } from '../../../shared/manual';
import { indexable, type IndexableRow, type SearchIndex } from '../search/search-index';

export type ChangeCounts = SyncReport['upserts'];
export const zeroCounts = (): ChangeCounts => ({ entry: 0, department: 0, history: 0, synonym: 0, usage: 0, setting: 0 });

/**
 * Writes validated sync pages into the cache. Each page and its cursor go in one transaction,
 * so an interrupted sync resumes after the last whole page and never leaves half of one.
 */
export function createPageWriter(db: CacheDb, search: SearchIndex) {
  const upsertEntry = db.prepare(`
    INSERT INTO entries(id, kind, category, title, body, keywords, department, updated_at, version, sections)
    VALUES (@id, @kind, @category, @title, @body, @keywords, @department, @updatedAt, @version, @sections)
    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, category = excluded.category, title = excluded.title,
      body = excluded.body, keywords = excluded.keywords, department = excluded.department,
      updated_at = excluded.updated_at, version = excluded.version, sections = excluded.sections`);
  const deleteEntry = db.prepare('DELETE FROM entries WHERE id = ?');
  const oldEntry = db.prepare('SELECT rowid, title, keywords, body, sections FROM entries WHERE id = ?');
  const upsertSynonym = db.prepare(
    'INSERT INTO synonyms(term, expansions) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET expansions = excluded.expansions',
  );
  const deleteSynonym = db.prepare('DELETE FROM synonyms WHERE term = ?');
  const setUsage = db.prepare(
    'INSERT INTO entry_usage(entry_id, synced) VALUES (?, ?) ON CONFLICT(entry_id) DO UPDATE SET synced = excluded.synced',
  );
  const deleteUsage = db.prepare('DELETE FROM entry_usage WHERE entry_id = ?');
  const putSetting = db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const deleteSetting = db.prepare('DELETE FROM settings WHERE key = ?');

  function writeEntry(key: string, data: ManualEntry | null): void {
    const old = oldEntry.get(key) as (IndexableRow & { rowid: number }) | undefined;
    const previous = old ? { rowid: old.rowid, entry: indexable(old) } : null;
    if (data === null) {
      if (previous) search.drop(previous.rowid, previous.entry);
      deleteEntry.run(key);
      return;
    }
    const sections = data.sections && Object.keys(data.sections).length > 0 ? JSON.stringify(data.sections) : null;
    const info = upsertEntry.run({ ...data, keywords: JSON.stringify(data.keywords), sections });
    // An update keeps the row's rowid; only a new row gets one.
    search.put(previous ? previous.rowid : Number(info.lastInsertRowid), data, previous?.entry ?? null);
  }
  const upsertDepartment = db.prepare(
    'INSERT INTO departments(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data',
  );
  const deleteDepartment = db.prepare('DELETE FROM departments WHERE id = ?');
  // Positional parameters: history arrives by the hundred thousand, and named binding costs a
  // property lookup per column.
  const upsertHistory = db.prepare(`
    INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, channel, end_reason, pending)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
    ON CONFLICT(id) DO UPDATE SET caller_e164 = excluded.caller_e164, agent_id = excluded.agent_id,
      started_at = excluded.started_at, ended_at = excluded.ended_at, category = excluded.category,
      outcome = excluded.outcome, manual_ids = excluded.manual_ids, notes = excluded.notes,
      department = excluded.department, channel = excluded.channel, end_reason = excluded.end_reason, pending = 0`);
  const deleteHistory = db.prepare('DELETE FROM history WHERE id = ?');

  function applyChange(c: SyncChange, upserts: ChangeCounts, deletes: ChangeCounts): void {
    (c.data === null ? deletes : upserts)[c.kind]++;
    switch (c.kind) {
      case 'entry':
        return writeEntry(c.key, c.data);
      case 'department':
        if (c.data) upsertDepartment.run(c.key, JSON.stringify(c.data));
        else deleteDepartment.run(c.key);
        return;
      case 'synonym':
        if (c.data) upsertSynonym.run(c.key, JSON.stringify(c.data.expansions));
        else deleteSynonym.run(c.key);
        return;
      case 'usage':
        if (c.data) setUsage.run(c.key, c.data.count);
        else deleteUsage.run(c.key);
        return;
      case 'setting':
        if (c.data) putSetting.run(c.key, JSON.stringify(c.data.value));
        else deleteSetting.run(c.key);
        return;
      case 'history': {
        const h = c.data;
        if (!h) deleteHistory.run(c.key);
        else upsertHistory.run(h.id, h.callerE164, h.agentId, h.startedAt, h.endedAt, h.category, h.outcome, JSON.stringify(h.manualIds), h.notes, h.department, h.channel ?? 'call', h.endReason ?? null);
      }
    }
  }

  const apply = db.transaction((page: SyncPage, upserts: ChangeCounts, deletes: ChangeCounts) => {
    if (page.reset) {
      // The server is a different database (restored or replaced): start over, but keep this
      // desk's records that the city has not received yet.
      db.exec(`DELETE FROM entries; DELETE FROM departments; DELETE FROM synonyms; DELETE FROM settings; UPDATE entry_usage SET synced = 0;
               DELETE FROM history WHERE id NOT IN (SELECT record_id FROM outbox UNION SELECT record_id FROM outbox_rejected);`);
      // The index is rebuilt from the new entries once they are all in (ensureFresh).
      search.markStale();
    }
    for (const c of page.changes) applyChange(c, upserts, deletes);
    setMeta(db, 'cursor', page.cursor);
  });

  return {
    /**
     * Before a sync from scratch: drop the history indexes and pause the search index, so the load
     * writes data without maintaining them row by row (the usual bulk-load practice). `endBulk`
     * rebuilds the history indexes, also after a failure; the search index is rebuilt after the sync.
     */
    beginBulk(): void {
      for (const index of HISTORY_BULK_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
      search.markStale();
    },
    endBulk(): void {
      for (const index of HISTORY_BULK_INDEXES) db.exec(index.create);
    },
    /** Applies one already-validated page; adds what it did to the counters. */
    apply(page: SyncPage, upserts: ChangeCounts, deletes: ChangeCounts): void {
      apply(page, upserts, deletes);
    },
  };
}
