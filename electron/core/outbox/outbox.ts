import { randomUUID } from 'node:crypto';
import type { OutboxStatus } from '../../../shared/contract';
import { normalisePhone, type PhoneContext } from '../../../shared/phone';
import { maskPersonalData } from '../../../shared/masking';
import { RECORD_LIMITS, type RecordBatchResult, type RecordDraft } from '../../../shared/record';
import type { CacheDb } from '../cache/cache-db';
import { clip } from '../../../shared/plain-text';

export interface OutboxBatch {
  batchKey: string;
  records: RecordDraft[];
}

export const DEFAULT_BATCH_SIZE = 500;

export interface SaveResult {
  saved: boolean;
  callerE164: string | null;
}

/**
 * The desk's record outbox. A saved record is written to the caller's local history and to the
 * outbox in one transaction; it leaves the outbox only when the city has answered for it
 * (stored, already stored, or refused with a reason, which is kept).
 */
export function createOutbox(db: CacheDb, deps: { phone: PhoneContext; clock: () => Date; agentId: () => string }) {
  const insertHistory = db.prepare(`
    INSERT OR IGNORE INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, channel, end_reason, pending)
    VALUES (@id, @callerE164, @agentId, @startedAt, @endedAt, @category, @outcome, @manualIds, @notes, @department, @channel, @endReason, 1)`);
  const insertOutbox = db.prepare('INSERT OR IGNORE INTO outbox(record_id, payload, created_at) VALUES (?, ?, ?)');
  const inFlight = db.prepare('SELECT batch_key FROM outbox WHERE batch_key IS NOT NULL ORDER BY seq LIMIT 1');
  const ofBatch = db.prepare('SELECT record_id, payload FROM outbox WHERE batch_key = ? ORDER BY seq');
  const claim = db.prepare(
    'UPDATE outbox SET batch_key = ? WHERE seq IN (SELECT seq FROM outbox WHERE batch_key IS NULL ORDER BY seq LIMIT ?)',
  );
  const remove = db.prepare('DELETE FROM outbox WHERE record_id = ?');
  const reject = db.prepare(
    'INSERT OR REPLACE INTO outbox_rejected(record_id, payload, reason, at) SELECT record_id, payload, ?, ? FROM outbox WHERE record_id = ?',
  );
  const markSent = db.prepare('UPDATE history SET pending = 0 WHERE id = ?');
  const release = db.prepare('UPDATE outbox SET batch_key = NULL WHERE batch_key = ?');
  const failed = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE batch_key = ?');
  const pendingCount = db.prepare('SELECT COUNT(*) AS n FROM outbox');
  const rejectedRows = db.prepare('SELECT record_id, reason, at FROM outbox_rejected ORDER BY at DESC LIMIT 100');

  const save = db.transaction((typed: RecordDraft): SaveResult => {
    // Resident, card and account numbers never reach the cache, the outbox or the city unmasked.
    const draft = { ...typed, notes: clip(maskPersonalData(typed.notes, deps.phone).text, RECORD_LIMITS.notes) };
    const caller = normalisePhone(draft.callerNumber, deps.phone);
    const callerE164 = caller.kind === 'e164' ? caller.e164 : null;
    // The history row is the guard: a record id seen before (saved, uploaded or synced) is not queued twice.
    const info = insertHistory.run({
      ...draft,
      callerE164,
      agentId: deps.agentId(),
      manualIds: JSON.stringify(draft.manualIds),
      channel: draft.channel ?? (draft.callbackId ? 'callback' : 'call'),
      endReason: draft.endReason ?? null,
    });
    if (info.changes === 0) return { saved: false, callerE164 };
    insertOutbox.run(draft.id, JSON.stringify(draft), deps.clock().toISOString());
    return { saved: true, callerE164 };
  });

  const settle = db.transaction((batch: OutboxBatch, result: RecordBatchResult) => {
    const at = deps.clock().toISOString();
    for (const id of [...result.accepted, ...result.duplicates]) {
      remove.run(id);
      markSent.run(id);
    }
    for (const r of result.rejected) {
      const id = batch.records[r.index]?.id;
      if (!id) continue;
      reject.run(r.reason, at, id);
      remove.run(id);
    }
    // Anything the answer did not mention goes out again, in a new batch.
    release.run(batch.batchKey);
  });

  return {
    /** Saves a record locally; `saved` is false when a record with this id was saved before (a retried save). */
    save(draft: RecordDraft): SaveResult {
      // A consultation record must survive a power cut the moment the agent is told it is saved:
      // this one commit syncs the log to disk (the rest of the cache runs with NORMAL).
      db.pragma('synchronous = FULL');
      try {
        return save(draft);
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    },

    /** The batch to upload next: the one already in flight if any (same key), else a new one. */
    nextBatch(size = DEFAULT_BATCH_SIZE): OutboxBatch | null {
      let key = (inFlight.get() as { batch_key: string } | undefined)?.batch_key;
      if (!key) {
        key = randomUUID();
        if (claim.run(key, size).changes === 0) return null;
      }
      const rows = ofBatch.all(key) as { record_id: string; payload: string }[];
      return { batchKey: key, records: rows.map((r) => JSON.parse(r.payload) as RecordDraft) };
    },

    settle(batch: OutboxBatch, result: RecordBatchResult): void {
      settle(batch, result);
    },

    /** Notes a failed upload; the batch keeps its key so the retry is recognisable. */
    failed(batch: OutboxBatch, error: string): void {
      failed.run(error.slice(0, 500), batch.batchKey);
    },

    status(): OutboxStatus {
      return {
        pending: (pendingCount.get() as { n: number }).n,
        rejected: (rejectedRows.all() as { record_id: string; reason: string; at: string }[]).map((r) => ({
          recordId: r.record_id,
          reason: r.reason,
          at: r.at,
        })),
      };
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
