import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageWriter, zeroCounts } from '../../../../electron/core/cache/apply-page';
import { openCacheDb, type CacheDb } from '../../../../electron/core/cache/cache-db';
import { buildCacheFromManual } from '../../../../electron/core/search/build-cache';
import { createSearchIndex, type SearchIndex } from '../../../../electron/core/search/search-index';
import { loadDemoManual, loadDemoSynonyms } from '../../../../server/demo/seed';
import type { ManualEntry } from '../../../../shared/manual';

let db: CacheDb;
let index: SearchIndex;
const now = () => new Date('2026-11-28T00:00:00Z');

beforeAll(() => {
  const file = join(mkdtempSync(join(tmpdir(), 'minwon-search-')), 'cache.sqlite');
  buildCacheFromManual(file, loadDemoManual(), loadDemoSynonyms(), now());
  db = openCacheDb(file);
  index = createSearchIndex(db, now);
});
afterAll(() => db.close());

const top = (q: string, n = 5) => index.search(q, n).map((h) => h.id);

describe('the desk search', () => {
  it.each(['', '   ', '!!!', '"', '""', '*', 'NEAR(', 'NEAR(주차 민원', 'OR', 'AND NOT', '주차 OR 소음', '"주차', '주차*', '^소음', 'title:주차', '{title}:x', '(', ')', "'; DROP TABLE entries; --", '\u0000', 'ㅋㅋㅋ', '😀', 'a'.repeat(200)])(
    'never throws on %j',
    (q) => {
      expect(() => index.search(q, 10)).not.toThrow();
    },
  );

  it('treats typed FTS5 syntax as plain text', () => {
    expect(top('주차 OR 소음')).toEqual(top('주차 소음'));
    expect(index.search('""', 10)).toEqual([]);
  });

  it('finds two-syllable nouns and single syllables', () => {
    expect(top('누수', 3).every((id) => id.startsWith('M-WAT') || id.startsWith('FAQ-WAT'))).toBe(true);
    expect(index.search('물', 5).length).toBe(5);
  });

  it('understands 초성, typos, English-mode keystrokes, synonyms, particles and spacing', () => {
    const titles = (q: string) => index.search(q, 3).map((h) => h.title).join(' / ');
    expect(titles('ㅈㅁㄷㄹ')).toMatch(/주민등록/);
    expect(titles('주처장')).toMatch(/주차/);
    expect(titles('dutrnjs')).toMatch(/여권/);
    expect(titles('등초본')).toMatch(/등본|초본/);
    expect(titles('딱지')).toMatch(/과태료|주정차/);
    expect(titles('여권을')).toMatch(/여권/);
    expect(top('쓰레기 봉투', 3)).toEqual(expect.arrayContaining([top('쓰레기봉투', 1)[0]]));
  });

  it('returns snippets with highlight spans that point at the matched text', () => {
    const [hit] = index.search('누수 감면', 1);
    expect(hit).toBeDefined();
    for (const [a, b] of hit?.highlights ?? []) expect(['누수', '감면']).toContain(hit?.snippet.slice(a, b));
    expect(hit?.highlights.length).toBeGreaterThan(0);
    for (const [a, b] of hit?.titleHighlights ?? []) expect(['누수', '감면']).toContain(hit?.title.slice(a, b));
  });

  it('filters by category', () => {
    const hits = index.search('신청', 10, '복지');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.category.startsWith('복지'))).toBe(true);
  });

  it('re-indexes entries one by one as sync changes them, vocabulary included', () => {
    const writer = createPageWriter(db, index);
    const entry: ManualEntry = {
      id: 'M-NEW-001',
      kind: 'manual',
      category: '환경/미세먼지',
      title: '미세먼지 저감조치 안내',
      body: '비상저감조치 발령 시 차량 2부제 안내',
      keywords: ['미세먼지'],
      department: 'environment',
      updatedAt: '2026-11-27T00:00:00Z',
      version: 1,
    };
    const page = (changes: unknown[], rev: number) => ({ cursor: `evalcache:${rev}`, hasMore: false, reset: false, changes }) as never;
    writer.apply(page([{ rev: 1, kind: 'entry', key: entry.id, data: entry }], 1), zeroCounts(), zeroCounts());
    expect(top('미세먼지', 1)).toEqual([entry.id]);
    expect(top('미세먼쥐', 1)).toEqual([entry.id]);
    writer.apply(page([{ rev: 2, kind: 'entry', key: entry.id, data: { ...entry, title: '황사 대응 안내', body: '황사 특보 시 외출 자제', keywords: ['황사'], version: 2 } }], 2), zeroCounts(), zeroCounts());
    expect(top('미세먼지', 5)).not.toContain(entry.id);
    expect(top('황사', 1)).toEqual([entry.id]);
    writer.apply(page([{ rev: 3, kind: 'entry', key: entry.id, data: null }], 3), zeroCounts(), zeroCounts());
    expect(top('황사', 5)).not.toContain(entry.id);
  });

  it('ranks entries agents use higher, other things equal', () => {
    const before = top('주차', 10);
    const last = before.at(-1) as string;
    db.prepare('INSERT INTO entry_usage(entry_id, synced) VALUES (?, 500) ON CONFLICT(entry_id) DO UPDATE SET synced = 500').run(last);
    expect(top('주차', 10).indexOf(last)).toBeLessThan(before.indexOf(last));
  });
});
