import { createStore } from 'zustand/vanilla';
import type { SipAccount } from '../../shared/auth';
import type { RegistrationState } from './sip-registration';

export type Register = (account: SipAccount, onState: (s: RegistrationState) => void) => { stop(): void };

export interface PhoneState {
  registration: RegistrationState;
  /** (Re)registers with this account; a new account replaces the old registration. */
  useAccount(account: SipAccount | null): void;
}

export function createPhoneStore(register: Register) {
  let current: { key: string; stop(): void } | null = null;
  return createStore<PhoneState>()((set) => ({
    registration: { state: 'none' },
    useAccount(account) {
      const key = account ? JSON.stringify(account) : '';
      if (current?.key === key) return;
      current?.stop();
      current = null;
      if (!account) {
        set({ registration: { state: 'none' } });
        return;
      }
      current = { key, ...register(account, (registration) => set({ registration })) };
    },
  }));
}

export type PhoneStore = ReturnType<typeof createPhoneStore>;
