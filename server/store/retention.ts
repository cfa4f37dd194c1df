import { randomUUID } from 'node:crypto';
import { publishChange } from './change-log';
import type { Db } from './sql';
import { getSetting } from './settings';
import { seoulDay } from '../../shared/seoul-time';

const DAY_MS = 86_400_000;
// Purged a slice at a time: one long write transaction would hold up intake and syncs.
const SLICE = 2_000;

export interface PurgeReport {
  cutoff: string;
  records: number;
  texts: number;
  /** Citizens' text threads closed before the cutoff, with their messages and pictures. */
  threads: number;
  /** Searches that found nothing, from before the cutoff. */
  searches: number;
  /** The analysis's counts of the notes' words, of days before the cutoff's (the other rollups hold no words and stay). */
  noteTerms: number;
}

/**
 * Deletes what is older than the city's retention (records, the texts sent for them, and citizens'
 * text threads closed before it, their messages and pictures with them), with
 * tombstones so every desk drops the history too, and logs the purge itself. Returns what went.
 */
export async function purgeExpired(db: Db, now: Date): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - (await getSetting(db, 'retentionDays')) * DAY_MS).toISOString();
  let records = 0;
  for (;;) {
    const n = await db.write(async (tx) => {
      // A reported call (성희롱·위협) stays with its recordings until a team lead closes its case.
      const rows = await tx.all<{ id: string; caller_e164: string | null }>('SELECT id, caller_e164 FROM records WHERE started_at < ? AND (report_kind IS NULL OR case_closed_at IS NOT NULL) LIMIT ?', [cutoff, SLICE]);
      for (const r of rows) {
        await tx.run('DELETE FROM records WHERE id = ?', [r.id]);
        // Only history desks were sent needs a tombstone (withheld callers' never left the server).
        if (r.caller_e164 !== null) await publishChange(tx, 'history', r.id, null);
      }
      return rows.length;
    });
    records += n;
    if (n < SLICE) break;
  }
  const texts = await db.run('DELETE FROM sms_outbox WHERE created_at < ?', [cutoff]);
  let threads = 0;
  for (;;) {
    // A thread still open is work in hand, however old its first text: it goes once it is closed.
    const n = await db.write(async (tx) => {
      const rows = await tx.all<{ id: string }>("SELECT id FROM text_threads WHERE state = 'closed' AND closed_at < ? LIMIT ?", [cutoff, SLICE]);
      for (const t of rows) {
        await tx.run('DELETE FROM text_media WHERE message_id IN (SELECT id FROM text_messages WHERE thread_id = ?)', [t.id]);
        await tx.run('DELETE FROM text_messages WHERE thread_id = ?', [t.id]);
        await tx.run('DELETE FROM text_threads WHERE id = ?', [t.id]);
      }
      return rows.length;
    });
    threads += n;
    if (n < SLICE) break;
  }
  // What agents searched for and found nothing: their words may hold a citizen's, kept no longer than the records.
  const searches = await db.run('DELETE FROM search_misses WHERE at < ?', [cutoff]);
  // The notes' words may name a citizen too.
  const noteTerms = await db.run('DELETE FROM rollup_terms WHERE day < ?', [seoulDay(new Date(cutoff)).day]);
  if (records + texts + threads + searches + noteTerms > 0) {
    const log = 'INSERT INTO purge_log(id, at, kind, cutoff, count) VALUES (?, ?, ?, ?, ?)';
    await db.write(async (tx) => {
      if (records > 0) await tx.run(log, [randomUUID(), now.toISOString(), 'records', cutoff, records]);
      if (texts > 0) await tx.run(log, [randomUUID(), now.toISOString(), 'texts', cutoff, texts]);
      if (threads > 0) await tx.run(log, [randomUUID(), now.toISOString(), 'text-threads', cutoff, threads]);
      if (searches > 0) await tx.run(log, [randomUUID(), now.toISOString(), 'search-misses', cutoff, searches]);
      if (noteTerms > 0) await tx.run(log, [randomUUID(), now.toISOString(), 'note-terms', cutoff, noteTerms]);
    });
  }
  return { cutoff, records, texts, threads, searches, noteTerms };
}

export async function listPurges(db: Db, limit: number): Promise<{ at: string; kind: string; cutoff: string; count: number }[]> {
  return db.all('SELECT at, kind, cutoff, count FROM purge_log ORDER BY at DESC LIMIT ?', [limit]);
}
