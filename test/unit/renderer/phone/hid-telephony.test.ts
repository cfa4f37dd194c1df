import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildOutputReport,
  buildReportMap,
  createHeadsetInterpreter,
  isTelephonyDevice,
  parseInputReport,
  type HidCollectionInfo,
  type PhoneSituation,
  type TelephonyReportMap,
} from '../../../../renderer/phone/hid-telephony';

interface DeviceFixture {
  productName: string;
  collections: HidCollectionInfo[];
}
type Recorded = { reportId: number; hex: string };
interface ReportsFixture {
  sequences: Record<'answer' | 'mute' | 'flash' | 'redial' | 'hangup' | 'volume', Recorded[]> & { busy?: Recorded[] };
}

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../../fixtures/hid/${name}`, import.meta.url), 'utf8')) as T;
const bytes = (hex: string) => new DataView(Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16)).buffer);

const jabra = fixture<DeviceFixture>('jabra-style.device.json');
const poly = fixture<DeviceFixture>('poly-style.device.json');
const generic = fixture<DeviceFixture>('generic-phone.device.json');
const keyboard = fixture<DeviceFixture>('no-telephony.device.json');
const off = { offHook: false, ring: false, mute: false, hold: false };

/** Feeds recorded reports through parse + interpreter; null marks a report that was not parsed. */
function play(map: TelephonyReportMap, interpreter: ReturnType<typeof createHeadsetInterpreter>, situation: PhoneSituation, reports: Recorded[]) {
  return reports.map((r) => {
    const state = parseInputReport(map, r.reportId, bytes(r.hex));
    return state && interpreter.next(state, situation);
  });
}

describe('the telephony report map', () => {
  it('finds hook, mute and flash and the LEDs of a 32-bit-usage headset in report 2, not in its volume or vendor reports', () => {
    const map = buildReportMap(jabra.collections);
    expect([...map.input.keys()]).toEqual([2]);
    expect(map.input.get(2)?.controls).toEqual({
      hookSwitch: { bitOffset: 0, bitSize: 1, signed: false },
      mute: { bitOffset: 2, bitSize: 1, signed: false },
      flash: { bitOffset: 3, bitSize: 1, signed: false },
    });
    expect(map.output).toEqual([
      {
        reportId: 2,
        byteLength: 1,
        leds: {
          offHook: { bitOffset: 0, bitSize: 1, signed: false },
          mute: { bitOffset: 1, bitSize: 1, signed: false },
          ring: { bitOffset: 2, bitSize: 1, signed: false },
          hold: { bitOffset: 3, bitSize: 1, signed: false },
        },
      },
    ]);
  });

  it('reads usage ranges, and counts the padding before a control in the second byte', () => {
    const map = buildReportMap(poly.collections);
    expect([...map.input.keys()]).toEqual([8]);
    const c = map.input.get(8)?.controls;
    expect([c?.hookSwitch?.bitOffset, c?.flash?.bitOffset, c?.mute?.bitOffset]).toEqual([0, 1, 8]);
    expect(map.output.map((o) => [o.reportId, o.byteLength, o.leds.offHook?.bitOffset, o.leds.ring?.bitOffset, o.leds.mute?.bitOffset, o.leds.hold?.bitOffset])).toEqual([
      [9, 1, 0, 1, 2, 3],
    ]);
  });

  it('takes 16-bit ids with the item’s page (or the collection’s), repeats the last usage over reportCount, and maps array items', () => {
    const map = buildReportMap(generic.collections);
    expect(map.input.get(0)?.controls).toEqual({
      hookSwitch: { bitOffset: 0, bitSize: 1, signed: false },
      // Line Busy Tone fills bits 1 and 2 (its usage repeats), so mute is at 3, not 2.
      mute: { bitOffset: 3, bitSize: 1, signed: false },
      flash: { bitOffset: 4, bitSize: 2, signed: false, array: { slots: 1, selector: 1 } },
    });
    expect(map.output[0]?.leds).toMatchObject({ offHook: { bitOffset: 0 }, ring: { bitOffset: 1 }, mute: { bitOffset: 2 }, hold: { bitOffset: 3 } });
  });

  it('skips usages past reportCount and constant fields that still name a usage', () => {
    const T = (id: number) => 0x0b0000 + id;
    const map = buildReportMap([
      {
        usagePage: 0x0b,
        usage: 0x05,
        inputReports: [
          {
            reportId: 4,
            items: [
              // A range wider than its fields: Hook Switch..Phone Mute over 2 bits holds hook and flash only.
              { usageMinimum: T(0x20), usageMaximum: T(0x2f), reportSize: 1, reportCount: 2 },
              // More usages listed than fields: mute has no field here.
              { usages: [T(0x24), T(0x2f)], reportSize: 1, reportCount: 1 },
              // Reserved, constant: not the device's mute even though it names it.
              { usages: [T(0x2f)], isConstant: true, reportSize: 1, reportCount: 1 },
              { usages: [T(0x2f)], reportSize: 1, reportCount: 1 },
            ],
          },
        ],
      },
    ]);
    expect(map.input.get(4)?.controls).toEqual({
      hookSwitch: { bitOffset: 0, bitSize: 1, signed: false },
      flash: { bitOffset: 1, bitSize: 1, signed: false },
      mute: { bitOffset: 4, bitSize: 1, signed: false },
    });
  });

  it('is empty for a device with no telephony collection, though it has a Mute LED and telephony usages elsewhere', () => {
    expect(isTelephonyDevice(keyboard.collections)).toBe(false);
    expect([jabra, poly, generic].map((d) => isTelephonyDevice(d.collections))).toEqual([true, true, true]);
    const map = buildReportMap(keyboard.collections);
    expect(map.input.size).toBe(0);
    expect(map.output).toEqual([]);
    expect(parseInputReport(map, 3, bytes('03'))).toBeNull();
    expect(buildOutputReport(map, { ...off, mute: true })).toBeNull();
  });
});

describe('parsing input reports', () => {
  const map = buildReportMap(jabra.collections);

  it('reads the state of each control in the report', () => {
    expect(parseInputReport(map, 2, bytes('05'))).toEqual({ hookSwitch: true, mute: true, flash: false });
    expect(parseInputReport(map, 2, bytes('08'))).toEqual({ hookSwitch: false, mute: false, flash: true });
    // Redial and Line Busy Tone are not phone controls here: bits 1 and 4 change nothing.
    expect(parseInputReport(map, 2, bytes('12'))).toEqual({ hookSwitch: false, mute: false, flash: false });
  });

  it('ignores report ids that are not in the map (volume keys, the vendor channel, unknown)', () => {
    for (const id of [1, 5, 7, 0]) expect(parseInputReport(map, id, bytes('ff'))).toBeNull();
  });

  it('leaves out controls past the end of a short report instead of reading them as off', () => {
    expect(parseInputReport(map, 2, bytes(''))).toEqual({});
    const polyMap = buildReportMap(poly.collections);
    expect(parseInputReport(polyMap, 8, bytes('01'))).toEqual({ hookSwitch: true, flash: false });
    expect(parseInputReport(polyMap, 8, bytes('0101'))).toEqual({ hookSwitch: true, flash: false, mute: true });
  });

  it('reads an array item as on only while it holds that usage', () => {
    const g = buildReportMap(generic.collections);
    expect(['01', '11', '21', '31'].map((h) => parseInputReport(g, 0, bytes(h))?.flash)).toEqual([false, true, false, false]);
  });
});

describe('the headset interpreter, on recorded reports', () => {
  const devices: [string, DeviceFixture, ReportsFixture][] = [
    ['Jabra-style', jabra, fixture('jabra-style.reports.json')],
    ['Poly-style', poly, fixture('poly-style.reports.json')],
    ['generic phone', generic, fixture('generic-phone.reports.json')],
  ];

  it.each(devices)('%s: answer, mute press/release, flash, other keys, volume, hang up', (_name, device, { sequences: s }) => {
    const map = buildReportMap(device.collections);
    const h = createHeadsetInterpreter();
    expect(play(map, h, 'ringing', s.answer)).toEqual([['answer']]);
    expect(play(map, h, 'in-call', s.mute)).toEqual([['mute-toggle'], []]);
    expect(play(map, h, 'in-call', s.flash)).toEqual([['flash'], []]);
    expect(play(map, h, 'in-call', s.redial).flat()).toEqual([]);
    expect(play(map, h, 'in-call', s.volume)).toEqual(s.volume.map(() => null));
    if (s.busy) expect(play(map, h, 'in-call', s.busy)).toEqual([[], []]);
    expect(play(map, h, 'in-call', s.hangup)).toEqual([['hangup']]);
  });

  it.each(devices)('%s: the hook echoing our Off-Hook LED after an on-screen answer is not a second answer', (_name, device, { sequences: s }) => {
    const map = buildReportMap(device.collections);
    const h = createHeadsetInterpreter();
    expect(play(map, h, 'in-call', s.answer)).toEqual([[]]);
    // …but putting the headset down afterwards still hangs up.
    expect(play(map, h, 'in-call', s.hangup)).toEqual([['hangup']]);
  });

  it('acts on hook changes only where they make sense', () => {
    const map = buildReportMap(jabra.collections);
    const h = createHeadsetInterpreter();
    expect(play(map, h, 'idle', [{ reportId: 2, hex: '01' }])).toEqual([[]]); // lifted with nothing ringing
    expect(play(map, h, 'ringing', [{ reportId: 2, hex: '01' }])).toEqual([[]]); // already off-hook: no edge
    expect(play(map, h, 'idle', [{ reportId: 2, hex: '00' }])).toEqual([[]]); // our LED cleared after the caller hung up
    expect(play(map, h, 'ringing', [{ reportId: 2, hex: '01' }])).toEqual([['answer']]);
  });

  it('counts every press of a momentary mute, and none while idle or ringing', () => {
    const map = buildReportMap(poly.collections);
    const h = createHeadsetInterpreter();
    const down = { reportId: 8, hex: '0101' };
    const press = [down, { reportId: 8, hex: '0100' }];
    expect(play(map, h, 'idle', press).flat()).toEqual([]);
    expect(play(map, h, 'ringing', press).flat()).toEqual([]);
    expect(play(map, h, 'in-call', [...press, ...press]).flat()).toEqual(['mute-toggle', 'mute-toggle']);
    // A repeated "pressed" report (held key) is not a second press.
    expect(play(map, h, 'in-call', [down, down]).flat()).toEqual(['mute-toggle']);
  });

  it('does not hang up on a truncated report', () => {
    const map = buildReportMap(poly.collections);
    const h = createHeadsetInterpreter();
    expect(play(map, h, 'ringing', [{ reportId: 8, hex: '0100' }])).toEqual([['answer']]);
    expect(play(map, h, 'in-call', [{ reportId: 8, hex: '' }])).toEqual([[]]);
    expect(play(map, h, 'in-call', [{ reportId: 8, hex: '0000' }])).toEqual([['hangup']]);
  });
});

describe('output reports for the LEDs', () => {
  const data = (d: DeviceFixture, leds: Partial<typeof off>) => {
    const out = buildOutputReport(buildReportMap(d.collections), { ...off, ...leds });
    return out && { reportId: out.reportId, data: [...out.data] };
  };

  it('sets the bits of the lit LEDs in the device’s own report, leaving the ringer and the rest at 0', () => {
    expect(data(jabra, { offHook: true, mute: true })).toEqual({ reportId: 2, data: [0b0011] });
    expect(data(jabra, { ring: true })).toEqual({ reportId: 2, data: [0b0100] });
    expect(data(jabra, { offHook: true, hold: true })).toEqual({ reportId: 2, data: [0b1001] });
    expect(data(jabra, {})).toEqual({ reportId: 2, data: [0] });
    expect(data(poly, { offHook: true, ring: true })).toEqual({ reportId: 9, data: [0b0011] });
    expect(data(poly, { mute: true, hold: true })).toEqual({ reportId: 9, data: [0b1100] });
    expect(data(generic, { ring: true, hold: true })).toEqual({ reportId: 0, data: [0b1010] });
  });

  it('is null for a device without telephony LEDs', () => {
    const inputOnly: HidCollectionInfo[] = jabra.collections.map((c) => ({ ...c, outputReports: [] }));
    expect(buildOutputReport(buildReportMap(inputOnly), { ...off, offHook: true })).toBeNull();
    expect(data(keyboard, { offHook: true, mute: true })).toBeNull();
  });
});
