import { describe, expect, it } from 'vitest';
import type { SipAccount } from '../../../../shared/auth';
import type { CallQuality, QualityReport } from '../../../../renderer/phone/call-quality';
import { createPhoneStore, type PhoneStoreDeps, type StartPhone } from '../../../../renderer/phone/phone-store';
import type { PhoneCall, PhoneEvents } from '../../../../renderer/phone/sip-phone';
import { fakeCall, type FakeCall } from '../../../helpers/fake-call';
import { manualClock } from '../../../helpers/manual-clock';

const account: SipAccount = { username: 'agent1', domain: '127.0.0.1', password: 'x'.repeat(36), wsUrl: 'ws://127.0.0.1:8088' };

const clock = (start = 5_000) => manualClock(start);

function fakePhone(ready = () => true, o: { autoAnswer?: () => number | null } = {}) {
  const log: string[] = [];
  let events: PhoneEvents | null = null;
  /** Every call the store placed, in order; the first is `outgoing`. */
  const placed: FakeCall[] = [];
  const start: StartPhone = (a, e) => {
    log.push(`start ${a.password.slice(0, 3)}`);
    events = e;
    e.onRegistration({ state: 'registering' });
    return {
      call: (t) => {
        log.push(`call ${t}`);
        const c = fakeCall('outgoing', t, { dialled: t });
        placed.push(c);
        return c.call;
      },
      reRegister: () => log.push(`reRegister ${a.password.slice(0, 3)}`),
      publishPresence: async (body) => (log.push(`presence ${body}`), true),
      stop: () => log.push(`stop ${a.password.slice(0, 3)}`),
    };
  };
  const ended: string[] = [];
  const time = clock();
  /** Each watched call, with what it was told to report and whether the watch was stopped. */
  const watched: { call: PhoneCall; report: (r: QualityReport) => void; stopped: number }[] = [];
  const deps: PhoneStoreDeps = {
    startPhone: start,
    takesCalls: ready,
    onCallEnded: () => ended.push('ended'),
    autoAnswerSeconds: o.autoAnswer ?? (() => null),
    transferTimeoutSeconds: () => 30,
    now: time.now,
    timers: time.timers,
    monitorQuality: (call, report) => {
      const w = { call, report, stopped: 0 };
      watched.push(w);
      return () => void w.stopped++;
    },
  };
  return {
    start,
    deps,
    ended,
    log,
    placed,
    time,
    watched,
    get outgoing(): FakeCall {
      const first = placed[0];
      if (!first) throw new Error('no call placed yet');
      return first;
    },
    events: () => events as PhoneEvents,
  };
}

type Phone = ReturnType<typeof fakePhone>;

/** A store with an account and a connected incoming call from 01012345678. */
function inCall(f: Phone = fakePhone()) {
  const store = createPhoneStore(f.deps);
  store.getState().useAccount(account);
  f.events().onSignalling(true);
  const caller = fakeCall('incoming', '01012345678');
  expect(f.events().onIncoming(caller.call)).toBe(true);
  store.getState().answer();
  caller.to('connected');
  caller.asked.length = 0;
  return { f, store, caller };
}

/** …and the agent consulting 3511 (connected), the caller on hold. */
function consulting() {
  const s = inCall();
  s.store.getState().startConsult('3511');
  const staff = s.f.placed[0] as FakeCall;
  staff.to('connected');
  s.caller.asked.length = 0;
  return { ...s, staff };
}

