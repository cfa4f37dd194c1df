import { describe, expect, it, vi } from 'vitest';
import { applySink, chooseDevice, devicesFor, microphoneConstraints, type DeviceInfoLike } from '../../../../renderer/phone/devices';

/** What Chromium lists with microphone permission: "default" first, ids differ per kind. */
const granted: DeviceInfoLike[] = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default - Jabra Evolve2 40 (0b0e:030c)' },
  { deviceId: 'mic-jabra', kind: 'audioinput', label: 'Jabra Evolve2 40 (0b0e:030c)' },
  { deviceId: 'mic-builtin', kind: 'audioinput', label: 'Built-in Audio Analog Stereo' },
  { deviceId: 'default', kind: 'audiooutput', label: 'Default - Jabra Evolve2 40 (0b0e:030c)' },
  { deviceId: 'out-jabra', kind: 'audiooutput', label: 'Jabra Evolve2 40 (0b0e:030c)' },
  { deviceId: 'out-speakers', kind: 'audiooutput', label: 'Built-in Audio Analog Stereo' },
  { deviceId: 'cam', kind: 'videoinput', label: 'Integrated Camera' },
];

/** Before permission Chromium hides ids and labels: one placeholder per kind. */
const hidden: DeviceInfoLike[] = [
  { deviceId: '', kind: 'audioinput', label: '' },
  { deviceId: '', kind: 'audiooutput', label: '' },
];

describe('chooseDevice', () => {
  it('uses the system default when the agent has no preference', () => {
    expect(chooseDevice('call', null, granted)).toEqual({ deviceId: '', fallback: false });
    expect(chooseDevice('call', { deviceId: '', label: '' }, granted)).toEqual({ deviceId: '', fallback: false });
  });

  it('matches the preference by id, within the role\'s kind', () => {
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, granted)).toEqual({ deviceId: 'out-jabra', fallback: false });
    expect(chooseDevice('ringer', { deviceId: 'out-speakers', label: 'Built-in Audio Analog Stereo' }, granted)).toEqual({ deviceId: 'out-speakers', fallback: false });
    expect(chooseDevice('microphone', { deviceId: 'mic-jabra', label: 'x' }, granted)).toEqual({ deviceId: 'mic-jabra', fallback: false });
    // An output's id never picks a microphone; the label the headset's input and output share does.
    expect(chooseDevice('microphone', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, granted)).toEqual({ deviceId: 'mic-jabra', fallback: false });
  });

  it('matches by label when the id changed after a restart or re-plug', () => {
    const replugged = granted.map((d) => (d.deviceId === 'out-jabra' ? { ...d, deviceId: 'out-jabra-2' } : d));
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, replugged)).toEqual({ deviceId: 'out-jabra-2', fallback: false });
  });

  it('falls back to the default, flagged, when the preferred device is gone', () => {
    const unplugged = granted.filter((d) => !d.label.startsWith('Jabra'));
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, unplugged)).toEqual({ deviceId: '', fallback: true, reason: 'missing' });
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, [])).toEqual({ deviceId: '', fallback: true, reason: 'missing' });
    // An empty label never matches the placeholders of another device.
    expect(chooseDevice('call', { deviceId: 'gone', label: '' }, granted)).toEqual({ deviceId: '', fallback: true, reason: 'missing' });
  });

  it('cannot tell before permission, and says so rather than "missing"', () => {
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, hidden)).toEqual({ deviceId: '', fallback: true, reason: 'no-permission' });
    // Where ids stay visible without labels, the id still finds it.
    const idsOnly = granted.map((d) => ({ ...d, label: '' }));
    expect(chooseDevice('call', { deviceId: 'out-jabra', label: 'Jabra Evolve2 40 (0b0e:030c)' }, idsOnly)).toEqual({ deviceId: 'out-jabra', fallback: false });
  });
});

describe('devicesFor', () => {
  it('lists the role\'s kind without the "default" entry or permission placeholders', () => {
    expect(devicesFor('ringer', granted).map((d) => d.deviceId)).toEqual(['out-jabra', 'out-speakers']);
    expect(devicesFor('microphone', granted).map((d) => d.deviceId)).toEqual(['mic-jabra', 'mic-builtin']);
    expect(devicesFor('call', hidden)).toEqual([]);
  });
});

describe('microphoneConstraints', () => {
  it('prefers the chosen microphone without failing the call when it just went, or any for the default', () => {
    expect(microphoneConstraints('')).toBe(true);
    expect(microphoneConstraints('mic-jabra')).toEqual({ deviceId: { ideal: 'mic-jabra' } });
  });
});

describe('applySink', () => {
  it('routes the element and reports success', async () => {
    const setSinkId = vi.fn(async (_id: string) => {});
    expect(await applySink({ setSinkId }, 'out-speakers')).toBe(true);
    expect(setSinkId).toHaveBeenCalledWith('out-speakers');
  });

  it('returns false instead of throwing when the device is gone', async () => {
    const el = { setSinkId: async () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) };
    expect(await applySink(el, 'out-jabra')).toBe(false);
  });

  it('does nothing where setSinkId is missing: only the default is possible there', async () => {
    expect(await applySink({}, '')).toBe(true);
    expect(await applySink({}, 'out-jabra')).toBe(false);
  });
});
