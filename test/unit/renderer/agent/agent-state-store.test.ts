import { describe, expect, it } from 'vitest';
import { createAgentStateStore } from '../../../../renderer/agent/agent-state-store';
import { manualClock } from '../../../helpers/manual-clock';

const clock = () => manualClock(1_000);

describe('the agent state', () => {
  it('starts not ready, and takes calls only when ready', () => {
    const store = createAgentStateStore(clock());
    expect(store.getState().state).toEqual({ kind: 'not-ready', reason: null });
    expect(store.getState().takesCalls()).toBe(false);
    store.getState().setReady();
    expect(store.getState().takesCalls()).toBe(true);
    store.getState().setNotReady('meal');
    expect(store.getState().state).toEqual({ kind: 'not-ready', reason: 'meal' });
    expect(store.getState().takesCalls()).toBe(false);
  });

  it('does after-call work for the city’s time, then is ready again by itself', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    store.getState().startWrapUp(30);
    expect(store.getState().state).toEqual({ kind: 'wrap-up', until: 31_000 });
    expect(store.getState().takesCalls()).toBe(false);
    c.advance(29_000);
    expect(store.getState().state.kind).toBe('wrap-up');
    c.advance(1_000);
    expect(store.getState().state.kind).toBe('ready');
  });

  it('lets the agent end wrap-up early, keeps a break asked for during the call, and skips a zero wrap-up', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    store.getState().startWrapUp(30);
    store.getState().setReady();
    c.advance(60_000);
    expect(store.getState().state.kind).toBe('ready');
    store.getState().setNotReady('meal');
    store.getState().startWrapUp(30);
    expect(store.getState().state).toEqual({ kind: 'not-ready', reason: 'meal' });
    store.getState().setReady();
    store.getState().startWrapUp(0);
    expect(store.getState().state.kind).toBe('ready');
  });

  it('takes a break from the time it began, with no calls offered, and leaves it by ready or not ready', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    c.advance(4_000);
    store.getState().setBreak();
    expect(store.getState().state).toEqual({ kind: 'break', since: 5_000 });
    expect(store.getState().takesCalls()).toBe(false);
    c.advance(600_000);
    expect(store.getState().state).toEqual({ kind: 'break', since: 5_000 });
    store.getState().setNotReady('meal');
    expect(store.getState().state).toEqual({ kind: 'not-ready', reason: 'meal' });
    store.getState().setBreak();
    expect(store.getState().state).toEqual({ kind: 'break', since: 605_000 });
    store.getState().setReady();
    expect(store.getState().takesCalls()).toBe(true);
  });

  it('leaves a break taken during a call alone when the call ends', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    store.getState().setBreak();
    store.getState().startWrapUp(30);
    expect(store.getState().state).toEqual({ kind: 'break', since: 1_000 });
    c.advance(60_000);
    expect(store.getState().state).toEqual({ kind: 'break', since: 1_000 });
  });

  it('cancels the wrap-up timer when the agent goes on break during wrap-up', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    store.getState().startWrapUp(30);
    c.advance(10_000);
    store.getState().setBreak();
    expect(store.getState().state).toEqual({ kind: 'break', since: 11_000 });
    c.advance(60_000);
    expect(store.getState().state).toEqual({ kind: 'break', since: 11_000 });
    expect(store.getState().takesCalls()).toBe(false);
  });

  it('counts the time in state from the change of state, not from a repeated click', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    expect(store.getState().since).toBe(1_000);
    c.advance(2_000);
    store.getState().setReady();
    expect(store.getState().since).toBe(3_000);
    c.advance(2_000);
    store.getState().setReady();
    expect(store.getState().since).toBe(3_000);
    store.getState().setNotReady('meal');
    c.advance(1_000);
    store.getState().setNotReady('training');
    expect(store.getState().since).toBe(6_000);
    store.getState().setBreak();
    expect(store.getState().since).toBe(6_000);
  });

  it('extends after-call work when the agent asks, from the end already set', () => {
    const c = clock();
    const store = createAgentStateStore(c);
    store.getState().setReady();
    store.getState().startWrapUp(30);
    const since = store.getState().since;
    c.advance(20_000);
    store.getState().extendWrapUp(60);
    expect(store.getState().state).toEqual({ kind: 'wrap-up', until: 91_000 });
    expect(store.getState().since).toBe(since);
    c.advance(69_000);
    expect(store.getState().state.kind).toBe('wrap-up');
    c.advance(1_000);
    expect(store.getState().state.kind).toBe('ready');
    // Nothing to extend once ready, or by no time at all.
    store.getState().extendWrapUp(60);
    expect(store.getState().state).toEqual({ kind: 'ready' });
    store.getState().startWrapUp(30);
    store.getState().extendWrapUp(0);
    expect(store.getState().state).toEqual({ kind: 'wrap-up', until: 121_000 });
  });
});
