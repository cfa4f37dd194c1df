import type { MonitorMode } from '../../shared/monitoring';
import { running, type CallMixer } from './call-mixer';

export interface MonitorMixOptions {
  /** The monitored call's outgoing mix (microphone + announcements, toward the caller). */
  mixer: CallMixer;
  /** What the caller sends. */
  callerStream: MediaStream;
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
 * SIP server: the team lead always gets the agent's side (microphone and announcements) + the
 * caller; the agent hears the team lead in whisper and barge; the caller hears the team lead only
 * in barge, through the call's own mixer (so the desk's recording has the barge too). A mode
 * change is a gain and an element source, effective at once.
 */
export async function startMonitorMix(o: MonitorMixOptions): Promise<MonitorMix> {
  const ctx = o.mixer.context;
  // Running already for the call itself; a page held back by the browser mixes once it may.
  await running(ctx).catch(() => undefined);
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

  const caller = ctx.createMediaStreamSource(o.callerStream);
  const lead = ctx.createMediaStreamSource(o.leadStream);
  const toLead = ctx.createMediaStreamDestination();
  const leadToCaller = ctx.createGain();
  o.mixer.agentSide.connect(toLead);
  caller.connect(toLead);
  lead.connect(leadToCaller).connect(o.mixer.toFarEnd);
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
      // The caller's mix goes on without the team lead; the context is the page's and stays.
      lead.disconnect();
      leadToCaller.disconnect();
      caller.disconnect();
      try {
        o.mixer.agentSide.disconnect(toLead);
      } catch {
        // The monitored call ended first: its mixer is apart already.
      }
      toLead.stream.getTracks().forEach((t) => t.stop());
    },
  };
}
