import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../../shared/contract';
import type { CoreClient } from '../../../../shared/rpc';
import { createSearchStore } from '../../../../renderer/search/search-store';

const hit = (id: string): SearchHit => ({ id, kind: 'manual', title: id, category: 'c', snippet: '', highlights: [], titleHighlights: [], score: 1 });

/** A core whose answers the test releases in any order. */
function controlledCore() {
  const pending: { query: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  const calls: string[] = [];
  const client = {
    call: (method: string, params: { query?: string; id?: string }) => {
      calls.push(`${method}:${params.query ?? params.id}`);
      if (method === 'getEntry') return Promise.resolve({ id: params.id, title: 't', body: 'b' });
      if (method === 'markUsed') return Promise.resolve({ counted: true });
      return new Promise((resolve, reject) => pending.push({ query: params.query ?? '', resolve, reject }));
    },
    on: () => () => {},
  } as unknown as CoreClient;
  const answer = (query: string) => pending.find((p) => p.query === query)?.resolve({ hits: [hit(`for-${query}`)] });
  return { client, answer, pending, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('search as you type', () => {
  it('sends every keystroke and drops answers to queries typed over', async () => {
    const core = controlledCore();
    const store = createSearchStore(() => core.client);
    for (const q of ['주', '주차', '주차장']) store.getState().setQuery(q);
    expect(core.pending.map((p) => p.query)).toEqual(['주', '주차', '주차장']);
    core.answer('주차장');
    await tick();
    expect(store.getState().hits.map((h) => h.id)).toEqual(['for-주차장']);
    // Late answers to older queries change nothing.
    core.answer('주');
    core.answer('주차');
    await tick();
    expect(store.getState()).toMatchObject({ query: '주차장', status: 'done', hits: [{ id: 'for-주차장' }] });
  });

  it('clears on an empty query without asking the core, and reports failures of the latest query only', async () => {
    const core = controlledCore();
    const store = createSearchStore(() => core.client);
    store.getState().setQuery('누수');
    store.getState().setQuery('   ');
    expect(store.getState()).toMatchObject({ status: 'idle', hits: [] });
    expect(core.pending).toHaveLength(1);
    core.pending[0]?.reject(new Error('late failure'));
    await tick();
    expect(store.getState().status).toBe('idle');
    store.getState().setQuery('단수');
    core.pending[1]?.reject(new Error('core gone'));
    await tick();
    expect(store.getState()).toMatchObject({ status: 'error', error: 'core gone' });
  });

  it('opens a result, counting it as used', async () => {
    const core = controlledCore();
    const store = createSearchStore(() => core.client);
    store.getState().setQuery('여권');
    core.pending[0]?.resolve({ hits: [hit('A'), hit('B'), hit('C')] });
    await tick();
    store.getState().openEntry('B');
    await tick();
    expect(store.getState().open?.id).toBe('B');
    expect(core.calls).toContain('markUsed:B');
  });

  it('tells its episodes every change of the box, Enter, and the results opened (not entries opened elsewhere)', async () => {
    const core = controlledCore();
    const told: string[] = [];
    const store = createSearchStore(() => core.client, undefined, { typed: (q) => told.push(`typed:${q}`), entered: () => told.push('entered'), opened: () => told.push('opened') });
    store.getState().setQuery('여');
    store.getState().setQuery('여권');
    store.getState().entered();
    store.getState().openResult('A');
    // A screen-pop suggestion opened: not a result of the query.
    store.getState().openEntry('B');
    await tick();
    expect(told).toEqual(['typed:여', 'typed:여권', 'entered', 'opened']);
    expect(core.calls.filter((c) => c.startsWith('getEntry'))).toEqual(['getEntry:A', 'getEntry:B']);
  });

  it('does nothing while no core is connected', () => {
    const store = createSearchStore(() => null);
    store.getState().setQuery('누수');
    expect(store.getState()).toMatchObject({ query: '누수', status: 'idle' });
  });
});