const good: CallQuality = { lossPercent: 0, inboundLossPercent: 0, outboundLossPercent: null, jitterMs: 4, rttMs: 40, mos: 4.4, level: 'good' };
const poor: CallQuality = { lossPercent: 8, inboundLossPercent: 8, outboundLossPercent: 2, jitterMs: 70, rttMs: 300, mos: 3.1, level: 'poor' };

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
    f.events().onSignalling(true);
    const first = fakeCall('incoming', '01012345678');
    expect(f.events().onIncoming(first.call)).toBe(true);
    expect(store.getState().call).toMatchObject({ state: 'ringing', remote: { user: '01012345678', displayName: '<b>홍길동</b>' }, dialled: '0542708282' });
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
    expect(store.getState().call).toMatchObject({ state: 'ended', endCause: 'Terminated' });
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
    expect(store.getState().call).toMatchObject({ state: 'ended', endCause: 'Busy' });
  });

  it('follows the signalling socket, and forgets it without an account', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    expect(store.getState().signalling).toBe(false);
    store.getState().useAccount(account);
    f.events().onSignalling(true);
    expect(store.getState().signalling).toBe(true);
    f.events().onSignalling(false);
    expect(store.getState().signalling).toBe(false);
    f.events().onSignalling(true);
    store.getState().useAccount(null);
    expect(store.getState().signalling).toBe(false);
  });

  it('forwards a re-registration to the running phone only', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().reRegister();
    expect(f.log).toEqual([]);
    store.getState().useAccount(account);
    store.getState().reRegister();
    store.getState().useAccount({ ...account, password: 'y'.repeat(36) });
    store.getState().reRegister();
    store.getState().useAccount(null);
    store.getState().reRegister();
    expect(f.log).toEqual(['start xxx', 'reRegister xxx', 'stop xxx', 'start yyy', 'reRegister yyy', 'stop yyy']);
  });

  it('collects the tones the far end sends', () => {
    const { store, caller } = inCall();
    caller.receiveDtmf('1');
    caller.receiveDtmf('#');
    expect(store.getState().call?.dtmfReceived).toBe('1#');
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

describe('auto-answer', () => {
  it('answers a ringing call by itself after the agent’s seconds, and says when it will', () => {
    const f = fakePhone(() => true, { autoAnswer: () => 3 });
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '01012345678');
    f.events().onIncoming(caller.call);
    expect(store.getState().call).toMatchObject({ state: 'ringing', autoAnswerAt: 8_000 });
    f.time.advance(2_999);
    expect(caller.asked).toEqual([]);
    f.time.advance(1);
    expect(caller.asked).toEqual(['answer']);
    caller.to('connected');
    expect(store.getState().call).toMatchObject({ state: 'connected', autoAnswerAt: null, connectedAt: 8_000 });
  });

  it('leaves the call ringing when the agent answers themselves', () => {
    const f = fakePhone(() => true, { autoAnswer: () => null });
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '01012345678');
    f.events().onIncoming(caller.call);
    expect(store.getState().call?.autoAnswerAt).toBeNull();
    expect(f.time.pending()).toBe(0);
    f.time.advance(60_000);
    expect(caller.asked).toEqual([]);
    expect(store.getState().call?.state).toBe('ringing');
  });

  it('is cancelled when the agent answers first: the call is answered once', () => {
    const f = fakePhone(() => true, { autoAnswer: () => 5 });
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '01012345678');
    f.events().onIncoming(caller.call);
    f.time.advance(1_000);
    store.getState().answer();
    expect(f.time.pending()).toBe(0);
    f.time.advance(10_000);
    expect(caller.asked).toEqual(['answer']);
  });

  it('is cancelled when the caller hangs up first, or the agent rejects the call', () => {
    const f = fakePhone(() => true, { autoAnswer: () => 5 });
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const gone = fakeCall('incoming', '01012345678');
    f.events().onIncoming(gone.call);
    f.time.advance(2_000);
    gone.to('ended', 'Canceled');
    expect(store.getState().call).toMatchObject({ state: 'ended', endCause: 'Canceled', autoAnswerAt: null });
    expect(f.time.pending()).toBe(0);
    f.time.advance(10_000);
    expect(gone.asked).toEqual([]);

    store.getState().dismiss();
    const rejected = fakeCall('incoming', '01099998888');
    f.events().onIncoming(rejected.call);
    store.getState().hangup();
    expect(f.time.pending()).toBe(0);
    f.time.advance(10_000);
    expect(rejected.asked).toEqual(['hangup']);
  });
});

