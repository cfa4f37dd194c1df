import { createStore } from 'zustand/vanilla';
import { browserHid, startHeadset, type HeadsetStatus } from './headset';
import type { PhoneSituation } from './hid-telephony';
import type { PhoneState, PhoneStore } from './phone-store';

const situationOf = (s: PhoneState): PhoneSituation =>
  s.call?.state === 'ringing' ? 'ringing' : s.call && s.call.state !== 'ended' ? 'in-call' : 'idle';

/**
 * The headset's buttons drive the phone (hook switch answers and hangs up, mute toggles, flash
 * holds or resumes) and its lights follow the phone (off-hook, ring, mute, hold).
 */
export function createHeadsetLink(phone: PhoneStore) {
  const hid = browserHid();
  const store = createStore<{ supported: boolean; name: string | null }>()(() => ({ supported: !!hid, name: null }));
  const headset = startHeadset(hid, () => situationOf(phone.getState()), {
    onIntent(intent) {
      const p = phone.getState();
      if (intent === 'answer') p.answer();
      else if (intent === 'hangup') p.hangup();
      else if (intent === 'mute-toggle') p.toggleMute();
      else p.toggleHold();
    },
    onStatus: (s: HeadsetStatus) => store.setState({ supported: s.state !== 'unsupported', name: s.state === 'connected' ? s.devices.join(', ') : null }),
    onError: (message) => console.warn(`headset: ${message}`),
  });
  phone.subscribe((s) => {
    const call = s.call && s.call.state !== 'ended' ? s.call : null;
    void headset.setLeds({ offHook: !!call && call.state !== 'ringing', ring: call?.state === 'ringing', mute: !!call?.muted, hold: !!call?.held });
  });
  return { store, connect: () => headset.request() };
}

export type HeadsetLink = ReturnType<typeof createHeadsetLink>;
