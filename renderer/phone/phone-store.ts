import { createStore } from 'zustand/vanilla';
import type { SipAccount } from '../../shared/auth';
import { totalWarnings, type Announcement, type EndReason, type RecordingSource, type Warnings } from '../../shared/recording';
import type { Timers } from '../../shared/rpc';
import type { CallQuality, QualityReport } from './call-quality';
import type { CallRecorder, DeskRecording } from './call-recorder';
import { isCitizenCall, isPublicNumber, recorderOf } from './recording-policy';
import { handoffHeader } from './handoff';
import type { MonitoredCall } from './monitor-desk';
import type { CallState, DtmfMethod, MonitorInvite, PhoneCall, PhoneDriver, PhoneEvents, RegistrationState, TransferResult } from './sip-phone';

export type StartPhone = (account: SipAccount, events: PhoneEvents) => PhoneDriver;

export interface CallView {
  /** Distinguishes one call from the next in the UI and in tests. */
  id: number;
  direction: PhoneCall['direction'];
  remote: PhoneCall['remote'];
  dialled: string;
  callerNumber: string;
  ivr: string | null;
  /** The note a transferring agent sent with this call. */
  handoff: string | null;
  state: CallState;
  /** Why the call ended, as SIP said ('Terminated', 'Busy', …): phone.causes in the UI. */
  endCause: string | null;
  /** The agent ended it under the abusive-caller protocol (폭언·욕설 종료). */
  endReason: EndReason | null;
  /** The SIP Call-ID. */
  sipCallId: string;
  /** Who records the call now (set once it connects): the gateway, this desk, or nobody (not a call with a citizen). */
  recording: RecordingSource | null;
  /** Warnings given to the caller: the recorded one played, and those the agent spoke and counted. */
  warnings: Warnings;
  /** The announcement playing into the call now (the far end hears it; the agent does not). */
  announcing: Announcement | null;
  muted: boolean;
  /** We hold the call, as the media does (not as the button was last pressed). */
  held: boolean;
  /** The far end holds the call (a citizen's phone, the PBX). */
  remoteHeld: boolean;
  remoteStream: MediaStream | null;
  /** When the call was answered (ms since the epoch), for its timer. */
  connectedAt: number | null;
  /** When a ringing call will be answered by itself (the agent's auto-answer), or null. */
  autoAnswerAt: number | null;
  dtmfSent: string;
  dtmfMethod: DtmfMethod | null;
  dtmfReceived: string;
  /** The latest interval's measured quality, and whether it stayed poor long enough to warn. */
  quality: CallQuality | null;
  qualityDegraded: boolean;
  /** No audio has arrived for a while though the call should be carrying it (a media path died). */
  deadAir: boolean;
  /** Where the call was handed over (the blind transfer was taken, or the attended one completed). */
  transferredTo: string | null;
  /** Placed on the far end's word (REFER): a practice phone following a transfer. */
  referred: boolean;
}

/** `reason`: why a transfer failed, as the far end or the clock said ('timeout': nobody took it in time). */
export type TransferView =
  | { kind: 'blind'; target: string; state: 'pending' }
  | { kind: 'blind'; target: string; state: 'failed'; reason: string | null }
  | { kind: 'attended'; target: string; state: 'consulting' | 'completing' }
  | { kind: 'attended'; target: string; state: 'failed'; reason: string | null }
  /** The consulted party hung up or never answered: the caller still waits on hold. */
  | { kind: 'attended'; target: string; state: 'declined'; reason: string | null };

/** Something the agent asked for that the phone could not do now, and why. */
export type PhoneNotice =
  | { kind: 'no-signalling'; action: 'hold' | 'transfer' | 'consult' | 'complete' }
  /** The announcement did not play (the recording notice: the agent says it in person). */
  | { kind: 'announcement-failed'; announcement: Announcement }
  /** The desk could not record a call it should have. */
  | { kind: 'not-recorded' };