describe('DTMF', () => {
  it('sends only the dialable tones, upper-cased, and records the method used', () => {
    const { store, caller } = inCall();
    store.getState().sendDtmf(' 1-2 3x#*a ');
    expect(caller.asked).toEqual(['dtmf 123#*A']);
    expect(store.getState().call).toMatchObject({ dtmfSent: '123#*A', dtmfMethod: 'rfc4733' });
    store.getState().sendDtmf('9');
    expect(store.getState().call?.dtmfSent).toBe('123#*A9');
    store.getState().sendDtmf('xyz -');
    expect(caller.asked).toEqual(['dtmf 123#*A', 'dtmf 9']);
  });

  it('records SIP INFO when that is how the tones went, and nothing when they could not be sent', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const info = fakeCall('incoming', '0101', { dtmfMethod: 'info' });
    f.events().onIncoming(info.call);
    store.getState().answer();
    info.to('connected');
    store.getState().sendDtmf('5');
    expect(store.getState().call).toMatchObject({ dtmfSent: '5', dtmfMethod: 'info' });
    info.to('ended');
    store.getState().dismiss();

    const mute = fakeCall('incoming', '0102', { dtmfMethod: null });
    f.events().onIncoming(mute.call);
    store.getState().answer();
    mute.to('connected');
    store.getState().sendDtmf('5');
    expect(mute.asked).toEqual(['answer', 'dtmf 5']);
    expect(store.getState().call).toMatchObject({ dtmfSent: '', dtmfMethod: null });
  });

  it('sends nothing before the call is connected or after it ended', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().sendDtmf('1');
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '0101');
    f.events().onIncoming(caller.call);
    store.getState().sendDtmf('1');
    caller.to('ended');
    store.getState().sendDtmf('2');
    expect(caller.asked).toEqual([]);
    expect(store.getState().call).toMatchObject({ state: 'ended', dtmfSent: '' });
  });

  it('goes to the consulted party during a consultation, once that call is connected', () => {
    const { f, store, caller } = inCall();
    store.getState().startConsult('3511');
    const staff = f.placed[0] as FakeCall;
    caller.asked.length = 0;
    store.getState().sendDtmf('1');
    expect(staff.asked).toEqual([]);
    staff.to('connected');
    store.getState().sendDtmf('2');
    expect(staff.asked).toEqual(['dtmf 2']);
    expect(caller.asked).toEqual([]);
    expect(store.getState().consult).toMatchObject({ dtmfSent: '2', dtmfMethod: 'rfc4733' });
    expect(store.getState().call?.dtmfSent).toBe('');
  });
});

describe('blind transfer', () => {
  it('asks the far end to call the target, and ends the call once it was accepted', () => {
    const { f, store, caller } = inCall();
    store.getState().blindTransfer(' 3511 ');
    expect(caller.asked).toEqual(['transfer 3511']);
    expect(store.getState().transfer).toEqual({ kind: 'blind', target: '3511', state: 'pending' });
    // A second request while the first is pending is ignored.
    store.getState().blindTransfer('3512');
    expect(caller.asked).toEqual(['transfer 3511']);
    caller.transferResult('accepted');
    expect(caller.asked).toEqual(['transfer 3511', 'hangup']);
    expect(f.ended).toEqual([]);
    caller.to('ended', 'Terminated');
    expect(store.getState().call).toMatchObject({ state: 'ended' });
    expect(store.getState().transfer).toBeNull();
    expect(f.ended).toEqual(['ended']);
  });

  it('keeps the caller and shows the failure when the far end refused, and may try again', () => {
    const { f, store, caller } = inCall();
    store.getState().blindTransfer('3511');
    caller.transferResult('failed');
    expect(caller.asked).toEqual(['transfer 3511']);
    expect(store.getState().call?.state).toBe('connected');
    expect(store.getState().transfer).toEqual({ kind: 'blind', target: '3511', state: 'failed', reason: null });
    expect(f.ended).toEqual([]);
    store.getState().blindTransfer('3512');
    expect(caller.asked).toEqual(['transfer 3511', 'transfer 3512']);
    expect(store.getState().transfer).toEqual({ kind: 'blind', target: '3512', state: 'pending' });
  });

  it('is not offered before the call is connected, nor with an empty target', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    store.getState().blindTransfer('3511');
    const caller = fakeCall('incoming', '0101');
    f.events().onIncoming(caller.call);
    store.getState().blindTransfer('3511');
    store.getState().answer();
    caller.to('connected');
    store.getState().blindTransfer('   ');
    expect(caller.asked).toEqual(['answer']);
    expect(store.getState().transfer).toBeNull();
  });

  it('ignores a late answer about a call that already ended', () => {
    const { f, store, caller } = inCall();
    store.getState().blindTransfer('3511');
    caller.to('ended', 'Terminated');
    caller.transferResult('failed');
    caller.transferResult('accepted');
    expect(store.getState().transfer).toBeNull();
    expect(caller.asked).toEqual(['transfer 3511']);
    expect(f.ended).toEqual(['ended']);
  });
});

