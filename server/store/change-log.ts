import { formatCursor, parseCursor, type SyncKind } from '../../shared/sync';
import { getEpoch, type Db } from './db';

/**
 * Publishes a change to every desk; `own` is what the desk of one user (`owner`) gets instead.
 * Older changes of the same key are dropped, so the log holds one row per key and a desk that
 * syncs from scratch replays each key once.
 */
export function publishChange(db: Db, kind: SyncKind, key: string, payload: unknown | null, own?: { owner: string; payload: unknown }): number {
  db.prepare('DELETE FROM changes WHERE kind = ? AND key = ?').run(kind, key);
  const info = db
    .prepare('INSERT INTO changes(kind, key, payload, owner, owner_payload) VALUES (?, ?, ?, ?, ?)')
    .run(kind, key, payload === null ? null : JSON.stringify(payload), own?.owner ?? null, own ? JSON.stringify(own.payload) : null);
  return Number(info.lastInsertRowid);
}

export interface ChangeSlice {
  /** Each change already serialised as the desks receive it. */
  json: string[];
  lastRev: number;
  hasMore: boolean;
}

/** Changes after `rev` as user `viewer`'s desk receives them, at most `maxRows` and `maxBytes` of UTF-8 (always at least one row when any). */
export function changesAfter(db: Db, rev: number, maxRows: number, maxBytes: number, viewer: string): ChangeSlice {
  const rows = db
    .prepare('SELECT rev, kind, key, CASE WHEN owner = ? THEN owner_payload ELSE payload END AS payload FROM changes WHERE rev > ? ORDER BY rev LIMIT ?')
    .iterate(viewer, rev, maxRows + 1) as IterableIterator<{ rev: number; kind: string; key: string; payload: string | null }>;
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

export function latestRev(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(rev), 0) AS rev FROM changes').get() as { rev: number }).rev;
}

/**
 * The page of changes after a desk's cursor, as the JSON user `viewer`'s desk receives; null for a
 * malformed cursor. A cursor of another epoch (a restored or replaced server), or none, starts
 * from the beginning with `reset`, so the desk knows to drop what it holds.
 */
export function syncPageJson(db: Db, since: string | undefined, maxRows: number, maxBytes: number, viewer: string): string | null {
  const epoch = getEpoch(db);
  const cursor = since === undefined ? null : parseCursor(since);
  if (since !== undefined && !cursor) return null;
  const current = cursor !== null && cursor.epoch === epoch;
  const from = current ? cursor.rev : 0;
  // One read transaction, so the page is a consistent snapshot even while imports run.
  const slice = db.transaction(() => changesAfter(db, from, maxRows, maxBytes, viewer))();
  const head = `{"cursor":${JSON.stringify(formatCursor({ epoch, rev: slice.lastRev }))},"hasMore":${slice.hasMore},"reset":${!current},"changes":[`;
  return `${head}${slice.json.join(',')}]}`;
}
