import * as g711Module from 'alawmulaw';
import { endianness } from 'node:os';
import { PcapError, readPcapUdp, type PcapReadOptions, type UdpPacket } from './pcap-reader';

// A gateway-recorded call as one WAV: 8 kHz, 16-bit PCM, stereo; left what the plain (PBX) side
// sent — the citizen —, right what the WebRTC side sent — the desk, with whatever it mixed in (a
// team lead's barge, an announcement). rtpengine records each packet it received, decrypted, so
// both directions are plain RTP; G.711 (PCMU 0, PCMA 8) is decoded, everything else (telephone-
// event, comfort noise, RTCP, a codec we do not decode) is left out and counted.
//
// The timeline is capture time: a stream that starts later starts later, a pause is silence. Within
// a stream, packets are ordered by sequence number (reordered ones find their place, duplicates
// are dropped) and placed by RTP timestamp, anchored at the earliest arrival (network jitter only
// delays); a timestamp jump that capture time does not confirm (a new sender, a re-INVITE)
// starts a new anchor.

export { PcapError };

// The package is CommonJS (UMD) under Node: its namespace arrives on `default`.
const g711 = (g711Module as unknown as { default?: typeof g711Module }).default ?? g711Module;

export const SAMPLE_RATE = 8000;
/** A run of a stream whose timestamps drift further than this from capture time is cut. */
const MAX_DRIFT_MS = 1000;
/** A recording never spans more than a call may last (Kamailio ends calls after 12 h). */
const MAX_SPAN_MS = 12 * 3600 * 1000 + 60_000;

export type Side = 'plain' | 'web';

export interface CallPcap {
  pcap: Buffer;
  /** Keep what precedes a cut-off last record (a pcap whose writer was killed). */
  tolerateTruncatedTail?: boolean;
}

export interface CallAudio {
  /** The WAV file (RIFF, PCM, 2 channels, 8 kHz, 16 bits). */
  wav: Buffer;
  /** Capture time (epoch ms) of the WAV's first sample; null when no audio was recorded. */
  startMs: number | null;
  /** Samples per channel. */
  samples: number;
  /** Audio packets decoded per side. */
  packets: Record<Side, number>;
  /** Packets left out, by why ("pt 101", "rtcp", "not rtp", "unknown port"). */
  skipped: Record<string, number>;
}

interface RtpPacket {
  timeMs: number;
  seq: number;
  ts: number;
  pt: number;
  payload: Buffer;
}

/** RTP (RFC 3550) from a UDP payload; null for RTCP and whatever is not RTP version 2. */
function parseRtp(b: Buffer): { pt: number; seq: number; ts: number; ssrc: number; payload: Buffer } | 'rtcp' | null {
  if (b.length < 12 || (b[0] as number) >> 6 !== 2) return null;
  const second = b[1] as number;
  // RTCP (rtcp-mux shares the port): packet types 192-223 sit where RTP's marker and type are.
  if (second >= 192 && second <= 223) return 'rtcp';
  let at = 12 + ((b[0] as number) & 0x0f) * 4;
  if ((b[0] as number) & 0x10) {
    if (b.length < at + 4) return null;
    at += 4 + b.readUInt16BE(at + 2) * 4;
  }
  let end = b.length;
  if ((b[0] as number) & 0x20) end -= b[b.length - 1] as number;
  if (end < at) return null;
  return { pt: second & 0x7f, seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(at, end) };
}

/** Signed difference a - b of two 32-bit RTP timestamps. */
const tsDiff = (a: number, b: number) => ((a - b) | 0);

/**
 * The packets of one stream (one SSRC of one side) in sequence order, without duplicates, each
 * with its start in ms on the capture clock.
 */
function placeStream(packets: RtpPacket[]): { atMs: number; packet: RtpPacket }[] {
  // Extend sequence numbers past their 16-bit wrap, in arrival order.
  let last: number | null = null;
  const extended = packets.map((p) => {
    let ext = p.seq;
    if (last !== null) {
      const base = last - (last & 0xffff);
      ext = base + p.seq;
      if (ext - last > 0x8000) ext -= 0x10000;
      else if (last - ext > 0x8000) ext += 0x10000;
    }
    last = last === null ? ext : Math.max(last, ext);
    return { ext, p };
  });
  extended.sort((a, b) => a.ext - b.ext || a.p.timeMs - b.p.timeMs);
  const unique = extended.filter((e, i) => i === 0 || e.ext !== (extended[i - 1] as { ext: number }).ext).map((e) => e.p);
  const placed: { atMs: number; packet: RtpPacket }[] = [];
  let run: { packet: RtpPacket; offsetMs: number }[] = [];
  let anchor = 0;
  let firstTs = 0;
  const flush = () => {
    for (const r of run) placed.push({ atMs: anchor + r.offsetMs, packet: r.packet });
    run = [];
  };
  for (const p of unique) {
    const offsetMs = run.length ? tsDiff(p.ts, firstTs) / (SAMPLE_RATE / 1000) : 0;
    // Where capture time puts the run's start, judging by this packet.
    const startByThis = p.timeMs - offsetMs;
    if (run.length && Math.abs(startByThis - anchor) <= MAX_DRIFT_MS) {
      anchor = Math.min(anchor, startByThis);
      run.push({ packet: p, offsetMs });
      continue;
    }
    flush();
    anchor = p.timeMs;
    firstTs = p.ts;
    run.push({ packet: p, offsetMs: 0 });
  }
  flush();
  return placed;
}

