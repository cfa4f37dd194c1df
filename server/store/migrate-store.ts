import { createHash } from 'node:crypto';
import type { SqliteStore } from './sqlite-store';
import type { Db, SqlParam } from './sql';

export interface TableCopy {
  table: string;
  rows: number;
  /** sha256 of the rows in primary-key order, each its values in column order: equal on both sides. */
  checksum: string;
}

const ROWS_PER_INSERT = 500;

/** The tables of a SQLite city store with their columns and primary key, in an order that keeps references whole. */
function tablesOf(from: SqliteStore): { table: string; columns: string[]; key: string[] }[] {
  const names = from.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  // Sessions refer to users: users first.
  names.sort((a, b) => (a === 'users' ? -1 : b === 'users' ? 1 : 0));
  return names.map((table) => {
    const info = from.sqlite.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string; pk: number }[];
    return { table, columns: info.map((c) => c.name), key: info.filter((c) => c.pk > 0).sort((x, y) => x.pk - y.pk).map((c) => c.name) };
  });
}

async function checksumOf(db: Db, table: string, columns: string[], key: string[]): Promise<TableCopy> {
  const rows = await db.all<Record<string, SqlParam>>(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${key.join(', ')}`);
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${JSON.stringify(columns.map((c) => r[c] ?? null))}\n`);
  return { table, rows: rows.length, checksum: hash.digest('hex') };
}

/**
 * Copies a running city's SQLite store into an empty PostgreSQL one, every table and row as it
 * is (revisions and the epoch too, so desks go on syncing from their cursors), in one
 * transaction, then compares each table on both sides by row count and checksum. Throws, having
 * written nothing, when the target already holds a city, and when any table differs.
 */
export async function copyStore(from: SqliteStore, to: Db): Promise<TableCopy[]> {
  const tables = tablesOf(from);
  await to.write(async (tx) => {
    // A new database's migrations write its epoch and mark the (empty) rollups to be built: neither is a city's.
    const held = (await tx.get<{ n: number }>("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM changes) + (SELECT COUNT(*) FROM meta WHERE key NOT IN ('epoch', 'rollups')) AS n")) as { n: number };
    if (held.n > 0) throw new Error('the target store is not empty: migrate into a new database');
    await tx.run('DELETE FROM meta');
    for (const { table, columns, key } of tables) {
      const rows = from.sqlite.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${key.join(', ')}`).raw().all() as SqlParam[][];
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const batch = rows.slice(i, i + ROWS_PER_INSERT);
        const values = batch.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
        await tx.run(`INSERT INTO ${table}(${columns.join(', ')}) VALUES ${values}`, batch.flat());
      }
    }
    // New changes continue after the copied ones.
    await tx.get("SELECT setval(pg_get_serial_sequence('changes', 'rev'), COALESCE((SELECT MAX(rev) FROM changes), 0) + 1, false) AS rev");
  });
  const copies: TableCopy[] = [];
  for (const { table, columns, key } of tables) {
    const [a, b] = [await checksumOf(from, table, columns, key), await checksumOf(to, table, columns, key)];
    if (a.rows !== b.rows || a.checksum !== b.checksum) throw new Error(`${table} differs after the copy: ${a.rows} rows here, ${b.rows} there`);
    copies.push(a);
  }
  return copies;
}
