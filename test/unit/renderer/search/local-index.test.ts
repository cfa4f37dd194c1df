import { describe, expect, it } from 'vitest';
import type { SearchCorpus, SearchPriors } from '../../../../shared/contract';
import type { CoreClient, Timers } from '../../../../shared/rpc';
import type { IndexedEntry } from '../../../../shared/search/memory-index';
import { createLocalIndex } from '../../../../renderer/search/local-index';
import { createSearchStore } from '../../../../renderer/search/search-store';
import { loadDemoManual } from '../../../../server/demo/seed';

const NOW = new Date('2026-11-28T00:00:00Z');
const demo: IndexedEntry[] = loadDemoManual().map((e, i) => ({
  rowid: i + 1,
  id: e.id,
  version: 1,
  kind: e.kind ?? 'manual',
  category: e.category,
  title: e.title,
  keywords: e.keywords ?? [],
  body: e.body,
  updatedAt: '2026-11-01T00:00:00.000Z',
}));

/** A core serving the corpus 20 entries a page, counting calls; its loads can be made to fail. */
function fakeCore(entries: IndexedEntry[], priors: SearchPriors = { synonyms: [], usage: [] }) {
  const listeners = new Set<(data: { text: boolean }) => void>();
  const calls: string[] = [];
  const state = { entries, priors, failing: false, answers: [] as string[] };
  const client = {
    call: async (method: string, params: { after?: number; query?: string }) => {
      calls.push(method);
      if (state.failing) throw new Error('core unreachable');
      if (method === 'searchCorpus') {
        const rest = state.entries.filter((e) => e.rowid > (params.after ?? 0));
        const page: SearchCorpus = { entries: rest.slice(0, 20), next: rest.length > 20 ? (rest[19] as IndexedEntry).rowid : null };
        return page;
      }
      if (method === 'searchPriors') return state.priors;
      if (method === 'search') {
        state.answers.push(params.query ?? '');
        return { hits: [] };
      }
      throw new Error(`unexpected ${method}`);
    },
    on: (_name: string, l: (data: { text: boolean }) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as CoreClient;
  return { client, calls, state, tell: (text: boolean) => listeners.forEach((l) => l({ text })), listening: () => listeners.size };
}

/** Timers that run when the test says: the build's pauses, and the retry after a failure. */
function manualTimers() {
  const due: { fn: () => void; ms: number }[] = [];
  const timers: Timers = { setTimeout: (fn, ms) => due.push({ fn, ms }), clearTimeout: (h) => due.splice(due.indexOf(h as (typeof due)[number]), 1) };
  /** Runs everything due within `ms` (pauses are 0), with the promises in between, until idle. */
  const run = async (ms = 0) => {
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => setImmediate(r));
      const next = due.findIndex((d) => d.ms <= ms);
      if (next < 0) return;
      due.splice(next, 1)[0]?.fn();
    }
  };
  return { timers, run, due };
}

const ids = (hits: { id: string }[] | null) => hits?.map((h) => h.id) ?? null;

