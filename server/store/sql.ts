/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | null;

/**
 * The city store's one way to its database, whichever engine holds it (SQLite embedded, or
 * PostgreSQL for several instances). Store modules write their SQL once, with `?` placeholders,
 * in what both engines speak: upserts with ON CONFLICT, RETURNING, and CAST(? AS TEXT) where a
 * parameter's type must be known before it is compared. Routes never see SQL.
 */
export interface Db {
  readonly engine: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * Runs `fn` as one write transaction, committed when it resolves and rolled back when it
   * throws. It takes the write lock first (SQLite: BEGIN IMMEDIATE), so it waits its turn rather
   * than fail when another writer came in between its reads and its writes. Inside a
   * transaction, a nested call joins it. Inside `fn` use `tx` only: a statement through the
   * store itself waits for the transaction to end, which waits for it.
   */
  write<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs `fn`'s reads on one consistent snapshot (a sync page read while imports write). */
  read<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

/** A store the server opened and closes. */
export interface CityStore extends Db {
  close(): Promise<void>;
}

/** The first column of the first row (a count, a value), or undefined. */
export async function value<T>(db: Db, sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
  const row = await db.get<Record<string, unknown>>(sql, params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/**
 * A WHERE clause of the filters given a value: `[column, value]` compares with `=`, a list of
 * values with `IN`; an absent value or an empty list filters nothing.
 */
export function whereOf(filters: readonly (readonly [column: string, value: SqlParam | readonly SqlParam[] | undefined])[]): { where: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [column, v] of filters) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      parts.push(`${column} IN (${v.map(() => '?').join(', ')})`);
      params.push(...(v as readonly SqlParam[]));
    } else {
      parts.push(`${column} = ?`);
      params.push(v as SqlParam);
    }
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
