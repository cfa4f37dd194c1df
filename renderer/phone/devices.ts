/**
 * Which audio device plays which part: the agent's microphone, the call's output (the headset)
 * and the ringer's output (e.g. the speakers, so a ringing call is heard with the headset off).
 */

export type DeviceRole = 'microphone' | 'call' | 'ringer';

export const DEVICE_ROLES: readonly DeviceRole[] = ['microphone', 'call', 'ringer'];

/** The part of MediaDeviceInfo we use. */
export interface DeviceInfoLike {
  deviceId: string;
  kind: string;
  label: string;
}

export interface DevicePreference {
  deviceId: string;
  /** Kept because ids can change across restarts and re-plugs while the label stays. */
  label: string;
}

export interface DeviceChoice {
  /** '' is the system default. */
  deviceId: string;
  /** A preference exists but is not what we use. */
  fallback: boolean;
  /**
   * missing: the preferred device is not connected. no-permission: the browser hides labels and
   * ids until the microphone is allowed, so we cannot tell whether it is connected.
   */
  reason?: 'missing' | 'no-permission';
}

export function kindFor(role: DeviceRole): 'audioinput' | 'audiooutput' {
  return role === 'microphone' ? 'audioinput' : 'audiooutput';
}

const ofRole = (role: DeviceRole, available: readonly DeviceInfoLike[]) => available.filter((d) => d.kind === kindFor(role));

/**
 * The devices the agent can pick for a role. Chromium's "default" entry is our '' choice, and
 * before permission it lists placeholders without an id.
 */
export function devicesFor(role: DeviceRole, available: readonly DeviceInfoLike[]): DeviceInfoLike[] {
  return ofRole(role, available).filter((d) => d.deviceId !== 'default' && d.deviceId !== '');
}

/** The device to use for a role: the preferred one by id, else by label, else the system default. */
export function chooseDevice(role: DeviceRole, preference: DevicePreference | null, available: readonly DeviceInfoLike[]): DeviceChoice {
  if (!preference || preference.deviceId === '') return { deviceId: '', fallback: false };
  const candidates = devicesFor(role, available);
  const byId = candidates.find((d) => d.deviceId === preference.deviceId);
  if (byId) return { deviceId: byId.deviceId, fallback: false };
  const byLabel = preference.label === '' ? undefined : candidates.find((d) => d.label === preference.label);
  if (byLabel) return { deviceId: byLabel.deviceId, fallback: false };
  const all = ofRole(role, available);
  const hidden = all.length > 0 && all.every((d) => d.label === '');
  return { deviceId: '', fallback: true, reason: hidden ? 'no-permission' : 'missing' };
}

/** getUserMedia's audio constraint for a microphone choice: 'ideal', so a headset unplugged a moment ago costs the call its microphone choice, not the call. */
export function microphoneConstraints(deviceId: string): MediaTrackConstraints | true {
  return deviceId === '' ? true : { deviceId: { ideal: deviceId } };
}

/**
 * Routes a media element to an output device. Resolves whether the element now plays there:
 * false where setSinkId is missing (only the default is possible) or the device is gone.
 */
export async function applySink(el: { setSinkId?(id: string): Promise<void> }, deviceId: string): Promise<boolean> {
  if (typeof el.setSinkId !== 'function') return deviceId === '';
  try {
    await el.setSinkId(deviceId);
    return true;
  } catch {
    return false;
  }
}