describe('attended transfer', () => {
  it('puts the caller on hold and dials the consulted party', () => {
    const { f, store, caller } = inCall();
    store.getState().startConsult(' 3511 ');
    expect(caller.asked).toEqual(['held true']);
    expect(f.log).toEqual(['start xxx', 'call 3511']);
    expect(store.getState().call).toMatchObject({ state: 'connected', held: true });
    expect(store.getState().consult).toMatchObject({ direction: 'outgoing', dialled: '3511', state: 'dialing' });
    expect(store.getState().transfer).toEqual({ kind: 'attended', target: '3511', state: 'consulting' });
    expect(store.getState().activeCalls()).toEqual([caller.call, (f.placed[0] as FakeCall).call]);
    // Only one consultation at a time; hold stays with the consultation.
    store.getState().startConsult('3512');
    store.getState().toggleHold();
    expect(f.log).toEqual(['start xxx', 'call 3511']);
    expect(caller.asked).toEqual(['held true']);
  });

  it('does not hold a caller twice who is on hold already, and needs a connected call', () => {
    const { store, caller } = inCall();
    store.getState().toggleHold();
    caller.asked.length = 0;
    store.getState().startConsult('3511');
    expect(caller.asked).toEqual([]);
    expect(store.getState().call?.held).toBe(true);

    const f = fakePhone();
    const ringing = createPhoneStore(f.deps);
    ringing.getState().useAccount(account);
    f.events().onIncoming(fakeCall('incoming', '0101').call);
    ringing.getState().startConsult('3511');
    expect(ringing.getState().consult).toBeNull();
    expect(f.log).toEqual(['start xxx']);
  });

  it('hands the caller over with the consultation call, then ends both legs and the call once', () => {
    const { f, store, caller, staff } = consulting();
    store.getState().completeTransfer();
    expect(caller.asked).toEqual(['transferTo 3511']);
    expect(caller.transfers[0]?.target).toBe(staff.call);
    expect(store.getState().transfer).toEqual({ kind: 'attended', target: '3511', state: 'completing' });
    // Pressing again while it completes asks nothing more.
    store.getState().completeTransfer();
    expect(caller.asked).toEqual(['transferTo 3511']);
    caller.transferResult('accepted');
    expect(caller.asked).toEqual(['transferTo 3511', 'hangup']);
    expect(staff.asked).toEqual(['hangup']);
    expect(store.getState().consult).toBeNull();
    staff.to('ended', 'Terminated');
    caller.to('ended', 'Terminated');
    expect(store.getState().call).toMatchObject({ state: 'ended' });
    expect(store.getState().transfer).toBeNull();
    expect(f.ended).toEqual(['ended']);
  });

  it('completes only once the consulted party answered', () => {
    const { f, store, caller } = inCall();
    store.getState().startConsult('3511');
    caller.asked.length = 0;
    store.getState().completeTransfer();
    expect(caller.asked).toEqual([]);
    expect(store.getState().transfer?.state).toBe('consulting');
    (f.placed[0] as FakeCall).to('connected');
    store.getState().completeTransfer();
    expect(caller.asked).toEqual(['transferTo 3511']);
  });

  it('keeps both legs and shows the failure when the caller’s side refused', () => {
    const { f, store, caller, staff } = consulting();
    store.getState().completeTransfer();
    caller.transferResult('failed');
    expect(store.getState().transfer).toEqual({ kind: 'attended', target: '3511', state: 'failed', reason: null });
    expect(store.getState().call).toMatchObject({ state: 'connected', held: true });
    expect(store.getState().consult).toMatchObject({ state: 'connected' });
    expect(caller.asked).toEqual(['transferTo 3511']);
    expect(staff.asked).toEqual([]);
    expect(f.ended).toEqual([]);
    // It may be tried again.
    store.getState().completeTransfer();
    expect(caller.asked).toEqual(['transferTo 3511', 'transferTo 3511']);
  });

  it('cancels the consultation: hangs up on the consulted party and takes the caller off hold', () => {
    const { f, store, caller, staff } = consulting();
    store.getState().cancelConsult();
    expect(staff.asked).toEqual(['hangup']);
    expect(caller.asked).toEqual(['held false']);
    expect(store.getState()).toMatchObject({ consult: null, transfer: null, call: { state: 'connected', held: false } });
    staff.to('ended', 'Terminated');
    expect(store.getState().call?.state).toBe('connected');
    expect(f.ended).toEqual([]);
  });

  it('makes the hang-up key end only the consultation', () => {
    const { f, store, caller, staff } = consulting();
    store.getState().hangup();
    expect(staff.asked).toEqual(['hangup']);
    expect(caller.asked).toEqual(['held false']);
    expect(store.getState().consult).toBeNull();
    expect(f.ended).toEqual([]);
    store.getState().hangup();
    expect(caller.asked).toEqual(['held false', 'hangup']);
  });

  it('leaves the caller on hold with the agent when the consulted party hangs up', () => {
    const { f, store, caller, staff } = consulting();
    staff.to('ended', 'Terminated');
    expect(store.getState().consult).toBeNull();
    expect(store.getState().call).toMatchObject({ state: 'connected', held: true });
    expect(caller.asked).toEqual([]);
    expect(f.ended).toEqual([]);
    // The agent takes the caller back.
    store.getState().toggleHold();
    expect(caller.asked).toEqual(['held false']);
  });

  it('lets the REFER settle a transfer whose consultation ended while it completed', () => {
    const { store, caller, staff } = consulting();
    store.getState().completeTransfer();
    // The staff phone ends the consultation once the caller's call replaced it...
    staff.to('ended', 'Terminated');
    expect(store.getState().consult).toBeNull();
    expect(store.getState().transfer).toMatchObject({ kind: 'attended', state: 'completing' });
    expect(store.getState().call?.state).toBe('connected');
    // ...or, when the REFER failed after all, the caller stays with the agent and the agent is told.
    caller.transferResult('failed');
    expect(store.getState().transfer).toMatchObject({ kind: 'attended', state: 'failed' });
    expect(caller.asked).toEqual(['transferTo 3511']);
  });

  it('goes on with the consulted party when the caller hangs up during the consultation', () => {
    const { f, store, caller, staff } = consulting();
    const consultId = store.getState().consult?.id;
    caller.to('ended', 'Terminated');
    expect(f.ended).toEqual([]);
    expect(store.getState().consult).toBeNull();
    expect(store.getState().transfer).toBeNull();
    expect(store.getState().call).toMatchObject({ id: consultId, dialled: '3511', state: 'connected', held: false });
    expect(store.getState().activeCalls()).toEqual([staff.call]);
    // Now the ordinary call: the hang-up key ends it, and that ends the agent's call.
    store.getState().hangup();
    expect(staff.asked).toEqual(['hangup']);
    staff.to('ended', 'Terminated');
    expect(store.getState().call).toMatchObject({ id: consultId, state: 'ended' });
    expect(f.ended).toEqual(['ended']);
  });
});

