// Classic libpcap files (not pcapng), as rtpengine's pcap recording writes them: each packet is
// a fake IP/UDP header that rtpengine builds around what it received (source: the peer; destination:
// its own socket), with its capture time. Only UDP over IPv4/IPv6 matters here; anything the file
// cannot be is a PcapError naming the byte offset, never a crash or a loop.

export class PcapError extends Error {
  override name = 'PcapError';
}

export interface UdpPacket {
  /** Capture time, microseconds since the epoch. */
  timeUs: number;
  src: { address: string; port: number };
  dst: { address: string; port: number };
  payload: Buffer;
}

// Link types (www.tcpdump.org/linktypes.html). rtpengine writes RAW by default
// (--recording-format=raw) and Ethernet with --recording-format=eth; the others are what tcpdump
// may give, for a pcap made elsewhere.
const LINK_NULL = 0;
const LINK_ETHERNET = 1;
const LINK_RAW = [101, 12, 14];
const LINK_LINUX_SLL = 113;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;
const LINK_LINUX_SLL2 = 276;

/** No RTP packet comes near this; a bigger record length is a broken file, not a packet. */
const MAX_RECORD = 262_144;

export interface PcapReadOptions {
  /**
   * A file whose writer was killed ends mid-record (rtpengine buffers its writes): keep the whole
   * records before the cut instead of failing. Off for files a finished call left.
   */
  tolerateTruncatedTail?: boolean;
}

/** The UDP packets of a pcap file, in file order. Other protocols (and IP fragments) are skipped. */
export function readPcapUdp(file: Buffer, o: PcapReadOptions = {}): UdpPacket[] {
  if (file.length < 24) throw new PcapError(`not a pcap file: ${file.length} bytes, shorter than its 24-byte header`);
  const magic = file.readUInt32LE(0);
  let le: boolean;
  let nanos: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) [le, nanos] = [true, magic === 0xa1b23c4d];
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) [le, nanos] = [false, magic === 0x4d3cb2a1];
  else if (magic === 0x0a0d0d0a) throw new PcapError('a pcapng file: only classic pcap is read (rtpengine writes classic pcap)');
  else throw new PcapError(`not a pcap file (magic 0x${magic.toString(16).padStart(8, '0')})`);
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const major = le ? file.readUInt16LE(4) : file.readUInt16BE(4);
  if (major !== 2) throw new PcapError(`pcap version ${major} is not 2`);
  const linkType = u32(20) & 0xffff;
  const packets: UdpPacket[] = [];
  let at = 24;
  while (at < file.length) {
    if (file.length - at < 16) {
      if (o.tolerateTruncatedTail) break;
      throw new PcapError(`truncated pcap: a record header at byte ${at} is cut off`);
    }
    const sec = u32(at);
    const frac = u32(at + 4);
    const caplen = u32(at + 8);
    if (caplen > MAX_RECORD) throw new PcapError(`malformed pcap: a record of ${caplen} bytes at byte ${at}`);
    if (frac >= (nanos ? 1e9 : 1e6)) throw new PcapError(`malformed pcap: a timestamp fraction of ${frac} at byte ${at}`);
    const start = at + 16;
    if (start + caplen > file.length) {
      if (o.tolerateTruncatedTail) break;
      throw new PcapError(`truncated pcap: the record at byte ${at} needs ${caplen} bytes, ${file.length - start} are left`);
    }
    const timeUs = sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac);
    const udp = udpOf(file.subarray(start, start + caplen), linkType, start);
    if (udp) packets.push({ timeUs, ...udp });
    at = start + caplen;
  }
  return packets;
}

type Udp = Omit<UdpPacket, 'timeUs'>;

function udpOf(frame: Buffer, linkType: number, offset: number): Udp | null {
  const need = (n: number, what: string) => {
    if (frame.length < n) throw new PcapError(`malformed pcap: the packet at byte ${offset} is too short for its ${what}`);
  };
  let ip: number;
  let etherType: number | null = null;
  if (LINK_RAW.includes(linkType) || linkType === LINK_IPV4 || linkType === LINK_IPV6) {
    ip = 0;
  } else if (linkType === LINK_ETHERNET) {
    need(14, 'Ethernet header');
    ip = 14;
    etherType = frame.readUInt16BE(12);
    // 802.1Q tags, one or two
    while (etherType === 0x8100 || etherType === 0x88a8) {
      need(ip + 4, 'VLAN tag');
      etherType = frame.readUInt16BE(ip + 2);
      ip += 4;
    }
  } else if (linkType === LINK_LINUX_SLL) {
    need(16, 'Linux cooked header');
    ip = 16;
    etherType = frame.readUInt16BE(14);
  } else if (linkType === LINK_LINUX_SLL2) {
    need(20, 'Linux cooked header');
    ip = 20;
    etherType = frame.readUInt16BE(0);
  } else if (linkType === LINK_NULL) {
    need(4, 'loopback header');
    ip = 4;
    // The address family, in the writer's byte order: 2 is IPv4; 10 (Linux), 24, 28 or 30 are IPv6.
    const family = Math.min(frame.readUInt32LE(0), frame.readUInt32BE(0));
    etherType = family === 2 ? 0x0800 : [10, 24, 28, 30].includes(family) ? 0x86dd : 0;
  } else {
    throw new PcapError(`pcap link type ${linkType} is not read (raw IP, Ethernet and Linux cooked captures are)`);
  }
  if (etherType !== null && etherType !== 0x0800 && etherType !== 0x86dd) return null;
  need(ip + 1, 'IP header');
  const version = (frame[ip] as number) >> 4;
  let udp: number;
  let end: number;
  let src: string;
  let dst: string;
  if (version === 4) {
    need(ip + 20, 'IPv4 header');
    const headerLength = ((frame[ip] as number) & 0x0f) * 4;
    const total = frame.readUInt16BE(ip + 2);
    if (headerLength < 20 || total < headerLength) throw new PcapError(`malformed pcap: a bad IPv4 header at byte ${offset}`);
    // Fragments: RTP is never fragmented, and a later fragment has no UDP header.
    if ((frame.readUInt16BE(ip + 6) & 0x3fff) !== 0) return null;
    if (frame[ip + 9] !== 17) return null;
    udp = ip + headerLength;
    end = Math.min(frame.length, ip + total);
    src = [...frame.subarray(ip + 12, ip + 16)].join('.');
    dst = [...frame.subarray(ip + 16, ip + 20)].join('.');
  } else if (version === 6) {
    need(ip + 40, 'IPv6 header');
    // rtpengine writes no extension headers; a capture with them is not ours to read.
    if (frame[ip + 6] !== 17) return null;
    udp = ip + 40;
    end = Math.min(frame.length, udp + frame.readUInt16BE(ip + 4));
    src = ipv6(frame.subarray(ip + 8, ip + 24));
    dst = ipv6(frame.subarray(ip + 24, ip + 40));
  } else {
    throw new PcapError(`malformed pcap: IP version ${version} in the packet at byte ${offset}`);
  }
  if (end - udp < 8) throw new PcapError(`malformed pcap: the packet at byte ${offset} is too short for its UDP header`);
  const length = frame.readUInt16BE(udp + 4);
  if (length < 8 || udp + length > end) throw new PcapError(`malformed pcap: a UDP length of ${length} at byte ${offset}`);
  return {
    src: { address: src, port: frame.readUInt16BE(udp) },
    dst: { address: dst, port: frame.readUInt16BE(udp + 2) },
    payload: frame.subarray(udp + 8, udp + length),
  };
}

function ipv6(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}
