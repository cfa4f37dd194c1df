import { describe, expect, it } from 'vitest';
import { createDeviceStore, DEVICE_PREFERENCES_KEY, readPreferences, type MediaDevicesLike } from '../../../../renderer/phone/device-store';
import type { DeviceInfoLike } from '../../../../renderer/phone/devices';
import { memoryStorage } from '../../../helpers/memory-storage';

// navigator.mediaDevices itself must fit what the store asks for.
const _fits: (m: MediaDevices) => MediaDevicesLike = (m) => m;
void _fits;

const JABRA = 'Jabra Evolve2 40 (0b0e:030c)';
const SPEAKERS = 'Built-in Audio Analog Stereo';

const headset = (suffix = ''): DeviceInfoLike[] => [
  { deviceId: `mic-jabra${suffix}`, kind: 'audioinput', label: JABRA },
  { deviceId: `out-jabra${suffix}`, kind: 'audiooutput', label: JABRA },
];
const builtin: DeviceInfoLike[] = [
  { deviceId: 'default', kind: 'audioinput', label: `Default - ${SPEAKERS}` },
  { deviceId: 'mic-builtin', kind: 'audioinput', label: SPEAKERS },
  { deviceId: 'default', kind: 'audiooutput', label: `Default - ${SPEAKERS}` },
  { deviceId: 'out-speakers', kind: 'audiooutput', label: SPEAKERS },
];
const hidden: DeviceInfoLike[] = [
  { deviceId: '', kind: 'audioinput', label: '' },
  { deviceId: '', kind: 'audiooutput', label: '' },
];

/** A mediaDevices the test plugs and unplugs devices into. */
function fakeMediaDevices(initial: DeviceInfoLike[]) {
  let listed = initial;
  const listeners = new Set<() => void>();
  const media: MediaDevicesLike = {
    enumerateDevices: async () => listed,
    addEventListener: (_type, l) => void listeners.add(l),
    removeEventListener: (_type, l) => void listeners.delete(l),
  };
  return {
    media,
    listeners,
    /** The OS changes the devices and Chromium fires devicechange. */
    plug(devices: DeviceInfoLike[]) {
      listed = devices;
      for (const l of listeners) l();
    },
  };
}


