import { countLinks } from './entry-upkeep';
import { addToRollups, settleRepeats } from './rollups';
import { normalisePhone, type PhoneContext } from '../../shared/phone';
import {
  deskViewOf,
  historyItemSchema,
  RECORD_LIMITS,
  recordDraftSchema,
  sharedViewOf,
  type Channel,
  type DeskHistoryItem,
  type HistoryItem,
  type RecordBatch,
  type RecordBatchResult,
} from '../../shared/record';
import { historyFromRow, type HistoryRow } from '../../shared/sql-rows';
import { describeIssues } from '../../shared/issues';
import { publishChange } from './change-log';
import type { Db } from './sql';
import { maskPersonalData } from '../../shared/masking';
import { clip } from '../../shared/plain-text';
import { getSetting } from './settings';
import { queueSms } from './sms';
import { closeThread } from './text-threads';
import { linkRecordCalls } from './recordings';

// A desk's clock may run a little ahead; a record is never of a call that ends later than this.
const CLOCK_SKEW_MS = 5 * 60_000;
// Records saved offline arrive late, but not this late, nor older than the city keeps them.
const MAX_AGE_DAYS = 400;
const MAX_CALL_MS = 12 * 3_600_000;
// A text conversation may go on over days (the citizen answers the next morning).
const MAX_THREAD_MS = 7 * 86_400_000;

/** Why a record's times cannot be those of a real call (or text thread) taken by now, or null. */
function timesRefusal(startedAt: string, endedAt: string, now: Date, retentionDays: number, channel: Channel): string | null {
  const [started, ended, t] = [Date.parse(startedAt), Date.parse(endedAt), now.getTime()];
  const maxDays = Math.min(MAX_AGE_DAYS, retentionDays);
  if (ended > t + CLOCK_SKEW_MS) return 'endedAt is in the future';
  if (started < t - maxDays * 86_400_000) return `startedAt is more than ${maxDays} days ago`;
  if (channel === 'text' ? ended - started > MAX_THREAD_MS : ended - started > MAX_CALL_MS) return channel === 'text' ? 'a text thread of more than 7 days' : 'a call of more than 12 hours';
  return null;
}

export class BatchOwnerMismatch extends Error {
  constructor() {
    super('this batch key was already used by another user');
  }
}

export interface IntakeOptions {
  /**
   * Keep the analysis's rollups and repeat flags in the same transaction (the default). A bulk
   * load may leave them to one `rebuildRollups` afterwards; the benchmark measures their cost so.
   */
  rollups?: boolean;
}

/**
 * Takes one upload batch, atomically. Valid records are stored once each (their id is the
 * idempotency key), invalid ones are answered with a reason, and a batch seen before gets its
 * first answer again.
 */
export async function intakeBatch(db: Db, batch: RecordBatch, agentId: string, phone: PhoneContext, now: Date, options: IntakeOptions = {}): Promise<RecordBatchResult> {
  return db.write(async (tx) => {
    const seen = await tx.get<{ user_id: string; response: string }>('SELECT user_id, response FROM record_batches WHERE batch_key = ?', [batch.batchKey]);
    if (seen) {
      if (seen.user_id !== agentId) throw new BatchOwnerMismatch();
      return { ...(JSON.parse(seen.response) as RecordBatchResult), replayed: true };
    }
    const retentionDays = await getSetting(tx, 'retentionDays');
    const result: RecordBatchResult = { batchKey: batch.batchKey, accepted: [], duplicates: [], rejected: [], replayed: false };
    const rollups = options.rollups ?? true;
    for (const [index, raw] of batch.records.entries()) await intakeRecord(tx, { raw, index, batchKey: batch.batchKey, agentId, phone, now, retentionDays, rollups }, result);
    await tx.run('INSERT INTO record_batches(batch_key, user_id, response, received_at) VALUES (?, ?, ?, ?)', [batch.batchKey, agentId, JSON.stringify(result), now.toISOString()]);
    return result;
  });
}

