import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { toneAmplitude } from '../../shared/dtmf';
import { freePort } from './ports';
import { waitFor } from './wait';

// baresip (Debian) as a citizen's phone behind the city PBX: plain SIP over UDP, G.711 RTP, no ICE,
// no DTLS. It plays a sine tone from a WAV and records what it hears (the sndfile module), and is
// driven over its ctrl_tcp socket (netstring-framed JSON commands and events).

export interface BaresipEvent {
  type: string;
  param?: string;
  id?: string;
  peeruri?: string;
  direction?: string;
}

export interface Baresip {
  /** The SIP address it sends from and listens on (the PBX trunk's address in these tests). */
  sipPort: number;
  /** The folder its recordings land in (dump-<time>-<call>-dec.wav is what it heard). */
  recordings: string;
  events: BaresipEvent[];
  command(command: string, params?: string): Promise<{ ok: boolean; data: string }>;
  /** Waits for an event of `type` that arrived after `from` events (the index into `events`). */
  waitEvent(type: string, from?: number, ms?: number): Promise<BaresipEvent>;
  stop(): Promise<void>;
}

function netstring(s: string): string {
  return `${Buffer.byteLength(s)}:${s},`;
}

/** Starts baresip as the user `number` on loopback UDP `sipPort`, its microphone a `hz` sine tone, its calls through Kamailio at `proxyPort`. */
export async function startBaresip(dir: string, o: { number: string; sipPort: number; hz: number; proxyPort: number; rtpPorts?: string }): Promise<Baresip> {
  const home = join(dir, `baresip-${o.sipPort}`);
  const recordings = join(home, 'recordings');
  mkdirSync(recordings, { recursive: true });
  const wav = join(home, `tone${o.hz}.wav`);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', wav, 'synth', '300', 'sine', String(o.hz), 'vol', '0.5']);
  const ctrlPort = await freePort();
  // regint=0: the PBX is a trusted peer, it does not register. Answers calls by itself. Sends every
  // new call to Kamailio (`proxyPort`), as a PBX's trunk does, also one it places on a REFER.
  writeFileSync(
    join(home, 'accounts'),
    `<sip:${o.number}@127.0.0.1:${o.sipPort};transport=udp>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA;outbound="sip:127.0.0.1:${o.proxyPort};lr"\n`,
  );
  writeFileSync(
    join(home, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${o.sipPort}`,
      'call_local_timeout 120',
      'call_max_calls 4',
      'audio_player aufile,/dev/null',
      `audio_source aufile,${wav}`,
      'audio_alert aufile,/dev/null',
      'ausrc_format s16',
      'auplay_format s16',
      `rtp_ports ${o.rtpPorts ?? '32000-32999'}`,
      'rtcp_mux no',
      'jitter_buffer_delay 5-10',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module sndfile.so',
      'module_tmp account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `snd_path ${recordings}`,
      // In a loopback-only namespace baresip otherwise finds no address to offer.
      'net_interface 127.0.0.1',
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('baresip', ['-f', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (log += d));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<void>((done) => proc.on('exit', () => done()));

  let socket: Socket | null = null;
  for (let i = 0; i < 100 && !socket; i++) {
    socket = await new Promise<Socket | null>((done) => {
      const s = connect(ctrlPort, '127.0.0.1');
      s.once('connect', () => done(s));
      s.once('error', () => done(null));
    });
    if (!socket) await new Promise((r) => setTimeout(r, 50));
  }
  if (!socket) {
    proc.kill('SIGKILL');
    throw new Error(`baresip did not open its control port: ${log}`);
  }
  const events: BaresipEvent[] = [];
  const waiting = new Map<string, (r: { ok: boolean; data: string }) => void>();
  // Netstring lengths count bytes (a caller's Korean name is several per character).
  let buffer = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const len = Number(buffer.toString('latin1', 0, colon));
      if (buffer.length < colon + 1 + len + 1) return;
      const msg = JSON.parse(buffer.toString('utf8', colon + 1, colon + 1 + len)) as Record<string, unknown>;
      buffer = buffer.subarray(colon + 1 + len + 1);
      if (msg.event) events.push(msg as unknown as BaresipEvent);
      else if (msg.response && typeof msg.token === 'string') waiting.get(msg.token)?.({ ok: msg.ok === true, data: String(msg.data ?? '') });
    }
  });
  let n = 0;
  const ctl = socket;
  return {
    sipPort: o.sipPort,
    recordings,
    events,
    command(command, params) {
      const token = `t${++n}`;
      return new Promise((resolve) => {
        waiting.set(token, resolve);
        ctl.write(netstring(JSON.stringify({ command, params, token })));
      });
    },
    async waitEvent(type, from = 0, ms = 15_000) {
      try {
        return (await waitFor(async () => events.slice(from).find((e) => e.type === type), (e) => e !== undefined, ms)) as BaresipEvent;
      } catch {
        throw new Error(`no baresip event ${type}; saw ${events.slice(from).map((e) => e.type).join(', ')}; log: ${log.slice(-3000)}`);
      }
    },
    async stop() {
      ctl.destroy();
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The recording of what baresip heard in its most recent call (the decoder side). */
export function lastHeardRecording(b: Baresip): string {
  const files = readdirSync(b.recordings).filter((f) => f.endsWith('-dec.wav')).sort();
  if (!files.length) throw new Error(`no recording in ${b.recordings}`);
  return join(b.recordings, files[files.length - 1] as string);
}

/** A tone clearly present in a recording's frame (a 0.5 sine through G.711 reads about 0.3-0.5). */
export const RECORDED_TONE = 0.05;

/** The amplitude of `hz` in each `frameMs` frame of a 16-bit mono WAV (baresip's recordings). */
export function toneTimeline(wavPath: string, hz: number, frameMs = 100): number[] {
  const wav = readFileSync(wavPath);
  const rate = wav.readUInt32LE(24);
  let at = 12;
  while (at + 8 <= wav.length && wav.toString('latin1', at, at + 4) !== 'data') at += 8 + wav.readUInt32LE(at + 4);
  const data = wav.subarray(at + 8);
  const samples = new Float32Array(Math.floor(data.length / 2)).map((_, i) => data.readInt16LE(i * 2) / 32768);
  const per = Math.round((rate * frameMs) / 1000);
  const out: number[] = [];
  for (let i = 0; i + per <= samples.length; i += per) out.push(toneAmplitude(samples.subarray(i, i + per), rate, hz));
  return out;
}

/** Runs of frames where the tone is heard (true) or not (false), e.g. [true, false, true] for heard, held, heard again. */
export function toneRuns(levels: readonly number[], minFrames = 5): boolean[] {
  const runs: { on: boolean; n: number }[] = [];
  for (const level of levels) {
    const on = level > RECORDED_TONE;
    const last = runs[runs.length - 1];
    if (last && last.on === on) last.n++;
    else runs.push({ on, n: 1 });
  }
  // Short blips (a packet or two around a re-INVITE) are not a change of state.
  return runs.filter((r) => r.n >= minFrames).map((r) => r.on).filter((on, i, all) => i === 0 || all[i - 1] !== on);
}
