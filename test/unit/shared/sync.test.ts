import { describe, expect, it } from 'vitest';
import { formatCursor, keyOfData, parseCursor, SYNC_KINDS, SYNC_PAGE, syncPageSchema, usageBatchSchema, type SyncChange } from '../../../shared/sync';

const entry = (id: string, version = 1) => ({
  id,
  kind: 'manual',
  category: '상수도/요금',
  title: '수도요금 문의',
  body: '안내',
  keywords: ['수도세'],
  department: null,
  updatedAt: '2026-10-01T00:00:00.000Z',
  version,
});

describe('sync cursor', () => {
  it('round-trips', () => {
    expect(parseCursor(formatCursor({ epoch: 'abcDEF12_-', rev: 42 }))).toEqual({ epoch: 'abcDEF12_-', rev: 42 });
  });
  it.each(['', '42', 'abc:1', 'x abcdefgh:1', 'abcdefgh:1 ', 'abcdefgh:', 'abcdefgh:-1', 'abcdefgh:1e3', "abcdefgh:1' OR 1=1", 'abcdefgh:99999999999999999'])(
    'refuses %j',
    (s) => {
      expect(parseCursor(s)).toBeNull();
    },
  );
});

describe('sync page validation', () => {
  const good = { cursor: 'epochabc:3', hasMore: false, reset: false, changes: [{ rev: 2, kind: 'entry', key: 'A', data: entry('A') }, { rev: 3, kind: 'entry', key: 'B', data: null }] };

  it('accepts a well-formed page with upserts and tombstones', () => {
    expect(syncPageSchema.parse(good).changes).toHaveLength(2);
  });
  it('refuses revisions out of order', () => {
    const bad = { ...good, changes: [good.changes[1], good.changes[0]] };
    expect(syncPageSchema.safeParse(bad).error?.issues[0]?.message).toBe('revisions not increasing');
  });
  it('refuses a cursor behind its changes', () => {
    expect(syncPageSchema.safeParse({ ...good, cursor: 'epochabc:2' }).success).toBe(false);
  });
  it('refuses a key that is not the data id', () => {
    const bad = { ...good, changes: [{ rev: 2, kind: 'entry', key: 'X', data: entry('A') }] };
    expect(syncPageSchema.safeParse(bad).success).toBe(false);
  });
  it('refuses unknown kinds, extra fields and oversized text', () => {
    expect(syncPageSchema.safeParse({ ...good, changes: [{ rev: 2, kind: 'user', key: 'A', data: null }] }).success).toBe(false);
    expect(syncPageSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    const huge = { ...good, changes: [{ rev: 2, kind: 'entry', key: 'A', data: { ...entry('A'), body: 'x'.repeat(20_001) } }] };
    expect(syncPageSchema.safeParse(huge).success).toBe(false);
  });
});

describe('the bounds of each change', () => {
  const page = (...changes: unknown[]) => ({ cursor: 'epochabc:99', hasMore: false, reset: false, changes });
  const issues = (...changes: unknown[]) => syncPageSchema.safeParse(page(...changes)).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  const uuid = '6f1c2a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f';

  it.each([
    ['entry', 64],
    ['department', 64],
    ['synonym', 40],
    ['usage', 64],
    ['setting', 64],
  ])('keys a %s tombstone by 1 to %i characters', (kind, max) => {
    expect(issues({ rev: 1, kind, key: 'k'.repeat(max), data: null })).toEqual([]);
    expect(issues({ rev: 1, kind, key: 'k'.repeat(max + 1), data: null })).toHaveLength(1);
    expect(issues({ rev: 1, kind, key: '', data: null })).toHaveLength(1);
  });

  it('keys history by a UUID', () => {
    expect(issues({ rev: 1, kind: 'history', key: uuid, data: null })).toEqual([]);
    expect(issues({ rev: 1, kind: 'history', key: 'H-1', data: null })).toHaveLength(1);
  });

  it('bounds synonyms and usage counts', () => {
    const synonym = (term: string, expansions: string[]) => ({ rev: 1, kind: 'synonym', key: term, data: { term, expansions } });
    expect(issues(synonym('물샘', ['누수']))).toEqual([]);
    expect(issues(synonym('ㄱ'.repeat(40), Array.from({ length: 10 }, () => 'ㄴ'.repeat(60))))).toEqual([]);
    expect(issues(synonym('ㄱ'.repeat(41), ['누수']))).not.toEqual([]);
    expect(issues(synonym('물샘', Array.from({ length: 11 }, () => '누수')))).not.toEqual([]);
    expect(issues(synonym('물샘', ['ㄴ'.repeat(61)]))).not.toEqual([]);
    expect(issues(synonym('물샘', []))).not.toEqual([]);
    expect(issues(synonym('물샘', ['  ']))).not.toEqual([]);
    expect(issues({ rev: 1, kind: 'synonym', key: '', data: { term: '   ', expansions: ['누수'] } })).not.toEqual([]);
    const usage = (id: string, count: number) => ({ rev: 1, kind: 'usage', key: id, data: { id, count } });
    expect(issues(usage('M-1', 0))).toEqual([]);
    expect(issues(usage('M-1', -1))).not.toEqual([]);
    expect(issues(usage('M'.repeat(64), 1))).toEqual([]);
    expect(issues(usage('M'.repeat(65), 1))).not.toEqual([]);
    expect(issues({ rev: 1, kind: 'usage', key: '', data: { id: '', count: 1 } })).not.toEqual([]);
  });

  it('checks the key of every kind against its data, and says where', () => {
    expect(issues({ rev: 1, kind: 'synonym', key: '누수', data: { term: '물샘', expansions: ['누수'] } })).toEqual(['changes.0.key: key does not match data.id']);
    expect(issues({ rev: 1, kind: 'setting', key: 'other', data: { key: 'wrapUpSeconds', value: 30 } })).toEqual(['changes.0.key: key does not match data.id']);
    expect(issues({ rev: 1, kind: 'usage', key: 'M-2', data: { id: 'M-1', count: 1 } })).toEqual(['changes.0.key: key does not match data.id']);
    expect(keyOfData({ rev: 1, kind: 'setting', key: 'wrapUpSeconds', data: { key: 'wrapUpSeconds', value: 30 } } as SyncChange)).toBe('wrapUpSeconds');
    expect(keyOfData({ rev: 1, kind: 'usage', key: 'M-1', data: null })).toBeNull();
  });

  it('refuses a repeated revision and a cursor behind, where they are', () => {
    const tomb = (rev: number, key: string) => ({ rev, kind: 'entry', key, data: null });
    expect(issues(tomb(5, 'A'), tomb(5, 'B'))).toEqual(['changes.1.rev: revisions not increasing']);
    expect(issues(tomb(0, 'A'))).toContain('changes.0.rev: revisions not increasing');
    expect(syncPageSchema.safeParse({ ...page(tomb(5, 'A')), cursor: 'epochabc:4' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['cursor', 'cursor behind the last change']]);
    expect(syncPageSchema.safeParse({ ...page(tomb(5, 'A')), cursor: 'epochabc:5' }).success).toBe(true);
    expect(syncPageSchema.safeParse({ ...page(), cursor: 'x:epochabc:5' }).error?.issues[0]?.message).toBe('malformed cursor');
    expect(syncPageSchema.safeParse({ ...page(), changes: Array.from({ length: SYNC_PAGE.maxRows + 1 }, (_, i) => tomb(i + 1, `K${i}`)) }).success).toBe(false);
  });

  it('names every kind', () => {
    expect(SYNC_KINDS).toEqual(['entry', 'department', 'history', 'synonym', 'usage', 'setting']);
  });
});

describe('a usage batch', () => {
  const batch = (counts: unknown) => usageBatchSchema.safeParse({ batchKey: '6f1c2a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f', counts }).success;
  it('carries 1 to 5000 positive counts of at most 100,000 for ids of 1 to 64 characters', () => {
    expect(batch([{ id: 'M-1', count: 1 }])).toBe(true);
    expect(batch([{ id: 'M'.repeat(64), count: 100_000 }])).toBe(true);
    expect(batch(Array.from({ length: 5000 }, (_, i) => ({ id: `M-${i}`, count: 1 })))).toBe(true);
    for (const bad of [[], [{ id: 'M-1', count: 0 }], [{ id: 'M-1', count: 100_001 }], [{ id: 'M'.repeat(65), count: 1 }], [{ id: '', count: 1 }], Array.from({ length: 5001 }, (_, i) => ({ id: `M-${i}`, count: 1 }))]) {
      expect(batch(bad)).toBe(false);
    }
  });
});
