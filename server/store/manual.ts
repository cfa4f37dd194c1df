import { manualEntrySchema, type ManualEntry, type ManualEntryInput, manualEntryInputSchema } from '../../shared/manual';
import { entryFromRow, type EntryRow } from '../../shared/sql-rows';
import { publishChange } from './change-log';
import type { Db } from './db';

/** A stored entry: deleted ones stay as tombstones with their last version. */
type StoredEntryRow = EntryRow & { deleted: number };

function sameContent(a: ManualEntry, b: Omit<ManualEntry, 'version' | 'updatedAt'>): boolean {
  return (
    a.kind === b.kind &&
    a.category === b.category &&
    a.title === b.title &&
    a.body === b.body &&
    a.department === b.department &&
    JSON.stringify(a.keywords) === JSON.stringify(b.keywords)
  );
}

export interface UpsertSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

export function getEntry(db: Db, id: string): ManualEntry | null {
  const row = db.prepare('SELECT * FROM manual_entries WHERE id = ? AND deleted = 0').get(id) as StoredEntryRow | undefined;
  return row ? entryFromRow(row) : null;
}

/**
 * Publishes entries: a new version for each one whose content changed, nothing for the
 * unchanged. Call inside a transaction to make a whole import atomic.
 */
export function upsertEntries(db: Db, inputs: readonly ManualEntryInput[], by: string, now: Date): UpsertSummary {
  const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0 };
  const select = db.prepare('SELECT * FROM manual_entries WHERE id = ?');
  const write = db.prepare(`
    INSERT INTO manual_entries(id, kind, category, title, body, keywords, department, updated_at, version, deleted)
    VALUES (@id, @kind, @category, @title, @body, @keywords, @department, @updatedAt, @version, 0)
    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, category = excluded.category, title = excluded.title,
      body = excluded.body, keywords = excluded.keywords, department = excluded.department,
      updated_at = excluded.updated_at, version = excluded.version, deleted = 0`);
  const history = db.prepare('INSERT INTO manual_entry_versions(id, version, data, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)');
  for (const input of inputs) {
    const parsed = manualEntryInputSchema.parse(input);
    const previous = select.get(parsed.id) as StoredEntryRow | undefined;
    const content = {
      id: parsed.id,
      kind: parsed.kind,
      category: parsed.category,
      title: parsed.title,
      body: parsed.body,
      keywords: parsed.keywords,
      department: parsed.department ?? null,
    };
    if (previous && !previous.deleted && sameContent(entryFromRow(previous), content)) {
      summary.unchanged++;
      continue;
    }
    const entry = manualEntrySchema.parse({
      ...content,
      updatedAt: parsed.updatedAt ?? now.toISOString(),
      version: (previous?.version ?? 0) + 1,
    });
    write.run({ ...entry, keywords: JSON.stringify(entry.keywords) });
    history.run(entry.id, entry.version, JSON.stringify(entry), now.toISOString(), by);
    publishChange(db, 'entry', entry.id, entry);
    if (previous && !previous.deleted) summary.updated++;
    else summary.inserted++;
  }
  return summary;
}

/** Deletes an entry as a tombstone that every desk receives. Returns false when there was nothing to delete. */
export function deleteEntry(db: Db, id: string, by: string, now: Date): boolean {
  const row = db.prepare('SELECT version FROM manual_entries WHERE id = ? AND deleted = 0').get(id) as { version: number } | undefined;
  if (!row) return false;
  const version = row.version + 1;
  db.prepare('UPDATE manual_entries SET deleted = 1, version = ?, updated_at = ? WHERE id = ?').run(version, now.toISOString(), id);
  db.prepare('INSERT INTO manual_entry_versions(id, version, data, changed_at, changed_by) VALUES (?, ?, NULL, ?, ?)').run(
    id,
    version,
    now.toISOString(),
    by,
  );
  publishChange(db, 'entry', id, null);
  return true;
}

/** Ids of live entries of a kind, for an import that replaces the whole catalogue. */
export function liveEntryIds(db: Db, kind: 'manual' | 'faq'): string[] {
  return (db.prepare('SELECT id FROM manual_entries WHERE kind = ? AND deleted = 0').all(kind) as { id: string }[]).map((r) => r.id);
}

export function countEntries(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM manual_entries WHERE deleted = 0').get() as { n: number }).n;
}
