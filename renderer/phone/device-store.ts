import { createStore } from 'zustand/vanilla';
import { chooseDevice, DEVICE_ROLES, devicesFor, type DeviceChoice, type DeviceInfoLike, type DevicePreference, type DeviceRole } from './devices';

/** The part of navigator.mediaDevices we use. */
export interface MediaDevicesLike {
  enumerateDevices(): Promise<readonly DeviceInfoLike[]>;
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener?(type: 'devicechange', listener: () => void): void;
}

export type PerRole<T> = Record<DeviceRole, T>;

/** Tells the agent their preferred device went away (fallback) or came back (restored). */
export interface DeviceNotice {
  id: number;
  role: DeviceRole;
  kind: 'fallback' | 'restored';
  /** The preferred device's label, for the message ('' when the browser never showed it). */
  device: string;
}

export interface DeviceState {
  /** The devices the agent can pick per role ('' = system default is always possible too). */
  devices: PerRole<DeviceInfoLike[]>;
  /** The agent's picks; null is the system default. */
  preferences: PerRole<DevicePreference | null>;
  /** What to use now; subscribe to re-apply sinks and the microphone when it changes. */
  choices: PerRole<DeviceChoice>;
  notices: DeviceNotice[];
  refresh(): Promise<void>;
  /** Prefers a listed device for a role ('' = system default); unknown ids are ignored. */
  choose(role: DeviceRole, deviceId: string): void;
  effective(role: DeviceRole): DeviceChoice;
  dismissNotice(id: number): void;
  /** Stops listening for device changes. */
  stop(): void;
}

export interface DeviceStoreDeps {
  mediaDevices: MediaDevicesLike;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export const DEVICE_PREFERENCES_KEY = 'minwon.audioDevices';

const perRole = <T>(f: (role: DeviceRole) => T): PerRole<T> => ({ microphone: f('microphone'), call: f('call'), ringer: f('ringer') });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The saved preferences; anything unreadable counts as no preference rather than an error. */
export function readPreferences(storage: Pick<Storage, 'getItem'>): PerRole<DevicePreference | null> {
  let saved: unknown = null;
  try {
    saved = JSON.parse(storage.getItem(DEVICE_PREFERENCES_KEY) ?? 'null');
  } catch {
    // Corrupt JSON or storage the browser refuses: start from the defaults.
  }
  return perRole((role) => {
    const p = isRecord(saved) ? saved[role] : undefined;
    return isRecord(p) && typeof p.deviceId === 'string' && p.deviceId !== '' && typeof p.label === 'string' ? { deviceId: p.deviceId, label: p.label } : null;
  });
}

function writePreferences(storage: Pick<Storage, 'setItem'>, preferences: PerRole<DevicePreference | null>) {
  const saved = Object.fromEntries(DEVICE_ROLES.flatMap((role) => (preferences[role] ? [[role, preferences[role]]] : [])));
  try {
    storage.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify(saved));
  } catch {
    // A full or disabled storage loses the pick after a restart, not the call.
  }
}

const sameChoice = (a: DeviceChoice, b: DeviceChoice) => a.deviceId === b.deviceId && a.fallback === b.fallback && a.reason === b.reason;

const samePreference = (a: DevicePreference | null, b: DevicePreference | null) => a?.deviceId === b?.deviceId && a?.label === b?.label;

/**
 * The audio devices per role, the agent's preferences (kept in storage) and what to use now. When
 * a preferred device is unplugged the role falls back to the system default with a notice, and
 * when it comes back it is restored with another.
 */
export function createDeviceStore({ mediaDevices, storage }: DeviceStoreDeps) {
  let nextNoticeId = 1;
  let requested = 0;
  let applied = 0;
  let stopped = false;
  // The whole listing, placeholders included: they tell "no permission yet" from "unplugged".
  let available: readonly DeviceInfoLike[] = [];
  const initial = readPreferences(storage);

  const store = createStore<DeviceState>()((set, get) => {
    /** Recomputes the choices for these preferences, noticing preferred devices that came or went. */
    const settle = (wanted: PerRole<DevicePreference | null>, notify: boolean) => {
      const { choices: before, notices } = get();
      const devices = perRole((role) => devicesFor(role, available));
      let kept = notices;
      const added: DeviceNotice[] = [];
      let changed = false;
      const preferences = perRole((role) => {
        const pref = wanted[role];
        const choice = chooseDevice(role, pref, available);
        if (!pref || choice.fallback) return pref;
        // Found, perhaps by label under a new id: remember the id and label it has now.
        const found = devices[role].find((d) => d.deviceId === choice.deviceId);
        const now = found && found.label !== '' ? { deviceId: found.deviceId, label: found.label } : pref;
        if (!samePreference(now, pref)) changed = true;
        return now;
      });
      const choices = perRole((role) => {
        const choice = chooseDevice(role, preferences[role], available);
        const wasMissing = before[role].reason === 'missing';
        const isMissing = choice.reason === 'missing';
        if (notify && wasMissing !== isMissing && (isMissing || !choice.fallback)) {
          kept = kept.filter((n) => n.role !== role);
          added.push({ id: nextNoticeId++, role, kind: isMissing ? 'fallback' : 'restored', device: preferences[role]?.label ?? '' });
        }
        return choice;
      });
      if (changed) writePreferences(storage, preferences);
      // Same object when nothing changed, so a call re-applies its devices only on a real change.
      const same = DEVICE_ROLES.every((role) => sameChoice(choices[role], before[role]));
      set({ devices, preferences, choices: same ? before : choices, notices: added.length ? [...kept, ...added] : kept });
    };

    return {
      devices: perRole(() => []),
      preferences: initial,
      // Until the first listing, trust the saved ids: they usually survive a restart.
      choices: perRole((role) => ({ deviceId: initial[role]?.deviceId ?? '', fallback: false })),
      notices: [],
      async refresh() {
        const request = ++requested;
        let listed: readonly DeviceInfoLike[];
        try {
          listed = await mediaDevices.enumerateDevices();
        } catch {
          return;
        }
        // Device changes come in bursts: an older listing must not overwrite a newer one.
        if (stopped || request < applied) return;
        applied = request;
        available = listed.map(({ deviceId, kind, label }) => ({ deviceId, kind, label }));
        settle(get().preferences, true);
      },
      choose(role, deviceId) {
        const { devices, preferences, notices } = get();
        let pref: DevicePreference | null = null;
        if (deviceId !== '') {
          const found = devices[role].find((d) => d.deviceId === deviceId);
          if (!found) return;
          pref = { deviceId: found.deviceId, label: found.label };
        }
        const next = { ...preferences, [role]: pref };
        writePreferences(storage, next);
        // The agent has just picked: earlier notices about this role are moot.
        set({ notices: notices.filter((n) => n.role !== role) });
        settle(next, false);
      },
      effective(role) {
        return get().choices[role];
      },
      dismissNotice(id) {
        set({ notices: get().notices.filter((n) => n.id !== id) });
      },
      stop() {
        stopped = true;
        mediaDevices.removeEventListener?.('devicechange', onDeviceChange);
      },
    };
  });

  const onDeviceChange = () => void store.getState().refresh();
  mediaDevices.addEventListener('devicechange', onDeviceChange);
  return store;
}

export type DeviceStore = ReturnType<typeof createDeviceStore>;
