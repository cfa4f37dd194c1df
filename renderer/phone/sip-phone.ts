import JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRequest } from 'jssip/lib/SIPMessage';
import type { SipAccount } from '../../shared/auth';
import { IVR_CHOICE, IVR_HEADER } from '../../shared/ivr';
import { MONITOR_GRANT_HEADER, MONITOR_INFO_TYPE, MONITOR_MODE_HEADER } from '../../shared/monitoring';
import { plainLine } from '../../shared/plain-text';
import { RECORDED_BY_GATEWAY, RECORDED_HEADER, type Announcement } from '../../shared/recording';
import type { CallAudio } from './call-audio';
import type { CallMixer } from './call-mixer';
import { microphoneConstraints } from './devices';
import { listenForDtmf } from './dtmf-in-band';
import { HANDOFF_HEADER, handoffHeader, MAX_HANDOFF, readHandoff } from './handoff';

export type RegistrationState =
  | { state: 'none' }
  | { state: 'registering' }
  | { state: 'registered'; as: string }
  | { state: 'failed'; reason: string }
  | { state: 'unregistered' };

export type CallState = 'ringing' | 'dialing' | 'connected' | 'ended';
export type DtmfMethod = 'rfc4733' | 'info';
export type TransferResult = 'accepted' | 'failed';

export interface PhoneCall {
  direction: 'incoming' | 'outgoing';
  /** The other party as SIP says it: shown as text only, never as markup. */
  remote: { user: string; displayName: string | null };
  /** Whom the caller dialled (the representative number, or this agent directly). */
  dialled: string;
  /** An incoming call that replaces one of ours (the far end completed an attended transfer to us). */
  replacing: boolean;
  /** The caller's number as the network asserts it (P-Asserted-Identity, else From); '' when withheld. */
  callerNumber: string;
  /** The caller's name as the network gives it (text, never markup), or null. */
  callerName: string | null;
  /** The caller's IVR menu choice, from the city PBX's X-Minwon-IVR header. */
  ivr: string | null;
  /** A transferring agent's note to whoever takes the call (X-Minwon-Handoff), as text. */
  handoff: string | null;
  /** The SIP Call-ID (the gateway files its recordings by it; a record names its calls by it). */
  readonly callId: string;
  /**
   * The gateway records this call (X-Minwon-Recorded: gateway on the incoming INVITE, or on the
   * 2xx that answered our call: so for an outgoing call, known once it is answered).
   */
  readonly recordedByGateway: boolean;
  /** Answers a ringing call once (again is a no-op), with a microphone the call owns. */
  answer(): void;
  /**
   * Ends the call. While the signalling socket is down the call goes quiet and ends here at once,
   * and the BYE follows when the socket is back (never lost, so the far end is not left waiting).
   */
  hangup(): void;
  setMuted(muted: boolean): void;
  /**
   * Asks for hold or resume; while an earlier change is still being negotiated, the latest wish is
   * applied when it settles. What the media does is `hold()`, and `onHold` says when it changes.
   */
  setHeld(held: boolean): void;
  /** Whether we hold the call (local) and whether the far end holds it (remote), as the media is now. */
  hold(): { local: boolean; remote: boolean };
  onHold(listener: (hold: { local: boolean; remote: boolean }) => void): void;
  /** Sends tones in the media (RFC 4733) when the far end negotiated it, else as SIP INFO. */
  sendDtmf(tones: string): DtmfMethod | null;
  /** Blind transfer: asks the far end to call `target` (REFER). */
  transfer(target: string, done: (result: TransferResult) => void, handoff?: string): void;
  /** Attended transfer: asks the far end to take over `consult`'s party (REFER with Replaces). */
  transferTo(consult: PhoneCall, done: (result: TransferResult) => void): void;
  /** Swaps the microphone in a live call. */
  setMicrophone(deviceId: string): Promise<void>;
  /**
   * Whether the microphone reaches the far end, apart from mute: closed while the recording notice
   * plays on a call to a citizen. Either way the microphone is open on the device.
   */
  setMicrophoneGate(open: boolean): void;
  /**
   * Plays an announcement into the call, heard by the far end only (never by the agent); `onStart`
   * once it starts. Resolves when it has played (or the call ended meanwhile); rejects when it
   * cannot play (no call audio, the clip did not load, the page's audio is held back).
   */
  playAnnouncement(name: Announcement, onStart?: () => void): Promise<void>;
  /** The call's outgoing mix (microphone + announcements + barge), for monitoring and recording; null without one. */
  mixer(): CallMixer | null;
  stats(): Promise<RTCStatsReport | null>;
  onState(listener: (state: CallState, reason?: string) => void): void;
  onRemoteStream(listener: (stream: MediaStream) => void): void;
  onDtmf(listener: (tone: string) => void): void;
  /** The RTP sender of the call's audio, for mixing (team-lead monitoring); null before media. */
  audioSender(): RTCRtpSender | null;
  /** Sends a monitoring control message in the dialog (SIP INFO). */
  sendMonitorInfo(body: string): void;
  /** Monitoring control messages from the far end. */
  onMonitorInfo(listener: (body: string) => void): void;
}

