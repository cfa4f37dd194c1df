import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HeadsetIntent, HidCollectionInfo, PhoneSituation } from '../../../../renderer/phone/hid-telephony';
import {
  browserHid,
  requestHeadset,
  startHeadset,
  type HeadsetStatus,
  type HidConnectionEventLike,
  type HidDeviceLike,
  type HidInputReportEventLike,
  type HidLike,
} from '../../../../renderer/phone/headset';

const collections = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../../fixtures/hid/${name}`, import.meta.url), 'utf8')) as { collections: HidCollectionInfo[] }).collections;
const bytes = (hex: string) => new DataView(Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16)).buffer);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const off = { offHook: false, ring: false, mute: false, hold: false };

class FakeDevice implements HidDeviceLike {
  opened = false;
  opens = 0;
  closes = 0;
  sent: [number, number[]][] = [];
  openError: Error | null = null;
  sendError: Error | null = null;
  readonly listeners = new Set<(e: HidInputReportEventLike) => void>();
  readonly collections: HidCollectionInfo[];
  constructor(
    readonly productName: string,
    fixture: string,
  ) {
    this.collections = collections(fixture);
  }
  async open() {
    this.opens++;
    if (this.openError) throw this.openError;
    this.opened = true;
  }
  async close() {
    this.closes++;
    this.opened = false;
  }
  async sendReport(reportId: number, data: Uint8Array<ArrayBuffer>) {
    if (this.sendError) throw this.sendError;
    this.sent.push([reportId, [...data]]);
  }
  addEventListener(_type: 'inputreport', l: (e: HidInputReportEventLike) => void) {
    this.listeners.add(l);
  }
  removeEventListener(_type: 'inputreport', l: (e: HidInputReportEventLike) => void) {
    this.listeners.delete(l);
  }
  input(reportId: number, hex: string) {
    for (const l of this.listeners) l({ reportId, data: bytes(hex) });
  }
}

class FakeHid implements HidLike {
  requests: unknown[] = [];
  chooser: () => Promise<HidDeviceLike[]> = async () => [];
  readonly listeners = { connect: new Set<(e: HidConnectionEventLike) => void>(), disconnect: new Set<(e: HidConnectionEventLike) => void>() };
  constructor(public granted: HidDeviceLike[]) {}
  async getDevices() {
    return [...this.granted];
  }
  requestDevice(options: { filters: { usagePage?: number; usage?: number }[] }) {
    this.requests.push(options);
    return this.chooser();
  }
  addEventListener(type: 'connect' | 'disconnect', l: (e: HidConnectionEventLike) => void) {
    this.listeners[type].add(l);
  }
  removeEventListener(type: 'connect' | 'disconnect', l: (e: HidConnectionEventLike) => void) {
    this.listeners[type].delete(l);
  }
  emit(type: 'connect' | 'disconnect', device: HidDeviceLike) {
    for (const l of this.listeners[type]) l({ device });
  }
}

async function setup(granted: FakeDevice[]) {
  const hid = new FakeHid(granted);
  const intents: HeadsetIntent[] = [];
  const statuses: HeadsetStatus[] = [];
  const errors: string[] = [];
  let situation: PhoneSituation = 'idle';
  const headset = startHeadset(hid, () => situation, {
    onIntent: (i) => intents.push(i),
    onStatus: (s) => statuses.push(s),
    onError: (m) => errors.push(m),
  });
  await headset.ready;
  return { hid, headset, intents, statuses, errors, set: (s: PhoneSituation) => void (situation = s) };
}

describe('the headset (WebHID side)', () => {
  it('opens the granted telephony devices only, and says which are in use', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const keyboard = new FakeDevice('Media Keyboard', 'no-telephony.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    poly.opened = true; // another tab of the app opened it already
    const { statuses } = await setup([jabra, keyboard, poly]);
    expect([jabra.opens, keyboard.opens, poly.opens]).toEqual([1, 0, 0]);
    expect([jabra.listeners.size, keyboard.listeners.size, poly.listeners.size]).toEqual([1, 0, 1]);
    expect(statuses.at(-1)).toEqual({ state: 'connected', devices: ['Jabra-style Headset', 'Poly-style Headset'] });
  });

  it('turns each device’s input reports into intents, judged against the phone’s situation as they arrive', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    const f = await setup([jabra, poly]);
    f.set('ringing');
    jabra.input(2, '01');
    f.set('in-call');
    jabra.input(2, '01'); // the Off-Hook LED echoed back
    jabra.input(1, '01'); // volume up
    jabra.input(2, '05');
    jabra.input(2, '01');
    poly.input(8, '0100'); // a second headset lifted during the call: its own first edge, not an answer
    poly.input(8, '0000');
    expect(f.intents).toEqual(['answer', 'mute-toggle', 'hangup']);
  });

  it('drops an unplugged headset and takes it back, with the current LEDs, when it reconnects', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    const f = await setup([jabra, poly]);
    f.set('ringing');
    f.hid.emit('disconnect', jabra);
    expect(f.statuses.at(-1)).toEqual({ state: 'connected', devices: ['Poly-style Headset'] });
    expect(jabra.listeners.size).toBe(0);
    jabra.input(2, '01');
    expect(f.intents).toEqual([]);

    await f.headset.setLeds({ ...off, ring: true });
    expect(poly.sent).toEqual([[9, [0b10]]]);
    expect(jabra.sent).toEqual([]);

    f.hid.emit('connect', jabra);
    await settle();
    expect(f.statuses.at(-1)).toEqual({ state: 'connected', devices: ['Jabra-style Headset', 'Poly-style Headset'] });
    expect(jabra.sent).toEqual([[2, [0b100]]]);
    jabra.input(2, '01');
    expect(f.intents).toEqual(['answer']);

    f.hid.emit('disconnect', jabra);
    f.hid.emit('disconnect', poly);
    expect(f.statuses.at(-1)).toEqual({ state: 'none' });
  });

  it('reports a failing sendReport or open instead of throwing', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    const generic = new FakeDevice('Generic USB Phone', 'generic-phone.device.json');
    jabra.sendError = new Error('Failed to write the report.');
    generic.openError = new Error('Failed to open the device.');
    const f = await setup([jabra, poly, generic]);
    await expect(f.headset.setLeds({ ...off, offHook: true })).resolves.toBeUndefined();
    expect(poly.sent).toEqual([[9, [0b1]]]);
    expect(f.errors).toEqual([
      'could not open Generic USB Phone: Failed to open the device.',
      'could not set the lights of Jabra-style Headset: Failed to write the report.',
    ]);
    expect(f.statuses.at(-1)).toEqual({ state: 'connected', devices: ['Jabra-style Headset', 'Poly-style Headset'] });
  });

  it('asks for telephony devices only, starts using the chosen one, and tells a cancel or a refusal apart', async () => {
    const generic = new FakeDevice('Generic USB Phone', 'generic-phone.device.json');
    const f = await setup([]);
    expect(f.statuses).toEqual([{ state: 'none' }]);
    f.hid.chooser = async () => [generic];
    await expect(f.headset.request()).resolves.toEqual({ state: 'chosen', devices: [generic] });
    expect(f.hid.requests).toEqual([{ filters: [{ usagePage: 0x0b }] }]);
    expect(generic.opens).toBe(1);
    expect(f.statuses.at(-1)).toEqual({ state: 'connected', devices: ['Generic USB Phone'] });

    f.hid.chooser = async () => [];
    await expect(requestHeadset(f.hid)).resolves.toEqual({ state: 'cancelled' });
    f.hid.chooser = () => Promise.reject(new Error('Must be handling a user gesture to show a permission request.'));
    await expect(requestHeadset(f.hid)).resolves.toEqual({ state: 'failed', message: 'Must be handling a user gesture to show a permission request.' });
  });

  it('stops: closes its devices and ignores what comes after', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    const f = await setup([jabra]);
    f.set('ringing');
    f.headset.stop();
    expect([jabra.closes, jabra.listeners.size, f.hid.listeners.connect.size, f.hid.listeners.disconnect.size]).toEqual([1, 0, 0, 0]);
    jabra.input(2, '01');
    f.hid.emit('connect', poly);
    await settle();
    expect(f.intents).toEqual([]);
    expect(poly.opens).toBe(0);
  });

  it('after stopping, neither a device that finishes opening nor a newly chosen one is used', async () => {
    const jabra = new FakeDevice('Jabra-style Headset', 'jabra-style.device.json');
    const poly = new FakeDevice('Poly-style Headset', 'poly-style.device.json');
    let finishOpening = () => {};
    jabra.open = () => new Promise<void>((resolve) => (finishOpening = resolve));
    const hid = new FakeHid([jabra]);
    hid.chooser = async () => [poly];
    const statuses: HeadsetStatus[] = [];
    const headset = startHeadset(hid, () => 'ringing', { onIntent: () => {}, onStatus: (s) => statuses.push(s) });
    await settle();
    headset.stop();
    finishOpening();
    await headset.ready;
    await expect(headset.request()).resolves.toMatchObject({ state: 'chosen' });
    expect([jabra.closes, jabra.listeners.size, poly.opens]).toEqual([1, 0, 0]);
    expect(statuses).toEqual([{ state: 'none' }]);
  });

  it('reports a failure to list the granted devices', async () => {
    const hid = new FakeHid([]);
    hid.getDevices = () => Promise.reject(new Error('boom'));
    const errors: string[] = [];
    await startHeadset(hid, () => 'idle', { onIntent: () => {}, onError: (m) => errors.push(m) }).ready;
    expect(errors).toEqual(['could not list headsets: boom']);
  });

  it('without WebHID, does nothing and says it is unsupported', async () => {
    expect(browserHid()).toBeUndefined(); // Node has no navigator.hid
    const statuses: HeadsetStatus[] = [];
    const intents: HeadsetIntent[] = [];
    const headset = startHeadset(undefined, () => 'ringing', { onIntent: (i) => intents.push(i), onStatus: (s) => statuses.push(s) });
    await expect(headset.setLeds({ ...off, ring: true })).resolves.toBeUndefined();
    await expect(headset.request()).resolves.toEqual({ state: 'unsupported' });
    await expect(requestHeadset(undefined)).resolves.toEqual({ state: 'unsupported' });
    headset.stop();
    expect(statuses).toEqual([{ state: 'unsupported' }]);
    expect(intents).toEqual([]);
  });
});
