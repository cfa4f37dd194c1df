import JsSIP from 'jssip';
import type { SipAccount } from '../../shared/auth';

export type RegistrationState =
  | { state: 'none' }
  | { state: 'registering' }
  | { state: 'registered'; as: string }
  | { state: 'failed'; reason: string }
  | { state: 'unregistered' };

/**
 * Registers the agent's phone with the SIP server over WebSocket (JsSIP), reporting each change
 * of registration. JsSIP reconnects the WebSocket itself; this reports what the agent must know.
 */
export function register(account: SipAccount, onState: (s: RegistrationState) => void): { stop(): void } {
  JsSIP.debug.disable();
  const ua = new JsSIP.UA({
    uri: `sip:${account.username}@${account.domain}`,
    password: account.password,
    sockets: [new JsSIP.WebSocketInterface(account.wsUrl)],
    register: true,
    register_expires: 300,
    session_timers: false,
    user_agent: 'MinwonDesk',
  });
  onState({ state: 'registering' });
  ua.on('registered', () => onState({ state: 'registered', as: `${account.username}@${account.domain}` }));
  ua.on('unregistered', () => onState({ state: 'unregistered' }));
  ua.on('registrationFailed', (e: { cause?: string }) => onState({ state: 'failed', reason: e.cause ?? 'unknown' }));
  ua.on('disconnected', () => onState({ state: 'failed', reason: JsSIP.C.causes.CONNECTION_ERROR }));
  ua.start();
  return {
    stop: () => ua.stop(),
  };
}
