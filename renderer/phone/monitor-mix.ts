import type { MonitorMode } from '../../shared/monitoring';

export interface MonitorMixOptions {
  /** The microphone track the call was sending before monitoring began (restored after). */
  micTrack: MediaStreamTrack;
  /** What the caller sends, and the sender toward the caller. */
  callerStream: MediaStream;
  callerSender: RTCRtpSender;
  /** What the team lead sends, and the sender toward the team lead. */
  leadStream: MediaStream;
  leadSender: RTCRtpSender;
  mode: MonitorMode;
  doc: Document;
}

export interface MonitorMix {
  setMode(mode: MonitorMode): void;
  stop(): Promise<void>;
}

/**
 * The agent's side of team-lead monitoring, mixed in the agent's own page so it works with any
 * SIP server: the team lead always gets agent + caller; the agent hears the team lead in whisper
 * and barge; the caller hears the team lead only in barge. A mode change is a gain and an element
 * source, effective at once.
 */
export async function startMonitorMix(o: MonitorMixOptions): Promise<MonitorMix> {
  const ctx = new AudioContext();
  if (ctx.state !== 'running') await ctx.resume();
  // Chromium feeds a remote WebRTC stream into WebAudio only while a media element plays it too.
  const feed = o.doc.createElement('audio');
  feed.muted = true;
  feed.srcObject = o.leadStream;
  void feed.play().catch(() => undefined);
  // What the agent hears of the team lead (a remote audio of the page, like the call's).
  const toAgent = o.doc.createElement('audio');
  toAgent.autoplay = true;
  toAgent.setAttribute('data-remote-audio', '');
  toAgent.setAttribute('data-monitor-lead', '');
  o.doc.body.append(feed, toAgent);

  const mic = ctx.createMediaStreamSource(new MediaStream([o.micTrack]));
  const caller = ctx.createMediaStreamSource(o.callerStream);
  const lead = ctx.createMediaStreamSource(o.leadStream);
  const toCaller = ctx.createMediaStreamDestination();
  const toLead = ctx.createMediaStreamDestination();
  const leadToCaller = ctx.createGain();
  mic.connect(toCaller);
  mic.connect(toLead);
  caller.connect(toLead);
  lead.connect(leadToCaller).connect(toCaller);
  await o.callerSender.replaceTrack(toCaller.stream.getAudioTracks()[0] as MediaStreamTrack);
  await o.leadSender.replaceTrack(toLead.stream.getAudioTracks()[0] as MediaStreamTrack);

  const setMode = (mode: MonitorMode) => {
    leadToCaller.gain.setValueAtTime(mode === 'barge' ? 1 : 0, ctx.currentTime);
    toAgent.srcObject = mode === 'listen' ? null : o.leadStream;
  };
  setMode(o.mode);
  return {
    setMode,
    async stop() {
      toAgent.srcObject = null;
      feed.srcObject = null;
      toAgent.remove();
      feed.remove();
      // The caller goes back to the plain microphone; the team lead's leg is ending anyway.
      await o.callerSender.replaceTrack(o.micTrack).catch(() => undefined);
      await ctx.close().catch(() => undefined);
    },
  };
}
