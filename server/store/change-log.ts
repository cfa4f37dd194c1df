import { formatCursor, parseCursor, type SyncKind } from '../../shared/sync';
import { getEpoch } from './db';
import { value, type Db } from './sql';

/**
 * Publishes a change to every desk; `own` is what the desk of one user (`owner`) gets instead.
 * Older changes of the same key are dropped, so the log holds one row per key and a desk that
 * syncs from scratch replays each key once. Always inside a write transaction (the caller's, or
 * its own): on PostgreSQL that is what keeps revisions committing in the order they are taken.
 */
export async function publishChange(db: Db, kind: SyncKind, key: string, payload: unknown | null, own?: { owner: string; payload: unknown }): Promise<number> {
  return db.write(async (tx) => {
    await tx.run('DELETE FROM changes WHERE kind = ? AND key = ?', [kind, key]);
    const row = await tx.get<{ rev: number }>('INSERT INTO changes(kind, key, payload, owner, owner_payload) VALUES (?, ?, ?, ?, ?) RETURNING rev', [
      kind,
      key,
      payload === null ? null : JSON.stringify(payload),
      own?.owner ?? null,
      own ? JSON.stringify(own.payload) : null,
    ]);
    return (row as { rev: number }).rev;
  });
}

export interface ChangeSlice {
  /** Each change already serialised as the desks receive it. */
  json: string[];
  lastRev: number;
  hasMore: boolean;
}

/** Changes after `rev` as user `viewer`'s desk receives them, at most `maxRows` and `maxBytes` of UTF-8 (always at least one row when any). */
export async function changesAfter(db: Db, rev: number, maxRows: number, maxBytes: number, viewer: string): Promise<ChangeSlice> {
  const rows = await db.all<{ rev: number; kind: string; key: string; payload: string | null }>(
    'SELECT rev, kind, key, CASE WHEN owner = ? THEN owner_payload ELSE payload END AS payload FROM changes WHERE rev > ? ORDER BY rev LIMIT ?',
    [viewer, rev, maxRows + 1],
  );
  const json: string[] = [];
  let bytes = 0;
  let lastRev = rev;
  let hasMore = false;
  for (const row of rows) {
    // Payloads are stored as JSON already: splicing them in avoids a parse and re-serialise per row.
    const item = `{"rev":${row.rev},"kind":${JSON.stringify(row.kind)},"key":${JSON.stringify(row.key)},"data":${row.payload ?? 'null'}}`;
    if (json.length === maxRows || (json.length > 0 && bytes + Buffer.byteLength(item) > maxBytes)) {
      hasMore = true;
      break;
    }
    json.push(item);
    bytes += Buffer.byteLength(item) + 1;
    lastRev = row.rev;
  }
  return { json, lastRev, hasMore };
}

export async function latestRev(db: Db): Promise<number> {
  return (await value<number>(db, 'SELECT COALESCE(MAX(rev), 0) AS rev FROM changes')) as number;
}

/**
 * The page of changes after a desk's cursor, as the JSON user `viewer`'s desk receives; null for a
 * malformed cursor. A cursor of another epoch (a replaced server), past the newest change (this
 * server restored from a backup taken before the desk's last sync: revisions after the backup
 * will be handed out again, to other changes), or none, starts from the beginning with `reset`,
 * so the desk knows to drop what it holds.
 */
export async function syncPageJson(db: Db, since: string | undefined, maxRows: number, maxBytes: number, viewer: string): Promise<string | null> {
  const epoch = await getEpoch(db);
  const cursor = since === undefined ? null : parseCursor(since);
  if (since !== undefined && !cursor) return null;
  // One read transaction, so the page is a consistent snapshot even while imports write.
  const { slice, reset } = await db.read(async (tx) => {
    if (cursor === null || cursor.epoch !== epoch) return { slice: await changesAfter(tx, 0, maxRows, maxBytes, viewer), reset: true };
    const after = await changesAfter(tx, cursor.rev, maxRows, maxBytes, viewer);
    // Only an empty page can be past the newest change (the length test only spares a lookup).
    // Stryker disable next-line ConditionalExpression: without it every page looks up the newest revision, with the same answer.
    if (after.json.length > 0 || cursor.rev <= (await latestRev(tx))) return { slice: after, reset: false };
    return { slice: await changesAfter(tx, 0, maxRows, maxBytes, viewer), reset: true };
  });
  const head = `{"cursor":${JSON.stringify(formatCursor({ epoch, rev: slice.lastRev }))},"hasMore":${slice.hasMore},"reset":${reset},"changes":[`;
  return `${head}${slice.json.join(',')}]}`;
}

/** A published table of one value per key (settings, synonyms), with the sync kind it goes out as. */
export type KeyedTable = { table: 'settings'; key: 'key'; value: 'value'; kind: 'setting' } | { table: 'synonyms'; key: 'term'; value: 'expansions'; kind: 'synonym' };

/** Stores `json` under `key` and publishes `payload` when it is new or changed; returns whether it was. */
export async function putIfChanged(db: Db, t: KeyedTable, key: string, json: string, payload: unknown): Promise<boolean> {
  return db.write(async (tx) => {
    if ((await value<string>(tx, `SELECT ${t.value} FROM ${t.table} WHERE ${t.key} = ?`, [key])) === json) return false;
    await tx.run(`INSERT INTO ${t.table}(${t.key}, ${t.value}) VALUES (?, ?) ON CONFLICT(${t.key}) DO UPDATE SET ${t.value} = excluded.${t.value}`, [key, json]);
    await publishChange(tx, t.kind, key, payload);
    return true;
  });
}