/** A team lead's monitoring call, held back from ringing until the desk decides. */
export interface MonitorInvite {
  /** Who is calling (the team lead's SIP user), as text. */
  lead: string;
  /** The grant token the INVITE carried, or null. */
  token: string | null;
  /** The mode asked for ('' when absent). */
  mode: string;
  call: PhoneCall;
  reject(status: 403 | 480 | 486, reason: string): void;
}

export interface PhoneDriver {
  /** `headers`: extra SIP headers for the INVITE (the practice phone's caller id and IVR choice). */
  call(target: string, headers?: readonly string[]): PhoneCall;
  /** Registers again now (network back, system woke up); JsSIP itself does so when its socket returns. */
  reRegister(): void;
  /** Tells the SIP server the agent's state (route PRESENCE of its configuration); true once it took it. */
  publishPresence(body: string): Promise<boolean>;
  /** Ends every call (a BYE each) and unregisters: the page is going away. */
  stop(): void;
}

export interface PhoneEvents {
  onRegistration(state: RegistrationState): void;
  /** Whether the signalling WebSocket is up; calls keep their media while it is not. */
  onSignalling(connected: boolean): void;
  /** A new incoming call; return false to turn it away as busy. */
  onIncoming(call: PhoneCall): boolean;
  /** We followed the far end's REFER (practice phones only): this call takes the current one's place. */
  onTransferred(call: PhoneCall): void;
  /** An INVITE that asks to monitor this desk's call; without a handler every such INVITE is refused 403. */
  onMonitor?(invite: MonitorInvite): void;
}

export interface PhoneOptions {
  /** The microphone to open for a call ('' for the system default). */
  microphone(): string;
  /** Stop waiting for ICE candidates this long after the first one: a dead STUN server must not stall a call. */
  iceGatheringCapMs?: number;
  /** Whether a REFER from the far end may be followed (a practice caller's phone does; agents' desks do not). */
  acceptRefer?: boolean;
  /** The city's choice: 'auto' sends RFC 4733 where negotiated (INFO otherwise), 'info' always INFO. */
  dtmfMethod?: () => 'auto' | 'info';
  /** Mixes each call's outgoing audio in the page (announcements, barge, recording); without it calls send the microphone as it is. */
  audio?: CallAudio;
}

const ICE_CAP_MS = 2_000;
/** The longest a phone waits between attempts to reach the SIP server again. */
const RECONNECT_MAX_S = 5;
/** How often a phone says it is alive on its signalling socket (the SIP server pings one silent for 4 s). */
const KEEPALIVE_MS = 2_000;

const media = (microphone: string): MediaStreamConstraints => ({ audio: microphoneConstraints(microphone), video: false });

// Only the STUN servers the city configures: on a city network there is rarely one at all.
const pcConfig = (account: SipAccount): RTCConfiguration => ({ iceServers: account.stunServers?.length ? [{ urls: [...account.stunServers] }] : [] });

/** Ends each round of ICE gathering (the first offer or answer, and any re-offer) `capMs` after its first candidate. */
function capIceGathering(session: RTCSession, capMs: number): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let round: (() => void) | null = null;
  session.on('icecandidate', (e: { ready: () => void }) => {
    // JsSIP hands each gathering round its own ready().
    if (e.ready === round) return;
    round = e.ready;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(e.ready, capMs);
  });
  const clear = () => timer !== null && clearTimeout(timer);
  session.on('ended', clear);
  session.on('failed', clear);
}