describe('calls that take another’s place', () => {
  it('answers a replacing call by itself in place of the current one; the old call’s end is not the end', () => {
    const { f, store, caller } = inCall();
    const oldId = store.getState().call?.id;
    f.time.advance(60_000);
    const replacing = fakeCall('incoming', '3511', { replacing: true });
    expect(f.events().onIncoming(replacing.call)).toBe(true);
    expect(replacing.asked).toEqual(['answer']);
    expect(store.getState().call).toMatchObject({ remote: { user: '3511' }, connectedAt: 5_000 });
    expect(store.getState().call?.id).not.toBe(oldId);
    expect(store.getState().activeCalls()).toEqual([replacing.call]);
    caller.to('ended', 'Terminated');
    expect(f.ended).toEqual([]);
    expect(store.getState().call?.remote.user).toBe('3511');
    replacing.to('connected');
    // The conversation goes on: its timer keeps counting from the first answer.
    expect(store.getState().call).toMatchObject({ state: 'connected', connectedAt: 5_000 });
    replacing.to('ended', 'Terminated');
    expect(f.ended).toEqual(['ended']);
  });

  it('answers a replacing call even when the agent does not take calls, but not without a call to replace', () => {
    let ready = true;
    const f = fakePhone(() => ready);
    const { store } = inCall(f);
    ready = false;
    const replacing = fakeCall('incoming', '3511', { replacing: true });
    expect(f.events().onIncoming(replacing.call)).toBe(true);
    expect(store.getState().call?.remote.user).toBe('3511');

    const idle = fakePhone(() => false);
    const other = createPhoneStore(idle.deps);
    other.getState().useAccount(account);
    const stray = fakeCall('incoming', '3511', { replacing: true });
    expect(idle.events().onIncoming(stray.call)).toBe(false);
    expect(stray.asked).toEqual([]);
  });

  it('tries a followed REFER’s call beside the current one, which it replaces once the transferring party lets go', () => {
    const { f, store, caller } = inCall();
    const next = fakeCall('outgoing', '2711', { dialled: '2711' });
    f.events().onTransferred(next.call);
    // The current call stays in view (and on the hang-up key) while the new one rings.
    expect(store.getState().call).toMatchObject({ direction: 'incoming', state: 'connected' });
    expect(store.getState().consult).toMatchObject({ direction: 'outgoing', dialled: '2711', state: 'dialing', referred: true });
    expect(store.getState().activeCalls()).toEqual([caller.call, next.call]);
    next.to('connected');
    caller.to('ended', 'Terminated');
    expect(f.ended).toEqual([]);
    expect(store.getState().call).toMatchObject({ dialled: '2711', state: 'connected', referred: true });
    expect(store.getState().consult).toBeNull();
    next.to('ended', 'Terminated');
    expect(f.ended).toEqual(['ended']);
  });

  it('keeps the current call when a followed REFER’s call fails, so the citizen can still talk or hang up', () => {
    const { f, store, caller } = inCall();
    const next = fakeCall('outgoing', '2711', { dialled: '2711' });
    f.events().onTransferred(next.call);
    next.to('ended', 'Busy');
    expect(store.getState().consult).toBeNull();
    expect(store.getState().call).toMatchObject({ direction: 'incoming', state: 'connected' });
    expect(store.getState().activeCalls()).toEqual([caller.call]);
    store.getState().hangup();
    expect(caller.asked).toEqual(['hangup']);
    caller.to('ended', 'Terminated');
    expect(f.ended).toEqual(['ended']);
  });
});

