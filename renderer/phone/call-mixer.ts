/**
 * What one call sends to the far end, mixed in the agent's page: the microphone, the
 * announcements the desk plays (the abusive-caller warning, the recording notice) and, in barge,
 * the team lead. Nothing here is ever connected to the context's own output (the page's speaker):
 * the agent hears the far end through the call's audio element only, so an announcement reaches
 * the caller and never the agent's headset.
 *
 *   microphone ─┐
 *               ├─ agentSide ─┐
 *   clips ──────┘             ├─ toFarEnd ─ sendGate ─┬─ track (the call's RTP sender)
 *   (barge: team lead) ───────┘                       └─ sent (the desk's recorder taps it)
 */
export interface CallMixer {
  readonly context: AudioContext;
  /** The microphone and the announcements: what the agent's side says (a monitoring team lead hears it). */
  readonly agentSide: AudioNode;
  /** Everything bound for the far end joins here (the team lead's voice in barge). */
  readonly toFarEnd: AudioNode;
  /** What the far end actually gets: silent while the call is on hold. */
  readonly sent: AudioNode;
  /** The track the call's sender sends. */
  readonly track: MediaStreamTrack;
  /** Swaps the microphone (a device change); its mute state is the track's `enabled`. */
  setMicrophone(track: MediaStreamTrack): void;
  /** Whether audio goes to the far end now (not while the call is held either way). */
  setSending(on: boolean): void;
  /**
   * Plays `clip` into the far end's mix: `onStart` once its first sample is scheduled; resolves when
   * it has played to the end or was stopped by close(). Rejects when the page's audio cannot run.
   */
  play(clip: AudioBuffer, onStart?: () => void): Promise<void>;
  /** The call ended: stops what plays and takes the mix apart (the context is the page's, and stays). */
  close(): void;
}

/** How long the page's audio may take to start running before a clip is refused (autoplay policy). */
const RESUME_MS = 2_000;

/** Resolves once `ctx` runs; rejects if the browser keeps it suspended (no user activation yet). */
export async function running(ctx: AudioContext, ms = RESUME_MS): Promise<void> {
  if (ctx.state === 'running') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      ctx.resume(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`page audio ${ctx.state}`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  // Read again: resume() settled, and the state may have changed under TypeScript's narrowing.
  const state = ctx.state as AudioContextState;
  if (state !== 'running') throw new Error(`page audio ${state}`);
}

export function createCallMixer(ctx: AudioContext, microphone: MediaStreamTrack): CallMixer {
  const agentSide = ctx.createGain();
  const toFarEnd = ctx.createGain();
  const sendGate = ctx.createGain();
  const out = ctx.createMediaStreamDestination();
  agentSide.connect(toFarEnd).connect(sendGate).connect(out);
  let mic: MediaStreamAudioSourceNode | null = null;
  const useMicrophone = (track: MediaStreamTrack) => {
    mic?.disconnect();
    mic = ctx.createMediaStreamSource(new MediaStream([track]));
    mic.connect(agentSide);
  };
  useMicrophone(microphone);
  const playing = new Set<AudioBufferSourceNode>();
  let closed = false;
  return {
    context: ctx,
    agentSide,
    toFarEnd,
    sent: sendGate,
    track: out.stream.getAudioTracks()[0] as MediaStreamTrack,
    setMicrophone: (track) => !closed && useMicrophone(track),
    setSending: (on) => sendGate.gain.setValueAtTime(on ? 1 : 0, ctx.currentTime),
    async play(clip, onStart) {
      if (closed) throw new Error('the call has ended');
      await running(ctx);
      if (closed) throw new Error('the call has ended');
      const source = ctx.createBufferSource();
      source.buffer = clip;
      source.connect(agentSide);
      playing.add(source);
      const ended = new Promise<void>((resolve) => {
        source.onended = () => {
          playing.delete(source);
          source.disconnect();
          resolve();
        };
      });
      source.start();
      onStart?.();
      return ended;
    },
    close() {
      if (closed) return;
      closed = true;
      // stop() fires onended: a pending play() resolves.
      for (const s of playing) s.stop();
      mic?.disconnect();
      agentSide.disconnect();
      toFarEnd.disconnect();
      sendGate.disconnect();
      out.stream.getTracks().forEach((t) => t.stop());
    },
  };
}
