import { describe, expect, it } from 'vitest';
import type { SipAccount } from '../../../../shared/auth';
import type { CallRecorder, DeskRecording } from '../../../../renderer/phone/call-recorder';
import { createPhoneStore, type PhoneStoreDeps, type ProtectionDeps } from '../../../../renderer/phone/phone-store';
import { isCitizenCall, isPublicNumber } from '../../../../renderer/phone/recording-policy';
import type { PhoneCall, PhoneEvents } from '../../../../renderer/phone/sip-phone';
import { fakeCall, type FakeCall, type FakeCallOptions } from '../../../helpers/fake-call';
import { manualClock } from '../../../helpers/manual-clock';

// The abusive-caller protocol and call recording in the phone store: which calls the desk
// records, the recording notice before a citizen hears the agent, the warnings and the end.

const account: SipAccount = { username: 'agent1', domain: '127.0.0.1', password: 'x'.repeat(36), wsUrl: 'ws://127.0.0.1:8088' };
const settle = () => new Promise((r) => setTimeout(r, 0));

function desk(o: { protection?: boolean; limit?: () => number; recordable?: boolean } = {}) {
  let events: PhoneEvents | null = null;
  const placed: FakeCall[] = [];
  const time = manualClock(5_000);
  /** Each recorder the store started: for which call, what it heard, and whether it was stopped. */
  const recorders: { call: PhoneCall; heard: (MediaStream | null)[]; stops: number; recording: DeskRecording }[] = [];
  const handed: DeskRecording[] = [];
  const ended: string[] = [];
  const protection: ProtectionDeps = {
    ...(o.limit ? { warningsBeforeEnd: o.limit } : {}),
    record: (call, remote) => {
      if (o.recordable === false) return null;
      const r = {
        call,
        heard: [remote],
        stops: 0,
        recording: { id: `rec-${recorders.length + 1}`, callId: call.callId, startedAt: '2026-05-04T01:00:00.000Z', endedAt: '2026-05-04T01:05:00.000Z', mediaType: 'audio/webm' as const, audio: new Blob(['x']) },
      };
      recorders.push(r);
      const recorder: CallRecorder = {
        hear: (s) => void r.heard.push(s),
        stop: async () => (r.stops++, r.recording),
      };
      return recorder;
    },
    onRecording: (recording) => void handed.push(recording),
  };
  const deps: PhoneStoreDeps = {
    startPhone: (_a, e) => {
      events = e;
      return {
        call: (t, headers) => {
          const c = fakeCall('outgoing', t, { dialled: t });
          c.asked.push(`placed ${t}${headers?.length ? ` ${headers.join(',')}` : ''}`);
          placed.push(c);
          return c.call;
        },
        reRegister: () => {},
        publishPresence: async () => true,
        stop: () => {},
      };
    },
    takesCalls: () => true,
    onCallEnded: () => void ended.push('ended'),
    autoAnswerSeconds: () => null,
    transferTimeoutSeconds: () => 30,
    now: time.now,
    timers: time.timers,
    monitorQuality: () => () => {},
    ...(o.protection === false ? {} : { protection }),
  };
  const store = createPhoneStore(deps);
  store.getState().useAccount(account);
  const ev = () => events as PhoneEvents;
  ev().onSignalling(true);
  /** A citizen calls and the agent answers. */
  const incoming = (user = '01012345678', co: FakeCallOptions = {}) => {
    const c = fakeCall('incoming', user, co);
    expect(ev().onIncoming(c.call)).toBe(true);
    store.getState().answer();
    c.to('connected');
    return c;
  };
  return { store, placed, recorders, handed, ended, incoming, events: ev };
}

describe('which calls are with a citizen', () => {
  it('takes public numbers as citizens’, and usernames, extensions, short codes and local numbers as not', () => {
    for (const n of ['01012345678', '010-1234-5678', '0542708282', '054-270-8282', '(02) 120-1234', '+821012345678', '+82 10 1234 5678']) expect(isPublicNumber(n), n).toBe(true);
    for (const n of ['agent2', 'lead1', '3511', '35112345', '2708282', '270-8282', '120', '112', '', '0', '01012', '010123456789012', 'sip:01012345678@x']) expect(isPublicNumber(n), n).toBe(false);
  });

  it('counts every incoming call (monitoring calls never reach the phone’s calls) and outgoing calls to public numbers', () => {
    expect(isCitizenCall({ direction: 'incoming', dialled: 'agent1' })).toBe(true);
    expect(isCitizenCall({ direction: 'outgoing', dialled: '01012345678' })).toBe(true);
    expect(isCitizenCall({ direction: 'outgoing', dialled: '3511' })).toBe(false);
  });
});