describe('call quality', () => {
  it('watches a call once it is connected, shows its reports, and stops watching when it ends', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '0101');
    f.events().onIncoming(caller.call);
    expect(f.watched).toEqual([]);
    store.getState().answer();
    caller.to('connected');
    caller.to('connected');
    expect(f.watched.map((w) => w.call)).toEqual([caller.call]);
    const w = f.watched[0];
    if (!w) throw new Error('not watched');
    w.report({ sample: good, degraded: false, deadAir: false });
    expect(store.getState().call).toMatchObject({ quality: good, qualityDegraded: false });
    w.report({ sample: poor, degraded: true, deadAir: false });
    expect(store.getState().call).toMatchObject({ quality: poor, qualityDegraded: true });
    // An interval without a sample keeps the last one shown.
    w.report({ sample: null, degraded: false, deadAir: false });
    expect(store.getState().call).toMatchObject({ quality: poor, qualityDegraded: false });
    expect(w.stopped).toBe(0);
    caller.to('ended', 'Terminated');
    expect(w.stopped).toBe(1);
  });

  it('stops watching a call that left the store before it ended', () => {
    const { f, store, staff } = consulting();
    const [callWatch, consultWatch] = f.watched;
    if (!callWatch || !consultWatch) throw new Error('not watched');
    expect(consultWatch.call).toBe(staff.call);
    consultWatch.report({ sample: poor, degraded: true, deadAir: false });
    expect(store.getState().consult).toMatchObject({ quality: poor, qualityDegraded: true });
    expect(store.getState().call?.quality).toBeNull();
    store.getState().cancelConsult();
    expect(consultWatch.stopped).toBe(0);
    staff.to('ended');
    expect(consultWatch.stopped).toBe(1);
    expect(callWatch.stopped).toBe(0);
  });

  it('reports into the call view once the consultation became the main call', () => {
    const { f, store, caller } = consulting();
    const consultWatch = f.watched[1];
    if (!consultWatch) throw new Error('not watched');
    caller.to('ended');
    consultWatch.report({ sample: good, degraded: false, deadAir: false });
    expect(store.getState().call).toMatchObject({ dialled: '3511', quality: good });
    expect(f.watched[0]?.stopped).toBe(1);
  });
});