/**
 * Opens the microphone for a call and keeps every stream it opened, so that all of them are
 * stopped when the call ends: JsSIP drops a stream that arrives after the call was cancelled
 * without stopping it, which leaves the agent's microphone live (and the browser's indicator on).
 */
function microphoneLedger() {
  const streams: MediaStream[] = [];
  let closed = false;
  return {
    async open(deviceId: string): Promise<MediaStream> {
      const stream = await navigator.mediaDevices.getUserMedia(media(deviceId));
      streams.push(stream);
      // Arrived after the call ended: nobody will use it.
      if (closed) stream.getTracks().forEach((t) => t.stop());
      return stream;
    },
    close(others: readonly (MediaStreamTrack | null | undefined)[]) {
      closed = true;
      for (const t of [...streams.flatMap((x) => x.getTracks()), ...others]) t?.stop();
    },
  };
}

/** What the INVITE (or the dial) says about a call, beyond what JsSIP's session knows. */
type CallInfo = Pick<PhoneCall, 'dialled' | 'replacing' | 'callerNumber' | 'callerName' | 'ivr' | 'handoff' | 'callId' | 'recordedByGateway'>;

/** Whether a message carries the SIP server's mark that the gateway records the call. */
const gatewayRecords = (header: string | undefined) => (header ?? '').trim().toLowerCase() === RECORDED_BY_GATEWAY;

/** The Call-ID of a call we placed: JsSIP names a session by its Call-ID followed by its From tag. */
function outgoingCallId(session: RTCSession): string {
  const tag = String(session.local_identity?.getParam('tag') ?? '');
  return tag && session.id.endsWith(tag) ? session.id.slice(0, -tag.length) : session.id;
}


/**
 * Who is calling, as the network says: P-Asserted-Identity (set by the city's PBX or proxy, which
 * vouch for it) before From; withheld when the caller asked for privacy or is anonymous.
 */
function incomingInfo(request: IncomingRequest): CallInfo {
  const privacy = (request.getHeader('Privacy') ?? '').toLowerCase();
  let user = request.from?.uri?.user ?? '';
  let name: string | null = request.from?.display_name || null;
  const pai = request.getHeader('P-Asserted-Identity');
  if (pai) {
    // A malformed identity is ignored, not fatal: the call still rings, from its From.
    const parsed = JsSIP.NameAddrHeader.parse(pai) as { uri?: { user?: string }; display_name?: string } | undefined;
    if (parsed?.uri?.user) {
      user = parsed.uri.user;
      name = parsed.display_name || name;
    }
  }
  const withheld = /\bid\b|\buser\b/.test(privacy) || /^anonymous$/i.test(user);
  const ivr = (request.getHeader(IVR_HEADER) ?? '').trim().toLowerCase();
  return {
    dialled: request.to?.uri?.user ?? '',
    replacing: request.hasHeader('replaces'),
    callerNumber: withheld ? '' : user,
    callerName: withheld ? null : name,
    ivr: IVR_CHOICE.test(ivr) ? ivr : null,
    handoff: readHandoff(request.getHeader(HANDOFF_HEADER)),
    // JsSIP parses the Call-ID of every message but types it on outgoing requests only.
    callId: (request as IncomingRequest & { call_id?: string }).call_id ?? '',
    recordedByGateway: gatewayRecords(request.getHeader(RECORDED_HEADER)),
  };
}

type Follow = (session: RTCSession, info: CallInfo) => void;

/** What a call needs of the phone it belongs to. */
interface Line {
  account: SipAccount;
  o: PhoneOptions;
  followed: Follow;
  /** Whether the signalling socket is up now. */
  connected(): boolean;
  /** Runs `fn` once the signalling socket is up again and the far ends have had time to be back too. */
  whenBack(fn: () => void): void;
}

