import * as g711Module from 'alawmulaw';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callAudio, PcapError, type Side } from '../../../../server/recording/pcap-audio';
import type { UdpPacket } from '../../../../server/recording/pcap-reader';
import { g711Encode, rms, rtp, sine, toneShare, toneStream, wavChannels, writePcap, type Captured } from '../../../helpers/rtp-pcap';

// Pcaps as rtpengine writes them (each packet it received: source the peer, destination its own
// port facing that peer), made here with known tones: the PBX side 440 Hz in A-law, the desk 1000
// Hz in µ-law.

const g711 = (g711Module as unknown as { default?: typeof g711Module }).default ?? g711Module;

const PBX = '127.0.0.1:40000';
const TOWARD_PBX = '127.0.0.1:30000';
const DESK = '127.0.0.1:50000';
const TOWARD_DESK = '127.0.0.1:30010';
const sideOf1 = (u: UdpPacket): Side | null => (u.dst.port === 30000 || u.dst.port === 30001 ? 'plain' : u.dst.port === 30010 ? 'web' : null);
const sideOf = (packets: readonly UdpPacket[]) => packets.map(sideOf1);
const T0 = 1_790_000_000_000;

const byTime = (...streams: Captured[][]) => streams.flat().sort((a, b) => a.timeMs - b.timeMs);
const audio = (packets: Captured[]) => callAudio([{ pcap: writePcap(packets) }], sideOf);
/** What a tone sounds like after G.711: the exact samples the WAV must hold. */
const coded = (pt: 0 | 8, hz: number, samples: number, from = 0) => {
  const bytes = new Uint8Array(g711Encode(pt, sine(hz, samples, from)));
  return pt === 0 ? g711.mulaw.decode(bytes) : g711.alaw.decode(bytes);
};

