import { normalisePhone, type PhoneContext } from '../../shared/phone';
import {
  historyItemSchema,
  RECORD_LIMITS,
  recordDraftSchema,
  type HistoryItem,
  type RecordBatch,
  type RecordBatchResult,
} from '../../shared/record';
import { historyFromRow, type HistoryRow } from '../../shared/sql-rows';
import { describeIssues } from '../../shared/issues';
import { publishChange } from './change-log';
import type { Db } from './db';
import { maskPersonalData } from '../../shared/masking';
import { queueSms } from './sms';

export class BatchOwnerMismatch extends Error {
  constructor() {
    super('this batch key was already used by another user');
  }
}

/**
 * Takes one upload batch. Valid records are stored once each (their id is the idempotency key),
 * invalid ones are answered with a reason, and a batch seen before gets its first answer again.
 * Call inside a transaction.
 */
export function intakeBatch(db: Db, batch: RecordBatch, agentId: string, phone: PhoneContext, now: Date): RecordBatchResult {
  const seen = db.prepare('SELECT user_id, response FROM record_batches WHERE batch_key = ?').get(batch.batchKey) as
    | { user_id: string; response: string }
    | undefined;
  if (seen) {
    if (seen.user_id !== agentId) throw new BatchOwnerMismatch();
    return { ...(JSON.parse(seen.response) as RecordBatchResult), replayed: true };
  }
  const insert = db.prepare(`
    INSERT OR IGNORE INTO records(id, agent_id, caller_raw, caller_e164, started_at, ended_at, category, outcome,
      manual_ids, notes, department, received_at, batch_key)
    VALUES (@id, @agentId, @callerRaw, @callerE164, @startedAt, @endedAt, @category, @outcome,
      @manualIds, @notes, @department, @receivedAt, @batchKey)`);
  const result: RecordBatchResult = { batchKey: batch.batchKey, accepted: [], duplicates: [], rejected: [], replayed: false };
  batch.records.forEach((raw, index) => {
    const parsed = recordDraftSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'string' ? raw.id.slice(0, 64) : null;
      result.rejected.push({ index, id, reason: describeIssues(parsed.error, '(record)') });
      return;
    }
    // Desks mask notes before they upload; the city masks again for any other client.
    const r = { ...parsed.data, notes: maskPersonalData(parsed.data.notes, phone).text.slice(0, RECORD_LIMITS.notes) };
    const caller = normalisePhone(r.callerNumber, phone);
    const item: HistoryItem = historyItemSchema.parse({
      id: r.id,
      callerE164: caller.kind === 'e164' ? caller.e164 : null,
      agentId,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      category: r.category,
      outcome: r.outcome,
      manualIds: r.manualIds,
      notes: r.notes,
      department: r.department,
    });
    const info = insert.run({
      ...item,
      callerRaw: r.callerNumber,
      manualIds: JSON.stringify(item.manualIds),
      receivedAt: now.toISOString(),
      batchKey: batch.batchKey,
    });
    if (info.changes === 0) {
      result.duplicates.push(r.id);
      return;
    }
    publishChange(db, 'history', item.id, item);
    queueSms(db, { id: item.id, callerE164: item.callerE164, smsEntryIds: r.smsEntryIds }, now);
    result.accepted.push(r.id);
  });
  db.prepare('INSERT INTO record_batches(batch_key, user_id, response, received_at) VALUES (?, ?, ?, ?)').run(
    batch.batchKey,
    agentId,
    JSON.stringify(result),
    now.toISOString(),
  );
  return result;
}

export function callerHistory(db: Db, e164: string, limit: number): HistoryItem[] {
  const rows = db
    .prepare('SELECT * FROM records WHERE caller_e164 = ? ORDER BY started_at DESC LIMIT ?')
    .all(e164, limit) as HistoryRow[];
  return rows.map(historyFromRow);
}

export interface RecordQuery {
  agentId?: string;
  from?: string;
  to?: string;
  limit: number;
}

export function listRecords(db: Db, q: RecordQuery): HistoryItem[] {
  const rows = db
    .prepare(
      `SELECT * FROM records
       WHERE (@agentId IS NULL OR agent_id = @agentId)
         AND (@from IS NULL OR started_at >= @from) AND (@to IS NULL OR started_at < @to)
       ORDER BY started_at DESC LIMIT @limit`,
    )
    .all({ agentId: q.agentId ?? null, from: q.from ?? null, to: q.to ?? null, limit: q.limit }) as HistoryRow[];
  return rows.map(historyFromRow);
}

export function countRecords(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
}
