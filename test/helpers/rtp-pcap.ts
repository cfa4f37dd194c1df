import * as g711Module from 'alawmulaw';

// RTP as rtpengine's pcap recording holds it, made by the tests: G.711 tones, RTP packets, and
// classic pcap files around them (raw IP as rtpengine writes, or Ethernet; either byte order;
// micro- or nanosecond stamps), plus what reads the WAV back: its channels and a Goertzel filter
// to tell whether a tone is in them.

const g711 = (g711Module as unknown as { default?: typeof g711Module }).default ?? g711Module;

export const RATE = 8000;

/** `samples` of a `hz` sine at half scale, as 16-bit samples, from sample `from` of the tone. */
export function sine(hz: number, samples: number, from = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(16_000 * Math.sin((2 * Math.PI * hz * (from + i)) / RATE));
  return out;
}

export function g711Encode(pt: 0 | 8, pcm: Int16Array): Buffer {
  return Buffer.from(pt === 0 ? g711.mulaw.encode(pcm) : g711.alaw.encode(pcm));
}

export interface RtpFields {
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
  marker?: boolean;
  /** A header extension (as browsers add), in 32-bit words. */
  extensionWords?: number;
  /** Padding bytes at the end (P bit). */
  padding?: number;
}

export function rtp(f: RtpFields): Buffer {
  const ext = f.extensionWords ?? 0;
  const head = Buffer.alloc(12 + (ext ? 4 + ext * 4 : 0));
  head[0] = 0x80 | (ext ? 0x10 : 0) | (f.padding ? 0x20 : 0);
  head[1] = (f.marker ? 0x80 : 0) | f.pt;
  head.writeUInt16BE(f.seq & 0xffff, 2);
  head.writeUInt32BE(f.ts >>> 0, 4);
  head.writeUInt32BE(f.ssrc >>> 0, 8);
  if (ext) {
    head.writeUInt16BE(0xbede, 12);
    head.writeUInt16BE(ext, 14);
    head.fill(0x5a, 16);
  }
  const pad = f.padding ? Buffer.alloc(f.padding, 0) : Buffer.alloc(0);
  if (f.padding) pad[f.padding - 1] = f.padding;
  return Buffer.concat([head, f.payload, pad]);
}

export interface Captured {
  timeMs: number;
  /** "ip:port" (IPv6 in brackets: "[::1]:4000"). */
  src: string;
  dst: string;
  data: Buffer;
}

export interface ToneStream {
  hz: number;
  pt: 0 | 8;
  startMs: number;
  seconds: number;
  ssrc: number;
  src: string;
  dst: string;
  seq0?: number;
  ts0?: number;
  /** Packet indexes not sent (a gap). */
  drop?: (i: number) => boolean;
}

/** A tone as 20 ms RTP packets, each captured at its send time. */
export function toneStream(s: ToneStream): Captured[] {
  const out: Captured[] = [];
  const count = Math.round((s.seconds * 1000) / 20);
  for (let i = 0; i < count; i++) {
    if (s.drop?.(i)) continue;
    const payload = g711Encode(s.pt, sine(s.hz, 160, i * 160));
    out.push({ timeMs: s.startMs + i * 20, src: s.src, dst: s.dst, data: rtp({ pt: s.pt, seq: (s.seq0 ?? 1000) + i, ts: (s.ts0 ?? 50_000) + i * 160, ssrc: s.ssrc, payload }) });
  }
  return out;
}

function endpoint(text: string): { address: Buffer; port: number; v6: boolean } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!m) throw new Error(`not an endpoint: ${text}`);
  const host = m[1] as string;
  if (!host.includes(':')) return { address: Buffer.from(host.split('.').map(Number)), port: Number(m[2]), v6: false };
  const [head = '', tail = ''] = host.split('::');
  const parts = (s: string) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = host.includes('::') ? [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  const address = Buffer.alloc(16);
  groups.forEach((g, i) => address.writeUInt16BE(g, i * 2));
  return { address, port: Number(m[2]), v6: true };
}

