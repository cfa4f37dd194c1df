import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { callAudio, SAMPLE_RATE, type Side } from './pcap-audio';
import type { UdpPacket } from './pcap-reader';
import { isPlainProto, META_PREFIX, parseMeta, parseMetaName, sidePorts, type RtpengineMeta } from './rtpengine-meta';

// The calls rtpengine recorded (`minwon sip` runs it with --recording-dir=DIR
// --recording-method=pcap), as the city server takes them: one WAV per call (see pcap-audio.ts),
// with the Call-ID, the numbers Kamailio passed and the times.
//
// A recording is finished when rtpengine has moved its metadata file from DIR/tmp/ to
// DIR/metadata/: it does so after closing the pcap, when the call is deleted (BYE, a failed or
// cancelled call, or its media timeout). A call with any file still in tmp/ is running and never
// taken. Files stay until `done`: a server that dies between taking and storing gets them again
// (the store is idempotent by Call-ID). A call whose files cannot be read goes to DIR/failed/.

/** Where `minwon sip --data DATA` has rtpengine record (DATA/recording-spool). */
export const gatewaySpoolDir = (dataDir: string) => join(dataDir, 'recording-spool');

export interface GatewayRecording {
  callId: string;
  /** The SIP caller: the citizen's number (the trunk's P-Asserted-Identity, else From) for a PBX call to a desk; the agent for a desk's call out. Null when withheld. */
  caller: string | null;
  /** The number called: the representative number or the desk's own for a PBX call; the citizen's number for a desk's call out. */
  callee: string | null;
  startedAt: Date;
  endedAt: Date;
  /** 8 kHz 16-bit stereo PCM: left the plain (PBX) side, right the desk. */
  wav: Buffer;
}

export interface GatewaySpool {
  /**
   * Finished calls not yet `done`, oldest first: at most `max` (8), and fewer when their audio
   * passes `maxBytes` (128 MiB; always at least one). Call again until it returns none.
   */
  takeFinished(o?: { max?: number; maxBytes?: number }): Promise<GatewayRecording[]>;
  /** The call is stored: its spool files go. */
  done(callId: string): void;
}

export interface SpoolDeps {
  clock: () => Date;
  log: (line: string) => void;
}

/** I/O errors other than a broken file are tried again this many times before the call is set aside. */
const IO_TRIES = 3;
/**
 * A recording in tmp/ whose files nothing wrote for this long is not a call in progress: rtpengine
 * ends a call after 60 s without media (an hour when on hold) and writes every packet it gets. Its
 * rtpengine was killed without `minwon sip` seeing it (see rescueInterruptedRecordings).
 */
const STALE_MS = 3 * 3600 * 1000;

const list = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
};

/** Recording keys by Call-ID, of the metadata files in `dir` ending in `ext`. */
function byCall(dir: string, ext: '.txt' | '.tmp'): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const name of list(dir)) {
    if (!name.startsWith(META_PREFIX) || !name.endsWith(ext)) continue;
    const parsed = parseMetaName(name);
    if (!parsed) continue;
    calls.set(parsed.callId, [...(calls.get(parsed.callId) ?? []), parsed.key]);
  }
  return calls;
}

