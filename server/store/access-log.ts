import { randomUUID } from 'node:crypto';
import type { AccessEvent, AccessPurpose, AccessRow } from '../../shared/access-log';
import type { Db } from './sql';

/** How long the log is kept at least (the safety measures standard asks a year; a purge keeps younger lines). */
export const ACCESS_LOG_KEEP_DAYS = 366;

const INSERT = `INSERT INTO access_log(id, at, actor, subject, purpose, source, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/** A read of personal data through the city's own API. */
export async function logAccess(db: Db, e: { actor: string; subject: string; purpose: AccessPurpose }, now: Date): Promise<void> {
  await db.run(INSERT, [randomUUID(), now.toISOString(), e.actor, e.subject, e.purpose, 'server', null]);
}

/** Reads a desk reports (its own agent's): each stored once by id, timed by the server. Returns how many were new. */
export async function accessFromDesk(db: Db, events: readonly AccessEvent[], reporter: string, now: Date): Promise<number> {
  const received = now.toISOString();
  return db.write(async (tx) => {
    let added = 0;
    for (const e of events) added += await tx.run(INSERT, [e.id, received, reporter, e.subject, e.purpose, reporter, e.at]);
    return added;
  });
}

/** The log, newest first; one subject's (a caller's number) when given. */
export async function listAccess(db: Db, q: { limit: number; subject?: string }): Promise<AccessRow[]> {
  const subject = q.subject ?? null;
  return db.all<AccessRow>(
    `SELECT id, at, actor, subject, purpose, source, reported_at AS "reportedAt" FROM access_log
     WHERE (CAST(? AS TEXT) IS NULL OR subject = ?) ORDER BY at DESC, id LIMIT ?`,
    [subject, subject, q.limit],
  );
}
