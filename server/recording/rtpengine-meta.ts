// rtpengine's metadata file for a recorded call (--recording-method=pcap), as rtpengine 10.5
// writes it (daemon/recording.c): the pcap's path on the first line; then, for every SDP it sent
// on while recording, a block "Timestamp started ms / SDP mode / SDP before RTP packet" and the
// SDP as rewritten (so its ports are rtpengine's own, facing whoever received that SDP); at the
// call's end "Timestamp terminated ms", "call start time", "call end time" and last the call's
// metadata string as Kamailio passed it (`metadata=caller:N|callee:N`).
// While the call runs the file is DIR/tmp/rtpengine-meta-<callid>-<16 hex>.tmp; rtpengine closes
// the pcap, writes the end and moves it to DIR/metadata/<same name>.txt.

export interface SdpMedia {
  port: number;
  /** RTCP's port: the same with rtcp-mux, else a=rtcp or the next port. */
  rtcpPort: number;
  /** `RTP/AVP` for the plain side; `RTP/SAVPF`, `UDP/TLS/RTP/SAVPF` toward a browser. */
  proto: string;
  /** Payload types it offers, by encoding name (a=rtpmap, and the static ones). */
  codecs: Record<number, string>;
}

export interface RtpengineMeta {
  /** The pcap path rtpengine wrote (absolute, as it was at the time). */
  pcapPath: string;
  /** Each SDP rtpengine sent on while recording, with its time (epoch ms). */
  sdps: { mode: string; startedMs: number | null; media: SdpMedia[] }[];
  /** rtpengine ended the recording (the call was deleted); false in a file left by a killed rtpengine. */
  finished: boolean;
  terminatedMs: number | null;
  /** The call's metadata string as key:value pairs separated by `|`. */
  metadata: Record<string, string>;
}

export const META_PREFIX = 'rtpengine-meta-';

/** The static payload types an SDP may list without a=rtpmap (RFC 3551). */
const STATIC_PTS: Record<number, string> = { 0: 'PCMU', 8: 'PCMA', 9: 'G722', 13: 'CN', 18: 'G729' };

/** The call's SIP Call-ID and the recording's key (`<escaped callid>-<16 hex>`) from a metadata file name. */
export function parseMetaName(name: string): { callId: string; key: string } | null {
  const m = /^rtpengine-meta-((.+)-[0-9a-f]{16})\.(txt|tmp)$/.exec(name);
  if (!m) return null;
  try {
    // rtpengine escapes the Call-ID as g_uri_escape_string does (%XX for all but unreserved characters).
    return { callId: decodeURIComponent(m[2] as string), key: m[1] as string };
  } catch {
    return null;
  }
}

export function parseMeta(text: string): RtpengineMeta {
  const lines = text.split(/\r?\n/);
  const pcapPath = (lines[0] ?? '').trim();
  const sdps: RtpengineMeta['sdps'] = [];
  let startedMs: number | null = null;
  let finished = false;
  let terminatedMs: number | null = null;
  let trailer: string[] | null = null;
  for (const line of lines.slice(1)) {
    if (trailer) {
      if (line.trim()) trailer.push(line.trim());
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^Timestamp started ms: ([\d.]+)$/.exec(line))) startedMs = Number(m[1]);
    else if ((m = /^SDP mode: (\w+)$/.exec(line))) sdps.push({ mode: m[1] as string, startedMs, media: [] });
    else if ((m = /^Timestamp terminated ms\(first monologue\): ([\d.]+)$/.exec(line))) terminatedMs = Number(m[1]) || null;
    else if (/^call end time: /.test(line)) {
      finished = true;
      trailer = [];
    } else if ((m = /^m=\w+ (\d+)(?:\/\d+)? (\S+)/.exec(line))) {
      const port = Number(m[1]);
      const codecs: Record<number, string> = {};
      for (const pt of line.split(' ').slice(3).map(Number)) if (STATIC_PTS[pt]) codecs[pt] = STATIC_PTS[pt];
      sdps.at(-1)?.media.push({ port, rtcpPort: port + 1, proto: m[2] as string, codecs });
    } else if ((m = /^a=rtpmap:(\d+) ([\w.-]+)/.exec(line))) {
      const media = sdps.at(-1)?.media.at(-1);
      if (media) media.codecs[Number(m[1])] = m[2] as string;
    } else if ((m = /^a=rtcp:(\d+)/.exec(line))) {
      const media = sdps.at(-1)?.media.at(-1);
      if (media) media.rtcpPort = Number(m[1]);
    } else if (/^a=rtcp-mux\b/.test(line)) {
      const media = sdps.at(-1)?.media.at(-1);
      if (media) media.rtcpPort = media.port;
    }
  }
  const metadata: Record<string, string> = {};
  for (const pair of (trailer ?? []).join('|').split('|')) {
    const at = pair.indexOf(':');
    if (at > 0) metadata[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { pcapPath, sdps, finished, terminatedMs, metadata };
}

/** A plain (PBX) side's SDP carries RTP/AVP; a browser's is secured (SAVP, SAVPF, DTLS). */
export const isPlainProto = (proto: string) => !/SAVP|TLS/i.test(proto);

/**
 * rtpengine's own ports facing each side, from the SDPs it sent: the side that received an SDP
 * sends its media to the ports in it, so a packet's destination port says who sent it.
 */
export function sidePorts(metas: readonly RtpengineMeta[]): { plain: Set<number>; web: Set<number> } {
  const plain = new Set<number>();
  const web = new Set<number>();
  for (const meta of metas) {
    for (const sdp of meta.sdps) {
      for (const m of sdp.media) {
        if (m.port === 0) continue; // a rejected or removed stream
        const side = isPlainProto(m.proto) ? plain : web;
        side.add(m.port);
        side.add(m.rtcpPort);
      }
    }
  }
  return { plain, web };
}
