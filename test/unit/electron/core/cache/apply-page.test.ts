import { beforeEach, describe, expect, it } from 'vitest';
import { createPageWriter, zeroCounts } from '../../../../../electron/core/cache/apply-page';
import { getMeta, type CacheDb } from '../../../../../electron/core/cache/cache-db';
import { createOutbox } from '../../../../../electron/core/outbox/outbox';
import { createSearchIndex } from '../../../../../electron/core/search/search-index';
import type { HistoryItem } from '../../../../../shared/record';
import type { SyncChange, SyncPage } from '../../../../../shared/sync';
import { draft } from '../../../../helpers/records';
import { tempCacheDb } from '../../../../helpers/temp-db';

const NOW = new Date('2026-12-07T02:00:00Z');
let db: CacheDb;
let writer: ReturnType<typeof createPageWriter>;
beforeEach(() => {
  db = tempCacheDb('apply');
  writer = createPageWriter(db, createSearchIndex(db, () => NOW));
});

const entry = (id: string, title: string) => ({ id, kind: 'manual' as const, category: '상수도/누수', title, body: `${title} 안내`, keywords: ['누수'], department: null, updatedAt: NOW.toISOString(), version: 1 });
const history = (id: string): HistoryItem => ({ id, callerE164: '+821023456789', agentId: 'agent-2', startedAt: NOW.toISOString(), endedAt: NOW.toISOString(), category: '상수도/누수', outcome: 'answered', manualIds: ['M-1'], notes: '안내함', department: null });
const page = (rev: number, changes: Omit<SyncChange, 'rev'>[], reset = false): SyncPage => ({ cursor: `epoch-one:${rev}`, hasMore: false, reset, changes: changes.map((c, i) => ({ ...c, rev: rev - changes.length + i + 1 }) as SyncChange) });
const rows = (sql: string) => db.prepare(sql).all();

function apply(p: SyncPage) {
  const upserts = zeroCounts();
  const deletes = zeroCounts();
  writer.apply(p, upserts, deletes);
  return { upserts, deletes };
}

describe('writing a sync page into the cache', () => {
  it('writes every kind, upserts and tombstones, counts them, and moves the cursor with them', () => {
    const counts = apply(
      page(6, [
        { kind: 'entry', key: 'M-1', data: entry('M-1', '누수 확인') },
        { kind: 'department', key: 'D-1', data: { id: 'D-1', name: '상수도과', phone: '054-270-1234', duties: ['누수'] } },
        { kind: 'synonym', key: '물샘', data: { term: '물샘', expansions: ['누수'] } },
        { kind: 'usage', key: 'M-1', data: { id: 'M-1', count: 5 } },
        { kind: 'setting', key: 'wrapUpSeconds', data: { key: 'wrapUpSeconds', value: 60 } },
        { kind: 'history', key: 'H-1', data: history('H-1') },
      ] as Omit<SyncChange, 'rev'>[]),
    );
    expect(counts).toEqual({ upserts: { entry: 1, department: 1, history: 1, synonym: 1, usage: 1, setting: 1 }, deletes: zeroCounts() });
    expect(getMeta(db, 'cursor')).toBe('epoch-one:6');
    expect(rows('SELECT id, title, keywords FROM entries')).toEqual([{ id: 'M-1', title: '누수 확인', keywords: '["누수"]' }]);
    expect(rows('SELECT term, expansions FROM synonyms')).toEqual([{ term: '물샘', expansions: '["누수"]' }]);
    expect(rows('SELECT entry_id, synced FROM entry_usage')).toEqual([{ entry_id: 'M-1', synced: 5 }]);
    expect(rows('SELECT key, value FROM settings')).toEqual([{ key: 'wrapUpSeconds', value: '60' }]);
    expect(rows('SELECT id, manual_ids, pending FROM history')).toEqual([{ id: 'H-1', manual_ids: '["M-1"]', pending: 0 }]);
    expect((rows('SELECT data FROM departments')[0] as { data: string }).data).toContain('상수도과');

    const again = apply(
      page(13, [
        { kind: 'entry', key: 'M-1', data: entry('M-1', '누수 확인 방법') },
        { kind: 'entry', key: 'M-1', data: null },
        { kind: 'department', key: 'D-1', data: null },
        { kind: 'synonym', key: '물샘', data: null },
        { kind: 'usage', key: 'M-1', data: null },
        { kind: 'setting', key: 'wrapUpSeconds', data: null },
        { kind: 'history', key: 'H-1', data: null },
      ] as Omit<SyncChange, 'rev'>[]),
    );
    expect(again).toEqual({ upserts: { ...zeroCounts(), entry: 1 }, deletes: { entry: 1, department: 1, history: 1, synonym: 1, usage: 1, setting: 1 } });
    for (const table of ['entries', 'departments', 'synonyms', 'entry_usage', 'settings', 'history']) expect(rows(`SELECT * FROM ${table}`), table).toEqual([]);
    expect(getMeta(db, 'cursor')).toBe('epoch-one:13');
  });

  it('writes a page whole or not at all: a failing change leaves the cursor and the rows as they were', () => {
    apply(page(1, [{ kind: 'entry', key: 'M-1', data: entry('M-1', '누수') }] as Omit<SyncChange, 'rev'>[]));
    const broken = page(3, [
      { kind: 'entry', key: 'M-2', data: entry('M-2', '단수') },
      { kind: 'history', key: 'H-1', data: { ...history('H-1'), category: undefined } },
    ] as unknown as Omit<SyncChange, 'rev'>[]);
    expect(() => apply(broken)).toThrow();
    expect(getMeta(db, 'cursor')).toBe('epoch-one:1');
    expect(rows('SELECT id FROM entries')).toEqual([{ id: 'M-1' }]);
  });

  it('starts over on a reset page, keeping this desk’s records the city has not received', () => {
    const outbox = createOutbox(db, { phone: { areaCode: '054', region: 'KR' }, clock: () => NOW, agentId: () => 'agent-1' });
    const mine = draft();
    outbox.save(mine);
    apply(page(2, [
      { kind: 'entry', key: 'M-1', data: entry('M-1', '누수') },
      { kind: 'history', key: 'H-1', data: history('H-1') },
      { kind: 'usage', key: 'M-1', data: { id: 'M-1', count: 5 } },
      { kind: 'setting', key: 'wrapUpSeconds', data: { key: 'wrapUpSeconds', value: 60 } },
    ] as Omit<SyncChange, 'rev'>[]));
    apply(page(1, [{ kind: 'entry', key: 'M-9', data: entry('M-9', '여권') }] as Omit<SyncChange, 'rev'>[], true));
    expect(rows('SELECT id FROM entries')).toEqual([{ id: 'M-9' }]);
    expect(rows('SELECT id FROM history')).toEqual([{ id: mine.id }]);
    expect(rows('SELECT entry_id, synced FROM entry_usage')).toEqual([{ entry_id: 'M-1', synced: 0 }]);
    expect(rows('SELECT * FROM settings')).toEqual([]);
    expect(getMeta(db, 'searchIndex')).toBe('stale');
    expect(getMeta(db, 'cursor')).toBe('epoch-one:1');
  });

  it('drops the history indexes for a bulk load and builds them again after', () => {
    const indexes = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history' AND name LIKE 'history_%' ORDER BY name").pluck().all();
    expect(indexes()).toEqual(['history_answered', 'history_caller']);
    writer.beginBulk();
    expect(indexes()).toEqual([]);
    expect(getMeta(db, 'searchIndex')).toBe('stale');
    writer.endBulk();
    expect(indexes()).toEqual(['history_answered', 'history_caller']);
  });
});
