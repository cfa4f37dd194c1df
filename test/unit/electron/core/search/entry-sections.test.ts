import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createPageWriter, zeroCounts } from '../../../../../electron/core/cache/apply-page';
import { getMeta, openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { createEntryReader } from '../../../../../electron/core/cache/entries';
import { CACHE_SCHEMA } from '../../../../../electron/core/cache/schema';
import { createSearchCorpus } from '../../../../../electron/core/search/search-corpus';
import { createSearchIndex } from '../../../../../electron/core/search/search-index';
import type { ManualEntry } from '../../../../../shared/manual';
import { migrate } from '../../../../../shared/migrations';
import { memoryIndexOf } from '../../../../helpers/search-eval';
import { tempCacheDb, tempCacheFile } from '../../../../helpers/temp-db';

// An entry's sections (대상, 신청방법, 구비서류…, issue 21) on the desk: kept in the cache, searched
// at the body's weight by the core's index and the page's alike, and sent to the page.

const NOW = new Date('2026-12-07T02:00:00Z');

const entry = (id: string, over: Partial<ManualEntry> = {}): ManualEntry => ({
  id,
  kind: 'manual',
  category: '상수도/요금',
  title: `상수도 요금 ${id}`,
  body: '요금 부과 기준을 안내합니다.',
  keywords: ['수도세'],
  department: 'water-billing',
  updatedAt: NOW.toISOString(),
  version: 1,
  ...over,
});

const withSections = entry('M-SEC', {
  title: '상수도 요금 감면',
  sections: { spoken: '기초생활수급자는 감면됩니다.', documents: '수급자 증명서 한 부', howToApply: '읍면동 행정복지센터 방문', sms: '[감면] 수급자 증명서를 지참하세요' },
});

function cacheWith(entries: ManualEntry[]) {
  const db = tempCacheDb('sections');
  const search = createSearchIndex(db, () => NOW);
  const writer = createPageWriter(db, search);
  const write = (changes: ManualEntry[], rev: number) =>
    writer.apply({ cursor: `e:${rev}`, hasMore: false, reset: false, changes: changes.map((e, i) => ({ rev: rev + i, kind: 'entry', key: e.id, data: e })) }, zeroCounts(), zeroCounts());
  write(entries, 1);
  return { db, search, write };
}

describe('an entry’s sections on the desk', () => {
  it('are kept with the entry, replaced with its next version, and absent when it has none', () => {
    const { db, write } = cacheWith([withSections, entry('M-PLAIN')]);
    const reader = createEntryReader(db);
    expect(reader.get('M-SEC')?.sections).toEqual(withSections.sections);
    expect(reader.get('M-PLAIN')).not.toHaveProperty('sections');
    write([{ ...withSections, version: 2, sections: { fees: '없음' } }], 10);
    expect(reader.get('M-SEC')).toMatchObject({ version: 2, sections: { fees: '없음' } });
    write([{ ...withSections, version: 3, sections: {} }], 11);
    expect(db.prepare("SELECT sections FROM entries WHERE id = 'M-SEC'").pluck().get()).toBeNull();
  });

  it('are searched at the body’s weight, by the core and the page alike, the snippet showing where', () => {
    const { db, search } = cacheWith([withSections, entry('M-PLAIN'), entry('M-DOCS', { body: '증명서 발급 안내' })]);
    const core = search.search('증명서', 10);
    expect(core.map((h) => h.id).sort()).toEqual(['M-DOCS', 'M-SEC']);
    expect(core.find((h) => h.id === 'M-SEC')?.snippet).toContain('증명서');
    expect(search.search('행정복지센터', 10).map((h) => h.id)).toEqual(['M-SEC']);
    const page = memoryIndexOf(db);
    for (const q of ['증명서', '행정복지센터', '감면', 'ㅈㅁㅅ', '수급자 증명', '방문']) expect(page.search(q, 10, NOW), q).toEqual(search.search(q, 10));
  });

  it('leave the index when the entry drops them', () => {
    const { search, write } = cacheWith([withSections]);
    write([{ ...withSections, version: 2, sections: {} }], 10);
    expect(search.search('행정복지센터', 10)).toEqual([]);
  });

  it('go to the page with the entry', () => {
    const { db } = cacheWith([withSections, entry('M-PLAIN')]);
    const { entries } = createSearchCorpus(db).page(0);
    expect(entries.find((e) => e.id === 'M-SEC')?.sections).toEqual(withSections.sections);
    expect(entries.find((e) => e.id === 'M-PLAIN')).not.toHaveProperty('sections');
  });

  it('come to a cache made before them: the column is added and the index rebuilt at open', () => {
    const file = tempCacheFile('sections-old');
    const old = new Database(file);
    migrate(old, CACHE_SCHEMA.slice(0, CACHE_SCHEMA.findIndex((step) => step.includes('ADD COLUMN sections'))));
    old.prepare("INSERT INTO entries(id, kind, category, title, body, keywords, department, updated_at, version) VALUES ('M-OLD', 'manual', '상수도/요금', '요금 안내', '요금 기준', '[]', NULL, ?, 1)").run(NOW.toISOString());
    old.prepare("INSERT INTO meta(key, value) VALUES ('searchIndex', '1')").run();
    old.close();
    const db = openCacheDb(file);
    expect(createEntryReader(db).get('M-OLD')).not.toHaveProperty('sections');
    const search = createSearchIndex(db, () => NOW);
    expect(getMeta(db, 'searchIndex')).toBe('2');
    expect(search.search('요금', 10).map((h) => h.id)).toEqual(['M-OLD']);
  });
});
