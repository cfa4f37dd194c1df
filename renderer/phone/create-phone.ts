import { browserTimers } from '../core/timers';
import { watchForWake } from '../core/wake-detector';
import { createQualityMonitor } from './call-quality';
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
}

/**
 * The phone as the page uses it: the SIP phone, its store, the agent's audio devices (microphone,
 * call output, ringer), the ring, the desktop notification, and re-registration after the
 * network returns or the machine wakes.
 */
export function createPhone(o: CreatePhoneOptions) {
  const devices = createDeviceStore({ mediaDevices: navigator.mediaDevices, storage: o.storage });
  const monitoring = o.monitoring;
  const phone = createPhoneStore({
    ...(monitoring
      ? {
          onMonitor: createMonitorDesk({
            ...monitoring,
            activeCall: () => phone.getState().monitoredCall(),
            mix: async ({ call, leg, leadStream, mode }) => {
              const callerSender = call.call.audioSender();
              const leadSender = leg.audioSender();
              const micTrack = callerSender?.track;
              if (!callerSender || !leadSender || !micTrack || !call.remoteStream) throw new Error('no media to mix');
              return startMonitorMix({ micTrack, callerStream: call.remoteStream, callerSender, leadStream, leadSender, mode, doc: document });
            },
          }),
        }
      : {}),
    startPhone: (account, events) =>
      startPhone(account, events, { microphone: () => devices.getState().effective('microphone').deviceId, acceptRefer: o.acceptRefer, dtmfMethod: o.dtmfMethod }),
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
