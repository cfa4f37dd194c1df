import { MAX_DESK_RECORDING_BYTES } from '../../shared/recording';
import type { CallMixer } from './call-mixer';

/** A desk's recording of one call, for the outbox (the consultation's record id is added there). */
export interface DeskRecording {
  id: string;
  /** The SIP Call-ID of the call recorded. */
  callId: string;
  startedAt: string;
  endedAt: string;
  mediaType: 'audio/webm';
  audio: Blob;
}

export interface CallRecorder {
  /** The far end's audio (again when the call's remote stream changes). */
  hear(remote: MediaStream): void;
  /** Stops and hands over the recording; null when nothing was recorded. Twice: the same answer. */
  stop(): Promise<DeskRecording | null>;
}

export interface CallRecorderOptions {
  /** The call's outgoing mix: what the far end hears (microphone, announcements, barge). */
  mixer: CallMixer;
  /** What the agent hears of the far end, when the call has it already. */
  remote: MediaStream | null;
  callId: string;
  doc: Document;
  now: () => Date;
  newId: () => string;
  /** The browser's MediaRecorder (a test's stand-in). */
  Recorder?: typeof MediaRecorder;
}

// Opus in WebM, the one format MediaRecorder writes in every Chromium; 32 kbit/s mono is clear
// speech, and keeps two hours of call under the upload limit.
const MIME = 'audio/webm;codecs=opus';
const BITS_PER_SECOND = 32_000;
/** Chunks as the call goes: the size is watched, and a stop never waits for one big buffer. */
const TIMESLICE_MS = 5_000;

/**
 * Records both sides of a call in the agent's page, mixed in WebAudio: what the far end hears
 * (the mixer's output after the hold gate: a conversation with a colleague while the citizen
 * waits on hold is not the citizen's call) and what the agent hears from the far end.
 */
export function startCallRecorder(o: CallRecorderOptions): CallRecorder {
  const ctx = o.mixer.context;
  const mix = ctx.createMediaStreamDestination();
  o.mixer.sent.connect(mix);
  // Chromium feeds a remote WebRTC stream into WebAudio only while a media element plays it: a
  // muted one of our own, so the recording never depends on the call card being on screen.
  const feed = o.doc.createElement('audio');
  feed.muted = true;
  feed.hidden = true;
  o.doc.body.append(feed);
  let far: MediaStreamAudioSourceNode | null = null;
  let heard: MediaStream | null = null;
  const hear = (remote: MediaStream) => {
    if (remote === heard) return;
    heard = remote;
    far?.disconnect();
    feed.srcObject = remote;
    void feed.play().catch(() => undefined);
    far = ctx.createMediaStreamSource(remote);
    far.connect(mix);
  };
  if (o.remote) hear(o.remote);

  const Recorder = o.Recorder ?? MediaRecorder;
  const recorder = new Recorder(mix.stream, { mimeType: Recorder.isTypeSupported(MIME) ? MIME : 'audio/webm', audioBitsPerSecond: BITS_PER_SECOND });
  const chunks: Blob[] = [];
  let bytes = 0;
  const startedAt = o.now().toISOString();
  let endedAt: string | null = null;
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
  recorder.addEventListener('dataavailable', (e) => {
    if (e.data.size === 0) return;
    chunks.push(e.data);
    bytes += e.data.size;
    // The upload limit, less the last chunk that stopping still writes: the recording ends here
    // (whole chunks: the file still plays to this point).
    if (bytes >= MAX_DESK_RECORDING_BYTES - (BITS_PER_SECOND / 8) * (TIMESLICE_MS / 1000) * 2) halt();
  });
  const halt = () => {
    if (recorder.state === 'inactive') return;
    endedAt = o.now().toISOString();
    recorder.stop();
  };
  recorder.start(TIMESLICE_MS);

  let result: Promise<DeskRecording | null> | null = null;
  return {
    hear,
    stop() {
      result ??= (async () => {
        halt();
        await stopped;
        far?.disconnect();
        // Already apart when the call's mixer closed first (it does as the call ends).
        try {
          o.mixer.sent.disconnect(mix);
        } catch {
          // not connected any more
        }
        mix.stream.getTracks().forEach((t) => t.stop());
        feed.srcObject = null;
        feed.remove();
        if (bytes === 0) return null;
        return {
          id: o.newId(),
          callId: o.callId,
          startedAt,
          endedAt: endedAt ?? o.now().toISOString(),
          mediaType: 'audio/webm' as const,
          audio: new Blob(chunks, { type: 'audio/webm' }),
        };
      })();
      return result;
    },
  };
}
