import { describe, expect, it } from 'vitest';
import type { Callback } from '../../../../shared/callback';
import type { CallView } from '../../../../renderer/phone/phone-store';
import { createWorkStore, dialString } from '../../../../renderer/work/work-store';
import { offeredCallback as offered } from '../../../helpers/callbacks';
import { manualClock } from '../../../helpers/manual-clock';

const settle = () => new Promise((r) => setTimeout(r, 0));


const call = (state: CallView['state'], o: Partial<CallView> = {}) => ({ direction: 'outgoing', dialled: '01044440001', state, ...o }) as CallView;

function fixture(o: { acceptFails?: string; listFails?: () => string | null; connectedFails?: string; everyMs?: number } = {}) {
  const clock = manualClock();
  const log: string[] = [];
  let list: Callback[] = [offered];
  const store = createWorkStore({
    myCallbacks: async () => {
      log.push('list');
      const failure = o.listFails?.();
      if (failure) throw new Error(failure);
      return { callbacks: list };
    },
    accept: async (id) => {
      log.push(`accept ${id}`);
      if (o.acceptFails) throw new Error(o.acceptFails);
      list = [{ ...offered, state: 'dialling', openAttempt: { id: 'att-1', agent: 'agent-1', startedAt: offered.askedAt } }];
      return { callback: list[0] as Callback, attemptId: 'att-1' };
    },
    decline: async (id) => log.push(`decline ${id}`),
    connected: async (id, attemptId) => {
      log.push(`connected ${id} ${attemptId}`);
      if (o.connectedFails) throw new Error(o.connectedFails);
    },
    outcome: async (id, attemptId, outcome) => {
      log.push(`outcome ${id} ${attemptId} ${outcome}`);
      list = [];
    },
    ask: async (request) => {
      log.push(`ask ${request.number} ${request.dueAt ?? 'now'}`);
      if (request.number === 'refused') throw new Error('callback request: foreign-number: the city dials Korean numbers only');
      const kept: Callback = { ...offered, id: 'cb-2', state: 'pending', owner: 'agent-1', offeredTo: null, offerUntil: null };
      list = [...list, kept];
      return { callback: kept };
    },
    cancel: async (id) => {
      log.push(`cancel ${id}`);
      list = list.filter((c) => c.id !== id);
    },
    dial: (n) => log.push(`dial ${n}`),
    timers: clock.timers,
    ...('everyMs' in o ? { everyMs: o.everyMs } : {}),
  });
  return { store, log, clock };
}

