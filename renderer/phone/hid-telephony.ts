// Headset buttons and lights over WebHID (HID Usage Tables: Telephony page 0x0B, LED page 0x08).
// Pure: it reads the collections a device describes and the bytes it sends; headset.ts talks to
// the browser. Headsets differ in which report and which bits carry each control, so nothing is
// hard-coded per model: the layout is worked out from the device's own description.

/** The part of WebHID's HIDReportItem used here. `usagePage` is not WebHID's (it gives 32-bit
 *  usages, page << 16 | id); descriptions written by other tools give 16-bit ids with it. */
export interface HidReportItem {
  readonly usagePage?: number;
  readonly usages?: readonly number[];
  readonly usageMinimum?: number;
  readonly usageMaximum?: number;
  readonly reportSize?: number;
  readonly reportCount?: number;
  readonly isConstant?: boolean;
  readonly isArray?: boolean;
  readonly isAbsolute?: boolean;
  readonly logicalMinimum?: number;
  readonly logicalMaximum?: number;
}
export interface HidReportInfo {
  readonly reportId?: number;
  readonly items?: readonly HidReportItem[];
}
export interface HidCollectionInfo {
  readonly usagePage?: number;
  readonly usage?: number;
  readonly inputReports?: readonly HidReportInfo[];
  readonly outputReports?: readonly HidReportInfo[];
}

export const TELEPHONY_PAGE = 0x0b;
const LED_PAGE = 0x08;
const usage = (page: number, id: number) => page * 0x10000 + id;

export type InputControl = 'hookSwitch' | 'mute' | 'flash';
export type LedName = 'offHook' | 'ring' | 'mute' | 'hold';
const INPUT_USAGES: Readonly<Record<InputControl, number>> = {
  hookSwitch: usage(TELEPHONY_PAGE, 0x20),
  mute: usage(TELEPHONY_PAGE, 0x2f),
  flash: usage(TELEPHONY_PAGE, 0x21),
};
const LED_USAGES: Readonly<Record<LedName, number>> = {
  offHook: usage(LED_PAGE, 0x17),
  ring: usage(LED_PAGE, 0x18),
  mute: usage(LED_PAGE, 0x09),
  hold: usage(LED_PAGE, 0x20),
};
const INPUT_CONTROLS = Object.keys(INPUT_USAGES) as InputControl[];
const LED_NAMES = Object.keys(LED_USAGES) as LedName[];

/** Where one control sits in a report (bits counted from the first byte after the report id). */
export interface FieldLocation {
  bitOffset: number;
  bitSize: number;
  signed: boolean;
  /** Array items hold the selected usages' indices: the control is on while any of `slots`
   *  fields holds `selector`. Absent for variable items, whose value is the control's state. */
  array?: { slots: number; selector: number };
}
export interface InputReportLayout {
  controls: Partial<Record<InputControl, FieldLocation>>;
}
export interface OutputReportLayout {
  reportId: number;
  byteLength: number;
  leds: Partial<Record<LedName, FieldLocation>>;
}
export interface TelephonyReportMap {
  input: ReadonlyMap<number, InputReportLayout>;
  output: readonly OutputReportLayout[];
}

/** A headset (0x05) or phone (0x01) application collection on the telephony page. */
export function isTelephonyCollection(c: HidCollectionInfo): boolean {
  return c.usagePage === TELEPHONY_PAGE && (c.usage === 0x05 || c.usage === 0x01);
}
export function isTelephonyDevice(collections: readonly HidCollectionInfo[]): boolean {
  return collections.some(isTelephonyCollection);
}

interface Usages {
  /** Where a usage first appears among an item's usages (a list or a min..max range), or -1. */
  indexOf(u: number): number;
}
function usagesOf(item: HidReportItem, collectionPage: number): Usages | null {
  const full = (u: number) => (u > 0xffff ? u : usage(item.usagePage ?? collectionPage, u));
  if (item.usages && item.usages.length > 0) {
    const list = item.usages.map(full);
    return { indexOf: (u) => list.indexOf(u) };
  }
  if (item.usageMinimum === undefined || item.usageMaximum === undefined) return null;
  const lo = full(item.usageMinimum);
  const hi = full(item.usageMaximum);
  return { indexOf: (u) => (u >= lo && u <= hi ? u - lo : -1) };
}

/** Walks a report's items in order, so every field (padding included) moves the offset on. */
function locate<K extends string>(items: readonly HidReportItem[], page: number, wanted: Readonly<Record<K, number>>, arrays: boolean) {
  const found: Partial<Record<K, FieldLocation>> = {};
  let bit = 0;
  for (const item of items) {
    const size = item.reportSize ?? 0;
    const count = item.reportCount ?? 0;
    const usages = item.isConstant || size === 0 || size > 32 ? null : usagesOf(item, page);
    const signed = (item.logicalMinimum ?? 0) < 0;
    for (const key of Object.keys(wanted) as K[]) {
      const index = usages?.indexOf(wanted[key]) ?? -1;
      if (found[key] || index < 0) continue;
      if (!item.isArray) {
        // Repeated last usage: the first field that carries it is the one to read.
        if (index < count) found[key] = { bitOffset: bit + index * size, bitSize: size, signed };
      } else if (arrays) {
        const selector = (item.logicalMinimum ?? 0) + index;
        if (item.logicalMaximum === undefined || selector <= item.logicalMaximum) {
          found[key] = { bitOffset: bit, bitSize: size, signed, array: { slots: count, selector } };
        }
      }
    }
    bit += size * count;
  }
  return { found, bits: bit };
}

