import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../../renderer/portal/entry-filter';
import type { PortalEntry } from '../../../../renderer/portal/schemas';

const row = (o: { title: string; category: string; keywords?: string[]; owner?: string | null }): PortalEntry => ({
  entry: { id: 'M-WAT-018', kind: 'manual', category: o.category, title: o.title, body: '본문', keywords: o.keywords ?? [], department: 'water-supply', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 },
  owner: o.owner ?? null,
  verifiedAt: null,
  verifyBy: null,
  overdue: true,
  reuse: { opened: 0, linked: 0, sentBySms: 0, flagged: 0, openFlags: 0 },
  draft: null,
});

describe('the entries table’s filter', () => {
  const leak = row({ title: '옥내·옥외 누수 판단', category: '상수도/누수', keywords: ['별표'], owner: 'water1' });
  it('matches every typed word anywhere in the title, category, keywords, id or owner', () => {
    expect(matchesFilter(leak, '')).toBe(true);
    expect(matchesFilter(leak, '누수 별표')).toBe(true);
    expect(matchesFilter(leak, 'm-wat')).toBe(true);
    expect(matchesFilter(leak, 'WATER1')).toBe(true);
    expect(matchesFilter(leak, '누수 단수')).toBe(false);
  });

  it('matches initial consonants as agents type them', () => {
    expect(matchesFilter(leak, 'ㄴㅅ')).toBe(true);
    expect(matchesFilter(leak, 'ㅅㄷ ㅂㅍ')).toBe(true);
    expect(matchesFilter(leak, 'ㄷㅅ')).toBe(false);
  });
});