function decode(pt: number, payload: Buffer): Int16Array {
  const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.length);
  return pt === 0 ? g711.mulaw.decode(bytes) : g711.alaw.decode(bytes);
}

/** The WAV header of 16-bit PCM. */
function wavHeader(channels: number, samples: number): Buffer {
  const data = samples * channels * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data, 40);
  return h;
}

/**
 * One call's pcaps (one per recording rtpengine made of it) as a stereo WAV. `sidesOf` tells who
 * sent each packet, from the UDP headers rtpengine wrote (see sidePorts in rtpengine-meta.ts),
 * given them all at once; null: neither, left out.
 */
export function callAudio(pcaps: readonly CallPcap[], sidesOf: (packets: readonly UdpPacket[]) => readonly (Side | null)[]): CallAudio {
  const udp: UdpPacket[] = [];
  const fileOf: number[] = [];
  for (const [file, { pcap, ...o }] of pcaps.entries()) {
    const options: PcapReadOptions = o;
    for (const packet of readPcapUdp(pcap, options)) {
      udp.push(packet);
      fileOf.push(file);
    }
  }
  const sides = sidesOf(udp);
  const streams = new Map<string, { side: Side; packets: RtpPacket[] }>();
  const skipped: Record<string, number> = {};
  const skip = (why: string) => void (skipped[why] = (skipped[why] ?? 0) + 1);
  for (const [i, packet] of udp.entries()) {
    const side = sides[i];
    if (!side) {
      skip('unknown port');
      continue;
    }
    const rtp = parseRtp(packet.payload);
    if (rtp === null || rtp === 'rtcp') {
      skip(rtp ?? 'not rtp');
      continue;
    }
    if (rtp.pt !== 0 && rtp.pt !== 8) {
      skip(`pt ${rtp.pt}`);
      continue;
    }
    // Each recording's streams on their own: two recordings of a call may repeat an SSRC's numbers.
    const key = `${fileOf[i]} ${side} ${rtp.ssrc}`;
    const stream = streams.get(key) ?? { side, packets: [] };
    stream.packets.push({ timeMs: packet.timeUs / 1000, seq: rtp.seq, ts: rtp.ts, pt: rtp.pt, payload: rtp.payload });
    streams.set(key, stream);
  }
  const placed = [...streams.values()].map((s) => ({ side: s.side, packets: placeStream(s.packets) }));
  const all = placed.flatMap((s) => s.packets);
  const packets: Record<Side, number> = { plain: 0, web: 0 };
  if (!all.length) return { wav: wavHeader(2, 0), startMs: null, samples: 0, packets, skipped };
  // A loop, not Math.min(...): an hour's call is more packets than a call's arguments may be.
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const p of all) {
    startMs = Math.min(startMs, p.atMs);
    endMs = Math.max(endMs, p.atMs + p.packet.payload.length / (SAMPLE_RATE / 1000));
  }
  if (endMs - startMs > MAX_SPAN_MS) throw new PcapError(`the recording spans ${Math.round((endMs - startMs) / 3_600_000)} h: its capture times are not a call's`);
  const samples = Math.ceil(((endMs - startMs) * SAMPLE_RATE) / 1000);
  // Written straight into the WAV's interleaved samples (the file is the only copy held); two
  // streams of one side that overlap are mixed, clamped to 16 bits.
  const wav = Buffer.alloc(44 + samples * 4);
  wavHeader(2, samples).copy(wav);
  const pcm16 = new Int16Array(wav.buffer, wav.byteOffset + 44, samples * 2);
  for (const stream of placed) {
    const channel = stream.side === 'plain' ? 0 : 1;
    for (const { atMs, packet } of stream.packets) {
      const pcm = decode(packet.pt, packet.payload);
      const first = Math.round(((atMs - startMs) * SAMPLE_RATE) / 1000);
      for (let i = 0; i < pcm.length && first + i < samples; i++) {
        const at = (first + i) * 2 + channel;
        const v = (pcm16[at] as number) + (pcm[i] as number);
        pcm16[at] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      packets[stream.side]++;
    }
  }
  // WAV is little-endian; typed arrays are the host's order.
  if (endianness() === 'BE') wav.subarray(44).swap16();
  return { wav, startMs, samples, packets, skipped };
}
