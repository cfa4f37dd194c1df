import { describe, expect, it } from 'vitest';
import type { MyFlag, MyFlags } from '../../../../shared/contract';
import type { CoreClient } from '../../../../shared/rpc';
import { createFlagsStore } from '../../../../renderer/search/flags-store';

const flag = (over: Partial<MyFlag>): MyFlag => ({
  id: 'f-1',
  entryId: 'M-WAT-018',
  entryTitle: '누수 판단',
  entryVersion: 3,
  kind: 'outdated',
  note: '',
  at: '2026-12-07T01:00:00.000Z',
  state: 'open',
  reply: null,
  fixedVersion: null,
  notice: false,
  ...over,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A core client whose `myFlags` event the test fires, and whose answers it chooses. */
function fakeCore(answers: { myFlags?: () => Promise<MyFlags>; flagEntry?: () => Promise<unknown> } = {}) {
  const calls: { method: string; params: unknown }[] = [];
  let listener: ((data: MyFlags) => void) | null = null;
  const client = {
    call: (method: string, params: unknown) => {
      calls.push({ method, params });
      if (method === 'myFlags') return answers.myFlags?.() ?? Promise.resolve({ flags: [], checkedAt: null });
      if (method === 'flagEntry') return answers.flagEntry?.() ?? Promise.resolve({ id: 'new', pending: 1 });
      return Promise.resolve({ seen: 1 });
    },
    on: (event: string, fn: (data: MyFlags) => void) => {
      if (event === 'myFlags') listener = fn;
      return () => (listener = null);
    },
  } as unknown as CoreClient;
  return { client, calls, fire: (data: MyFlags) => listener?.(data), listening: () => listener !== null };
}

describe('the agent’s flags on the page', () => {
  it('loads the core’s list for a signed-in desk, follows its event, and forgets it on sign-out', async () => {
    const core = fakeCore({ myFlags: async () => ({ flags: [flag({})], checkedAt: '2026-12-07T01:00:05.000Z' }) });
    const flags = createFlagsStore({ duringCall: () => false });
    flags.use(core.client);
    await tick();
    expect(flags.store.getState().flags.map((f) => f.id)).toEqual(['f-1']);
    core.fire({ flags: [flag({ state: 'answered', reply: '현행 기준이 맞습니다', notice: true }), flag({ id: 'f-2', state: 'pending' })], checkedAt: null });
    expect(flags.store.getState().flags.map((f) => [f.id, f.state])).toEqual([
      ['f-1', 'answered'],
      ['f-2', 'pending'],
    ]);
    flags.use(null);
    expect(flags.store.getState().flags).toEqual([]);
    expect(core.listening()).toBe(false);
  });

  it('keeps an event that came before the first answer over that answer', async () => {
    let answer: (v: MyFlags) => void = () => {};
    const core = fakeCore({ myFlags: () => new Promise((r) => (answer = r)) });
    const flags = createFlagsStore({ duringCall: () => false });
    flags.use(core.client);
    core.fire({ flags: [flag({ id: 'newer' })], checkedAt: null });
    answer({ flags: [], checkedAt: null });
    await tick();
    expect(flags.store.getState().flags.map((f) => f.id)).toEqual(['newer']);
  });

  it('raises a flag on the entry on screen, saying whether a call or consultation is under way', async () => {
    const core = fakeCore();
    let busy = true;
    const flags = createFlagsStore({ duringCall: () => busy });
    flags.use(core.client);
    expect(await flags.store.getState().raise({ id: 'M-WAT-018', version: 3 }, 'wrong', '요금 기준이 바뀜')).toBe(true);
    busy = false;
    await flags.store.getState().raise({ id: 'M-WAT-018', version: 3 }, 'duplicate', '');
    expect(core.calls.filter((c) => c.method === 'flagEntry').map((c) => c.params)).toEqual([
      { entryId: 'M-WAT-018', entryVersion: 3, kind: 'wrong', note: '요금 기준이 바뀜', duringCall: true },
      { entryId: 'M-WAT-018', entryVersion: 3, kind: 'duplicate', note: '', duringCall: false },
    ]);
  });

  it('says so when the core does not keep the flag, or is not there', async () => {
    const flags = createFlagsStore({ duringCall: () => false });
    expect(await flags.store.getState().raise({ id: 'M-1', version: 1 }, 'wrong', '')).toBe(false);
    flags.use(fakeCore({ flagEntry: () => Promise.reject(new Error('invalid-params')) }).client);
    expect(await flags.store.getState().raise({ id: 'M-1', version: 1 }, 'wrong', '')).toBe(false);
  });

  it('takes a seen notice off the screen at once and tells the core', async () => {
    const core = fakeCore({ myFlags: async () => ({ flags: [flag({ state: 'fixed', fixedVersion: 4, notice: true })], checkedAt: null }) });
    const flags = createFlagsStore({ duringCall: () => false });
    flags.use(core.client);
    await tick();
    flags.store.getState().seen(['f-1']);
    expect(flags.store.getState().flags[0]?.notice).toBe(false);
    expect(core.calls.at(-1)).toEqual({ method: 'seenFlagNotices', params: { ids: ['f-1'] } });
  });

  it('opens the menu again with each press of the flag key, and closes it', () => {
    const flags = createFlagsStore({ duringCall: () => false });
    const s = flags.store.getState();
    s.openMenu();
    s.openMenu();
    expect(flags.store.getState().menu).toBe(2);
    s.closeMenu();
    expect(flags.store.getState().menu).toBe(0);
  });
});