/** Where the telephony controls and LEDs are, per report id. Only the top-level telephony
 *  collections count: WebHID describes a whole report there, and a keyboard's Mute LED or a
 *  consumer-page Mute key elsewhere on the same device is not the phone's. */
export function buildReportMap(collections: readonly HidCollectionInfo[]): TelephonyReportMap {
  const input = new Map<number, InputReportLayout>();
  const output: OutputReportLayout[] = [];
  for (const c of collections.filter(isTelephonyCollection)) {
    for (const r of c.inputReports ?? []) {
      const { found } = locate(r.items ?? [], TELEPHONY_PAGE, INPUT_USAGES, true);
      if (Object.keys(found).length > 0 && !input.has(r.reportId ?? 0)) input.set(r.reportId ?? 0, { controls: found });
    }
    for (const r of c.outputReports ?? []) {
      const { found, bits } = locate(r.items ?? [], TELEPHONY_PAGE, LED_USAGES, false);
      if (Object.keys(found).length > 0) output.push({ reportId: r.reportId ?? 0, byteLength: Math.ceil(bits / 8), leds: found });
    }
  }
  return { input, output };
}

function readBits(data: DataView, offset: number, size: number, signed: boolean): number | undefined {
  if (offset + size > data.byteLength * 8) return undefined;
  let value = 0;
  for (let i = 0; i < size; i++) {
    const b = offset + i;
    if ((data.getUint8(b >> 3) >> (b & 7)) & 1) value += 2 ** i;
  }
  return signed && value >= 2 ** (size - 1) ? value - 2 ** size : value;
}

function isOn(f: FieldLocation, data: DataView): boolean | undefined {
  if (!f.array) {
    const v = readBits(data, f.bitOffset, f.bitSize, f.signed);
    return v === undefined ? undefined : v > 0;
  }
  let on = false;
  for (let s = 0; s < f.array.slots; s++) {
    const v = readBits(data, f.bitOffset + s * f.bitSize, f.bitSize, f.signed);
    if (v === undefined) return undefined;
    if (v === f.array.selector) on = true;
  }
  return on;
}

export type TelephonyState = Partial<Record<InputControl, boolean>>;

/** The controls one input report carries, or null for a report that carries none (another
 *  collection's). A control whose bits lie past the end of a short report is left out rather
 *  than read as off: a truncated report must not look like the hook going down. */
export function parseInputReport(map: TelephonyReportMap, reportId: number, data: DataView): TelephonyState | null {
  const layout = map.input.get(reportId);
  if (!layout) return null;
  const state: TelephonyState = {};
  for (const key of INPUT_CONTROLS) {
    const field = layout.controls[key];
    const on = field && isOn(field, data);
    if (on !== undefined) state[key] = on;
  }
  return state;
}

export type PhoneSituation = 'idle' | 'ringing' | 'in-call';
export type HeadsetIntent = 'answer' | 'hangup' | 'mute-toggle' | 'flash';
export interface HeadsetInterpreter {
  /** What one parsed report asks the phone to do, given what the phone is doing as it arrives. */
  next(state: TelephonyState, situation: PhoneSituation): HeadsetIntent[];
}

/** Turns successive reports into intents. Only changes count, and each only in the situation
 *  it makes sense in: headsets echo the Off-Hook LED we set back as a hook-switch report, so a
 *  hook that goes up while we are already in the call (answered on screen) is that echo, not a
 *  second answer. Phone Mute and Flash are momentary on most headsets, even when described as
 *  absolute: the press (0→1) is the event, the release is not. */
export function createHeadsetInterpreter(): HeadsetInterpreter {
  const last: Record<InputControl, boolean> = { hookSwitch: false, mute: false, flash: false };
  return {
    next(state, situation) {
      const rose = (k: InputControl) => state[k] === true && !last[k];
      const intents: HeadsetIntent[] = [];
      if (rose('hookSwitch') && situation === 'ringing') intents.push('answer');
      if (state.hookSwitch === false && last.hookSwitch && situation === 'in-call') intents.push('hangup');
      if (rose('mute') && situation === 'in-call') intents.push('mute-toggle');
      if (rose('flash') && situation === 'in-call') intents.push('flash');
      for (const k of INPUT_CONTROLS) last[k] = state[k] ?? last[k];
      return intents;
    },
  };
}

export type HeadsetLeds = Readonly<Record<LedName, boolean>>;

/** The output report that lights the LEDs (the one that has most of them), or null when the
 *  device has none. Every other field of that report, the ringer included, is sent as 0. */
export function buildOutputReport(map: TelephonyReportMap, leds: HeadsetLeds): { reportId: number; data: Uint8Array<ArrayBuffer> } | null {
  let best: OutputReportLayout | null = null;
  for (const r of map.output) if (!best || Object.keys(r.leds).length > Object.keys(best.leds).length) best = r;
  if (!best) return null;
  const data = new Uint8Array(best.byteLength);
  for (const name of LED_NAMES) {
    const f = best.leds[name];
    if (f && leds[name]) data[f.bitOffset >> 3] = (data[f.bitOffset >> 3] ?? 0) | (1 << (f.bitOffset & 7));
  }
  return { reportId: best.reportId, data };
}