function ipUdp(c: Captured): Buffer {
  const src = endpoint(c.src);
  const dst = endpoint(c.dst);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(src.port, 0);
  udp.writeUInt16BE(dst.port, 2);
  udp.writeUInt16BE(8 + c.data.length, 4);
  if (src.v6) {
    const ip = Buffer.alloc(40);
    ip[0] = 0x60;
    ip.writeUInt16BE(8 + c.data.length, 4);
    ip[6] = 17;
    ip[7] = 64;
    src.address.copy(ip, 8);
    dst.address.copy(ip, 24);
    return Buffer.concat([ip, udp, c.data]);
  }
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + c.data.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  src.address.copy(ip, 12);
  dst.address.copy(ip, 16);
  return Buffer.concat([ip, udp, c.data]);
}

export interface PcapFormat {
  link?: 'raw' | 'ethernet';
  bigEndian?: boolean;
  nanos?: boolean;
}

/** A classic pcap file of the packets, in the order given. */
export function writePcap(packets: readonly Captured[], f: PcapFormat = {}): Buffer {
  const u32 = (b: Buffer, v: number, at: number) => (f.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const u16 = (b: Buffer, v: number, at: number) => (f.bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const header = Buffer.alloc(24);
  u32(header, f.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(header, 2, 4);
  u16(header, 4, 6);
  u32(header, 65_535, 16);
  u32(header, f.link === 'ethernet' ? 1 : 101, 20);
  const chunks: Buffer[] = [header];
  for (const c of packets) {
    let frame: Buffer = ipUdp(c);
    if (f.link === 'ethernet') {
      const eth = Buffer.alloc(14);
      eth.writeUInt16BE(frame[0] === 0x60 ? 0x86dd : 0x0800, 12);
      frame = Buffer.concat([eth, frame]);
    }
    const record = Buffer.alloc(16);
    const us = Math.round(c.timeMs * 1000);
    u32(record, Math.floor(us / 1e6), 0);
    u32(record, f.nanos ? (us % 1e6) * 1000 : us % 1e6, 4);
    u32(record, frame.length, 8);
    u32(record, frame.length, 12);
    chunks.push(record, frame);
  }
  return Buffer.concat(chunks);
}

/** The two channels of a 16-bit stereo 8 kHz WAV, checking its header on the way. */
export function wavChannels(wav: Buffer): { left: Int16Array; right: Int16Array } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 16) !== 'WAVEfmt ') throw new Error('not a WAV');
  if (wav.readUInt16LE(20) !== 1 || wav.readUInt16LE(22) !== 2 || wav.readUInt32LE(24) !== RATE || wav.readUInt16LE(34) !== 16) throw new Error('not 8 kHz 16-bit stereo PCM');
  if (wav.toString('ascii', 36, 40) !== 'data' || wav.readUInt32LE(40) !== wav.length - 44 || wav.readUInt32LE(4) !== wav.length - 8) throw new Error('WAV sizes do not match the file');
  const n = (wav.length - 44) / 4;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = wav.readInt16LE(44 + i * 4);
    right[i] = wav.readInt16LE(46 + i * 4);
  }
  return { left, right };
}

/**
 * How much of the window's energy is a `hz` tone (0..1; Goertzel). A pure tone reads near 1,
 * another tone or silence near 0.
 */
export function toneShare(samples: Int16Array, hz: number, fromSec: number, toSec: number): number {
  const from = Math.round(fromSec * RATE);
  const to = Math.min(samples.length, Math.round(toSec * RATE));
  const n = to - from;
  if (n <= 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (let i = from; i < to; i++) {
    const x = (samples[i] as number) / 32768;
    energy += x * x;
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  if (energy === 0) return 0;
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  // A pure sine of amplitude A: power (N·A/2)², energy N·A²/2, so the share is 1.
  return Math.min(1, (2 * power) / (n * energy));
}

/** Root-mean-square level (0..1) of a window. */
export function rms(samples: Int16Array, fromSec: number, toSec: number): number {
  const from = Math.round(fromSec * RATE);
  const to = Math.min(samples.length, Math.round(toSec * RATE));
  let e = 0;
  for (let i = from; i < to; i++) e += ((samples[i] as number) / 32768) ** 2;
  return to > from ? Math.sqrt(e / (to - from)) : 0;
}