describe('a gateway recording as a stereo WAV', () => {
  it('puts the citizen left and the desk right, each at its own time, with gaps silent and reordered or repeated packets in place', () => {
    // The PBX from 0 to 4 s, missing 1.0-1.5 s; the desk from 1.5 s to 4 s.
    const citizen = toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 4, ssrc: 0x11, src: PBX, dst: TOWARD_PBX, drop: (i) => i >= 50 && i < 75 });
    const desk = toneStream({ hz: 1000, pt: 0, startMs: T0 + 1500, seconds: 2.5, ssrc: 0x22, src: DESK, dst: TOWARD_DESK });
    // Packets 10, 40 and 90 of the desk arrive 50 ms late (after the next ones); 30 arrives twice.
    for (const i of [10, 40, 90]) (desk[i] as Captured).timeMs += 50;
    desk.push({ ...(desk[30] as Captured), timeMs: (desk[30] as Captured).timeMs + 300 });
    const r = audio(byTime(citizen, desk));
    expect(r.startMs).toBe(T0);
    expect(r.samples).toBe(4 * 8000);
    expect(r.packets).toEqual({ plain: 200 - 25, web: 125 });
    const { left, right } = wavChannels(r.wav);
    expect(left.length).toBe(32_000);

    // Left: the citizen's 440 Hz, silent in the gap, never the desk's tone.
    expect(toneShare(left, 440, 0, 1)).toBeGreaterThan(0.95);
    expect(toneShare(left, 1000, 0, 1)).toBeLessThan(0.01);
    expect(rms(left, 1.0, 1.5)).toBe(0);
    expect(toneShare(left, 440, 1.5, 4)).toBeGreaterThan(0.95);
    expect(toneShare(left, 1000, 1.5, 4)).toBeLessThan(0.01);
    // Right: nothing before the desk started, then its 1000 Hz and never the citizen's.
    expect(rms(right, 0, 1.5)).toBe(0);
    expect(toneShare(right, 1000, 1.5, 4)).toBeGreaterThan(0.95);
    expect(toneShare(right, 440, 1.5, 4)).toBeLessThan(0.01);
    // Sample for sample where it belongs: the late packets in their places, the repeat once.
    expect(Array.from(right.subarray(12_000, 32_000))).toEqual(Array.from(coded(0, 1000, 20_000)));
    expect(Array.from(left.subarray(0, 8000))).toEqual(Array.from(coded(8, 440, 8000)));
    expect(Array.from(left.subarray(12_000))).toEqual(Array.from(coded(8, 440, 20_000, 12_000)));
  });

  it('places a new sender (a re-INVITE’s new SSRC) and a jumped timestamp by capture time', () => {
    const first = toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 1, ssrc: 1, src: PBX, dst: TOWARD_PBX });
    // After hold: another SSRC, its timestamps anywhere.
    const second = toneStream({ hz: 440, pt: 8, startMs: T0 + 2000, seconds: 1, ssrc: 2, src: PBX, dst: TOWARD_PBX, ts0: 3_999_000_000, seq0: 7 });
    // The first SSRC again, its timestamp a million ahead of where it was.
    const third = toneStream({ hz: 440, pt: 8, startMs: T0 + 3500, seconds: 0.5, ssrc: 1, src: PBX, dst: TOWARD_PBX, seq0: 1050, ts0: 50_000 + 1_000_000 });
    const desk = toneStream({ hz: 1000, pt: 0, startMs: T0 + 500, seconds: 3.5, ssrc: 3, src: DESK, dst: TOWARD_DESK });
    const { left, right } = wavChannels(audio(byTime(first, second, third, desk)).wav);
    expect(left.length).toBe(4 * 8000);
    expect(toneShare(left, 440, 0, 1)).toBeGreaterThan(0.95);
    expect(rms(left, 1, 2)).toBe(0);
    expect(toneShare(left, 440, 2, 3)).toBeGreaterThan(0.95);
    expect(rms(left, 3, 3.5)).toBe(0);
    expect(toneShare(left, 440, 3.5, 4)).toBeGreaterThan(0.95);
    expect(rms(right, 0, 0.5)).toBe(0);
    expect(toneShare(right, 1000, 0.5, 4)).toBeGreaterThan(0.95);
  });

  it('follows sequence numbers across their wrap', () => {
    const desk = toneStream({ hz: 1000, pt: 0, startMs: T0, seconds: 2, ssrc: 9, src: DESK, dst: TOWARD_DESK, seq0: 65_500, ts0: 0xffff_ff00 });
    // One packet on each side of the wrap arrives late.
    for (const i of [34, 36]) (desk[i] as Captured).timeMs += 45;
    const { right } = wavChannels(audio(byTime(desk)).wav);
    expect(Array.from(right)).toEqual(Array.from(coded(0, 1000, 16_000)));
  });

  it('leaves out telephone-events, comfort noise, RTCP, codecs it does not decode and strangers’ packets, and reads browsers’ header extensions and padding', () => {
    const citizen = toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 1, ssrc: 1, src: PBX, dst: TOWARD_PBX });
    const desk = toneStream({ hz: 1000, pt: 0, startMs: T0, seconds: 1, ssrc: 2, src: DESK, dst: TOWARD_DESK }).map((c, i) => ({
      ...c,
      // What a browser may send: a header extension (audio level, mid) and padding.
      data: rtp({ pt: 0, seq: 1000 + i, ts: 50_000 + i * 160, ssrc: 2, payload: c.data.subarray(12), extensionWords: 2, padding: i % 2 ? 4 : 0 }),
    }));
    const noise: Captured[] = [
      // A key press (RFC 4733), comfort noise, Opus, a receiver report (on the desk's muxed port and the PBX's RTCP port), and someone else.
      { timeMs: T0 + 100, src: PBX, dst: TOWARD_PBX, data: rtp({ pt: 101, seq: 5000, ts: 1, ssrc: 1, payload: Buffer.from([1, 0x8a, 0, 160]) }) },
      { timeMs: T0 + 200, src: DESK, dst: TOWARD_DESK, data: rtp({ pt: 13, seq: 5000, ts: 1, ssrc: 2, payload: Buffer.from([40]) }) },
      { timeMs: T0 + 300, src: DESK, dst: TOWARD_DESK, data: rtp({ pt: 111, seq: 6000, ts: 1, ssrc: 5, payload: Buffer.alloc(80, 0x33) }) },
      { timeMs: T0 + 400, src: DESK, dst: TOWARD_DESK, data: Buffer.from([0x81, 201, 0, 7, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) },
      { timeMs: T0 + 500, src: '127.0.0.1:40001', dst: '127.0.0.1:30001', data: Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, ...Array<number>(20).fill(0)]) },
      { timeMs: T0 + 600, src: '127.0.0.1:9', dst: '127.0.0.1:9999', data: Buffer.from('hello') },
      { timeMs: T0 + 700, src: DESK, dst: TOWARD_DESK, data: Buffer.from('not rtp at all') },
    ];
    const r = audio(byTime(citizen, desk, noise));
    expect(r.skipped).toEqual({ 'pt 101': 1, 'pt 13': 1, 'pt 111': 1, rtcp: 2, 'unknown port': 1, 'not rtp': 1 });
    const { left, right } = wavChannels(r.wav);
    expect(Array.from(left)).toEqual(Array.from(coded(8, 440, 8000)));
    expect(Array.from(right)).toEqual(Array.from(coded(0, 1000, 8000)));
  });

  it('reads Ethernet and raw captures, either byte order, micro- or nanosecond stamps, IPv4 and IPv6 alike', () => {
    const packets = (v6: boolean) =>
      byTime(
        toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 1, ssrc: 1, src: v6 ? '[2001:db8::1]:40000' : PBX, dst: v6 ? '[2001:db8::2]:30000' : TOWARD_PBX }),
        toneStream({ hz: 1000, pt: 0, startMs: T0 + 250, seconds: 1, ssrc: 2, src: v6 ? '[::1]:50000' : DESK, dst: v6 ? '[::1]:30010' : TOWARD_DESK }),
      );
    const reference = callAudio([{ pcap: writePcap(packets(false)) }], sideOf);
    expect(reference.samples).toBe(1.25 * 8000);
    for (const v6 of [false, true]) {
      for (const format of [{ link: 'ethernet' as const }, { bigEndian: true }, { nanos: true }, { link: 'ethernet' as const, bigEndian: true, nanos: true }, {}]) {
        const r = callAudio([{ pcap: writePcap(packets(v6), format) }], sideOf);
        expect(r.wav.equals(reference.wav), JSON.stringify({ v6, format })).toBe(true);
      }
    }
  });

  it('joins a call’s pcaps (one per recording rtpengine made of it) on one timeline', () => {
    const one = toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 1, ssrc: 1, src: PBX, dst: TOWARD_PBX });
    const two = toneStream({ hz: 1000, pt: 0, startMs: T0 + 2000, seconds: 1, ssrc: 2, src: DESK, dst: TOWARD_DESK });
    const r = callAudio([{ pcap: writePcap(two) }, { pcap: writePcap(one) }], sideOf);
    const { left, right } = wavChannels(r.wav);
    expect(r.samples).toBe(3 * 8000);
    expect(toneShare(left, 440, 0, 1)).toBeGreaterThan(0.95);
    expect(rms(left, 1, 3)).toBe(0);
    expect(rms(right, 0, 2)).toBe(0);
    expect(toneShare(right, 1000, 2, 3)).toBeGreaterThan(0.95);
  });

  it('gives an empty WAV for a recording without audio', () => {
    const r = callAudio([{ pcap: writePcap([]) }], sideOf);
    expect(r).toMatchObject({ startMs: null, samples: 0, packets: { plain: 0, web: 0 } });
    expect(wavChannels(r.wav).left.length).toBe(0);
  });

  describe('a pcap it cannot read is a clear error, never a crash or a hang', () => {
    const good = writePcap(toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 0.2, ssrc: 1, src: PBX, dst: TOWARD_PBX }));
    const read = (pcap: Buffer, tolerateTruncatedTail = false) => callAudio([{ pcap, tolerateTruncatedTail }], sideOf);

    it('says a cut-off file is truncated, and keeps its whole records when told the writer was killed', () => {
      for (const cut of [7, 100, good.length - 24 - 5]) {
        expect(() => read(good.subarray(0, good.length - cut))).toThrow(PcapError);
        expect(() => read(good.subarray(0, good.length - cut))).toThrow(/truncated pcap/);
      }
      expect(read(good.subarray(0, good.length - 7), true).packets.plain).toBe(9);
      expect(read(good.subarray(0, 24), true).samples).toBe(0);
    });

    it('names what is wrong with what is not a pcap, or not one it reads', () => {
      expect(() => read(Buffer.alloc(0))).toThrow(/not a pcap file: 0 bytes/);
      expect(() => read(Buffer.from('RIFF....WAVEfmt this is not a capture at all'))).toThrow(/not a pcap file \(magic/);
      const ng = Buffer.from(good);
      ng.writeUInt32LE(0x0a0d0d0a, 0);
      expect(() => read(ng)).toThrow(/pcapng/);
      const link = Buffer.from(good);
      link.writeUInt32LE(147, 20);
      expect(() => read(link)).toThrow(/link type 147/);
      const huge = Buffer.from(good);
      huge.writeUInt32LE(1_000_000_000, 24 + 8);
      expect(() => read(huge)).toThrow(/malformed pcap: a record of 1000000000 bytes/);
      const udp = Buffer.from(good);
      // The first packet's UDP length, past its record.
      udp.writeUInt16BE(5000, 24 + 16 + 20 + 4);
      expect(() => read(udp)).toThrow(/malformed pcap: a UDP length of 5000/);
      const later = writePcap([
        ...toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 0.1, ssrc: 1, src: PBX, dst: TOWARD_PBX }),
        ...toneStream({ hz: 440, pt: 8, startMs: T0 + 13 * 3600_000, seconds: 0.1, ssrc: 1, src: PBX, dst: TOWARD_PBX, seq0: 1010 }),
      ]);
      expect(() => read(later)).toThrow(/spans 13 h/);
    });

    it('throws nothing but PcapError on damaged files, and always returns', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), fc.nat(good.length), (edits, keep) => {
          const damaged = Buffer.from(good.subarray(0, Math.max(keep, 1)));
          for (const [at, value] of edits) if (at < damaged.length) damaged[at] = value;
          try {
            read(damaged);
          } catch (e) {
            if (!(e instanceof PcapError)) throw e;
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