/** `mixed`: the call's outgoing audio goes through a mixer of the page's (not a monitoring leg, which monitor-mix feeds itself). */
function wrap(session: RTCSession, info: CallInfo, line: Line, mixed: boolean): PhoneCall {
  const { account, o, followed } = line;
  const stateListeners: ((s: CallState, reason?: string) => void)[] = [];
  const infoListeners: ((body: string) => void)[] = [];
  session.on('newInfo', (e: { originator: string; info: { contentType?: string; body?: string } }) => {
    if (e.originator === 'remote' && e.info.contentType === MONITOR_INFO_TYPE) infoListeners.forEach((l) => l(e.info.body ?? ''));
  });
  const streamListeners: ((s: MediaStream) => void)[] = [];
  const dtmfListeners: ((tone: string) => void)[] = [];
  const emit = (s: CallState, reason?: string) => stateListeners.forEach((l) => l(s, reason));
  let stopListening = () => {};
  const watchTracks = (pc: RTCPeerConnection) =>
    pc.addEventListener('track', (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      streamListeners.forEach((l) => l(stream));
      // Keys in the media (RFC 4733 through the gateway, or in-band): heard, not signalled.
      stopListening();
      stopListening = listenForDtmf(stream, (key) => dtmfListeners.forEach((l) => l(key)));
    });
  if (session.connection) watchTracks(session.connection);
  else session.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => watchTracks(e.peerconnection));
  capIceGathering(session, o.iceGatheringCapMs ?? ICE_CAP_MS);
  const microphone = microphoneLedger();
  const audioSender = () => session.connection?.getSenders().find((x) => x.track?.kind === 'audio') ?? null;
  const senderTracks = () => session.connection?.getSenders().map((x) => x.track) ?? [];
  // The microphone's own track. Mute and the notice's gate act on it, never on the sender's track:
  // with a mixer the sender's track carries the announcements too, which mute must not silence;
  // and JsSIP sets the sender's track enabled again when a hold ends. Held either way, the
  // microphone is off too (JsSIP's own rule), where it is the sender's track itself.
  let micTrack: MediaStreamTrack | null = null;
  let muted = false;
  let gateOpen = true;
  const applyMicrophone = () => {
    const held = session.isOnHold();
    if (micTrack) micTrack.enabled = !muted && gateOpen && !held.local && !held.remote;
  };
  let mix: CallMixer | null = null;
  // Our call's answer says whether the gateway records it (an incoming call's INVITE said so already).
  let recordedByGateway = info.recordedByGateway;
  session.on('accepted', (e: { originator: string; response?: { getHeader(name: string): string | undefined } }) => {
    if (e.originator === 'remote' && e.response) recordedByGateway = gatewayRecords(e.response.getHeader(RECORDED_HEADER));
  });
  // Ended here while the far end still has to be told (hangup with the signalling socket down).
  let endedLocally = false;
  const finish = (cause?: string) => {
    stopListening();
    mix?.close();
    microphone.close([...senderTracks(), micTrack]);
    if (!endedLocally) emit('ended', cause);
  };
  session.on('confirmed', () => emit('connected'));
  session.on('ended', (e: { cause?: string }) => finish(e.cause));
  session.on('failed', (e: { cause?: string }) => finish(e.cause));
  // Until JsSIP has its own microphone stream in the call (it emits 'connecting' then), it would
  // drop a stream that arrives after a hang-up without stopping it: an early hang-up waits for it.
  let hangupWhenConnecting = false;
  let connecting = session.direction === 'incoming';
  session.on('connecting', () => {
    connecting = true;
    if (hangupWhenConnecting && !session.isEnded()) return session.terminate();
    // The microphone is on the sender now, before any offer or answer: the mix takes its place
    // before a packet can flow, so a callback's notice is the first thing the citizen hears.
    const sender = audioSender();
    micTrack = sender?.track ?? null;
    applyMicrophone();
    if (o.audio && mixed && sender && micTrack && !mix) {
      const m = (mix = o.audio.mixer(micTrack));
      const send = () => void sender.replaceTrack(m.track).catch(() => undefined);
      // A context the browser holds suspended (no key press or click on this page yet) would send
      // silence: the microphone goes out as it is until the page's audio runs.
      if (m.context.state === 'running') send();
      else {
        const whenRunning = () => {
          if (m.context.state !== 'running') return;
          m.context.removeEventListener('statechange', whenRunning);
          if (!session.isEnded()) send();
        };
        m.context.addEventListener('statechange', whenRunning);
      }
    }
  });
  let answering = false;
  // Hold: the wish, applied when no other offer is in flight.
  let wantHeld: boolean | null = null;
  const holdListeners: ((h: { local: boolean; remote: boolean }) => void)[] = [];
  const holdState = () => {
    const h = session.isOnHold();
    return { local: h.local, remote: h.remote };
  };
  const applyHold = () => {
    if (wantHeld === null || session.isEnded() || !session.isEstablished()) return;
    if (holdState().local === wantHeld) return void (wantHeld = null);
    // Refused while another offer is pending: its completion (or the next tick) tries again.
    const started = wantHeld ? session.hold({}, applyHold) : session.unhold({}, applyHold);
    if (!started) setTimeout(applyHold, 250);
  };
  const onHoldChange = () => {
    const h = holdState();
    // What is held is not sent, announcements included (nor recorded as sent).
    mix?.setSending(!h.local && !h.remote);
    // JsSIP enables the sender's track again on resume: the microphone's own state stands.
    applyMicrophone();
    holdListeners.forEach((l) => l(h));
  };
  session.on('hold', onHoldChange);
  session.on('unhold', onHoldChange);
  // Keys signalled in the dialog (SIP INFO).
  session.on('newDTMF', (e: { originator: string; dtmf: { tone: string } }) => {
    if (e.originator === 'remote') dtmfListeners.forEach((l) => l(e.dtmf.tone));
  });
  // A REFER asks us to place a call on someone else's word: a desk never does; a practice phone
  // (standing in for the citizen's phone network) follows it, as a PBX would.
  session.on('refer', (e) => {
    if (!o.acceptRefer) return e.reject();
    // JsSIP parses Refer-To but does not type it.
    const referTo = (e.request as IncomingRequest & { refer_to?: { uri: { user?: string; getHeader(h: string): string[] | undefined } } }).refer_to?.uri;
    const target = referTo?.user ?? '';
    // The transferring agent's note travels on, as a phone network that keeps the header would.
    const note = readHandoff(referTo?.getHeader(HANDOFF_HEADER)?.[0]);
    const accept = e.accept as (init: (next: RTCSession) => void, options: object) => void;
    accept((next) => followed(next, { dialled: target, replacing: false, callerNumber: target, callerName: null, ivr: null, handoff: null, callId: outgoingCallId(next), recordedByGateway: false }), {
      mediaConstraints: media(o.microphone()),
      pcConfig: pcConfig(account),
      extraHeaders: note ? [handoffHeader(note)] : [],
    });
  });
  // The far end completes an attended transfer to us: the replacing call arrives as a new session.
  session.on('replaces', (e) => (e.accept as () => void)());
  const identity = session.remote_identity;
  const refer = (target: string, options: object, done: (r: TransferResult) => void) => {
    let settled = false;
    const settle = (r: TransferResult) => {
      if (settled) return;
      settled = true;
      done(r);
    };
    session.refer(target, {
      ...options,
      eventHandlers: { requestFailed: () => settle('failed'), accepted: () => settle('accepted'), failed: () => settle('failed') },
    });
  };
  return {
    direction: session.direction === 'incoming' ? 'incoming' : 'outgoing',
    // An incoming caller as the network asserts them (P-Asserted-Identity before From; '' when withheld).
    remote:
      session.direction === 'incoming'
        ? { user: info.callerNumber, displayName: info.callerName }
        : { user: identity?.uri?.user ?? '', displayName: identity?.display_name || null },
    ...info,
    get recordedByGateway() {
      return recordedByGateway;
    },
    answer: () => {
      if (answering || session.isEnded() || session.direction !== 'incoming') return;
      answering = true;
      microphone.open(o.microphone()).then(
        (stream) => {
          // The caller gave up while the microphone opened: the ledger stops it with the call.
          if (session.isEnded()) return;
          session.answer({ mediaStream: stream, pcConfig: pcConfig(account) });
        },
        () => !session.isEnded() && session.terminate({ status_code: 480, reason_phrase: 'Microphone Unavailable' }),
      );
    },
    hangup: () => {
      if (session.isEnded() || endedLocally) return;
      if (!connecting) return void (hangupWhenConnecting = true);
      if (session.isEstablished() && !line.connected()) {
        // The BYE cannot go now: silence the call both ways, end it for the agent, and tell the far end later.
        endedLocally = true;
        session.mute({ audio: true });
        session.connection?.getReceivers().forEach((r) => (r.track.enabled = false));
        stopListening();
        emit('ended', 'Terminated');
        line.whenBack(() => !session.isEnded() && session.terminate());
        return;
      }
      session.terminate();
    },
    setMuted: (on) => {
      muted = on;
      applyMicrophone();
    },
    setMicrophoneGate: (open) => {
      gateOpen = open;
      applyMicrophone();
    },
    async playAnnouncement(name, onStart) {
      const mixer = mix;
      if (!o.audio || !mixer || session.isEnded() || endedLocally) throw new Error('no call audio to play into');
      const clip = await o.audio.clip(name);
      if (session.isEnded() || endedLocally) return;
      await mixer.play(clip, onStart);
    },
    mixer: () => mix,
    setHeld: (held) => {
      wantHeld = held;
      applyHold();
    },
    hold: holdState,
    onHold: (l) => void holdListeners.push(l),
    sendDtmf(tones) {
      if (!session.isEstablished()) return null;
      const sender = session.connection?.getSenders().find((s) => s.track?.kind === 'audio');
      const negotiated = /telephone-event/i.test(session.connection?.remoteDescription?.sdp ?? '');
      const inMedia = o.dtmfMethod?.() !== 'info' && negotiated && !!sender?.dtmf?.canInsertDTMF;
      const method: DtmfMethod = inMedia ? 'rfc4733' : 'info';
      session.sendDTMF(tones, { transportType: method === 'rfc4733' ? JsSIP.C.DTMF_TRANSPORT.RFC2833 : JsSIP.C.DTMF_TRANSPORT.INFO });
      return method;
    },
    transfer: (target, done, handoff) =>
      // The note rides as a header of the Refer-To URI, for the phone that places the new call to copy.
      refer(`sip:${target}@${account.domain}${handoff ? `?${HANDOFF_HEADER}=${encodeURIComponent(handoff.slice(0, MAX_HANDOFF))}` : ''}`, {}, done),
    transferTo(consult, done) {
      const other = sessions.get(consult);
      if (!other) return done('failed');
      refer(other.remote_identity.uri.toString(), { replaces: other }, done);
    },
    async setMicrophone(deviceId) {
      const sender = audioSender();
      if (!sender) return;
      const stream = await microphone.open(deviceId);
      const track = stream.getAudioTracks()[0] as MediaStreamTrack;
      const old = micTrack;
      micTrack = track;
      applyMicrophone();
      mix?.setMicrophone(track);
      // The sender carries the microphone itself without a mix, or while the page's audio waits to run.
      if (sender.track !== mix?.track) await sender.replaceTrack(track);
      old?.stop();
    },
    stats: async () => (session.connection ? session.connection.getStats() : null),
    onState: (l) => void stateListeners.push(l),
    onRemoteStream: (l) => void streamListeners.push(l),
    onDtmf: (l) => void dtmfListeners.push(l),
    audioSender,
    sendMonitorInfo: (body) => {
      if (session.isEstablished()) session.sendInfo(MONITOR_INFO_TYPE, body);
    },
    onMonitorInfo: (l) => void infoListeners.push(l),
  };
}

