import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/auth';
import type { Outcome } from '../../shared/record';
import type { RecordingMediaType, RecordingSource, RecordingSummary } from '../../shared/recording';
import type { RecordingVault } from '../recording/vault';
import { getSetting } from './settings';
import type { Db } from './sql';

const DAY_MS = 86_400_000;
// A blind transfer's next leg (the PBX calling the staff member) starts as the agent's leg ends.
const TRANSFER_LINK_MS = { before: 60_000, after: 120_000 };
// Calls are never longer than this (records.ts refuses longer ones), so a transfer's record started within it.
const MAX_CALL_MS = 12 * 3_600_000;

export interface NewRecording {
  /** The desk's id for its recording (its idempotency key); the gateway's get one here. */
  id?: string;
  /** The consultation record, when the maker knows it (a desk does). */
  recordId: string | null;
  callId: string;
  source: RecordingSource;
  callerE164: string | null;
  callee: string | null;
  /** The agent whose desk uploaded it (desk recordings). */
  uploadedBy: string | null;
  startedAt: string;
  endedAt: string;
  mediaType: RecordingMediaType;
  audio: Buffer;
}

export class RecordingRefused extends Error {}

interface RecordingRow {
  id: string;
  record_id: string | null;
  call_id: string;
  source: RecordingSource;
  started_at: string;
  started_ms: number;
  ended_at: string;
  seconds: number;
  bytes: number;
  media_type: RecordingMediaType;
  file: string;
  held: number;
}

const HELD = `EXISTS (SELECT 1 FROM records r WHERE r.id = recordings.record_id AND r.report_kind IS NOT NULL AND r.case_closed_at IS NULL)`;
const SUMMARY_COLUMNS = `id, record_id, call_id, source, started_at, started_ms, ended_at, seconds, bytes, media_type, file, CASE WHEN ${HELD} THEN 1 ELSE 0 END AS held`;

/**
 * Files a recording once per call and source: the audio sealed in the vault first, then its row;
 * a second upload of the same call (a desk's retry, the gateway's spool after a crash) is
 * answered with the first. A gateway recording is linked to the record that names its call, or
 * to the transferred consultation it continues.
 */