describe('hold, as the media does it', () => {
  it('shows what the call does, not what was pressed: a second press during a pending offer changes nothing it cannot', () => {
    const { store, caller } = inCall();
    store.getState().toggleHold();
    expect(store.getState().call).toMatchObject({ held: true });
    // The hold's re-INVITE is still in flight: the resume is refused by the phone for now.
    caller.offerInFlight(true);
    store.getState().toggleHold();
    expect(caller.asked).toEqual(['held true', 'held false']);
    expect(store.getState().call).toMatchObject({ held: true });
    caller.offerInFlight(false);
    store.getState().toggleHold();
    expect(store.getState().call).toMatchObject({ held: false });
  });

  it('shows the far end holding the call', () => {
    const { store, caller } = inCall();
    caller.remoteHold(true);
    expect(store.getState().call).toMatchObject({ held: false, remoteHeld: true });
    caller.remoteHold(false);
    expect(store.getState().call).toMatchObject({ remoteHeld: false });
  });
});

describe('with the SIP server out of reach', () => {
  it('refuses hold, transfers and consultations (they would end the call), says why, and keeps the call', () => {
    const { f, store, caller } = inCall();
    f.events().onSignalling(false);
    store.getState().toggleHold();
    expect(store.getState().notice).toEqual({ kind: 'no-signalling', action: 'hold' });
    store.getState().blindTransfer('3511');
    expect(store.getState().notice).toEqual({ kind: 'no-signalling', action: 'transfer' });
    store.getState().startConsult('3511');
    expect(store.getState().notice).toEqual({ kind: 'no-signalling', action: 'consult' });
    expect(caller.asked).toEqual([]);
    expect(f.placed).toEqual([]);
    expect(store.getState()).toMatchObject({ transfer: null, call: { state: 'connected', held: false } });
    store.getState().dismissNotice();
    expect(store.getState().notice).toBeNull();
    // Back: the same key works.
    f.events().onSignalling(true);
    store.getState().toggleHold();
    expect(caller.asked).toEqual(['held true']);
  });

  it('refuses to complete a consultation too', () => {
    const { f, store, caller } = consulting();
    f.events().onSignalling(false);
    store.getState().completeTransfer();
    expect(store.getState().notice).toEqual({ kind: 'no-signalling', action: 'complete' });
    expect(caller.asked).toEqual([]);
    expect(store.getState().transfer).toMatchObject({ state: 'consulting' });
  });
});