describe('the callback work store', () => {
  it('takes an offer: the server first, then the dial in the trunk’s form; follows the call to its end and files the outcome', async () => {
    const { store, log } = fixture();
    const stop = store.getState().watch();
    await settle();
    expect(store.getState().callbacks).toEqual([offered]);
    await store.getState().accept('cb-1');
    expect(log.filter((l) => l !== 'list')).toEqual(['accept cb-1', 'dial 01044440001']);
    expect(store.getState().active).toEqual({ id: 'cb-1', attemptId: 'att-1', dialled: '01044440001', connected: false, ended: false });
    // Another call (incoming, or another number) is not the callback's.
    store.followCall(call('connected', { direction: 'incoming' }));
    store.followCall(call('connected', { dialled: '3511' }));
    expect(store.getState().active?.connected).toBe(false);
    store.followCall(call('connected'));
    store.followCall(call('connected'));
    await settle();
    expect(log.filter((l) => l.startsWith('connected'))).toEqual(['connected cb-1 att-1']);
    store.followCall(call('ended'));
    expect(store.getState().active).toMatchObject({ connected: true, ended: true });
    await store.getState().settle('cb-1', 'att-1', 'reached');
    expect(log).toContain('outcome cb-1 att-1 reached');
    expect(store.getState()).toMatchObject({ active: null, callbacks: [], error: null });
    stop();
  });

  it('dials nothing when the server refuses the offer, and says why', async () => {
    const { store, log } = fixture({ acceptFails: 'this callback is not offered to you (taken, withdrawn or lapsed)' });
    await store.getState().accept('cb-1');
    expect(log.some((l) => l.startsWith('dial'))).toBe(false);
    expect(store.getState()).toMatchObject({ active: null, error: 'this callback is not offered to you (taken, withdrawn or lapsed)' });
  });

  it('takes no second callback while one is in hand, and one action at a time', async () => {
    const { store, log } = fixture();
    await Promise.all([store.getState().accept('cb-1'), store.getState().accept('cb-1')]);
    expect(log.filter((l) => l.startsWith('accept'))).toEqual(['accept cb-1']);
    await store.getState().accept('cb-2');
    expect(log.filter((l) => l.startsWith('accept'))).toEqual(['accept cb-1']);
    expect(store.getState().error).toMatch(/another callback/);
  });

  it('refreshes every 2 s while watched, and stops when nobody watches', async () => {
    const { store, log, clock } = fixture();
    const stop = store.getState().watch();
    await settle();
    clock.advance(2000);
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(2);
    stop();
    clock.advance(10_000);
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(2);
  });

  it('dials a Korean number as the trunk does', () => {
    expect(dialString('+821044440001')).toBe('01044440001');
    expect(dialString('+82542708282')).toBe('0542708282');
  });

  it('asks a callback for the citizen and lists it; a refusal goes back to the form that asked, nothing listed', async () => {
    const { store, log } = fixture();
    const asked = await store.getState().ask({ number: '010-4444-0001', dueAt: '2026-12-08T06:00:00.000Z', keep: true });
    expect(asked).toMatchObject({ callback: { id: 'cb-2', owner: 'agent-1' } });
    expect(store.getState().callbacks.map((c) => c.id)).toEqual(['cb-1', 'cb-2']);
    expect(await store.getState().ask({ number: 'refused' })).toEqual({ error: expect.stringMatching(/foreign-number/) });
    // The form shows it; the call bar's line stays the offer's.
    expect(store.getState().error).toBeNull();
    await store.getState().cancel('cb-2');
    expect(store.getState().callbacks.map((c) => c.id)).toEqual(['cb-1']);
    expect(log.filter((l) => !l.startsWith('list'))).toEqual(['ask 010-4444-0001 2026-12-08T06:00:00.000Z', 'ask refused now', 'cancel cb-2']);
  });

  it('starts empty, keeps the list it had when the city cannot be asked, and says why', async () => {
    let down: string | null = null;
    const { store } = fixture({ listFails: () => down });
    expect(store.getState().callbacks).toEqual([]);
    await store.getState().refresh();
    expect(store.getState().callbacks).toEqual([offered]);
    down = 'city server unreachable';
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ callbacks: [offered], error: 'city server unreachable' });
    // Back: the outage's line goes with the next good answer.
    down = null;
    await store.getState().refresh();
    expect(store.getState().error).toBeNull();
  });

  it('keeps an action’s refusal on screen through the refreshes after it, even after an outage', async () => {
    let down: string | null = 'city server unreachable';
    const { store } = fixture({ listFails: () => down, acceptFails: 'not-offered: this callback is not offered to you' });
    await store.getState().refresh();
    down = null;
    await store.getState().accept('cb-1');
    await store.getState().refresh();
    expect(store.getState().error).toBe('not-offered: this callback is not offered to you');
  });

  it('passes an offer on; settling an attempt a restarted desk left does not touch the call in hand', async () => {
    const { store, log } = fixture();
    await store.getState().decline('cb-1');
    expect(log).toContain('decline cb-1');
    await store.getState().accept('cb-1');
    await store.getState().settle('cb-0', 'att-0', 'no-answer');
    expect(log).toContain('outcome cb-0 att-0 no-answer');
    expect(store.getState().active).toMatchObject({ id: 'cb-1', attemptId: 'att-1' });
  });

  it('follows only its own dial: ringing ends nothing, a call after the end changes nothing, a failed report is said', async () => {
    const { store } = fixture({ connectedFails: 'no dial of yours in flight' });
    await store.getState().accept('cb-1');
    store.followCall(call('ringing'));
    store.followCall(null);
    expect(store.getState().active).toMatchObject({ connected: false, ended: false });
    store.followCall(call('connected'));
    await settle();
    expect(store.getState().error).toBe('no dial of yours in flight');
    store.followCall(call('ended'));
    store.followCall(call('connected'));
    expect(store.getState().active).toMatchObject({ connected: true, ended: true });
  });

  it('polls every 2 s unless told otherwise, for as long as anyone watches', async () => {
    const { store, log, clock } = fixture({ everyMs: undefined });
    const first = store.getState().watch();
    const second = store.getState().watch();
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(1);
    first();
    clock.advance(1999);
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(2);
    second();
    clock.advance(10_000);
    await settle();
    expect(log.filter((l) => l === 'list')).toHaveLength(2);
  });

  it('dials a number from abroad as it is', () => {
    expect(dialString('+12125550100')).toBe('+12125550100');
  });
});
