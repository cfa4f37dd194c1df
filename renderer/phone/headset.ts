// The browser side of headset buttons: WebHID devices in, intents out, LEDs back. Everything it
// needs from WebHID is typed below as the little it uses, so tests can hand it a fake `hid`.
import {
  buildOutputReport,
  buildReportMap,
  createHeadsetInterpreter,
  isTelephonyDevice,
  parseInputReport,
  TELEPHONY_PAGE,
  type HeadsetIntent,
  type HeadsetLeds,
  type HidCollectionInfo,
  type PhoneSituation,
  type TelephonyReportMap,
} from './hid-telephony';

export interface HidInputReportEventLike {
  readonly reportId: number;
  readonly data: DataView;
}
export interface HidDeviceLike {
  readonly productName: string;
  readonly opened: boolean;
  readonly collections: readonly HidCollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void>;
  addEventListener(type: 'inputreport', listener: (e: HidInputReportEventLike) => void): void;
  removeEventListener(type: 'inputreport', listener: (e: HidInputReportEventLike) => void): void;
}
export interface HidConnectionEventLike {
  readonly device: HidDeviceLike;
}
export interface HidLike {
  getDevices(): Promise<HidDeviceLike[]>;
  requestDevice(options: { filters: { usagePage?: number; usage?: number }[] }): Promise<HidDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (e: HidConnectionEventLike) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (e: HidConnectionEventLike) => void): void;
}

/** This browser's WebHID, or undefined where it has none (Firefox, Safari, insecure pages, Node). */
export function browserHid(): HidLike | undefined {
  return typeof navigator !== 'undefined' && 'hid' in navigator ? (navigator.hid ?? undefined) : undefined;
}

export type HeadsetStatus = { state: 'unsupported' } | { state: 'none' } | { state: 'connected'; devices: string[] };
export type RequestOutcome =
  | { state: 'unsupported' }
  | { state: 'chosen'; devices: HidDeviceLike[] }
  | { state: 'cancelled' }
  | { state: 'failed'; message: string };

export interface HeadsetEvents {
  onIntent(intent: HeadsetIntent): void;
  onStatus?(status: HeadsetStatus): void;
  /** Device trouble, for a log or a notice; it never reaches the caller as a rejection. */
  onError?(message: string): void;
}
export interface Headset {
  /** Settles once the already-granted devices have been opened (or failed to). */
  readonly ready: Promise<void>;
  /** Asks the agent to pick a headset and starts using it: call it from a click (user gesture). */
  request(): Promise<RequestOutcome>;
  /** Lights the LEDs on every headset, and on any that connects later. Never rejects. */
  setLeds(leds: HeadsetLeds): Promise<void>;
  stop(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Opens the permission prompt for telephony devices; call it from a user gesture. */
export async function requestHeadset(hid: HidLike | undefined): Promise<RequestOutcome> {
  if (!hid) return { state: 'unsupported' };
  try {
    const devices = await hid.requestDevice({ filters: [{ usagePage: TELEPHONY_PAGE }] });
    return devices.length > 0 ? { state: 'chosen', devices } : { state: 'cancelled' };
  } catch (e) {
    return { state: 'failed', message: message(e) };
  }
}

/** Uses every granted telephony device. `situation` is read as each report arrives, so a report
 *  is judged against what the phone is doing then. */
export function startHeadset(hid: HidLike | undefined, situation: () => PhoneSituation, events: HeadsetEvents): Headset {
  if (!hid) {
    events.onStatus?.({ state: 'unsupported' });
    return { ready: Promise.resolve(), request: () => requestHeadset(undefined), setLeds: async () => {}, stop: () => {} };
  }
  const attached = new Map<HidDeviceLike, { map: TelephonyReportMap; listener: (e: HidInputReportEventLike) => void }>();
  const claimed = new Set<HidDeviceLike>();
  let leds: HeadsetLeds | null = null;
  let stopped = false;

  const fail = (what: string, device: HidDeviceLike, e: unknown) => events.onError?.(`${what} ${device.productName}: ${message(e)}`);
  const report = () => {
    const devices = [...attached.keys()].map((d) => d.productName).sort();
    events.onStatus?.(devices.length > 0 ? { state: 'connected', devices } : { state: 'none' });
  };
  const send = async (device: HidDeviceLike, map: TelephonyReportMap, next: HeadsetLeds) => {
    const out = buildOutputReport(map, next);
    if (!out) return;
    try {
      await device.sendReport(out.reportId, out.data);
    } catch (e) {
      fail('could not set the lights of', device, e);
    }
  };

  const attach = async (device: HidDeviceLike) => {
    if (stopped || claimed.has(device) || !isTelephonyDevice(device.collections)) return;
    claimed.add(device);
    try {
      if (!device.opened) await device.open();
    } catch (e) {
      claimed.delete(device);
      fail('could not open', device, e);
      return;
    }
    if (stopped) return void device.close().catch((e: unknown) => fail('could not close', device, e));
    if (!claimed.has(device)) return; // unplugged while it was opening
    const map = buildReportMap(device.collections);
    const interpreter = createHeadsetInterpreter();
    const listener = (e: HidInputReportEventLike) => {
      const state = parseInputReport(map, e.reportId, e.data);
      if (state) for (const intent of interpreter.next(state, situation())) events.onIntent(intent);
    };
    device.addEventListener('inputreport', listener);
    attached.set(device, { map, listener });
    report();
    if (leds) await send(device, map, leds);
  };
  const detach = (device: HidDeviceLike) => {
    claimed.delete(device);
    const a = attached.get(device);
    if (!a) return;
    device.removeEventListener('inputreport', a.listener);
    attached.delete(device);
    report();
  };

  const onConnect = (e: HidConnectionEventLike) => void attach(e.device);
  const onDisconnect = (e: HidConnectionEventLike) => detach(e.device);
  hid.addEventListener('connect', onConnect);
  hid.addEventListener('disconnect', onDisconnect);
  report();
  const ready = hid.getDevices().then(
    (devices) => Promise.all(devices.map(attach)).then(() => {}),
    (e: unknown) => void events.onError?.(`could not list headsets: ${message(e)}`),
  );

  return {
    ready,
    async request() {
      const outcome = await requestHeadset(hid);
      if (outcome.state === 'chosen') await Promise.all(outcome.devices.map(attach));
      return outcome;
    },
    async setLeds(next) {
      leds = next;
      await Promise.all([...attached].map(([device, a]) => send(device, a.map, next)));
    },
    stop() {
      stopped = true;
      hid.removeEventListener('connect', onConnect);
      hid.removeEventListener('disconnect', onDisconnect);
      for (const device of [...attached.keys()]) {
        detach(device);
        device.close().catch((e: unknown) => fail('could not close', device, e));
      }
    },
  };
}