describe('the page’s own search index', () => {
  it('answers nothing (the core does) until loaded, then answers from every page of the corpus', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    local.use(core.client);
    expect(local.search('여권', 10)).toBeNull();
    await t.run();
    expect(local.ready).toBe(true);
    expect(core.calls.filter((c) => c === 'searchCorpus')).toHaveLength(Math.ceil(demo.length / 20));
    // The last page's entries are in it too.
    const last = demo.at(-1) as IndexedEntry;
    expect(ids(local.search(last.title, 10))).toContain(last.id);
    expect(ids(local.search('여권 재발급', 3))?.every((id) => id.includes('PSP'))).toBe(true);
  });

  it('keeps answering from the old build while a changed manual is rebuilt, then from the new one', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    local.use(core.client);
    await t.run();
    core.state.entries = [...demo, { ...(demo[0] as IndexedEntry), rowid: demo.length + 1, id: 'NEW-1', title: '쌍둥이 출생신고 안내' }];
    core.tell(true);
    expect(ids(local.search('쌍둥이', 5))).not.toContain('NEW-1');
    expect(local.search('여권', 5)).not.toBeNull();
    await t.run();
    expect(ids(local.search('쌍둥이', 5))?.[0]).toBe('NEW-1');
  });

  it('refreshes synonyms and use counts alone, without reloading the entries', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    local.use(core.client);
    await t.run();
    const bike = demo.find((e) => e.title.includes('자전거')) as IndexedEntry;
    expect(ids(local.search('킥보드', 3))).not.toContain(bike.id);
    core.state.priors = { synonyms: [{ term: '킥보드', expansions: ['자전거'] }], usage: [] };
    const loads = core.calls.filter((c) => c === 'searchCorpus').length;
    core.tell(false);
    await t.run();
    expect(ids(local.search('킥보드', 3))).toContain(bike.id);
    expect(core.calls.filter((c) => c === 'searchCorpus')).toHaveLength(loads);
  });

  it('leaves the answers to the core when a load fails, and tries again later', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers, retryMs: 5_000 });
    core.state.failing = true;
    local.use(core.client);
    await t.run();
    expect(local.search('여권', 5)).toBeNull();
    expect(t.due.map((d) => d.ms)).toEqual([5_000]);
    core.state.failing = false;
    await t.run(5_000);
    expect(local.ready).toBe(true);
  });

  it('waits for the page to be idle before the first load, and skips it if signed out by then', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const idle: (() => void)[] = [];
    const local = createLocalIndex({ now: () => NOW, timers: t.timers, idle: (fn) => idle.push(fn) });
    local.use(core.client);
    await t.run();
    expect(core.calls).toEqual([]);
    idle.shift()?.();
    await t.run();
    expect(local.ready).toBe(true);
    local.use(null);
    local.use(core.client);
    local.use(null);
    const calls = core.calls.length;
    idle.shift()?.();
    await t.run();
    expect(core.calls).toHaveLength(calls);
  });

  it('forgets on sign-out, and a load for a client it no longer follows never answers', async () => {
    const first = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    local.use(first.client);
    await t.run();
    local.use(null);
    expect(local.search('여권', 5)).toBeNull();
    expect(first.listening()).toBe(0);
    local.use(first.client);
    local.use(null);
    await t.run();
    expect(local.ready).toBe(false);
  });

  it('tells the search box when answers may have changed, and the box asks again', async () => {
    const core = fakeCore([]);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    const store = createSearchStore(() => core.client, local);
    local.onChange(() => store.getState().refresh());
    local.use(core.client);
    await t.run();
    // Signed in before the first sync: an empty manual, no results.
    store.getState().setQuery('누수');
    expect(store.getState().hits).toEqual([]);
    core.state.entries = demo;
    core.tell(true);
    await t.run();
    expect(store.getState().hits.length).toBeGreaterThan(3);
    // Use counts alone change: the least used result, now the most used, moves up.
    const last = store.getState().hits.at(-1)?.id as string;
    core.state.priors = { synonyms: [], usage: [[last, 10_000]] };
    core.tell(false);
    await t.run();
    expect(store.getState().hits.findIndex((h) => h.id === last)).toBeLessThan(store.getState().hits.length - 1);
  });

  it('lets the search box show a keystroke’s results in the same turn, without asking the core', async () => {
    const core = fakeCore(demo);
    const t = manualTimers();
    const local = createLocalIndex({ now: () => NOW, timers: t.timers });
    const store = createSearchStore(() => core.client, local);
    store.getState().setQuery('여권');
    expect(store.getState()).toMatchObject({ status: 'searching', answeredBy: null });
    expect(core.state.answers).toEqual(['여권']);
    local.use(core.client);
    await t.run();
    store.getState().setQuery('여권 재');
    expect(store.getState()).toMatchObject({ hitsFor: '여권 재', answeredBy: 'page', status: 'done' });
    expect(ids(store.getState().hits)).toEqual(ids(local.search('여권 재', 10)));
    expect(core.state.answers).toEqual(['여권']);
  });
});