// Which JsSIP session each wrapped call is, for attended transfer (REFER with Replaces).
const sessions = new WeakMap<PhoneCall, RTCSession>();

function track(session: RTCSession, info: CallInfo, line: Line, mixed = true): PhoneCall {
  const call = wrap(session, info, line, mixed);
  sessions.set(call, session);
  return call;
}

// Where desks tell the SIP server their agent's state (resources/kamailio/kamailio.cfg, route PRESENCE).
const PRESENCE_USER = 'presence';
const PRESENCE_CONTENT_TYPE = 'application/x-minwon-presence';

// Desks put their username in their Contact: the SIP server can then find a desk's current
// connection for in-dialog requests after either side reconnected (resources/kamailio/kamailio.cfg).
const contactUri = (account: SipAccount) => `sip:${account.username}@${Math.random().toString(36).slice(2, 12)}.invalid;transport=ws`;

/**
 * The agent's phone over JsSIP: registers with the SIP server over WebSocket (JsSIP reconnects
 * the socket itself and registers again when it is back), reports registration and signalling
 * changes, and hands over incoming calls.
 */
export function startPhone(account: SipAccount, events: PhoneEvents, o: PhoneOptions): PhoneDriver {
  JsSIP.debug.disable();
  const socket = new JsSIP.WebSocketInterface(account.wsUrl);
  const ua = new JsSIP.UA({
    uri: `sip:${account.username}@${account.domain}`,
    // Validated as one line already; cleaned again here, where it becomes a SIP header.
    ...(account.displayName ? { display_name: plainLine(account.displayName) } : {}),
    password: account.password,
    sockets: [socket],
    contact_uri: contactUri(account),
    register: true,
    // What we ask for; JsSIP re-registers by the Expires the server grants.
    register_expires: 300,
    session_timers: false,
    // Back within seconds of the SIP server returning, not JsSIP's default of up to 30.
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: RECONNECT_MAX_S,
    user_agent: 'MinwonDesk',
  });
  const waitingForSocket: (() => void)[] = [];
  const line: Line = {
    account,
    o,
    followed: (session, info) => events.onTransferred(track(session, info, line)),
    connected: () => ua.isConnected(),
    whenBack: (fn) => void waitingForSocket.push(fn),
  };
  let stopping = false;
  let lastRegister = 0;
  const register = () => {
    // Once per second at most: 'online', wake-up and a server's unregister may come together.
    if (stopping || !ua.isConnected() || Date.now() - lastRegister < 1_000) return;
    lastRegister = Date.now();
    ua.register();
  };
  events.onRegistration({ state: 'registering' });
  ua.on('connected', () => {
    events.onSignalling(true);
    // A BYE that waited for the socket goes once the other party's phone, which lost the SIP
    // server too, has reconnected (within the same recovery interval) and can be found again.
    const waiting = waitingForSocket.splice(0);
    if (waiting.length) setTimeout(() => waiting.forEach((fn) => fn()), RECONNECT_MAX_S * 1000);
  });
  ua.on('registered', () => events.onRegistration({ state: 'registered', as: `${account.username}@${account.domain}` }));
  ua.on('unregistered', () => {
    events.onRegistration({ state: 'unregistered' });
    // Not ours to drop: the server let the registration go; take it back.
    if (!stopping) setTimeout(register, 1_000);
  });
  ua.on('registrationFailed', (e: { cause?: string }) => events.onRegistration({ state: 'failed', reason: e.cause ?? 'unknown' }));
  ua.on('disconnected', () => {
    events.onSignalling(false);
    events.onRegistration({ state: 'failed', reason: JsSIP.C.causes.CONNECTION_ERROR });
  });
  ua.on('newRTCSession', (e: { originator: string; session: RTCSession; request: IncomingRequest }) => {
    if (e.originator !== 'remote') return;
    const info = incomingInfo(e.request);
    if (e.request.hasHeader(MONITOR_GRANT_HEADER) || e.request.hasHeader(MONITOR_MODE_HEADER)) {
      const refuse = (status: number, reason: string) => !e.session.isEnded() && e.session.terminate({ status_code: status, reason_phrase: reason });
      if (!events.onMonitor) return refuse(403, 'Forbidden');
      events.onMonitor({
        lead: e.request.from?.uri?.user ?? '',
        token: e.request.getHeader(MONITOR_GRANT_HEADER) ?? null,
        mode: (e.request.getHeader(MONITOR_MODE_HEADER) ?? '').trim(),
        // Its sender carries agent + caller, as monitor-mix makes them: no mix of its own.
        call: track(e.session, info, line, false),
        reject: refuse,
      });
      return;
    }
    if (!events.onIncoming(track(e.session, info, line))) e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  });
  ua.start();
  // A CRLF keep-alive (RFC 5626, answered by the SIP server): a page that is alive keeps saying so,
  // and the SIP server ends the calls of one that falls silent (resources/kamailio/kamailio.cfg).
  const keepAlive = setInterval(() => ua.isConnected() && socket.send('\r\n\r\n'), KEEPALIVE_MS);
  return {
    call: (target, headers = []) => {
      const session = ua.call(`sip:${target}@${account.domain}`, { mediaConstraints: media(o.microphone()), pcConfig: pcConfig(account), extraHeaders: [...headers] });
      return track(session, { dialled: target, replacing: false, callerNumber: target, callerName: null, ivr: null, handoff: null, callId: outgoingCallId(session), recordedByGateway: false }, line);
    },
    reRegister: register,
    publishPresence: (body) =>
      new Promise((resolve) => {
        if (stopping || !ua.isConnected()) return resolve(false);
        ua.sendMessage(`sip:${PRESENCE_USER}@${account.domain}`, body, {
          contentType: PRESENCE_CONTENT_TYPE,
          eventHandlers: { succeeded: () => resolve(true), failed: () => resolve(false) },
        });
      }),
    stop: () => {
      stopping = true;
      clearInterval(keepAlive);
      ua.stop();
    },
  };
}
