import type { Announcement } from '../../shared/recording';
import type { CallState, DtmfMethod, PhoneCall, TransferResult } from '../../renderer/phone/sip-phone';

export interface FakeCallOptions {
  dialled?: string;
  replacing?: boolean;
  ivr?: string | null;
  /** The caller's name as SIP gives it (default: markup, which the UI must show as text). */
  displayName?: string | null;
  /** What sendDtmf answers (the method the far end negotiated, or null when it could not send). */
  dtmfMethod?: DtmfMethod | null;
  /** The SIP server marked the call as recorded by the gateway. */
  recordedByGateway?: boolean;
  callId?: string;
}

let calls = 0;

/** A call the test drives: it records what was asked of it, and the test plays the far end. */
export function fakeCall(direction: PhoneCall['direction'], user: string, o: FakeCallOptions = {}) {
  const asked: string[] = [];
  const stateListeners: ((s: CallState, reason?: string) => void)[] = [];
  const dtmfListeners: ((tone: string) => void)[] = [];
  const transfers: { target: string | PhoneCall; done: (result: TransferResult) => void }[] = [];
  /** Announcements asked for, in order: the test starts, finishes or fails each as the page's audio would. */
  const announcements: { name: Announcement; start(): void; finish(): void; fail(): void }[] = [];
  const holdListeners: ((h: { local: boolean; remote: boolean }) => void)[] = [];
  const hold = { local: false, remote: false };
  /** While true, a hold request is refused as JsSIP refuses one during another pending offer. */
  let offerPending = false;
  const setHold = (h: Partial<typeof hold>) => {
    Object.assign(hold, h);
    holdListeners.forEach((l) => l({ ...hold }));
  };
  const name = o.displayName === undefined ? '<b>홍길동</b>' : o.displayName;
  const call: PhoneCall = {
    direction,
    remote: { user, displayName: name },
    dialled: o.dialled ?? '0542708282',
    replacing: o.replacing ?? false,
    callerNumber: user,
    callerName: name,
    ivr: o.ivr ?? null,
    handoff: null,
    callId: o.callId ?? `fake-call-${++calls}@127.0.0.1`,
    recordedByGateway: o.recordedByGateway ?? false,
    answer: () => asked.push('answer'),
    hangup: () => asked.push('hangup'),
    setMuted: (m) => asked.push(`muted ${m}`),
    setHeld: (h) => {
      asked.push(`held ${h}`);
      // As JsSIP: the media changes at once unless another offer is in flight.
      if (!offerPending && hold.local !== h) setHold({ local: h });
    },
    hold: () => ({ ...hold }),
    onHold: (l) => void holdListeners.push(l),
    sendDtmf: (tones) => {
      asked.push(`dtmf ${tones}`);
      return o.dtmfMethod === undefined ? 'rfc4733' : o.dtmfMethod;
    },
    transfer: (target, done) => {
      asked.push(`transfer ${target}`);
      transfers.push({ target, done });
    },
    transferTo: (consult, done) => {
      asked.push(`transferTo ${consult.remote.user}`);
      transfers.push({ target: consult, done });
    },
    setMicrophone: async (deviceId) => void asked.push(`microphone ${deviceId}`),
    setMicrophoneGate: (open) => asked.push(`microphone gate ${open ? 'open' : 'closed'}`),
    playAnnouncement: (name, onStart) => {
      asked.push(`announce ${name}`);
      return new Promise<void>((resolve, reject) =>
        announcements.push({ name, start: () => onStart?.(), finish: resolve, fail: () => reject(new Error('no call audio')) }),
      );
    },
    mixer: () => null,
    stats: async () => null,
    onState: (l) => void stateListeners.push(l),
    onRemoteStream: () => {},
    onDtmf: (l) => void dtmfListeners.push(l),
    audioSender: () => null,
    sendMonitorInfo: () => {},
    onMonitorInfo: () => {},
  };
  return {
    call,
    asked,
    transfers,
    announcements,
    to: (s: CallState, reason?: string) => stateListeners.forEach((l) => l(s, reason)),
    receiveDtmf: (tone: string) => dtmfListeners.forEach((l) => l(tone)),
    /** The far end's answer to the latest transfer request. */
    transferResult: (r: TransferResult) => transfers[transfers.length - 1]?.done(r),
    /** The far end holds or resumes the call. */
    remoteHold: (remote: boolean) => setHold({ remote }),
    /** An offer is (or is no longer) in flight: hold requests are refused meanwhile. */
    offerInFlight: (pending: boolean) => (offerPending = pending),
  };
}

export type FakeCall = ReturnType<typeof fakeCall>;
