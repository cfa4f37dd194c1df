import { departmentSchema, type Department } from '../../shared/directory';
import { publishChange } from './change-log';
import type { Db } from './db';

/** Replaces the transfer directory: changed departments are published, missing ones tombstoned. */
export function replaceDirectory(db: Db, departments: readonly Department[]): { changed: number; removed: number } {
  const existing = new Map(
    (db.prepare('SELECT id, data FROM departments').all() as { id: string; data: string }[]).map((r) => [r.id, r.data]),
  );
  let changed = 0;
  for (const d of departments) {
    const data = JSON.stringify(departmentSchema.parse(d));
    if (existing.get(d.id) !== data) {
      db.prepare('INSERT INTO departments(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data').run(d.id, data);
      publishChange(db, 'department', d.id, d);
      changed++;
    }
    existing.delete(d.id);
  }
  for (const id of existing.keys()) {
    db.prepare('DELETE FROM departments WHERE id = ?').run(id);
    publishChange(db, 'department', id, null);
  }
  return { changed, removed: existing.size };
}

export function listDepartments(db: Db): Department[] {
  return (db.prepare('SELECT data FROM departments ORDER BY id').all() as { data: string }[]).map(
    (r) => JSON.parse(r.data) as Department,
  );
}