describe('what became of a transfer', () => {
  it('gives up on a blind transfer nobody takes in the city’s time, keeping the caller; a late acceptance still hands them over', () => {
    const { f, store, caller } = inCall();
    store.getState().blindTransfer('3511');
    f.time.advance(29_000);
    expect(store.getState().transfer).toMatchObject({ state: 'pending' });
    f.time.advance(1_000);
    expect(store.getState().transfer).toEqual({ kind: 'blind', target: '3511', state: 'failed', reason: 'timeout' });
    expect(store.getState().call).toMatchObject({ state: 'connected', transferredTo: null });
    caller.transferResult('accepted');
    expect(store.getState().call).toMatchObject({ transferredTo: '3511' });
    expect(caller.asked).toEqual(['transfer 3511', 'hangup']);
  });

  it('notes where the caller went only once the other party took them', () => {
    const { store, caller } = inCall();
    store.getState().blindTransfer('3511');
    caller.transferResult('failed');
    expect(store.getState().call).toMatchObject({ transferredTo: null });
    store.getState().blindTransfer('3512');
    caller.transferResult('accepted');
    expect(store.getState().call).toMatchObject({ transferredTo: '3512' });
  });

  it('notes an attended transfer once completed, and tells the agent when the consulted party declines', () => {
    const { store, caller } = consulting();
    store.getState().completeTransfer();
    caller.transferResult('accepted');
    expect(store.getState().call).toMatchObject({ transferredTo: '3511' });

    const second = consulting();
    second.staff.to('ended', 'Busy');
    expect(second.store.getState().transfer).toEqual({ kind: 'attended', target: '3511', state: 'declined', reason: 'Busy' });
    expect(second.store.getState().call).toMatchObject({ held: true, transferredTo: null });
    // Resuming the caller answers it.
    second.store.getState().toggleHold();
    expect(second.store.getState()).toMatchObject({ transfer: null, call: { held: false } });
  });
});

describe('a ringing call and the agent’s state', () => {
  it('sends a ringing call on at once when the agent stops taking calls, and nothing else', () => {
    let ready = true;
    const f = fakePhone(() => ready);
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const ringing = fakeCall('incoming', '0101');
    f.events().onIncoming(ringing.call);
    store.getState().declineUnlessTaking();
    expect(ringing.asked).toEqual([]);
    ready = false;
    store.getState().declineUnlessTaking();
    expect(ringing.asked).toEqual(['hangup']);
    ringing.to('ended', 'Rejected');
    // A connected call is the agent's to finish, whatever their state.
    ready = true;
    const { store: other, caller } = inCall(fakePhone(() => ready));
    ready = false;
    other.getState().declineUnlessTaking();
    expect(caller.asked).toEqual([]);
  });
});

describe('dead air', () => {
  it('shows a call that carries no audio, and calls the caller back on their number', () => {
    const { f, store, caller } = inCall();
    f.watched[0]?.report({ sample: null, degraded: false, deadAir: true });
    expect(store.getState().call).toMatchObject({ deadAir: true });
    store.getState().callBack();
    expect(caller.asked).toEqual(['hangup']);
    caller.to('ended', 'Terminated');
    expect(f.log).toContain('call 01012345678');
    expect(store.getState().call).toMatchObject({ direction: 'outgoing', dialled: '01012345678', state: 'dialing', deadAir: false });
  });

  it('cannot call back a withheld number', () => {
    const f = fakePhone();
    const store = createPhoneStore(f.deps);
    store.getState().useAccount(account);
    const caller = fakeCall('incoming', '');
    f.events().onIncoming(caller.call);
    store.getState().answer();
    caller.to('connected');
    store.getState().callBack();
    expect(caller.asked).toEqual(['answer']);
    expect(f.placed).toEqual([]);
  });
});
