import { beforeEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../../electron/core/cache/cache-db';
import { createOutbox, type Outbox } from '../../../../../electron/core/outbox/outbox';
import { createUsageOutbox } from '../../../../../electron/core/outbox/usage-outbox';
import { RECORD_LIMITS, type RecordBatchResult } from '../../../../../shared/record';
import { draft } from '../../../../helpers/records';
import { tempCacheDb } from '../../../../helpers/temp-db';

const PHONE = { areaCode: '054', region: 'KR' as const };
const NOW = new Date('2026-12-07T01:00:00Z');

function cache(): CacheDb {
  return tempCacheDb('outbox');
}

const answer = (batchKey: string, over: Partial<RecordBatchResult> = {}): RecordBatchResult => ({ batchKey, accepted: [], duplicates: [], rejected: [], replayed: false, ...over });

describe('the record outbox', () => {
  let db: CacheDb;
  let outbox: Outbox;
  beforeEach(() => {
    db = cache();
    outbox = createOutbox(db, { phone: PHONE, clock: () => NOW, agentId: () => 'agent-1' });
  });

  it('masks personal numbers before the record reaches the cache or the outbox', () => {
    const notes = '주민번호 900101-1234567, 카드 4111-1111-1111-1111 로 납부 문의';
    const r = draft({ notes });
    expect(outbox.save(r)).toEqual({ saved: true, callerE164: '+821023456789' });
    const stored = [
      db.prepare('SELECT notes FROM history WHERE id = ?').pluck().get(r.id) as string,
      (JSON.parse(db.prepare('SELECT payload FROM outbox WHERE record_id = ?').pluck().get(r.id) as string) as { notes: string }).notes,
      (outbox.nextBatch()?.records[0]?.notes as string),
    ];
    for (const text of stored) expect(text).toBe('주민번호 ******-*******, 카드 ****-****-****-1111 로 납부 문의');
    const raw = db.prepare("SELECT group_concat(payload) FROM outbox").pluck().get() as string;
    expect(raw).not.toContain('1234567');
  });

  it('sends the district as the agent filed it', () => {
    const r = draft({ district: '남구/상대동' });
    outbox.save(r);
    expect(outbox.nextBatch()?.records).toMatchObject([{ id: r.id, district: '남구/상대동' }]);
  });

  it('keeps notes within the limit once masked, a withheld number as none, and the cache’s sync mode after the save', () => {
    const long = draft({ notes: '가'.repeat(RECORD_LIMITS.notes + 10) });
    outbox.save(long);
    expect((db.prepare('SELECT notes FROM history WHERE id = ?').pluck().get(long.id) as string).length).toBe(RECORD_LIMITS.notes);
    expect(outbox.save(draft({ callerNumber: '' }))).toEqual({ saved: true, callerE164: null });
    // The save itself syncs to disk (FULL); the rest of the cache runs with NORMAL.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('survives an answer that names a record the batch did not have, and keeps only the start of a long error', () => {
    const r = draft();
    outbox.save(r);
    const batch = outbox.nextBatch()!;
    outbox.failed(batch, 'x'.repeat(2000));
    expect((db.prepare('SELECT last_error FROM outbox').pluck().get() as string).length).toBe(500);
    expect(() => outbox.settle(batch, answer(batch.batchKey, { rejected: [{ index: 7, id: null, reason: 'bad' }] }))).not.toThrow();
    expect(outbox.status()).toEqual({ pending: 1, rejected: [] });
  });

  it('queues a record once however often it is saved, with the caller’s number in E.164', () => {
    const r = draft({ callerNumber: '270-5555' });
    expect(outbox.save(r)).toEqual({ saved: true, callerE164: '+82542705555' });
    expect(outbox.save(r)).toEqual({ saved: false, callerE164: '+82542705555' });
    expect(outbox.status().pending).toBe(1);
    expect(db.prepare('SELECT agent_id, pending FROM history WHERE id = ?').get(r.id)).toEqual({ agent_id: 'agent-1', pending: 1 });
  });

  it('sends the batch in flight again under its key until the city answers for it', () => {
    const records = Array.from({ length: 5 }, () => draft());
    for (const r of records) outbox.save(r);
    const first = outbox.nextBatch(3);
    expect(first?.records.map((r) => r.id)).toEqual(records.slice(0, 3).map((r) => r.id));
    outbox.failed(first!, 'unreachable');
    const retry = outbox.nextBatch(3);
    expect(retry).toEqual(first);
    expect(db.prepare('SELECT attempts, last_error FROM outbox WHERE record_id = ?').get(records[0]!.id)).toEqual({ attempts: 1, last_error: 'unreachable' });
    // The city stored two, refused one; the rest goes next, under a new key.
    outbox.settle(retry!, answer(retry!.batchKey, { accepted: [records[0]!.id], duplicates: [records[1]!.id], rejected: [{ index: 2, id: records[2]!.id, reason: 'bad category' }] }));
    expect(outbox.status()).toEqual({ pending: 2, rejected: [{ recordId: records[2]!.id, reason: 'bad category', at: NOW.toISOString() }] });
    expect(db.prepare('SELECT id FROM history WHERE pending = 0 ORDER BY id').pluck().all()).toEqual([records[0]!.id, records[1]!.id].sort());
    const next = outbox.nextBatch(3);
    expect(next?.batchKey).not.toBe(first?.batchKey);
    expect(next?.records.map((r) => r.id)).toEqual(records.slice(3).map((r) => r.id));
  });

  it('sends again, under a new key, what the answer did not mention', () => {
    const records = [draft(), draft()];
    for (const r of records) outbox.save(r);
    const batch = outbox.nextBatch()!;
    outbox.settle(batch, answer(batch.batchKey, { accepted: [records[0]!.id] }));
    const next = outbox.nextBatch()!;
    expect([next.batchKey === batch.batchKey, next.records.map((r) => r.id)]).toEqual([false, [records[1]!.id]]);
    outbox.settle(next, answer(next.batchKey, { accepted: [records[1]!.id] }));
    expect(outbox.nextBatch()).toBeNull();
    expect(outbox.status()).toEqual({ pending: 0, rejected: [] });
  });
});

describe('the usage outbox', () => {
  it('sends the batch in flight again under its key; uses made meanwhile wait for the next one', () => {
    const db = cache();
    const usage = createUsageOutbox(db);
    expect(usage.nextBatch()).toBeNull();
    usage.used('M-WAT-001');
    usage.used('M-WAT-001');
    usage.used('M-TRA-002');
    const first = usage.nextBatch();
    expect(first?.counts).toEqual([{ id: 'M-TRA-002', count: 1 }, { id: 'M-WAT-001', count: 2 }].sort((a, b) => a.id.localeCompare(b.id)));
    usage.used('M-WAT-001');
    // A reopened desk (a restart) finds the same batch.
    expect(createUsageOutbox(db).nextBatch()).toEqual(first);
    usage.acknowledged(first!);
    const second = usage.nextBatch();
    expect(second?.batchKey).not.toBe(first?.batchKey);
    expect(second?.counts).toEqual([{ id: 'M-WAT-001', count: 1 }]);
    usage.acknowledged(second!);
    expect(usage.nextBatch()).toBeNull();
  });
});
