import { browserTimers } from '../core/timers';
import { watchForWake } from '../core/wake-detector';
import { ANNOUNCEMENT_URLS } from './announcement-clips';
import { createCallAudio } from './call-audio';
import { createQualityMonitor } from './call-quality';
import { startCallRecorder, type DeskRecording } from './call-recorder';
import { createDeviceStore } from './device-store';
import { applySink } from './devices';
import { createPhoneStore, type CallView, type PhoneStoreDeps } from './phone-store';
import { createRinger } from './ringer';
import { createMonitorDesk, type MonitorDeskDeps } from './monitor-desk';
import { startMonitorMix } from './monitor-mix';
import { startPhone } from './sip-phone';

export interface CreatePhoneOptions extends Pick<PhoneStoreDeps, 'takesCalls' | 'onCallEnded' | 'autoAnswerSeconds' | 'transferTimeoutSeconds'> {
  storage: Storage;
  /** Follow a REFER from the far end: only a practice caller's phone does. */
  acceptRefer: boolean;
  dtmfMethod: () => 'auto' | 'info';
  /** Desktop notification text for a ringing call, or null for none. */
  notification: ((call: CallView) => { title: string; body: string }) | null;
  /** Shows a notification; returns what takes it away. Default: the page's own Notification. */
  notify?: (text: { title: string; body: string }) => () => void;
  /** Calls back when the OS says the machine woke or the network changed (the desktop shell knows first). */
  onSystemWake?: (reRegister: () => void) => void;
  /** Team leads' monitoring of this desk's calls (an agent's desk); without it monitoring calls are refused. */
  monitoring?: Pick<MonitorDeskDeps, 'admit' | 'report' | 'onSession'>;
  /**
   * The abusive-caller protocol and call recording (an agent's desk): the warning, the recording
   * notice on calls to citizens' numbers, and the desk's own recording of citizens' calls the
   * gateway does not record. Without it (the practice phone) none of them.
   */
  protection?: {
    /** The city's setting protection.warningsBeforeEnd (3 when not given). */
    warningsBeforeEnd?: () => number;
    /** Each finished desk recording (for the core's outbox); tests read them at window.__minwonRecordings too, when it is an array. */
    onRecording?: (recording: DeskRecording) => void;
  };
}

type RecordingsHook = { __minwonRecordings?: unknown };

/**
 * The phone as the page uses it: the SIP phone, its store, the agent's audio devices (microphone,
 * call output, ringer), the ring, the desktop notification, and re-registration after the
 * network returns or the machine wakes.
 */
export function createPhone(o: CreatePhoneOptions) {
  const devices = createDeviceStore({ mediaDevices: navigator.mediaDevices, storage: o.storage });
  const monitoring = o.monitoring;
  const protection = o.protection;
  // Desks mix each call's audio in the page (announcements, barge, recording); a practice phone sends its microphone as it is.
  const audio = monitoring || protection ? createCallAudio({ urls: ANNOUNCEMENT_URLS, win: window }) : undefined;
  const phone = createPhoneStore({
    ...(protection
      ? {
          protection: {
            ...(protection.warningsBeforeEnd ? { warningsBeforeEnd: protection.warningsBeforeEnd } : {}),
            record: (call, remote) => {
              const mixer = call.mixer();
              return mixer ? startCallRecorder({ mixer, remote, callId: call.callId, doc: document, now: () => new Date(), newId: () => crypto.randomUUID() }) : null;
            },
            onRecording: (recording) => {
              const hook = (window as RecordingsHook).__minwonRecordings;
              if (Array.isArray(hook)) hook.push(recording);
              protection.onRecording?.(recording);
            },
          },
        }
      : {}),
    ...(monitoring
      ? {
          onMonitor: createMonitorDesk({
            ...monitoring,
            activeCall: () => phone.getState().monitoredCall(),
            mix: async ({ call, leg, leadStream, mode }) => {
              const mixer = call.call.mixer();
              const leadSender = leg.audioSender();
              if (!mixer || !leadSender || !call.remoteStream) throw new Error('no media to mix');
              return startMonitorMix({ mixer, callerStream: call.remoteStream, leadStream, leadSender, mode, doc: document });
            },
          }),
        }
      : {}),
    startPhone: (account, events) =>
      startPhone(account, events, {
        microphone: () => devices.getState().effective('microphone').deviceId,
        acceptRefer: o.acceptRefer,
        dtmfMethod: o.dtmfMethod,
        ...(audio ? { audio } : {}),
      }),
    takesCalls: o.takesCalls,
    onCallEnded: o.onCallEnded,
    autoAnswerSeconds: o.autoAnswerSeconds,
    transferTimeoutSeconds: o.transferTimeoutSeconds,
    now: () => Date.now(),
    timers: browserTimers,
    monitorQuality: (call, report) =>
      createQualityMonitor({
        getStats: async () => (await call.stats()) ?? [],
        timers: { setInterval: (fn, ms) => window.setInterval(fn, ms), clearInterval: (h: number) => window.clearInterval(h) },
        onQuality: report,
        expectingAudio: () => {
          const h = call.hold();
          return !h.local && !h.remote;
        },
      }).stop,
  });

  const ringer = createRinger(document, applySink);
  let dismiss: (() => void) | null = null;
  const notify = o.notify ?? pageNotification;
  phone.subscribe((s, prev) => {
    const ringing = s.call?.state === 'ringing' ? s.call : null;
    const wasRinging = prev.call?.state === 'ringing' ? prev.call : null;
    if (ringing?.id === wasRinging?.id) return;
    ringer.stop();
    dismiss?.();
    dismiss = null;
    if (!ringing) return;
    ringer.start(devices.getState().effective('ringer').deviceId);
    if (o.notification) dismiss = notify(o.notification(ringing));
  });

  // A changed or returning device applies at once: the ringer's output, and a live call's microphone.
  devices.subscribe((s, prev) => {
    if (s.choices.ringer.deviceId !== prev.choices.ringer.deviceId) ringer.setSink(s.choices.ringer.deviceId);
    if (s.choices.microphone.deviceId !== prev.choices.microphone.deviceId) {
      for (const call of phone.getState().activeCalls()) void call.setMicrophone(s.choices.microphone.deviceId).catch(() => undefined);
    }
  });
  // Labels and ids appear once the page may use the microphone; list again after the first call.
  phone.subscribe((s, prev) => {
    if (s.call?.state === 'connected' && prev.call?.state !== 'connected') void devices.getState().refresh();
  });
  void devices.getState().refresh();

  window.addEventListener('online', () => phone.getState().reRegister());
  watchForWake(
    { now: () => Date.now(), setInterval: (fn, ms) => window.setInterval(fn, ms), clearInterval: (h) => window.clearInterval(h as number) },
    () => phone.getState().reRegister(),
  );
  o.onSystemWake?.(() => phone.getState().reRegister());
  return { phone, devices, applySink };
}

/** A browser notification, if the page may show one. */
function pageNotification(text: { title: string; body: string }): () => void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return () => {};
  const notice = new Notification(text.title, { body: text.body, tag: 'minwon-call', requireInteraction: true });
  notice.onclick = () => window.focus();
  return () => notice.close();
}
