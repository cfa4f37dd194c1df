import JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { SipAccount } from '../../shared/auth';

export type RegistrationState =
  | { state: 'none' }
  | { state: 'registering' }
  | { state: 'registered'; as: string }
  | { state: 'failed'; reason: string }
  | { state: 'unregistered' };

export type CallState = 'ringing' | 'dialing' | 'connected' | 'ended';

export interface PhoneCall {
  direction: 'incoming' | 'outgoing';
  /** The other party as SIP says it: shown as text only, never as markup. */
  remote: { user: string; displayName: string | null };
  answer(): void;
  hangup(): void;
  setMuted(muted: boolean): void;
  setHeld(held: boolean): void;
  onState(listener: (state: CallState, reason?: string) => void): void;
  onRemoteStream(listener: (stream: MediaStream) => void): void;
}

export interface PhoneDriver {
  call(target: string): PhoneCall;
  stop(): void;
}

export interface PhoneEvents {
  onRegistration(state: RegistrationState): void;
  /** A new incoming call; return false to turn it away as busy. */
  onIncoming(call: PhoneCall): boolean;
}

// Loopback and the city's own network: no STUN or TURN to wait for.
const PC_CONFIG = { iceServers: [] } as RTCConfiguration;
const MEDIA = { audio: true, video: false };

function wrap(session: RTCSession): PhoneCall {
  const stateListeners: ((s: CallState, reason?: string) => void)[] = [];
  const streamListeners: ((s: MediaStream) => void)[] = [];
  const emit = (s: CallState, reason?: string) => stateListeners.forEach((l) => l(s, reason));
  const watchTracks = (pc: RTCPeerConnection) =>
    pc.addEventListener('track', (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      streamListeners.forEach((l) => l(stream));
    });
  if (session.connection) watchTracks(session.connection);
  else session.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => watchTracks(e.peerconnection));
  session.on('confirmed', () => emit('connected'));
  session.on('ended', (e: { cause?: string }) => emit('ended', e.cause));
  session.on('failed', (e: { cause?: string }) => emit('ended', e.cause));
  const identity = session.remote_identity;
  return {
    direction: session.direction === 'incoming' ? 'incoming' : 'outgoing',
    remote: { user: identity?.uri?.user ?? '', displayName: identity?.display_name || null },
    answer: () => session.answer({ mediaConstraints: MEDIA, pcConfig: PC_CONFIG }),
    hangup: () => {
      if (!session.isEnded()) session.terminate();
    },
    setMuted: (muted) => (muted ? session.mute({ audio: true }) : session.unmute({ audio: true })),
    setHeld: (held) => (held ? session.hold() : session.unhold()),
    onState: (l) => void stateListeners.push(l),
    onRemoteStream: (l) => void streamListeners.push(l),
  };
}

/**
 * The agent's phone over JsSIP: registers with the SIP server over WebSocket (JsSIP reconnects
 * the socket itself), reports registration changes, and hands over incoming calls.
 */
export function startPhone(account: SipAccount, events: PhoneEvents): PhoneDriver {
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
  events.onRegistration({ state: 'registering' });
  ua.on('registered', () => events.onRegistration({ state: 'registered', as: `${account.username}@${account.domain}` }));
  ua.on('unregistered', () => events.onRegistration({ state: 'unregistered' }));
  ua.on('registrationFailed', (e: { cause?: string }) => events.onRegistration({ state: 'failed', reason: e.cause ?? 'unknown' }));
  ua.on('disconnected', () => events.onRegistration({ state: 'failed', reason: JsSIP.C.causes.CONNECTION_ERROR }));
  ua.on('newRTCSession', (e: { originator: string; session: RTCSession }) => {
    if (e.originator !== 'remote') return;
    if (!events.onIncoming(wrap(e.session))) e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  });
  ua.start();
  return {
    call: (target) => wrap(ua.call(`sip:${target}@${account.domain}`, { mediaConstraints: MEDIA, pcConfig: PC_CONFIG })),
    stop: () => ua.stop(),
  };
}
