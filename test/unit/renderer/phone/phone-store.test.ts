import { describe, expect, it } from 'vitest';
import type { SipAccount } from '../../../../shared/auth';
import { createPhoneStore, type StartPhone } from '../../../../renderer/phone/phone-store';
import type { CallState, PhoneCall, PhoneEvents } from '../../../../renderer/phone/sip-phone';

const account: SipAccount = { username: 'agent1', domain: '127.0.0.1', password: 'x'.repeat(36), wsUrl: 'ws://127.0.0.1:8088' };

/** A call the test drives: it records what the store asked of it. */
function fakeCall(direction: PhoneCall['direction'], user: string) {
  const asked: string[] = [];
  let state: (s: CallState, reason?: string) => void = () => {};
  const call: PhoneCall = {
    direction,
    remote: { user, displayName: '<b>홍길동</b>' },
    answer: () => asked.push('answer'),
    hangup: () => asked.push('hangup'),
    setMuted: (m) => asked.push(`muted ${m}`),
    setHeld: (h) => asked.push(`held ${h}`),
    onState: (l) => void (state = l),
    onRemoteStream: () => {},
  };
  return { call, asked, to: (s: CallState, reason?: string) => state(s, reason) };
}

function fakePhone(ready = () => true) {
  const log: string[] = [];
  let events: PhoneEvents | null = null;
  const outgoing = fakeCall('outgoing', 'agent2');
  const start: StartPhone = (a, e) => {
    log.push(`start ${a.password.slice(0, 3)}`);
    events = e;
    e.onRegistration({ state: 'registering' });
    return { call: (t) => (log.push(`call ${t}`), outgoing.call), stop: () => log.push(`stop ${a.password.slice(0, 3)}`) };
  };
  const ended: string[] = [];
  const deps = { startPhone: start, takesCalls: ready, onCallEnded: () => ended.push('ended'), now: () => 5_000 };
  return { start, deps, ended, log, outgoing, events: () => events as PhoneEvents };
}

describe('the phone store', () => {
  it('registers with the account, once, re-registers when it changes, and stops without one', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    store.getState().useAccount({ ...account });
    f.events().onRegistration({ state: 'registered', as: 'agent1@127.0.0.1' });
    expect(store.getState().registration).toEqual({ state: 'registered', as: 'agent1@127.0.0.1' });
    store.getState().useAccount({ ...account, password: 'y'.repeat(36) });
    store.getState().useAccount(null);
    expect(f.log).toEqual(['start xxx', 'stop xxx', 'start yyy', 'stop yyy']);
    expect(store.getState().registration).toEqual({ state: 'none' });
  });

  it('rings, answers, mutes, holds and ends a call, and turns a second caller away busy', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const first = fakeCall('incoming', '01012345678');
    expect(f.events().onIncoming(first.call)).toBe(true);
    expect(store.getState().call).toMatchObject({ state: 'ringing', remote: { user: '01012345678', displayName: '<b>홍길동</b>' } });
    expect(f.events().onIncoming(fakeCall('incoming', '0542708282').call)).toBe(false);
    store.getState().answer();
    first.to('connected');
    store.getState().toggleMute();
    store.getState().toggleHold();
    store.getState().toggleHold();
    expect(store.getState().call).toMatchObject({ state: 'connected', muted: true, held: false, connectedAt: 5_000 });
    store.getState().hangup();
    first.to('ended', 'Terminated');
    expect(first.asked).toEqual(['answer', 'muted true', 'held true', 'held false', 'hangup']);
    expect(store.getState().call).toMatchObject({ state: 'ended', endReason: 'Terminated' });
    expect(f.ended).toEqual(['ended']);
    store.getState().dismiss();
    expect(store.getState().call).toBeNull();
  });

  it('dials only when registered to a phone and free, and ignores an empty number', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().dial('agent2');
    expect(store.getState().call).toBeNull();
    store.getState().useAccount(account);
    store.getState().dial('   ');
    store.getState().dial(' agent2 ');
    store.getState().dial('agent3');
    expect(f.log).toEqual(['start xxx', 'call agent2']);
    expect(store.getState().call).toMatchObject({ direction: 'outgoing', state: 'dialing' });
    f.outgoing.to('ended', 'Busy');
    expect(store.getState().call).toMatchObject({ state: 'ended', endReason: 'Busy' });
  });
});

describe('calls and the agent state', () => {
  it('offers a call only to an agent who takes calls', () => {
    let ready = false;
    const f = fakePhone(() => ready);
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    expect(f.events().onIncoming(fakeCall('incoming', '0101').call)).toBe(false);
    expect(store.getState().call).toBeNull();
    ready = true;
    expect(f.events().onIncoming(fakeCall('incoming', '0102').call)).toBe(true);
  });
});