describe('the desk’s recording', () => {
  it('records a citizen’s call from the answer to the hang-up, both sides, and hands the recording over once', async () => {
    const d = desk();
    const c = fakeCall('incoming', '01012345678');
    d.events().onIncoming(c.call);
    // Ringing is not recorded.
    expect(d.recorders).toHaveLength(0);
    d.store.getState().answer();
    c.to('connected');
    expect(d.recorders).toHaveLength(1);
    expect(d.recorders[0]?.call).toBe(c.call);
    expect(d.store.getState().call).toMatchObject({ recording: 'desk', sipCallId: c.call.callId });
    c.to('ended', 'Terminated');
    c.to('ended', 'Terminated');
    await settle();
    expect(d.recorders[0]?.stops).toBe(1);
    expect(d.handed).toEqual([d.recorders[0]?.recording]);
    expect(d.handed[0]?.callId).toBe(c.call.callId);
  });

  it('gives the recorder the far end’s audio when it arrives after the answer', () => {
    const d = desk();
    const listeners: ((s: MediaStream) => void)[] = [];
    const c = fakeCall('incoming', '01012345678');
    c.call.onRemoteStream = (l) => void listeners.push(l);
    d.events().onIncoming(c.call);
    d.store.getState().answer();
    c.to('connected');
    const far = { id: 'far' } as unknown as MediaStream;
    listeners.forEach((l) => l(far));
    expect(d.recorders[0]?.heard).toEqual([null, far]);
  });

  it('leaves a call the gateway records to the gateway', async () => {
    const d = desk();
    const c = d.incoming('01012345678', { recordedByGateway: true });
    expect(d.recorders).toHaveLength(0);
    expect(d.store.getState().call?.recording).toBe('gateway');
    c.to('ended');
    await settle();
    expect(d.handed).toEqual([]);
  });

  it('records no call to a colleague, nor the consultation of an attended transfer, and nothing on a phone without the protocol', async () => {
    const d = desk();
    d.store.getState().dial('3511');
    const staff = d.placed[0] as FakeCall;
    staff.to('connected');
    expect(d.recorders).toHaveLength(0);
    expect(d.store.getState().call?.recording).toBeNull();
    expect(staff.asked).not.toContain('microphone gate closed');
    staff.to('ended');
    d.store.getState().dismiss();

    const caller = d.incoming();
    d.store.getState().startConsult('01099998888');
    const consult = d.placed[1] as FakeCall;
    consult.to('connected');
    // Only the caller's call: the consultation is neither recorded nor announced.
    expect(d.recorders.map((r) => r.call)).toEqual([caller.call]);
    expect(consult.asked.filter((a) => a.startsWith('announce') || a.startsWith('microphone gate'))).toEqual([]);

    const practice = desk({ protection: false });
    const c = practice.incoming();
    expect(practice.recorders).toHaveLength(0);
    expect(practice.store.getState().call?.recording).toBeNull();
    expect(practice.store.getState().warningLimit()).toBeNull();
    practice.store.getState().warn();
    expect(c.asked).not.toContain('announce abuse-warning');
  });

  it('tells the agent when a call that should be recorded cannot be', () => {
    const d = desk({ recordable: false });
    d.incoming();
    expect(d.store.getState().notice).toEqual({ kind: 'not-recorded' });
    expect(d.store.getState().call?.recording).toBeNull();
  });

  it('keeps recording the caller through a consultation the caller leaves, and hands it over when the caller hangs up', async () => {
    const d = desk();
    const caller = d.incoming();
    d.store.getState().startConsult('3511');
    (d.placed[0] as FakeCall).to('connected');
    caller.to('ended');
    await settle();
    expect(d.handed.map((r) => r.callId)).toEqual([caller.call.callId]);
    // The agent goes on with the staff member: not recorded.
    expect(d.recorders).toHaveLength(1);
  });
});

describe('the recording notice on a call to a citizen’s number', () => {
  it('holds the agent’s microphone back from the dial, plays the notice once connected, then opens it', async () => {
    const d = desk();
    d.store.getState().dial('010-1234-5678');
    const c = d.placed[0] as FakeCall;
    expect(c.asked).toEqual(['placed 010-1234-5678', 'microphone gate closed']);
    c.to('connected');
    // Recorded from the answer, the notice included.
    expect(d.recorders).toHaveLength(1);
    expect(c.asked.slice(2)).toEqual(['announce recording-notice']);
    expect(d.store.getState().call?.announcing).toBe('recording-notice');
    c.announcements[0]?.start();
    c.announcements[0]?.finish();
    await settle();
    expect(c.asked.slice(3)).toEqual(['microphone gate open']);
    expect(d.store.getState().call?.announcing).toBeNull();
    // The notice is not a warning.
    expect(d.store.getState().call?.warnings).toEqual({ played: 0, spoken: 0 });
  });

  it('plays it on a call the gateway records too, and opens the microphone (telling the agent) when it cannot play', async () => {
    const d = desk();
    d.store.getState().dial('+821012345678');
    const c = d.placed[0] as FakeCall;
    (c.call as { recordedByGateway: boolean }).recordedByGateway = true;
    c.to('connected');
    expect(d.recorders).toHaveLength(0);
    expect(c.asked).toContain('announce recording-notice');
    c.announcements[0]?.fail();
    await settle();
    expect(c.asked.at(-1)).toBe('microphone gate open');
    expect(d.store.getState().notice).toEqual({ kind: 'announcement-failed', announcement: 'recording-notice' });
    expect(d.store.getState().call?.announcing).toBeNull();
  });

  it('plays it on the call back after dead air', () => {
    const d = desk();
    const caller = d.incoming('01012345678');
    d.store.getState().callBack();
    caller.to('ended');
    const back = d.placed[0] as FakeCall;
    expect(back.asked).toEqual(['placed 01012345678', 'microphone gate closed']);
  });
});