export function createGatewaySpool(dir: string, deps: SpoolDeps): GatewaySpool {
  const metaFile = (key: string) => join(dir, 'metadata', `${META_PREFIX}${key}.txt`);
  const pcapFile = (key: string) => join(dir, 'pcaps', `${key}.pcap`);
  /** What each take handed out, so that `done` removes exactly that. */
  const taken = new Map<string, string[]>();
  const ioFailures = new Map<string, number>();

  const setAside = (callId: string, keys: string[], why: string) => {
    const failed = join(dir, 'failed');
    mkdirSync(failed, { recursive: true });
    for (const key of keys) {
      for (const [from, name] of [[metaFile(key), `${META_PREFIX}${key}.txt`], [pcapFile(key), `${key}.pcap`]] as const) {
        try {
          renameSync(from, join(failed, name));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    }
    ioFailures.delete(callId);
    deps.log(`gateway recording of call ${callId} cannot be read (${why}): its files are in ${failed}`);
  };

  const rescueStale = () => {
    const now = deps.clock().getTime();
    const lastWrite = (file: string) => {
      try {
        return statSync(file).mtimeMs;
      } catch {
        return 0;
      }
    };
    for (const [callId, keys] of byCall(join(dir, 'tmp'), '.tmp')) {
      for (const key of keys) {
        const tmp = join(dir, 'tmp', `${META_PREFIX}${key}.tmp`);
        if (now - Math.max(lastWrite(tmp), lastWrite(pcapFile(key))) < STALE_MS) continue;
        mkdirSync(join(dir, 'metadata'), { recursive: true });
        try {
          renameSync(tmp, metaFile(key));
        } catch (e) {
          // rtpengine finished it after all, just now.
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
        deps.log(`gateway recording of call ${callId} was abandoned by its rtpengine (nothing written for ${STALE_MS / 3_600_000} h): kept up to its last packet`);
      }
    }
  };

  const read = (callId: string, keys: string[]): GatewayRecording => {
    const metas: RtpengineMeta[] = keys.map((k) => parseMeta(readFileSync(metaFile(k), 'utf8')));
    const ports = sidePorts(metas);
    // Who sent a packet: the side whose SDP named its destination port. Recording starts with the
    // answer, whose SDP (the first in the file) goes to the caller: the ports facing the callee
    // are named only if a re-INVITE's SDP does. So a packet to a port no SDP named is its source's
    // side (a phone sends from one address), else the callee's.
    const callee = metas.map((m) => m.sdps[0]?.media[0]).map((m) => (m ? (isPlainProto(m.proto) ? 'web' : 'plain') : null));
    const otherwise: Side | null = callee.every((s) => s === callee[0]) ? (callee[0] ?? null) : null;
    const sidesOf = (packets: readonly UdpPacket[]): (Side | null)[] => {
      const byPort = packets.map((u): Side | null => (ports.plain.has(u.dst.port) ? 'plain' : ports.web.has(u.dst.port) ? 'web' : null));
      const bySource = new Map<string, Side>();
      packets.forEach((u, i) => {
        const side = byPort[i];
        if (side) bySource.set(`${u.src.address} ${u.src.port}`, side);
      });
      return packets.map((u, i) => byPort[i] ?? bySource.get(`${u.src.address} ${u.src.port}`) ?? otherwise);
    };
    const audio = callAudio(
      keys.map((k, i) => ({ pcap: readFileSync(pcapFile(k)), tolerateTruncatedTail: !(metas[i] as RtpengineMeta).finished })),
      sidesOf,
    );
    // Key presses and comfort noise are expected; another codec means a side was silenced here.
    const codecs = new Map(metas.flatMap((m) => m.sdps.flatMap((s) => s.media.flatMap((x) => Object.entries(x.codecs)))));
    const expected = (why: string) => why === 'rtcp' || /^(telephone-event|CN)$/i.test(codecs.get(why.replace(/^pt /, '')) ?? '');
    const skipped = Object.entries(audio.skipped).filter(([why]) => !expected(why));
    if (skipped.length) deps.log(`gateway recording of call ${callId}: left out ${skipped.map(([why, n]) => `${n} (${why})`).join(', ')}`);
    // Without audio, the times rtpengine noted (or the files' own).
    const fileMs = () => Math.max(...keys.map((k) => statSync(metaFile(k)).mtimeMs));
    const startMs = audio.startMs ?? Math.min(...metas.flatMap((m) => m.sdps.map((s) => s.startedMs ?? Infinity)), fileMs());
    const endMs = audio.startMs !== null ? audio.startMs + (audio.samples * 1000) / SAMPLE_RATE : Math.max(startMs, ...metas.map((m) => m.terminatedMs ?? 0));
    const meta = Object.assign({}, ...metas.map((m) => m.metadata)) as Record<string, string>;
    return { callId, caller: meta.caller || null, callee: meta.callee || null, startedAt: new Date(startMs), endedAt: new Date(endMs), wav: audio.wav };
  };

  return {
    async takeFinished(o = {}) {
      const max = o.max ?? 8;
      const maxBytes = o.maxBytes ?? 128 * 1024 * 1024;
      rescueStale();
      // tmp/ first: a recording that finishes meanwhile is then in metadata/, never in neither.
      const running = byCall(join(dir, 'tmp'), '.tmp');
      const finished = byCall(join(dir, 'metadata'), '.txt');
      const age = (keys: string[]) => Math.min(...keys.map((k) => { try { return statSync(metaFile(k)).mtimeMs; } catch { return Infinity; } }));
      const calls = [...finished].filter(([callId]) => !running.has(callId)).map(([callId, keys]) => ({ callId, keys, at: age(keys) }));
      calls.sort((a, b) => a.at - b.at);
      const out: GatewayRecording[] = [];
      let bytes = 0;
      for (const { callId, keys } of calls) {
        if (out.length >= max || (out.length && bytes >= maxBytes)) break;
        try {
          const recording = read(callId, keys);
          taken.set(callId, keys);
          ioFailures.delete(callId);
          out.push(recording);
          bytes += recording.wav.length;
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          // A system error other than a missing file may pass (a full table of open files); a broken file does not.
          const transient = typeof err.code === 'string' && err.code !== 'ENOENT';
          const tries = (ioFailures.get(callId) ?? 0) + 1;
          if (transient && tries < IO_TRIES) {
            ioFailures.set(callId, tries);
            deps.log(`gateway recording of call ${callId} not read (${err.message}): tried again on the next take`);
          } else {
            setAside(callId, keys, err.message);
          }
        }
        // Decoding is CPU work: let the server answer requests between calls.
        await new Promise((r) => setImmediate(r));
      }
      return out;
    },
    done(callId) {
      const keys = taken.get(callId) ?? finishedKeys(dir, callId);
      for (const key of keys) {
        rmSync(pcapFile(key), { force: true });
        // The metadata file last: while it is there the call is taken again.
        rmSync(metaFile(key), { force: true });
      }
      taken.delete(callId);
    },
  };
}

function finishedKeys(dir: string, callId: string): string[] {
  return byCall(join(dir, 'metadata'), '.txt').get(callId) ?? [];
}

/**
 * Recordings a killed rtpengine left in DIR/tmp/ (it never finished them): moved to DIR/metadata/
 * as finished, their pcaps read up to the last whole packet. Only while no rtpengine writes to
 * DIR (`minwon sip` calls it before starting one). Returns how many.
 */
export function rescueInterruptedRecordings(dir: string, deps: Pick<SpoolDeps, 'log'>): number {
  let n = 0;
  for (const name of list(join(dir, 'tmp'))) {
    const parsed = parseMetaName(name);
    if (!name.startsWith(META_PREFIX) || !name.endsWith('.tmp') || !parsed) continue;
    mkdirSync(join(dir, 'metadata'), { recursive: true });
    renameSync(join(dir, 'tmp', name), join(dir, 'metadata', `${META_PREFIX}${parsed.key}.txt`));
    deps.log(`gateway recording of call ${parsed.callId} was interrupted (rtpengine stopped during the call): kept up to its last packet`);
    n++;
  }
  return n;
}
