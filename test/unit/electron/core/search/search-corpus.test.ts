import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreContract } from '../../../../../shared/contract';
import { MAX_MESSAGE_BYTES } from '../../../../../shared/rpc';
import { openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { buildCacheFromManual } from '../../../../../electron/core/search/build-cache';
import { createSearchCorpus } from '../../../../../electron/core/search/search-corpus';

const NOW = new Date('2026-11-28T00:00:00Z');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function cacheWith(entries: { id: string; body: string }[], synonyms: { term: string; expansions: string[] }[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-corpus-'));
  dirs.push(dir);
  const file = join(dir, 'cache.sqlite');
  buildCacheFromManual(file, entries.map((e) => ({ ...e, category: '시험', title: `제목 ${e.id}` })), synonyms, NOW);
  return openCacheDb(file);
}

describe('the search corpus the page loads', () => {
  it('pages every entry once, in rowid order, each page a valid message under the size limit', () => {
    // 120 entries of the largest body a manual entry may have: 120 × 20,000 Hangul characters.
    const db = cacheWith(Array.from({ length: 120 }, (_, i) => ({ id: `E-${String(i).padStart(3, '0')}`, body: '가'.repeat(20_000) })));
    const corpus = createSearchCorpus(db);
    const seen: number[] = [];
    let pages = 0;
    for (let after: number | null = 0; after !== null; pages++) {
      const page = corpus.page(after);
      expect(Buffer.byteLength(JSON.stringify({ type: 'result', id: 1, ok: true, result: page }))).toBeLessThan(MAX_MESSAGE_BYTES);
      expect(coreContract.methods.searchCorpus.result.safeParse(page).success).toBe(true);
      expect(page.entries.length).toBeGreaterThan(0);
      seen.push(...page.entries.map((e) => e.rowid));
      after = page.next;
    }
    expect(pages).toBeGreaterThan(5);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    db.close();
  });

  it('ends with next: null on an exact page boundary and on an empty manual', () => {
    const db = cacheWith(Array.from({ length: 500 }, (_, i) => ({ id: `S-${i}`, body: '짧은 본문' })));
    const corpus = createSearchCorpus(db);
    const first = corpus.page(0);
    expect(first.entries).toHaveLength(500);
    expect(corpus.page(first.next as number)).toEqual({ entries: [], next: null });
    db.close();
    const empty = cacheWith([]);
    expect(createSearchCorpus(empty).page(0)).toEqual({ entries: [], next: null });
    empty.close();
  });

  it('gives synonyms and the use counts (the city’s and this desk’s pending) the core ranks with', () => {
    const db = cacheWith([{ id: 'A', body: '본문' }, { id: 'B', body: '본문' }], [{ term: '등초본', expansions: ['주민등록등본', '주민등록초본'] }]);
    db.prepare('INSERT INTO entry_usage (entry_id, synced, pending) VALUES (?, ?, ?)').run('A', 3, 2);
    db.prepare('INSERT INTO entry_usage (entry_id, synced, pending) VALUES (?, ?, ?)').run('B', 0, 0);
    expect(createSearchCorpus(db).priors()).toEqual({ synonyms: [{ term: '등초본', expansions: ['주민등록등본', '주민등록초본'] }], usage: [['A', 5]] });
    db.close();
  });
});
