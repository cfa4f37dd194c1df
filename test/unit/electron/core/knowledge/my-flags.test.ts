import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MyFlags } from '../../../../../shared/contract';
import type { FlagInput } from '../../../../../shared/knowledge';
import { openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { createMyFlags, mergeMyFlags } from '../../../../../electron/core/knowledge/my-flags';
import type { Flag } from '../../../../../shared/knowledge';
import { testLogger } from '../../../../helpers/core';

const raised = (id: string, at: string, over: Partial<FlagInput> = {}): FlagInput => ({ id, entryId: 'M-WAT-018', entryVersion: 3, kind: 'wrong', note: '', at, duringCall: true, ...over });
const city = (id: string, at: string, over: Partial<Flag> = {}): Flag => ({
  id,
  entryId: 'M-WAT-018',
  entryTitle: '옥내·옥외 누수 판단',
  entryVersion: 3,
  department: 'water-supply',
  kind: 'wrong',
  note: '',
  agent: 'agent1',
  at,
  receivedAt: at,
  state: 'open',
  reply: null,
  closedBy: null,
  closedAt: null,
  fixedVersion: null,
  ...over,
});

const none = { pending: [], delivered: [], seen: () => false, titleOf: () => '캐시의 제목' };

describe('the agent’s flags as the desk shows them', () => {
  it('lists the city’s with those it does not list yet, newest first, each once', () => {
    const flags = mergeMyFlags([city('c-1', '2026-12-07T01:00:00Z'), city('both', '2026-12-07T01:05:00Z')], {
      ...none,
      pending: [raised('p-1', '2026-12-07T01:10:00Z'), raised('both', '2026-12-07T01:05:00Z')],
      delivered: [raised('d-1', '2026-12-07T01:07:00Z'), raised('p-1', '2026-12-07T01:10:00Z')],
    });
    expect(flags.map((f) => [f.id, f.state])).toEqual([
      ['p-1', 'pending'],
      ['d-1', 'open'],
      ['both', 'open'],
      ['c-1', 'open'],
    ]);
    // The desk's own come with the cached entry's title.
    expect(flags[0]).toMatchObject({ entryTitle: '캐시의 제목', reply: null, fixedVersion: null, notice: false });
  });

  it('carries a notice on a closed flag until it is seen; an open one never has one', () => {
    const fixed = city('fixed', '2026-12-07T01:00:00Z', { state: 'fixed', fixedVersion: 4, reply: '수정됨 v4' });
    const answered = city('answered', '2026-12-07T01:01:00Z', { state: 'answered', reply: '현행 기준이 맞습니다' });
    const open = city('open', '2026-12-07T01:02:00Z');
    const notices = (seen: string[]) => mergeMyFlags([fixed, answered, open], { ...none, seen: (id) => seen.includes(id) }).filter((f) => f.notice).map((f) => f.id);
    expect(notices([])).toEqual(['answered', 'fixed']);
    expect(notices(['answered'])).toEqual(['fixed']);
  });
});

describe('my flags with the city', () => {
  function setup(answers: (() => Promise<{ flags: Flag[] }>)[]) {
    const db = openCacheDb(join(mkdtempSync(join(tmpdir(), 'minwon-my-flags-')), 'cache.sqlite'));
    const logger = testLogger();
    const told: MyFlags[] = [];
    let pending: FlagInput[] = [];
    let asked = 0;
    const book = createMyFlags(db, {
      fetch: () => (answers[Math.min(asked++, answers.length - 1)] as () => Promise<{ flags: Flag[] }>)(),
      pending: () => pending,
      titleOf: () => null,
      clock: () => new Date('2026-12-07T02:00:00Z'),
      logger,
      changed: (f) => told.push(f),
    });
    return { db, logger, told, book, setPending: (p: FlagInput[]) => (pending = p), asked: () => asked };
  }

  it('keeps the city’s answer in the cache, and tells the page only when the flags changed', async () => {
    const answer = { flags: [city('c-1', '2026-12-07T01:00:00Z')] };
    const s = setup([async () => answer]);
    await s.book.refresh();
    expect(s.told).toHaveLength(1);
    await s.book.refresh();
    expect(s.told).toHaveLength(1);
    expect(s.book.list()).toMatchObject({ checkedAt: '2026-12-07T02:00:00.000Z', flags: [{ id: 'c-1', state: 'open' }] });
    // Another desk process on the same cache (a restart) shows them before it reaches the city.
    const again = createMyFlags(s.db, { fetch: () => Promise.reject(new Error('offline')), pending: () => [], titleOf: () => null, clock: () => new Date(), logger: testLogger(), changed: () => {} });
    expect(again.list().flags.map((f) => f.id)).toEqual(['c-1']);
  });

  it('shows a delivered flag as with the city until the city lists it, and asks at once after a delivery', async () => {
    const mine = raised('f-1', '2026-12-07T01:30:00Z');
    const s = setup([async () => ({ flags: [] }), async () => ({ flags: [city('f-1', mine.at)] })]);
    s.setPending([mine]);
    s.book.raised();
    expect(s.told.at(-1)?.flags.map((f) => f.state)).toEqual(['pending']);
    // The outbox delivered it; the list asked for before the city had it does not drop it.
    s.setPending([]);
    await s.book.refresh();
    s.book.delivered([mine]);
    expect(s.told.at(-1)?.flags.map((f) => [f.id, f.state])).toEqual([['f-1', 'open']]);
    await s.book.refresh();
    expect(s.asked()).toBe(2);
    expect(s.book.list().flags).toMatchObject([{ id: 'f-1', state: 'open', entryTitle: '옥내·옥외 누수 판단' }]);
  });

  it('keeps the last list when the city is out of reach, saying so once per outage', async () => {
    const s = setup([async () => ({ flags: [city('c-1', '2026-12-07T01:00:00Z')] }), () => Promise.reject(new Error('city server unreachable')), () => Promise.reject(new Error('city server unreachable'))]);
    await s.book.refresh();
    await s.book.refresh();
    await s.book.refresh();
    expect(s.book.list().flags.map((f) => f.id)).toEqual(['c-1']);
    expect(s.logger.lines.filter((l) => l.includes('unreachable'))).toEqual(['warn my flags: city server unreachable']);
  });

  it('remembers the notices seen, across restarts, and tells the page when one is', async () => {
    const s = setup([async () => ({ flags: [city('c-1', '2026-12-07T01:00:00Z', { state: 'answered', reply: '답변' })] })]);
    await s.book.refresh();
    expect(s.book.list().flags[0]?.notice).toBe(true);
    expect(s.book.seen(['c-1', 'c-1'])).toBe(1);
    expect(s.told.at(-1)?.flags[0]?.notice).toBe(false);
    expect(s.book.seen(['c-1'])).toBe(0);
    const again = createMyFlags(s.db, { fetch: () => Promise.reject(new Error('offline')), pending: () => [], titleOf: () => null, clock: () => new Date(), logger: testLogger(), changed: () => {} });
    expect(again.list().flags[0]?.notice).toBe(false);
  });

  it('drops an answer that comes after the desk closed its cache', async () => {
    let answer: (v: { flags: Flag[] }) => void = () => {};
    const s = setup([() => new Promise((r) => (answer = r))]);
    const asked = s.book.refresh();
    s.book.close();
    s.db.close();
    answer({ flags: [city('c-1', '2026-12-07T01:00:00Z')] });
    await expect(asked).resolves.toBeUndefined();
    expect(s.told).toEqual([]);
    expect(s.logger.lines).toEqual([]);
  });
});
