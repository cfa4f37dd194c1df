import { randomUUID } from 'node:crypto';
import type { AccessEvent, AccessPurpose, AccessRow } from '../../shared/access-log';
import { inWriteTransaction, type Db } from './db';

/** How long the log is kept at least (the safety measures standard asks a year; a purge keeps younger lines). */
export const ACCESS_LOG_KEEP_DAYS = 366;

const insert = (db: Db) =>
  db.prepare(`INSERT OR IGNORE INTO access_log(id, at, actor, subject, purpose, source, reported_at)
              VALUES (@id, @at, @actor, @subject, @purpose, @source, @reportedAt)`);

/** A read of personal data through the city's own API. */
export function logAccess(db: Db, e: { actor: string; subject: string; purpose: AccessPurpose }, now: Date): void {
  insert(db).run({ ...e, id: randomUUID(), at: now.toISOString(), source: 'server', reportedAt: null });
}

/** Reads a desk reports (its own agent's): each stored once by id, timed by the server. Returns how many were new. */
export function accessFromDesk(db: Db, events: readonly AccessEvent[], reporter: string, now: Date): number {
  const run = insert(db);
  const received = now.toISOString();
  return inWriteTransaction(db, () => events.reduce((n, e) => n + run.run({ ...e, at: received, reportedAt: e.at, actor: reporter, source: reporter }).changes, 0));
}

/** The log, newest first; one subject's (a caller's number) when given. */
export function listAccess(db: Db, q: { limit: number; subject?: string }): AccessRow[] {
  return db
    .prepare(
      `SELECT id, at, actor, subject, purpose, source, reported_at AS reportedAt FROM access_log
       WHERE (@subject IS NULL OR subject = @subject) ORDER BY at DESC, id LIMIT @limit`,
    )
    .all({ subject: q.subject ?? null, limit: q.limit }) as AccessRow[];
}
