import { departmentSchema, type Department } from '../../shared/directory';
import { publishChange } from './change-log';
import type { Db } from './sql';

/** Replaces the transfer directory: changed departments are published, missing ones tombstoned. */
export async function replaceDirectory(db: Db, departments: readonly Department[]): Promise<{ changed: number; removed: number }> {
  return db.write(async (tx) => {
    const existing = new Map((await tx.all<{ id: string; data: string }>('SELECT id, data FROM departments')).map((r) => [r.id, r.data]));
    let changed = 0;
    for (const d of departments) {
      const data = JSON.stringify(departmentSchema.parse(d));
      if (existing.get(d.id) !== data) {
        await tx.run('INSERT INTO departments(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data', [d.id, data]);
        await publishChange(tx, 'department', d.id, d);
        changed++;
      }
      existing.delete(d.id);
    }
    for (const id of existing.keys()) {
      await tx.run('DELETE FROM departments WHERE id = ?', [id]);
      await publishChange(tx, 'department', id, null);
    }
    return { changed, removed: existing.size };
  });
}

export async function listDepartments(db: Db): Promise<Department[]> {
  return (await db.all<{ data: string }>('SELECT data FROM departments ORDER BY id')).map((r) => JSON.parse(r.data) as Department);
}