/** Lets the devicechange-triggered refresh finish. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the device store', () => {
  it('lists devices per role and starts on the system defaults', async () => {
    const f = fakeMediaDevices([...builtin, ...headset()]);
    const store = createDeviceStore({ mediaDevices: f.media, storage: memoryStorage() });
    await store.getState().refresh();
    const { devices, choices, notices } = store.getState();
    expect(devices.microphone.map((d) => d.deviceId)).toEqual(['mic-builtin', 'mic-jabra']);
    expect(devices.call.map((d) => d.deviceId)).toEqual(['out-speakers', 'out-jabra']);
    expect(devices.ringer).toEqual(devices.call);
    expect(choices).toEqual({ microphone: { deviceId: '', fallback: false }, call: { deviceId: '', fallback: false }, ringer: { deviceId: '', fallback: false } });
    expect(notices).toEqual([]);
  });

  it('keeps the agent\'s picks across a restart, and the default when they pick it again', async () => {
    const f = fakeMediaDevices([...builtin, ...headset()]);
    const storage = memoryStorage();
    const store = createDeviceStore({ mediaDevices: f.media, storage });
    await store.getState().refresh();
    store.getState().choose('call', 'out-jabra');
    store.getState().choose('ringer', 'out-speakers');
    store.getState().choose('microphone', 'mic-jabra');
    store.getState().choose('microphone', 'no-such-mic');
    expect(store.getState().effective('call')).toEqual({ deviceId: 'out-jabra', fallback: false });
    expect(store.getState().effective('ringer')).toEqual({ deviceId: 'out-speakers', fallback: false });

    const again = createDeviceStore({ mediaDevices: f.media, storage });
    expect(again.getState().preferences).toEqual({
      microphone: { deviceId: 'mic-jabra', label: JABRA },
      call: { deviceId: 'out-jabra', label: JABRA },
      ringer: { deviceId: 'out-speakers', label: SPEAKERS },
    });
    // Before the first listing it trusts the saved ids.
    expect(again.getState().effective('ringer')).toEqual({ deviceId: 'out-speakers', fallback: false });
    again.getState().choose('ringer', '');
    expect(again.getState().effective('ringer')).toEqual({ deviceId: '', fallback: false });
    expect(readPreferences(storage).ringer).toBeNull();
    expect(JSON.parse(storage.items.get(DEVICE_PREFERENCES_KEY) ?? '')).toEqual({
      microphone: { deviceId: 'mic-jabra', label: JABRA },
      call: { deviceId: 'out-jabra', label: JABRA },
    });
  });

  it('finds the headset by label when its id changed, and remembers the new id', async () => {
    const storage = memoryStorage({ [DEVICE_PREFERENCES_KEY]: JSON.stringify({ call: { deviceId: 'out-jabra', label: JABRA } }) });
    const f = fakeMediaDevices([...builtin, ...headset('-new')]);
    const store = createDeviceStore({ mediaDevices: f.media, storage });
    await store.getState().refresh();
    expect(store.getState().effective('call')).toEqual({ deviceId: 'out-jabra-new', fallback: false });
    expect(store.getState().notices).toEqual([]);
    expect(readPreferences(storage).call).toEqual({ deviceId: 'out-jabra-new', label: JABRA });
  });

  it('falls back with a notice when the headset is unplugged, and restores it with another', async () => {
    const storage = memoryStorage({ [DEVICE_PREFERENCES_KEY]: JSON.stringify({ call: { deviceId: 'out-jabra', label: JABRA }, ringer: { deviceId: 'out-speakers', label: SPEAKERS } }) });
    const f = fakeMediaDevices([...builtin, ...headset()]);
    const store = createDeviceStore({ mediaDevices: f.media, storage });
    await store.getState().refresh();
    const seen: string[] = [];
    store.subscribe((s, prev) => s.choices !== prev.choices && seen.push(s.choices.call.deviceId || 'default'));

    // A webcam coming and going changes nothing the call uses.
    f.plug([...builtin, ...headset(), { deviceId: 'cam', kind: 'videoinput', label: 'USB Camera' }]);
    await settled();
    expect(seen).toEqual([]);

    f.plug(builtin);
    await settled();
    expect(store.getState().effective('call')).toEqual({ deviceId: '', fallback: true, reason: 'missing' });
    expect(store.getState().effective('ringer')).toEqual({ deviceId: 'out-speakers', fallback: false });
    expect(store.getState().notices).toEqual([{ id: expect.any(Number), role: 'call', kind: 'fallback', device: JABRA }]);
    // The preference outlives the unplug.
    expect(readPreferences(storage).call).toEqual({ deviceId: 'out-jabra', label: JABRA });

    // Re-plugged into another port: a new id, the same label.
    f.plug([...builtin, ...headset('-2')]);
    await settled();
    expect(store.getState().effective('call')).toEqual({ deviceId: 'out-jabra-2', fallback: false });
    expect(store.getState().notices).toEqual([{ id: expect.any(Number), role: 'call', kind: 'restored', device: JABRA }]);
    expect(seen).toEqual(['default', 'out-jabra-2']);

    const [restored] = store.getState().notices;
    store.getState().dismissNotice(restored?.id ?? -1);
    expect(store.getState().notices).toEqual([]);
  });

  it('says so at startup when the preferred headset is not connected', async () => {
    const storage = memoryStorage({ [DEVICE_PREFERENCES_KEY]: JSON.stringify({ microphone: { deviceId: 'mic-jabra', label: JABRA } }) });
    const store = createDeviceStore({ mediaDevices: fakeMediaDevices(builtin).media, storage });
    await store.getState().refresh();
    expect(store.getState().notices).toMatchObject([{ role: 'microphone', kind: 'fallback', device: JABRA }]);
    // Picking another device answers the notice.
    store.getState().choose('microphone', 'mic-builtin');
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().effective('microphone')).toEqual({ deviceId: 'mic-builtin', fallback: false });
  });

  it('neither warns nor forgets while labels are hidden before permission', async () => {
    const storage = memoryStorage({ [DEVICE_PREFERENCES_KEY]: JSON.stringify({ call: { deviceId: 'out-jabra', label: JABRA } }) });
    const f = fakeMediaDevices(hidden);
    const store = createDeviceStore({ mediaDevices: f.media, storage });
    await store.getState().refresh();
    expect(store.getState().devices.call).toEqual([]);
    expect(store.getState().effective('call')).toEqual({ deviceId: '', fallback: true, reason: 'no-permission' });
    expect(store.getState().notices).toEqual([]);
    expect(readPreferences(storage).call).toEqual({ deviceId: 'out-jabra', label: JABRA });

    // The microphone is allowed: Chromium fires devicechange with the real list.
    f.plug([...builtin, ...headset()]);
    await settled();
    expect(store.getState().effective('call')).toEqual({ deviceId: 'out-jabra', fallback: false });
    expect(store.getState().notices).toEqual([]);

    // Unplugged, then the labels hide again: that is no sign the headset came back.
    f.plug(builtin);
    await settled();
    f.plug(hidden);
    await settled();
    expect(store.getState().notices).toMatchObject([{ role: 'call', kind: 'fallback' }]);
  });

  it('starts from the defaults when the saved preferences are corrupt or unreadable', async () => {
    for (const saved of ['{not json', '[1,2]', 'null', '"call"', JSON.stringify({ call: { deviceId: 5, label: JABRA }, ringer: { deviceId: 'x' }, microphone: 'mic-jabra' })]) {
      const storage = memoryStorage({ [DEVICE_PREFERENCES_KEY]: saved });
      const store = createDeviceStore({ mediaDevices: fakeMediaDevices(builtin).media, storage });
      expect(store.getState().preferences).toEqual({ microphone: null, call: null, ringer: null });
      await store.getState().refresh();
      expect(store.getState().notices).toEqual([]);
    }
    const mixed = memoryStorage({ [DEVICE_PREFERENCES_KEY]: JSON.stringify({ call: { deviceId: 'out-jabra', label: JABRA }, ringer: { deviceId: 7 } }) });
    expect(readPreferences(mixed)).toEqual({ microphone: null, call: { deviceId: 'out-jabra', label: JABRA }, ringer: null });

    const refusing = {
      getItem: (): string | null => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    const store = createDeviceStore({ mediaDevices: fakeMediaDevices(builtin).media, storage: refusing });
    await store.getState().refresh();
    store.getState().choose('ringer', 'out-speakers');
    expect(store.getState().effective('ringer')).toEqual({ deviceId: 'out-speakers', fallback: false });
  });

  it('keeps the newest listing when enumerations finish out of order', async () => {
    const answers: ((d: DeviceInfoLike[]) => void)[] = [];
    const media: MediaDevicesLike = {
      enumerateDevices: () => new Promise((resolve) => void answers.push(resolve)),
      addEventListener: () => {},
    };
    const store = createDeviceStore({ mediaDevices: media, storage: memoryStorage() });
    const older = store.getState().refresh();
    const newer = store.getState().refresh();
    answers[1]?.([...builtin, ...headset()]);
    await newer;
    answers[0]?.(builtin);
    await older;
    expect(store.getState().devices.call.map((d) => d.deviceId)).toEqual(['out-speakers', 'out-jabra']);
  });

  it('keeps the last listing when enumerateDevices fails', async () => {
    let fail = false;
    const media: MediaDevicesLike = {
      enumerateDevices: async () => {
        if (fail) throw new DOMException('not allowed', 'NotAllowedError');
        return builtin;
      },
      addEventListener: () => {},
    };
    const store = createDeviceStore({ mediaDevices: media, storage: memoryStorage() });
    await store.getState().refresh();
    fail = true;
    await expect(store.getState().refresh()).resolves.toBeUndefined();
    expect(store.getState().devices.call.map((d) => d.deviceId)).toEqual(['out-speakers']);
  });

  it('stops listening for device changes on stop()', () => {
    const f = fakeMediaDevices(builtin);
    const store = createDeviceStore({ mediaDevices: f.media, storage: memoryStorage() });
    expect(f.listeners.size).toBe(1);
    store.getState().stop();
    expect(f.listeners.size).toBe(0);
  });
});