export interface PhoneState {
  registration: RegistrationState;
  /** Whether the SIP signalling socket is up; a call keeps its audio while it is not. */
  signalling: boolean;
  call: CallView | null;
  /** The consultation call of an attended transfer, while the caller waits on hold. */
  consult: CallView | null;
  transfer: TransferView | null;
  notice: PhoneNotice | null;
  dismissNotice(): void;
  /** The note that goes with the next transfer or consultation, for the staff member who takes it. */
  transferNote: string;
  setTransferNote(note: string): void;
  /** (Re)registers with this account; a new account replaces the old registration. */
  useAccount(account: SipAccount | null): void;
  reRegister(): void;
  /** `headers`: extra SIP headers for the INVITE (the practice phone presents a caller id and an IVR choice). */
  dial(target: string, headers?: readonly string[]): void;
  answer(): void;
  hangup(): void;
  toggleMute(): void;
  toggleHold(): void;
  sendDtmf(tones: string): void;
  /** Blind transfer of the caller to `target`; the call ends once the far end took it. */
  blindTransfer(target: string): void;
  /** Attended transfer, step 1: the caller waits on hold while the agent calls `target`. */
  startConsult(target: string): void;
  /** Step 2: hand the caller over to the consulted party. */
  completeTransfer(): void;
  /** Or: end the consultation and go back to the caller. */
  cancelConsult(): void;
  /** Clears an ended call from view. */
  dismiss(): void;
  /** The agent stopped taking calls: a call still ringing goes on to the next agent at once. */
  declineUnlessTaking(): void;
  /** The call went silent (dead air): hang up and call the caller back on their number. */
  callBack(): void;
  /** Plays the recorded warning into the connected call (not on hold, not while an announcement plays); counted once it starts. */
  warn(): void;
  /** The agent warned the caller in their own words: counted with the played ones. */
  countSpokenWarning(): void;
  /** Ends the call under the protocol (폭언·욕설 종료), once the city's number of warnings was given. */
  endAbusive(): void;
  /** Warnings before the agent may end the call; null where the protocol does not apply (the practice phone). */
  warningLimit(): number | null;
  /** The live call, for media device changes. */
  activeCalls(): PhoneCall[];
  /** The caller's call while connected, for a team lead to monitor. */
  monitoredCall(): MonitoredCall | null;
  /** A call outside the caller/consultation legs (a team lead monitoring an agent); null when not registered. */
  sideCall(target: string, headers: readonly string[]): PhoneCall | null;
  /** Tells the SIP server the agent's state through this phone; false without a phone, or when it did not take it. */
  publishPresence(body: string): Promise<boolean>;
}

export interface PhoneStoreDeps {
  startPhone: StartPhone;
  /** Whether the agent takes calls now (ready); otherwise callers get busy. */
  takesCalls: () => boolean;
  /** The agent's conversation (with any transfer) is over: after-call work begins. */
  onCallEnded: () => void;
  /** Seconds after which a ringing call is answered by itself, or null (the agent's choice). */
  autoAnswerSeconds: () => number | null;
  /** How long a blind transfer may wait for the far end to take it (the city's setting). */
  transferTimeoutSeconds: () => number;
  now: () => number;
  timers: Timers;
  /** Watches a connected call's quality (and whether audio arrives while it should); returns the function that stops watching. */
  monitorQuality(call: PhoneCall, report: (r: QualityReport) => void): () => void;
  /** Handles a team lead's monitoring INVITE (the agent's desk); without it such calls are refused. */
  onMonitor?: (invite: MonitorInvite) => void;
  /** The abusive-caller protocol and call recording (an agent's desk); without it neither (the practice phone). */
  protection?: ProtectionDeps;
}

export interface ProtectionDeps {
  /** The city's number of warnings before the agent may end a call (setting protection.warningsBeforeEnd); 3 when absent. */
  warningsBeforeEnd?: () => number;
  /** Starts the desk's recording of a connected call; null when the call has no audio mix to record. */
  record(call: PhoneCall, remote: MediaStream | null): CallRecorder | null;
  /** A finished desk recording, from answer to hang-up. */
  onRecording(recording: DeskRecording): void;
}

/** The protocol's default, where the city has not set its own. */
export const DEFAULT_WARNINGS_BEFORE_END = 3;
const MAX_WARNINGS = 50;

let nextId = 1;

