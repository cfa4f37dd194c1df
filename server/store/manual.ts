import { compactSections, manualEntrySchema, type ManualEntry, type ManualEntryInput, manualEntryInputSchema } from '../../shared/manual';
import { entryFromRow, type EntryRow } from '../../shared/sql-rows';
import { publishChange } from './change-log';
import { value, type Db } from './sql';

/** A stored entry: deleted ones stay as tombstones with their last version. */
type StoredEntryRow = EntryRow & { deleted: number };

function sameContent(a: ManualEntry, b: Omit<ManualEntry, 'version' | 'updatedAt'>): boolean {
  return (
    a.kind === b.kind &&
    a.category === b.category &&
    a.title === b.title &&
    a.body === b.body &&
    a.department === b.department &&
    JSON.stringify(a.keywords) === JSON.stringify(b.keywords) &&
    JSON.stringify(a.sections ?? {}) === JSON.stringify(b.sections ?? {})
  );
}

export interface UpsertSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

export async function getEntry(db: Db, id: string): Promise<ManualEntry | null> {
  const row = await db.get<StoredEntryRow>('SELECT * FROM manual_entries WHERE id = ? AND deleted = 0', [id]);
  return row ? entryFromRow(row) : null;
}

// A publication verifies the entry: its verify-by date counts from its date (a department's file says when it was last revised). The owner stays unless one is given.
const WRITE_ENTRY = `
  INSERT INTO manual_entries(id, kind, category, title, body, keywords, department, updated_at, version, deleted, sections, verified_at, owner)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, category = excluded.category, title = excluded.title,
    body = excluded.body, keywords = excluded.keywords, department = excluded.department,
    updated_at = excluded.updated_at, version = excluded.version, deleted = 0, sections = excluded.sections,
    verified_at = excluded.verified_at, owner = COALESCE(excluded.owner, manual_entries.owner)`;
const WRITE_VERSION = 'INSERT INTO manual_entry_versions(id, version, data, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)';

/**
 * Publishes entries, atomically: a new version for each one whose content changed, nothing for
 * the unchanged.
 */
export async function upsertEntries(db: Db, inputs: readonly ManualEntryInput[], by: string, now: Date, owner: string | null = null): Promise<UpsertSummary> {
  return db.write(async (tx) => {
    const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0 };
    for (const input of inputs) {
      const parsed = manualEntryInputSchema.parse(input);
      const previous = await tx.get<StoredEntryRow>('SELECT * FROM manual_entries WHERE id = ?', [parsed.id]);
      const content = {
        id: parsed.id,
        kind: parsed.kind,
        category: parsed.category,
        title: parsed.title,
        body: parsed.body,
        keywords: parsed.keywords,
        department: parsed.department ?? null,
        sections: compactSections(parsed.sections),
      };
      if (previous && !previous.deleted && sameContent(entryFromRow(previous), content)) {
        summary.unchanged++;
        continue;
      }
      const { sections, ...rest } = content;
      const entry = manualEntrySchema.parse({
        ...rest,
        ...(Object.keys(sections).length > 0 ? { sections } : {}),
        updatedAt: parsed.updatedAt ?? now.toISOString(),
        version: (previous?.version ?? 0) + 1,
      });
      await tx.run(WRITE_ENTRY, [entry.id, entry.kind, entry.category, entry.title, entry.body, JSON.stringify(entry.keywords), entry.department, entry.updatedAt, entry.version, entry.sections ? JSON.stringify(entry.sections) : null, entry.updatedAt, owner]);
      await tx.run(WRITE_VERSION, [entry.id, entry.version, JSON.stringify(entry), now.toISOString(), by]);
      await publishChange(tx, 'entry', entry.id, entry);
      if (previous && !previous.deleted) summary.updated++;
      else summary.inserted++;
    }
    return summary;
  });
}

/** Deletes an entry as a tombstone that every desk receives. Returns false when there was nothing to delete. */
export async function deleteEntry(db: Db, id: string, by: string, now: Date): Promise<boolean> {
  return db.write(async (tx) => {
    const version = await value<number>(tx, 'SELECT version FROM manual_entries WHERE id = ? AND deleted = 0', [id]);
    if (version === undefined) return false;
    await tx.run('UPDATE manual_entries SET deleted = 1, version = ?, updated_at = ? WHERE id = ?', [version + 1, now.toISOString(), id]);
    await tx.run(WRITE_VERSION, [id, version + 1, null, now.toISOString(), by]);
    await publishChange(tx, 'entry', id, null);
    return true;
  });
}

/** Ids of live entries of a kind, for an import that replaces the whole catalogue. */
export async function liveEntryIds(db: Db, kind: 'manual' | 'faq'): Promise<string[]> {
  return (await db.all<{ id: string }>('SELECT id FROM manual_entries WHERE kind = ? AND deleted = 0', [kind])).map((r) => r.id);
}

export async function countEntries(db: Db): Promise<number> {
  return (await value<number>(db, 'SELECT COUNT(*) AS n FROM manual_entries WHERE deleted = 0')) as number;
}
