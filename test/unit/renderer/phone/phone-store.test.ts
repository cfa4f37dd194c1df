import { describe, expect, it } from 'vitest';
import type { SipAccount } from '../../../../shared/auth';
import { createPhoneStore, type Register } from '../../../../renderer/phone/phone-store';
import type { RegistrationState } from '../../../../renderer/phone/sip-registration';

const account: SipAccount = { username: 'agent1', domain: '127.0.0.1', password: 'x'.repeat(36), wsUrl: 'ws://127.0.0.1:8088' };

function fakeRegister() {
  const log: string[] = [];
  let report: (s: RegistrationState) => void = () => {};
  const register: Register = (a, onState) => {
    log.push(`start ${a.password.slice(0, 3)}`);
    report = onState;
    onState({ state: 'registering' });
    return { stop: () => log.push(`stop ${a.password.slice(0, 3)}`) };
  };
  return { register, log, report: (s: RegistrationState) => report(s) };
}

describe('the phone store', () => {
  it('registers with the account, once, and follows the registration', () => {
    const f = fakeRegister();
    const store = createPhoneStore(f.register);
    expect(store.getState().registration).toEqual({ state: 'none' });
    store.getState().useAccount(account);
    store.getState().useAccount({ ...account });
    expect(f.log).toEqual(['start xxx']);
    f.report({ state: 'registered', as: 'agent1@127.0.0.1' });
    expect(store.getState().registration).toEqual({ state: 'registered', as: 'agent1@127.0.0.1' });
    f.report({ state: 'failed', reason: 'Authentication Error' });
    expect(store.getState().registration).toMatchObject({ state: 'failed', reason: 'Authentication Error' });
  });

  it('re-registers when the account changes, and stops without one', () => {
    const f = fakeRegister();
    const store = createPhoneStore(f.register);
    store.getState().useAccount(account);
    store.getState().useAccount({ ...account, password: 'y'.repeat(36) });
    store.getState().useAccount(null);
    expect(f.log).toEqual(['start xxx', 'stop xxx', 'start yyy', 'stop yyy']);
    expect(store.getState().registration).toEqual({ state: 'none' });
  });
});