const view = (call: PhoneCall, state: CallState, referred = false): CallView => ({
  id: nextId++,
  direction: call.direction,
  remote: call.remote,
  dialled: call.dialled,
  callerNumber: call.callerNumber,
  ivr: call.ivr,
  handoff: call.handoff,
  state,
  endCause: null,
  endReason: null,
  sipCallId: call.callId,
  recording: null,
  warnings: { played: 0, spoken: 0 },
  announcing: null,
  muted: false,
  held: false,
  remoteHeld: false,
  remoteStream: null,
  connectedAt: null,
  autoAnswerAt: null,
  dtmfSent: '',
  dtmfMethod: null,
  dtmfReceived: '',
  quality: null,
  qualityDegraded: false,
  deadAir: false,
  transferredTo: null,
  referred,
});

type Leg = 'call' | 'consult';

/**
 * The phone's state for the UI: one caller at a time (plus, during an attended transfer, the
 * consultation call). An incoming call is offered only when the agent takes calls and is free;
 * otherwise it is turned away busy.
 */
export function createPhoneStore(deps: PhoneStoreDeps) {
  let current: { key: string; driver: PhoneDriver } | null = null;
  const legs: Record<Leg, PhoneCall | null> = { call: null, consult: null };
  let autoAnswer: unknown = null;
  const cancelAutoAnswer = () => {
    if (autoAnswer !== null) deps.timers.clearTimeout(autoAnswer);
    autoAnswer = null;
  };
  // The number to call once the current call has ended (the agent called a silent caller back).
  let callBackTo: string | null = null;
  let transferTimer: unknown = null;
  const cancelTransferTimer = () => {
    if (transferTimer !== null) deps.timers.clearTimeout(transferTimer);
    transferTimer = null;
  };
  const protection = deps.protection;
  // The desk's recordings in progress, by call (a call keeps its recorder whichever leg it is on).
  const recorders = new Map<PhoneCall, CallRecorder>();
  // Calls placed to a citizen's number whose microphone waits for the recording notice.
  const awaitingNotice = new WeakSet<PhoneCall>();
  const warningLimit = () => {
    if (!protection) return null;
    const n = protection.warningsBeforeEnd?.() ?? DEFAULT_WARNINGS_BEFORE_END;
    return Number.isInteger(n) && n >= 1 ? n : DEFAULT_WARNINGS_BEFORE_END;
  };
  const finishRecording = (call: PhoneCall) => {
    const recorder = recorders.get(call);
    if (!recorder || !protection) return;
    recorders.delete(call);
    void recorder.stop().then(
      (recording) => recording && protection.onRecording(recording),
      () => undefined,
    );
  };

  return createStore<PhoneState>()((set, get) => {
    const patch = (leg: Leg, p: Partial<CallView>) => {
      const v = get()[leg];
      if (v) set({ [leg]: { ...v, ...p } });
    };
    const legOf = (call: PhoneCall): Leg | null => (legs.call === call ? 'call' : legs.consult === call ? 'consult' : null);

    const ended = (leg: Leg, reason: string | null) => {
      legs[leg] = null;
      if (leg === 'consult') {
        const t = get().transfer;
        // While completing, the consultation ends because the caller replaced it: the REFER's result settles it.
        if (t?.state === 'completing') return set({ consult: null });
        // The consulted party hung up or never answered: the caller still waits on hold, and the agent is told.
        const declined: TransferView | null = t?.kind === 'attended' ? { kind: 'attended', target: t.target, state: 'declined', reason } : null;
        return set({ consult: null, transfer: declined });
      }
      cancelAutoAnswer();
      cancelTransferTimer();
      const consult = legs.consult;
      if (consult) {
        // The caller left during the consultation: the agent goes on talking with the staff member.
        legs.call = consult;
        legs.consult = null;
        set({ call: get().consult, consult: null, transfer: null });
        return;
      }
      const talked = get().call?.connectedAt != null;
      patch('call', { state: 'ended', endCause: reason, autoAnswerAt: null, deadAir: false, announcing: null });
      set({ transfer: null, notice: null });
      // After-call work follows a conversation, not a declined, missed or unanswered call.
      if (talked) deps.onCallEnded();
      const number = callBackTo;
      callBackTo = null;
      if (number) place(number);
    };

    /** Dials the caller's leg; a citizen's number hears the recording notice before the agent's microphone. */
    const place = (target: string, headers?: readonly string[]) => {
      if (!current) return;
      const call = current.driver.call(target, headers);
      if (protection && isPublicNumber(target)) {
        awaitingNotice.add(call);
        call.setMicrophoneGate(false);
      }
      follow('call', call, 'dialing');
    };

    /** A citizen's call connected: who records it, and a callback's notice before the agent speaks. */
    const protect = (call: PhoneCall) => {
      if (!protection || !isCitizenCall(call)) return;
      const by = recorderOf(call);
      if (by === 'desk') {
        const recorder = protection.record(call, get().call?.remoteStream ?? null);
        if (recorder) recorders.set(call, recorder);
        else set({ notice: { kind: 'not-recorded' } });
      }
      patch('call', { recording: recorders.has(call) || by === 'gateway' ? by : null });
      if (!awaitingNotice.has(call)) return;
      awaitingNotice.delete(call);
      patch('call', { announcing: 'recording-notice' });
      call
        .playAnnouncement('recording-notice')
        .catch(() => legs.call === call && set({ notice: { kind: 'announcement-failed', announcement: 'recording-notice' } }))
        .finally(() => {
          // Played, cut short or failed: the agent speaks now (a failure says to give the notice in person).
          call.setMicrophoneGate(true);
          if (legs.call === call) patch('call', { announcing: null });
        });
    };

    const follow = (leg: Leg, call: PhoneCall, state: CallState, referred = false) => {
      legs[leg] = call;
      set({ [leg]: view(call, state, referred) });
      // What the media does, whoever changed it (this desk, a retried wish, or the far end).
      call.onHold((h) => {
        const at = legOf(call);
        if (at) patch(at, { held: h.local, remoteHeld: h.remote });
      });
      let unwatch: (() => void) | null = null;
      let protecting = false;
      call.onState((s, reason) => {
        if (s === 'ended') {
          unwatch?.();
          finishRecording(call);
        }
        const at = legOf(call);
        if (!at) return;
        if (s === 'ended') return ended(at, reason ?? null);
        // A call that replaced ours (attended transfer to us) keeps the conversation's start time.
        patch(at, { state: s, ...(s === 'connected' ? { connectedAt: get()[at]?.connectedAt ?? deps.now(), autoAnswerAt: null } : {}) });
        // Recorded from the answer; only the citizen's leg (a consultation is with a colleague).
        if (s === 'connected' && at === 'call' && !protecting) {
          protecting = true;
          protect(call);
        }
        if (s === 'connected' && !unwatch) {
          unwatch = deps.monitorQuality(call, (r) => {
            const now = legOf(call);
            if (now) patch(now, { quality: r.sample ?? get()[now]?.quality ?? null, qualityDegraded: r.degraded, deadAir: r.deadAir });
          });
        }
      });
      call.onRemoteStream((remoteStream) => {
        recorders.get(call)?.hear(remoteStream);
        const at = legOf(call);
        if (at) patch(at, { remoteStream });
      });
      call.onDtmf((tone) => {
        const at = legOf(call);
        if (at) patch(at, { dtmfReceived: (get()[at]?.dtmfReceived ?? '') + tone });
      });
    };

    const ring = (call: PhoneCall) => {
      follow('call', call, 'ringing');
      const seconds = deps.autoAnswerSeconds();
      if (seconds === null) return;
      patch('call', { autoAnswerAt: deps.now() + seconds * 1000 });
      autoAnswer = deps.timers.setTimeout(() => {
        autoAnswer = null;
        get().answer();
      }, seconds * 1000);
    };

    const live = (leg: Leg) => get()[leg]?.state === 'connected' && legs[leg] !== null;

    const events: PhoneEvents = {
      onRegistration: (registration) => set({ registration }),
      onSignalling: (signalling) => set({ signalling }),
      onIncoming: (call) => {
        if (call.replacing && legs.call) {
          // The far end completed an attended transfer to us: the new call takes the old one's place.
          const old = get().call;
          follow('call', call, 'ringing');
          if (old) patch('call', { connectedAt: old.connectedAt });
          call.answer();
          return true;
        }
        if (legs.call || !deps.takesCalls()) return false;
        ring(call);
        return true;
      },
      // We followed the far end's REFER: the new call is tried beside the current one, which stays
      // until the transferring party ends it (it does once the new call is answered); if the new
      // call fails, the current one is still there to talk on or hang up.
      onTransferred: (call) => follow(legs.call ? 'consult' : 'call', call, 'dialing', true),
      ...(deps.onMonitor ? { onMonitor: deps.onMonitor } : {}),
    };

    return {
      registration: { state: 'none' },
      signalling: false,
      call: null,
      consult: null,
      transfer: null,
      notice: null,
      dismissNotice: () => set({ notice: null }),
      transferNote: '',
      setTransferNote: (transferNote) => set({ transferNote }),
      useAccount(account) {
        const key = account ? JSON.stringify(account) : '';
        if (current?.key === key) return;
        current?.driver.stop();
        current = null;
        if (!account) {
          set({ registration: { state: 'none' }, signalling: false });
          return;
        }
        current = { key, driver: deps.startPhone(account, events) };
      },
      reRegister() {
        current?.driver.reRegister();
      },
      dial(target, headers) {
        const t = target.trim();
        if (!current || legs.call || !t) return;
        place(t, headers);
      },
      answer() {
        cancelAutoAnswer();
        if (legs.call && get().call?.state === 'ringing') legs.call.answer();
      },
      hangup() {
        // During a consultation the hang-up key ends the consultation, not the caller's call.
        if (legs.consult) return get().cancelConsult();
        cancelAutoAnswer();
        legs.call?.hangup();
      },
      toggleMute() {
        const call = get().call;
        if (!legs.call || !call) return;
        legs.call.setMuted(!call.muted);
        patch('call', { muted: !call.muted });
      },
      toggleHold() {
        const call = get().call;
        if (!legs.call || !call || legs.consult || call.state !== 'connected') return;
        // A re-INVITE that cannot be sent ends the call in JsSIP: refuse, and keep the call.
        if (!get().signalling) return set({ notice: { kind: 'no-signalling', action: 'hold' } });
        legs.call.setHeld(!call.held);
        // Resuming answers a declined consultation's question.
        if (call.held && get().transfer?.state === 'declined') set({ transfer: null });
      },
      sendDtmf(tones) {
        const leg: Leg = legs.consult ? 'consult' : 'call';
        const call = legs[leg];
        const clean = tones.replace(/[^0-9*#A-D]/gi, '').toUpperCase();
        if (!call || !clean || !live(leg)) return;
        const method = call.sendDtmf(clean);
        if (method) patch(leg, { dtmfSent: (get()[leg]?.dtmfSent ?? '') + clean, dtmfMethod: method });
      },
      blindTransfer(target) {
        const t = target.trim();
        const call = legs.call;
        if (!call || !t || !live('call') || legs.consult || get().transfer?.state === 'pending') return;
        if (!get().signalling) return set({ notice: { kind: 'no-signalling', action: 'transfer' } });
        set({ transfer: { kind: 'blind', target: t, state: 'pending' } });
        const stillPending = () => {
          const now = get().transfer;
          return legs.call === call && now?.kind === 'blind' && now.state === 'pending' && now.target === t;
        };
        const failed = (reason: string | null) => {
          cancelTransferTimer();
          set({ transfer: { kind: 'blind', target: t, state: 'failed', reason } });
        };
        cancelTransferTimer();
        // Nobody took it in the city's time: the agent keeps the caller rather than wait on.
        transferTimer = deps.timers.setTimeout(() => {
          transferTimer = null;
          if (stillPending()) failed('timeout');
        }, deps.transferTimeoutSeconds() * 1000);
        const note = get().transferNote.trim();
        call.transfer(
          t,
          (result: TransferResult) => {
            if (legs.call !== call) return;
            // Taken, even after the agent was told it timed out: the caller is with the new party now.
            if (result === 'accepted') {
              cancelTransferTimer();
              patch('call', { transferredTo: t });
              return call.hangup();
            }
            if (stillPending()) failed(null);
          },
          note || undefined,
        );
      },
      startConsult(target) {
        const t = target.trim();
        const call = get().call;
        if (!current || !legs.call || !call || !t || !live('call') || legs.consult) return;
        if (!get().signalling) return set({ notice: { kind: 'no-signalling', action: 'consult' } });
        if (!call.held) legs.call.setHeld(true);
        set({ transfer: { kind: 'attended', target: t, state: 'consulting' } });
        const note = get().transferNote.trim();
        follow('consult', current.driver.call(t, note ? [handoffHeader(note)] : []), 'dialing');
      },
      completeTransfer() {
        const call = legs.call;
        const consult = legs.consult;
        const transfer = get().transfer;
        if (!call || !consult || !live('consult') || transfer?.kind !== 'attended' || transfer.state === 'completing') return;
        if (!get().signalling) return set({ notice: { kind: 'no-signalling', action: 'complete' } });
        const target = transfer.target;
        set({ transfer: { kind: 'attended', target, state: 'completing' } });
        call.transferTo(consult, (result) => {
          if (legs.call !== call) return;
          if (result === 'accepted') {
            // The consulted party's phone ends the consultation itself once the caller replaced it.
            legs.consult = null;
            set({ consult: null });
            patch('call', { transferredTo: target });
            consult.hangup();
            return call.hangup();
          }
          set({ transfer: { kind: 'attended', target, state: 'failed', reason: null } });
        });
      },
      cancelConsult() {
        const consult = legs.consult;
        const call = get().call;
        if (!consult) return;
        legs.consult = null;
        set({ consult: null, transfer: null });
        consult.hangup();
        if (legs.call && call?.held) legs.call.setHeld(false);
      },
      dismiss() {
        if (get().call?.state === 'ended') set({ call: null });
      },
      declineUnlessTaking() {
        const call = get().call;
        if (legs.call && call?.state === 'ringing' && call.direction === 'incoming' && !deps.takesCalls()) {
          cancelAutoAnswer();
          legs.call.hangup();
        }
      },
      callBack() {
        const call = get().call;
        const number = call?.callerNumber;
        if (!current || !legs.call || !call || !number || call.state !== 'connected' || legs.consult) return;
        callBackTo = number;
        legs.call.hangup();
      },
      warn() {
        const call = legs.call;
        const v = get().call;
        // The caller must hear it: not on hold (nor while a consultation keeps them there), not over another announcement.
        if (!protection || !call || v?.state !== 'connected' || v.announcing || v.held || v.remoteHeld || legs.consult) return;
        patch('call', { announcing: 'abuse-warning' });
        const mine = () => legs.call === call;
        call
          .playAnnouncement('abuse-warning', () => {
            const w = get().call?.warnings;
            if (mine() && w) patch('call', { warnings: { ...w, played: Math.min(MAX_WARNINGS, w.played + 1) } });
          })
          .catch(() => mine() && set({ notice: { kind: 'announcement-failed', announcement: 'abuse-warning' } }))
          .finally(() => mine() && patch('call', { announcing: null }));
      },
      countSpokenWarning() {
        const v = get().call;
        if (!protection || !legs.call || v?.state !== 'connected') return;
        patch('call', { warnings: { ...v.warnings, spoken: Math.min(MAX_WARNINGS, v.warnings.spoken + 1) } });
      },
      endAbusive() {
        const call = legs.call;
        const v = get().call;
        const limit = warningLimit();
        if (!call || v?.state !== 'connected' || limit === null || totalWarnings(v.warnings) < limit) return;
        patch('call', { endReason: 'abusive' });
        // The caller's call ends, not a consultation the agent may be in meanwhile.
        if (legs.consult) get().cancelConsult();
        call.hangup();
      },
      warningLimit,
      activeCalls: () => [legs.call, legs.consult].filter((c): c is PhoneCall => c !== null),
      monitoredCall() {
        const call = legs.call;
        const v = get().call;
        if (!call || v?.state !== 'connected') return null;
        return {
          call,
          remoteStream: v.remoteStream,
          onEnded: (listener) => call.onState((s) => s === 'ended' && listener()),
        };
      },
      sideCall: (target, headers) => current?.driver.call(target, headers) ?? null,
      publishPresence: (body) => current?.driver.publishPresence(body) ?? Promise.resolve(false),
    };
  });
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;