const INSERT_RECORD = `
  INSERT INTO records(id, agent_id, caller_raw, caller_e164, started_at, ended_at, category, outcome,
    manual_ids, notes, department, received_at, batch_key, callback_id, channel, thread_id, district, started_ms,
    warnings_played, warnings_spoken, end_reason, report_kind)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/** One record of a batch: stored, a duplicate, or refused with its reason, into `result`. */
async function intakeRecord(
  tx: Db,
  o: { raw: unknown; index: number; batchKey: string; agentId: string; phone: PhoneContext; now: Date; retentionDays: number; rollups: boolean },
  result: RecordBatchResult,
): Promise<void> {
  const { raw, index, agentId, phone, now } = o;
  const parsed = recordDraftSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'string' ? raw.id.slice(0, 64) : null;
    result.rejected.push({ index, id, reason: describeIssues(parsed.error, '(record)') });
    return;
  }
  const channel: Channel = parsed.data.channel ?? (parsed.data.callbackId ? 'callback' : 'call');
  const tooLate = timesRefusal(parsed.data.startedAt, parsed.data.endedAt, now, o.retentionDays, channel);
  if (tooLate) {
    result.rejected.push({ index, id: parsed.data.id, reason: tooLate });
    return;
  }
  // Desks mask notes before they upload; the city masks again for any other client, and every
  // free-text field (a resident number typed as the category is still one).
  const mask = (text: string) => maskPersonalData(text, phone).text;
  // Masking may lengthen a note ("01012345678" becomes "010-1234-5678"): cut back to the limit, never inside a character.
  const r = { ...parsed.data, notes: clip(mask(parsed.data.notes), RECORD_LIMITS.notes), category: clip(mask(parsed.data.category), RECORD_LIMITS.category), department: parsed.data.department === null ? null : clip(mask(parsed.data.department), 64) };
  const caller = normalisePhone(r.callerNumber, phone);
  // The raw caller field is kept as the desk had it only when it is a number.
  const callerRaw = caller.kind === 'invalid' ? mask(r.callerNumber) : r.callerNumber;
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
    ...(channel !== 'call' ? { channel } : {}),
    ...(r.endReason ? { endReason: r.endReason } : {}),
  });
  const manualIds = JSON.stringify(item.manualIds);
  // A link to a callback this agent never dialled is dropped, not the record with it.
  const callbackId = r.callbackId && (await tx.get('SELECT 1 FROM callback_attempts WHERE callback_id = ? AND agent_id = ?', [r.callbackId, agentId])) ? r.callbackId : null;
  // Likewise a thread this agent neither answers nor wrote into.
  const threadId =
    r.threadId && (await tx.get("SELECT 1 FROM text_threads t WHERE t.id = ? AND (t.assigned_to = ? OR EXISTS (SELECT 1 FROM text_messages m WHERE m.thread_id = t.id AND m.agent_id = ?))", [r.threadId, agentId, agentId]))
      ? r.threadId
      : null;
  const district = r.district ?? null;
  const protocol = [r.warnings?.played ?? 0, r.warnings?.spoken ?? 0, r.endReason ?? null, r.report ?? null] as const;
  const added = await tx.run(INSERT_RECORD, [item.id, agentId, callerRaw, item.callerE164, item.startedAt, item.endedAt, item.category, item.outcome, manualIds, item.notes, item.department, now.toISOString(), o.batchKey, callbackId, channel, threadId, district, Date.parse(item.startedAt), ...protocol]);
  if (added === 0) {
    // The same record again (a retry) is a duplicate; the same id for another record is refused.
    const old = (await tx.get<{ agent_id: string; caller_raw: string; started_at: string; ended_at: string; category: string; outcome: string; manual_ids: string; notes: string; department: string | null; district: string | null; warnings_played: number; warnings_spoken: number; end_reason: string | null; report_kind: string | null }>(
      'SELECT agent_id, caller_raw, started_at, ended_at, category, outcome, manual_ids, notes, department, district, warnings_played, warnings_spoken, end_reason, report_kind FROM records WHERE id = ?',
      [r.id],
    ))!;
    const same =
      [old.caller_raw, old.started_at, old.ended_at, old.category, old.outcome, old.manual_ids, old.notes, old.department, old.district, Number(old.warnings_played), Number(old.warnings_spoken), old.end_reason, old.report_kind].join('\u0000') ===
      [callerRaw, item.startedAt, item.endedAt, item.category, item.outcome, manualIds, item.notes, item.department, district, ...protocol].join('\u0000');
    if (old.agent_id !== agentId) result.rejected.push({ index, id: r.id, reason: 'this id is another agent’s record' });
    else if (!same) result.rejected.push({ index, id: r.id, reason: 'this id was already stored with different content' });
    else result.duplicates.push(r.id);
    return;
  }
  // Desks keep callers' history for the offline screen-pop, which looks callers up by number: a
  // record of a withheld caller no lookup can reach, so it never leaves the city server.
  // Every desk but the agent's own is told only what the screen-pop shows.
  if (item.callerE164 !== null) await publishChange(tx, 'history', item.id, sharedViewOf(item), { owner: agentId, payload: item });
  await queueSms(tx, { id: item.id, agentId, callerE164: item.callerE164, smsEntryIds: r.smsEntryIds }, now);
  await countLinks(tx, item.manualIds);
  await linkRecordCalls(tx, { ...item, outcome: r.outcome, callIds: r.callIds ?? [] });
  if (o.rollups) {
    const repeat = await settleRepeats(tx, item);
    if (repeat) await tx.run('UPDATE records SET is_repeat = 1 WHERE id = ?', [item.id]);
    await addToRollups(tx, { ...item, channel, district, repeat });
  }
  // The wrap-up ends the conversation: the thread closes (a later text reopens it).
  if (threadId) await closeThread(tx, threadId, { id: agentId, lead: true }, now);
  result.accepted.push(r.id);
}

/** One caller's consultations as the desk of agent `viewer` is told them (deskViewOf). */
export async function callerHistory(db: Db, e164: string, limit: number, viewer: string): Promise<DeskHistoryItem[]> {
  const rows = await db.all<HistoryRow>('SELECT * FROM records WHERE caller_e164 = ? ORDER BY started_at DESC LIMIT ?', [e164, limit]);
  return rows.map((r) => deskViewOf(historyFromRow(r), viewer));
}

export interface RecordQuery {
  agentId?: string;
  from?: string;
  to?: string;
  limit: number;
}

export async function listRecords(db: Db, q: RecordQuery): Promise<HistoryItem[]> {
  const [agent, from, to] = [q.agentId ?? null, q.from ?? null, q.to ?? null];
  const rows = await db.all<HistoryRow>(
    `SELECT * FROM records
     WHERE (CAST(? AS TEXT) IS NULL OR agent_id = ?)
       AND (CAST(? AS TEXT) IS NULL OR started_at >= ?) AND (CAST(? AS TEXT) IS NULL OR started_at < ?)
     ORDER BY started_at DESC LIMIT ?`,
    [agent, agent, from, from, to, to, q.limit],
  );
  return rows.map((r) => historyFromRow(r));
}
