import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../electron/core/cache/cache-db';
import { openCacheDb } from '../../../../electron/core/cache/cache-db';
import { buildCacheFromManual } from '../../../../electron/core/search/build-cache';
import { createSearchIndex, type SearchIndex } from '../../../../electron/core/search/search-index';
import { createMemoryIndex, type MemoryIndex } from '../../../../shared/search/memory-index';
import { buildEvalCache, loadEvalSet, memoryIndexOf } from '../../../helpers/search-eval';

// The page's in-memory index must answer exactly as the core's FTS5 index does: same entries, same
// order, same scores, snippets and highlights. The core is the reference; every labelled query
// and every prefix of it (what the agent has typed so far, key by key) is asked of both.

const NOW = new Date('2026-11-28T00:00:00Z');
let db: CacheDb;
let core: SearchIndex;
let page: MemoryIndex;

beforeAll(() => {
  db = openCacheDb(buildEvalCache());
  // Some use counts, so the usage prior takes part.
  const used = db.prepare('SELECT id FROM entries ORDER BY id LIMIT 30').pluck().all() as string[];
  const put = db.prepare('INSERT INTO entry_usage (entry_id, synced, pending) VALUES (?, ?, ?)');
  used.forEach((id, i) => put.run(id, (i * 7) % 13, i % 3));
  core = createSearchIndex(db, () => NOW);
  page = memoryIndexOf(db);
});
afterAll(() => db.close());

const prefixes = (q: string) => [...q].map((_, i, chars) => chars.slice(0, i + 1).join(''));

describe('the page’s in-memory search index', () => {
  it('answers every labelled query, and every prefix of it as typed, exactly as the core does', () => {
    const queries = [...new Set(loadEvalSet().flatMap((q) => prefixes(q.query)))];
    expect(queries.length).toBeGreaterThan(500);
    let answered = 0;
    for (const q of queries) {
      const want = core.search(q, 10);
      expect(page.search(q, 10, NOW), q).toEqual(want);
      if (want.length) answered++;
    }
    expect(answered).toBeGreaterThan(queries.length * 0.9);
  });

  it('agrees within a category, on 50 results, and on input that is not a query', () => {
    for (const [q, category] of [['신청', '상하수도'], ['요금', '상하수도'], ['발급', '민원'], ['ㅈㅁ', undefined]] as const) {
      expect(page.search(q, 50, NOW, category), `${q} in ${category}`).toEqual(core.search(q, 50, category));
    }
    for (const q of ['', '   ', '"', '*', 'NEAR(', 'OR', '^', '"" OR ""', '!!!', 'ㅏ', 'x', '0', '민원 신청 "여권"*']) {
      expect(page.search(q, 10, NOW), JSON.stringify(q)).toEqual(core.search(q, 10));
    }
  });

  it('ranks an entry higher once it is used, as the core does with its pending uses', () => {
    const before = page.search('신청', 10, NOW);
    const last = before.at(-1)?.id as string;
    for (let i = 0; i < 200; i++) page.used(last);
    const after = page.search('신청', 10, NOW);
    expect(after.findIndex((h) => h.id === last)).toBeLessThan(before.length - 1);
    db.prepare('INSERT INTO entry_usage (entry_id, synced, pending) VALUES (?, 0, 200) ON CONFLICT (entry_id) DO UPDATE SET pending = pending + 200').run(last);
    expect(after).toEqual(core.search('신청', 10));
  });

  it('keeps the same entries as the core when more than it takes tie on bm25 (the earlier rowids)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-ties-'));
    const file = join(dir, 'cache.sqlite');
    // Inserted in reverse id order, so rowid order and id order disagree.
    const twins = Array.from({ length: 60 }, (_, i) => ({ id: `T-${String(59 - i).padStart(2, '0')}`, category: '시험', title: '같은 제목', body: '쌍둥이 항목 본문' }));
    buildCacheFromManual(file, twins, [], NOW);
    const tied = openCacheDb(file);
    try {
      const want = createSearchIndex(tied, () => NOW).search('쌍둥이', 10);
      expect(want.map((h) => h.id)).toEqual(['T-20', 'T-21', 'T-22', 'T-23', 'T-24', 'T-25', 'T-26', 'T-27', 'T-28', 'T-29']);
      expect(memoryIndexOf(tied).search('쌍둥이', 10, NOW)).toEqual(want);
    } finally {
      tied.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a token’s count exact (no overflow into the packed column) at the manual’s limits: a 200-syllable title, 30 keywords of 50', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-tf-'));
    const file = join(dir, 'cache.sqlite');
    const entries = [
      { id: 'MAX', category: '시험', title: '가'.repeat(200), body: '가가 본문', keywords: Array.from({ length: 30 }, () => '가'.repeat(50)) },
      { id: 'ONE', category: '시험', title: '가가 안내', body: '다른 본문' },
      { id: 'TWO', category: '시험', title: '나나 안내', body: '가가 한 번' },
    ];
    buildCacheFromManual(file, entries, [], NOW);
    const cache = openCacheDb(file);
    try {
      const want = createSearchIndex(cache, () => NOW).search('가가', 10);
      expect(want.map((h) => h.id)).toEqual(['MAX', 'ONE', 'TWO']);
      expect(memoryIndexOf(cache).search('가가', 10, NOW)).toEqual(want);
    } finally {
      cache.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers nothing before any entry is added', () => {
    expect(createMemoryIndex().search('여권', 10, NOW)).toEqual([]);
  });
});
