import { createStore } from 'zustand/vanilla';
import type { SipAccount } from '../../shared/auth';
import type { CallState, PhoneCall, PhoneDriver, PhoneEvents, RegistrationState } from './sip-phone';

export type StartPhone = (account: SipAccount, events: PhoneEvents) => PhoneDriver;

export interface CallView {
  direction: PhoneCall['direction'];
  remote: PhoneCall['remote'];
  state: CallState;
  endReason: string | null;
  muted: boolean;
  held: boolean;
  remoteStream: MediaStream | null;
  /** When the call was answered (ms since the epoch), for its timer. */
  connectedAt: number | null;
}

export interface PhoneState {
  registration: RegistrationState;
  call: CallView | null;
  /** (Re)registers with this account; a new account replaces the old registration. */
  useAccount(account: SipAccount | null): void;
  dial(target: string): void;
  answer(): void;
  hangup(): void;
  toggleMute(): void;
  toggleHold(): void;
  /** Clears an ended call from view. */
  dismiss(): void;
}

export interface PhoneStoreDeps {
  startPhone: StartPhone;
  /** Whether the agent takes calls now (ready); otherwise callers get busy. */
  takesCalls: () => boolean;
  /** A call ended: the agent's after-call work begins. */
  onCallEnded: () => void;
  now: () => number;
}

/**
 * The phone's state for the UI: one call at a time. An incoming call is offered only when the
 * agent takes calls and has none; otherwise it is turned away busy.
 */
export function createPhoneStore({ startPhone, takesCalls, onCallEnded, now }: PhoneStoreDeps) {
  let current: { key: string; driver: PhoneDriver } | null = null;
  let active: PhoneCall | null = null;
  return createStore<PhoneState>()((set, get) => {
    const patch = (p: Partial<CallView>) => {
      const call = get().call;
      if (call) set({ call: { ...call, ...p } });
    };
    const track = (call: PhoneCall, state: CallState) => {
      active = call;
      set({ call: { direction: call.direction, remote: call.remote, state, endReason: null, muted: false, held: false, remoteStream: null, connectedAt: null } });
      call.onState((s, reason) => {
        if (active !== call) return;
        patch({ state: s, endReason: reason ?? null, ...(s === 'connected' ? { connectedAt: now() } : {}) });
        if (s === 'ended') {
          active = null;
          onCallEnded();
        }
      });
      call.onRemoteStream((remoteStream) => active === call && patch({ remoteStream }));
    };
    return {
      registration: { state: 'none' },
      call: null,
      useAccount(account) {
        const key = account ? JSON.stringify(account) : '';
        if (current?.key === key) return;
        current?.driver.stop();
        current = null;
        if (!account) {
          set({ registration: { state: 'none' } });
          return;
        }
        current = {
          key,
          driver: startPhone(account, {
            onRegistration: (registration) => set({ registration }),
            onIncoming: (call) => {
              if (active || !takesCalls()) return false;
              track(call, 'ringing');
              return true;
            },
          }),
        };
      },
      dial(target) {
        const t = target.trim();
        if (!current || active || !t) return;
        track(current.driver.call(t), 'dialing');
      },
      answer() {
        if (active && get().call?.state === 'ringing') active.answer();
      },
      hangup() {
        active?.hangup();
      },
      toggleMute() {
        const call = get().call;
        if (!active || !call) return;
        active.setMuted(!call.muted);
        patch({ muted: !call.muted });
      },
      toggleHold() {
        const call = get().call;
        if (!active || !call) return;
        active.setHeld(!call.held);
        patch({ held: !call.held });
      },
      dismiss() {
        if (get().call?.state === 'ended') set({ call: null });
      },
    };
  });
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;
