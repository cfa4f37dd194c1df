import { createStore } from 'zustand/vanilla';
import type { SipAccount } from '../../shared/auth';
import type { Timers } from '../../shared/rpc';
import type { CallQuality, QualityReport } from './call-quality';
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
  endReason: string | null;
  muted: boolean;
  held: boolean;
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
}

export type TransferView =
  | { kind: 'blind'; target: string; state: 'pending' | 'failed' }
  | { kind: 'attended'; target: string; state: 'consulting' | 'completing' | 'failed' };

export interface PhoneState {
  registration: RegistrationState;
  /** Whether the SIP signalling socket is up; a call keeps its audio while it is not. */
  signalling: boolean;
  call: CallView | null;
  /** The consultation call of an attended transfer, while the caller waits on hold. */
  consult: CallView | null;
  transfer: TransferView | null;
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
  /** The live call, for media device changes. */
  activeCalls(): PhoneCall[];
  /** The caller's call while connected, for a team lead to monitor. */
  monitoredCall(): MonitoredCall | null;
  /** A call outside the caller/consultation legs (a team lead monitoring an agent); null when not registered. */
  sideCall(target: string, headers: readonly string[]): PhoneCall | null;
}

export interface PhoneStoreDeps {
  startPhone: StartPhone;
  /** Whether the agent takes calls now (ready); otherwise callers get busy. */
  takesCalls: () => boolean;
  /** The agent's conversation (with any transfer) is over: after-call work begins. */
  onCallEnded: () => void;
  /** Seconds after which a ringing call is answered by itself, or null (the agent's choice). */
  autoAnswerSeconds: () => number | null;
  now: () => number;
  timers: Timers;
  /** Watches a connected call's quality; returns the function that stops watching. */
  monitorQuality(call: PhoneCall, report: (r: QualityReport) => void): () => void;
  /** Handles a team lead's monitoring INVITE (the agent's desk); without it such calls are refused. */
  onMonitor?: (invite: MonitorInvite) => void;
}

let nextId = 1;

const view = (call: PhoneCall, state: CallState): CallView => ({
  id: nextId++,
  direction: call.direction,
  remote: call.remote,
  dialled: call.dialled,
  callerNumber: call.callerNumber,
  ivr: call.ivr,
  handoff: call.handoff,
  state,
  endReason: null,
  muted: false,
  held: false,
  remoteStream: null,
  connectedAt: null,
  autoAnswerAt: null,
  dtmfSent: '',
  dtmfMethod: null,
  dtmfReceived: '',
  quality: null,
  qualityDegraded: false,
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

  return createStore<PhoneState>()((set, get) => {
    const patch = (leg: Leg, p: Partial<CallView>) => {
      const v = get()[leg];
      if (v) set({ [leg]: { ...v, ...p } });
    };
    const legOf = (call: PhoneCall): Leg | null => (legs.call === call ? 'call' : legs.consult === call ? 'consult' : null);

    const ended = (leg: Leg, reason: string | null) => {
      legs[leg] = null;
      if (leg === 'consult') {
        // The consulted party hung up or never answered: the caller is still on hold with the agent.
        // While completing, the consultation ends because the caller replaced it: the REFER's result settles it.
        set({ consult: null, transfer: get().transfer?.state === 'completing' ? get().transfer : null });
        return;
      }
      cancelAutoAnswer();
      const consult = legs.consult;
      if (consult) {
        // The caller left during the consultation: the agent goes on talking with the staff member.
        legs.call = consult;
        legs.consult = null;
        set({ call: get().consult, consult: null, transfer: null });
        return;
      }
      const talked = get().call?.connectedAt != null;
      patch('call', { state: 'ended', endReason: reason, autoAnswerAt: null });
      set({ transfer: null });
      // After-call work follows a conversation, not a declined, missed or unanswered call.
      if (talked) deps.onCallEnded();
    };

    const follow = (leg: Leg, call: PhoneCall, state: CallState) => {
      legs[leg] = call;
      set({ [leg]: view(call, state) });
      let unwatch: (() => void) | null = null;
      call.onState((s, reason) => {
        if (s === 'ended') unwatch?.();
        const at = legOf(call);
        if (!at) return;
        if (s === 'ended') return ended(at, reason ?? null);
        // A call that replaced ours (attended transfer to us) keeps the conversation's start time.
        patch(at, { state: s, ...(s === 'connected' ? { connectedAt: get()[at]?.connectedAt ?? deps.now(), autoAnswerAt: null } : {}) });
        if (s === 'connected' && !unwatch) {
          unwatch = deps.monitorQuality(call, (r) => {
            const now = legOf(call);
            if (now) patch(now, { quality: r.sample ?? get()[now]?.quality ?? null, qualityDegraded: r.degraded });
          });
        }
      });
      call.onRemoteStream((remoteStream) => {
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
      onTransferred: (call) => follow('call', call, 'dialing'),
      ...(deps.onMonitor ? { onMonitor: deps.onMonitor } : {}),
    };

    return {
      registration: { state: 'none' },
      signalling: false,
      call: null,
      consult: null,
      transfer: null,
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
        follow('call', current.driver.call(t, headers), 'dialing');
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
        if (!legs.call || !call || legs.consult) return;
        legs.call.setHeld(!call.held);
        patch('call', { held: !call.held });
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
        set({ transfer: { kind: 'blind', target: t, state: 'pending' } });
        const note = get().transferNote.trim();
        call.transfer(
          t,
          (result: TransferResult) => {
            if (legs.call !== call) return;
            if (result === 'accepted') return call.hangup();
            set({ transfer: { kind: 'blind', target: t, state: 'failed' } });
          },
          note || undefined,
        );
      },
      startConsult(target) {
        const t = target.trim();
        const call = get().call;
        if (!current || !legs.call || !call || !t || !live('call') || legs.consult) return;
        if (!call.held) {
          legs.call.setHeld(true);
          patch('call', { held: true });
        }
        set({ transfer: { kind: 'attended', target: t, state: 'consulting' } });
        const note = get().transferNote.trim();
        follow('consult', current.driver.call(t, note ? [handoffHeader(note)] : []), 'dialing');
      },
      completeTransfer() {
        const call = legs.call;
        const consult = legs.consult;
        const transfer = get().transfer;
        if (!call || !consult || !live('consult') || transfer?.kind !== 'attended' || transfer.state === 'completing') return;
        set({ transfer: { ...transfer, state: 'completing' } });
        call.transferTo(consult, (result) => {
          if (legs.call !== call) return;
          if (result === 'accepted') {
            // The consulted party's phone ends the consultation itself once the caller replaced it.
            legs.consult = null;
            set({ consult: null });
            consult.hangup();
            return call.hangup();
          }
          set({ transfer: { ...transfer, state: 'failed' } });
        });
      },
      cancelConsult() {
        const consult = legs.consult;
        const call = get().call;
        if (!consult) return;
        legs.consult = null;
        set({ consult: null, transfer: null });
        consult.hangup();
        if (legs.call && call?.held) {
          legs.call.setHeld(false);
          patch('call', { held: false });
        }
      },
      dismiss() {
        if (get().call?.state === 'ended') set({ call: null });
      },
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
    };
  });
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;