describe('warnings and the end of an abusive call', () => {
  it('plays the warning into the connected call, counts it once it starts, and refuses another while it plays', async () => {
    const d = desk();
    const c = d.incoming();
    d.store.getState().warn();
    expect(c.asked).toContain('announce abuse-warning');
    expect(d.store.getState().call).toMatchObject({ announcing: 'abuse-warning', warnings: { played: 0, spoken: 0 } });
    d.store.getState().warn();
    expect(c.announcements).toHaveLength(1);
    c.announcements[0]?.start();
    expect(d.store.getState().call?.warnings).toEqual({ played: 1, spoken: 0 });
    c.announcements[0]?.finish();
    await settle();
    expect(d.store.getState().call?.announcing).toBeNull();
    d.store.getState().warn();
    expect(c.announcements).toHaveLength(2);
  });

  it('does not count a warning that could not play, and says so', async () => {
    const d = desk();
    const c = d.incoming();
    d.store.getState().warn();
    c.announcements[0]?.fail();
    await settle();
    expect(d.store.getState().call).toMatchObject({ announcing: null, warnings: { played: 0, spoken: 0 } });
    expect(d.store.getState().notice).toEqual({ kind: 'announcement-failed', announcement: 'abuse-warning' });
  });

  it('plays no warning to a caller on hold, nor before the call is answered', () => {
    const d = desk();
    const ringing = fakeCall('incoming', '01012345678');
    d.events().onIncoming(ringing.call);
    d.store.getState().warn();
    expect(ringing.announcements).toHaveLength(0);
    d.store.getState().answer();
    ringing.to('connected');
    d.store.getState().toggleHold();
    d.store.getState().warn();
    expect(ringing.announcements).toHaveLength(0);
    d.store.getState().toggleHold();
    ringing.remoteHold(true);
    d.store.getState().warn();
    expect(ringing.announcements).toHaveLength(0);
  });

  it('offers the end after the city’s number of warnings, played and spoken together, and ends the call for that reason', async () => {
    const d = desk();
    const c = d.incoming();
    expect(d.store.getState().warningLimit()).toBe(3);
    d.store.getState().warn();
    c.announcements[0]?.start();
    c.announcements[0]?.finish();
    await settle();
    d.store.getState().countSpokenWarning();
    // Two of three: not yet.
    d.store.getState().endAbusive();
    expect(c.asked).not.toContain('hangup');
    d.store.getState().countSpokenWarning();
    expect(d.store.getState().call?.warnings).toEqual({ played: 1, spoken: 2 });
    d.store.getState().endAbusive();
    expect(c.asked.at(-1)).toBe('hangup');
    c.to('ended', 'Terminated');
    // The reason and the count stay on the ended call, for the record.
    expect(d.store.getState().call).toMatchObject({ state: 'ended', endReason: 'abusive', endCause: 'Terminated', warnings: { played: 1, spoken: 2 } });
    expect(d.ended).toEqual(['ended']);
  });

  it('follows the city’s number, and ends the caller’s call (not the consultation) from a consultation', () => {
    const d = desk({ limit: () => 1 });
    const c = d.incoming();
    expect(d.store.getState().warningLimit()).toBe(1);
    d.store.getState().countSpokenWarning();
    d.store.getState().startConsult('3511');
    const staff = d.placed[0] as FakeCall;
    staff.to('connected');
    d.store.getState().endAbusive();
    expect(staff.asked).toContain('hangup');
    expect(c.asked).toContain('hangup');
    expect(d.store.getState().call?.endReason).toBe('abusive');
  });

  it('counts no spoken warning outside a connected call, and a new call starts from none', () => {
    const d = desk({ limit: () => 0 });
    // A city number that is no number falls back to the protocol's default.
    expect(d.store.getState().warningLimit()).toBe(3);
    d.store.getState().countSpokenWarning();
    const c = d.incoming();
    d.store.getState().countSpokenWarning();
    c.to('ended');
    d.store.getState().countSpokenWarning();
    expect(d.store.getState().call?.warnings).toEqual({ played: 0, spoken: 1 });
    d.store.getState().dismiss();
    d.incoming();
    expect(d.store.getState().call).toMatchObject({ warnings: { played: 0, spoken: 0 }, endReason: null });
  });

  it('clears what plays from an ended call, and keeps a cut warning from touching the next call', async () => {
    const d = desk();
    const c = d.incoming();
    d.store.getState().warn();
    c.to('ended');
    expect(d.store.getState().call?.announcing).toBeNull();
    d.store.getState().dismiss();
    const next = d.incoming();
    c.announcements[0]?.start();
    c.announcements[0]?.finish();
    await settle();
    expect(d.store.getState().call).toMatchObject({ warnings: { played: 0, spoken: 0 }, announcing: null });
    expect(next.announcements).toHaveLength(0);
  });
});