export async function storeRecording(db: Db, vault: RecordingVault, r: NewRecording, now: Date): Promise<{ id: string; duplicate: boolean }> {
  const seen = await db.get<{ id: string; uploaded_by: string | null }>('SELECT id, uploaded_by FROM recordings WHERE call_id = ? AND source = ?', [r.callId, r.source]);
  if (seen) return duplicateOf(seen, r);
  if (r.recordId && r.uploadedBy) {
    const owner = await db.get<{ agent_id: string }>('SELECT agent_id FROM records WHERE id = ?', [r.recordId]);
    if (owner && owner.agent_id !== r.uploadedBy) throw new RecordingRefused('this record is another agent’s');
  }
  const id = r.id ?? randomUUID();
  vault.put(id, r.audio);
  const startedMs = Date.parse(r.startedAt);
  const seconds = Math.max(0, (Date.parse(r.endedAt) - startedMs) / 1000);
  try {
    return await db.write(async (tx) => {
      const recordId = r.recordId ?? (await recordOfCall(tx, r.callId, r.callerE164, startedMs));
      const added = await tx.run(
        `INSERT INTO recordings(id, record_id, call_id, source, caller_e164, callee, uploaded_by, started_at, started_ms, ended_at, seconds, bytes, media_type, file, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [id, recordId, r.callId, r.source, r.callerE164, r.callee, r.uploadedBy, r.startedAt, startedMs, r.endedAt, seconds, r.audio.length, r.mediaType, id, now.toISOString()],
      );
      if (added === 0) {
        // Another instance filed the same call in between: keep theirs.
        const theirs = await tx.get<{ id: string; uploaded_by: string | null }>('SELECT id, uploaded_by FROM recordings WHERE call_id = ? AND source = ?', [r.callId, r.source]);
        if (!theirs) throw new RecordingRefused('this recording id is taken');
        vault.remove(id);
        return duplicateOf(theirs, r);
      }
      return { id, duplicate: false };
    });
  } catch (e) {
    vault.remove(id);
    throw e;
  }
}

function duplicateOf(seen: { id: string; uploaded_by: string | null }, r: NewRecording): { id: string; duplicate: boolean } {
  if (r.source === 'desk' && seen.uploaded_by !== r.uploadedBy) throw new RecordingRefused('another desk filed this call’s recording');
  return { id: seen.id, duplicate: true };
}

/** The record a gateway recording belongs to: the one naming its call, else the transferred consultation of the same citizen that just ended. */
async function recordOfCall(db: Db, callId: string, callerE164: string | null, startedMs: number): Promise<string | null> {
  const named = await db.get<{ record_id: string }>('SELECT record_id FROM record_calls WHERE call_id = ?', [callId]);
  if (named) return named.record_id;
  if (!callerE164) return null;
  const candidates = await db.all<{ id: string; ended_at: string }>(
    "SELECT id, ended_at FROM records WHERE caller_e164 = ? AND outcome = 'transferred' AND started_ms > ? AND started_ms <= ? ORDER BY started_ms DESC LIMIT 5",
    [callerE164, startedMs - MAX_CALL_MS, startedMs + TRANSFER_LINK_MS.before],
  );
  const ended = candidates.find((c) => {
    const gap = startedMs - Date.parse(c.ended_at);
    return gap >= -TRANSFER_LINK_MS.before && gap <= TRANSFER_LINK_MS.after;
  });
  return ended?.id ?? null;
}

/**
 * A record arrived (at intake, inside its transaction): its calls are remembered, and the
 * gateway recordings filed before it — of its calls, or continuing it after a transfer — are linked.
 */
export async function linkRecordCalls(tx: Db, rec: { id: string; callerE164: string | null; endedAt: string; outcome: Outcome; callIds: readonly string[] }): Promise<void> {
  for (const callId of rec.callIds) {
    await tx.run('INSERT INTO record_calls(call_id, record_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [callId, rec.id]);
    await tx.run('UPDATE recordings SET record_id = ? WHERE call_id = ? AND record_id IS NULL', [rec.id, callId]);
  }
  if (rec.outcome === 'transferred' && rec.callerE164) {
    const end = Date.parse(rec.endedAt);
    await tx.run(
      `UPDATE recordings SET record_id = ? WHERE record_id IS NULL AND source = 'gateway' AND caller_e164 = ? AND started_ms BETWEEN ? AND ?
         AND NOT EXISTS (SELECT 1 FROM record_calls c WHERE c.call_id = recordings.call_id)`,
      [rec.id, rec.callerE164, end - TRANSFER_LINK_MS.before, end + TRANSFER_LINK_MS.after],
    );
  }
}

function summaryOf(r: RecordingRow, retentionDays: number): RecordingSummary {
  const held = Number(r.held) === 1;
  return {
    id: r.id,
    recordId: r.record_id,
    callId: r.call_id,
    source: r.source,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    seconds: Number(r.seconds),
    bytes: Number(r.bytes),
    mediaType: r.media_type,
    held,
    deleteAfter: held ? null : new Date(Number(r.started_ms) + retentionDays * DAY_MS).toISOString(),
  };
}

/** A record's recordings (its call, and a transfer's continuation), oldest first. */
export async function recordingsOfRecord(db: Db, recordId: string): Promise<RecordingSummary[]> {
  const { recordingRetentionDays } = await getSetting(db, 'protection');
  const rows = await db.all<RecordingRow>(`SELECT ${SUMMARY_COLUMNS} FROM recordings WHERE record_id = ? ORDER BY started_ms`, [recordId]);
  return rows.map((r) => summaryOf(r, recordingRetentionDays));
}

/** Recordings of a range (newest first), e.g. those no record claims yet. */
export async function listRecordings(db: Db, q: { fromMs: number; toMs: number; unlinked?: boolean; limit: number }): Promise<RecordingSummary[]> {
  const { recordingRetentionDays } = await getSetting(db, 'protection');
  const rows = await db.all<RecordingRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM recordings WHERE started_ms >= ? AND started_ms < ? ${q.unlinked ? 'AND record_id IS NULL' : ''} ORDER BY started_ms DESC LIMIT ?`,
    [q.fromMs, q.toMs, q.limit],
  );
  return rows.map((r) => summaryOf(r, recordingRetentionDays));
}

/** One recording and its audio, or null when there is none (never was, or retention deleted it). */
export async function openRecording(db: Db, vault: RecordingVault, id: string): Promise<{ summary: RecordingSummary; audio: Buffer } | null> {
  const { recordingRetentionDays } = await getSetting(db, 'protection');
  const row = await db.get<RecordingRow>(`SELECT ${SUMMARY_COLUMNS} FROM recordings WHERE id = ?`, [id]);
  if (!row) return null;
  return { summary: summaryOf(row, recordingRetentionDays), audio: vault.get(row.file) };
}

export interface RecordingAccessEvent {
  actor: string;
  role: Role;
  recordingId: string | null;
  recordId: string | null;
  purpose: 'play' | 'download' | 'list';
  reason: string;
  allowed: boolean;
}

/** Every playback, download and listing of recordings, and every refused attempt, with its reason. */
export async function logRecordingAccess(db: Db, e: RecordingAccessEvent, now: Date): Promise<void> {
  await db.run('INSERT INTO recording_access(id, at, actor, role, recording_id, record_id, purpose, reason, allowed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    randomUUID(),
    now.toISOString(),
    e.actor,
    e.role,
    e.recordingId,
    e.recordId,
    e.purpose,
    e.reason.slice(0, 200),
    e.allowed ? 1 : 0,
  ]);
}

export interface RecordingAccessRow extends Omit<RecordingAccessEvent, 'allowed'> {
  id: string;
  at: string;
  allowed: boolean;
}

export async function listRecordingAccess(db: Db, limit: number): Promise<RecordingAccessRow[]> {
  const rows = await db.all<Omit<RecordingAccessRow, 'allowed'> & { allowed: number }>(
    'SELECT id, at, actor, role, recording_id AS "recordingId", record_id AS "recordId", purpose, reason, allowed FROM recording_access ORDER BY at DESC, id LIMIT ?',
    [limit],
  );
  return rows.map((r) => ({ ...r, allowed: Number(r.allowed) === 1 }));
}

/**
 * Deletes the recordings older than the city keeps them, files and rows, except those of a
 * report whose case is open; returns how many went (the caller logs the purge).
 */
export async function purgeRecordings(db: Db, vault: RecordingVault, now: Date): Promise<{ cutoff: string; count: number }> {
  const { recordingRetentionDays } = await getSetting(db, 'protection');
  const cutoffMs = now.getTime() - recordingRetentionDays * DAY_MS;
  let count = 0;
  for (;;) {
    const rows = await db.all<{ id: string; file: string }>(`SELECT id, file FROM recordings WHERE started_ms < ? AND NOT ${HELD} LIMIT 200`, [cutoffMs]);
    for (const r of rows) {
      // The row goes first: a crash in between leaves a sealed orphan, never a row without audio.
      await db.run('DELETE FROM recordings WHERE id = ?', [r.id]);
      vault.remove(r.file);
    }
    count += rows.length;
    if (rows.length < 200) break;
  }
  const cutoff = new Date(cutoffMs).toISOString();
  if (count > 0) await db.run('INSERT INTO purge_log(id, at, kind, cutoff, count) VALUES (?, ?, ?, ?, ?)', [randomUUID(), now.toISOString(), 'recordings', cutoff, count]);
  return { cutoff, count };
}
