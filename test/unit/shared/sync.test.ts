import { describe, expect, it } from 'vitest';
import { formatCursor, parseCursor, syncPageSchema } from '../../../shared/sync';

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
  it.each(['', '42', 'abc:1', 'abcdefgh:', 'abcdefgh:-1', 'abcdefgh:1e3', "abcdefgh:1' OR 1=1", 'abcdefgh:99999999999999999'])(
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
