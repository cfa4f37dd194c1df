import { randomUUID } from 'node:crypto';
import { publishChange } from './change-log';
import { inWriteTransaction, type Db } from './db';
import { getSetting } from './settings';

const DAY_MS = 86_400_000;
// Purged a slice at a time: one long write transaction would hold up intake and syncs.
const SLICE = 2_000;

export interface PurgeReport {
  cutoff: string;
  records: number;
  texts: number;
}

/**
 * Deletes what is older than the city's retention (records and the texts sent for them), with
 * tombstones so every desk drops the history too, and logs the purge itself. Returns what went.
 */
export function purgeExpired(db: Db, now: Date): PurgeReport {
  const cutoff = new Date(now.getTime() - getSetting(db, 'retentionDays') * DAY_MS).toISOString();
  const expired = db.prepare('SELECT id, caller_e164 FROM records WHERE started_at < ? LIMIT ?');
  const drop = db.prepare('DELETE FROM records WHERE id = ?');
  let records = 0;
  for (;;) {
    const n = inWriteTransaction(db, () => {
      const rows = expired.all(cutoff, SLICE) as { id: string; caller_e164: string | null }[];
      for (const r of rows) {
        drop.run(r.id);
        // Only history desks were sent needs a tombstone (withheld callers' never left the server).
        if (r.caller_e164 !== null) publishChange(db, 'history', r.id, null);
      }
      return rows.length;
    });
    records += n;
    if (n < SLICE) break;
  }
  const texts = inWriteTransaction(db, () => db.prepare('DELETE FROM sms_outbox WHERE created_at < ?').run(cutoff).changes);
  if (records + texts > 0) {
    const log = db.prepare('INSERT INTO purge_log(id, at, kind, cutoff, count) VALUES (?, ?, ?, ?, ?)');
    inWriteTransaction(db, () => {
      if (records > 0) log.run(randomUUID(), now.toISOString(), 'records', cutoff, records);
      if (texts > 0) log.run(randomUUID(), now.toISOString(), 'texts', cutoff, texts);
    });
  }
  return { cutoff, records, texts };
}

export function listPurges(db: Db, limit: number): { at: string; kind: string; cutoff: string; count: number }[] {
  return db.prepare('SELECT at, kind, cutoff, count FROM purge_log ORDER BY at DESC LIMIT ?').all(limit) as { at: string; kind: string; cutoff: string; count: number }[];
}
