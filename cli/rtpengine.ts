import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rescueInterruptedRecordings } from '../server/recording/gateway-spool';
import { spawnDaemon, type Daemon } from './daemon';

// rtpengine is the media gateway between the PBX's plain RTP (G.711, no ICE, no DTLS) and the
// desks' WebRTC (ICE, DTLS-SRTP, rtcp-mux). Debian's package, userspace forwarding only (no kernel
// module), driven by Kamailio over its ng control protocol.

const PACKAGE = 'rtpengine-daemon';

export interface RtpengineOptions {
  dataDir: string;
  /** UDP port of the ng control socket on loopback (Kamailio's rtpengine_sock). */
  ngPort: number;
  /** Media ports [first, last]: two per call leg. */
  rtpPorts: readonly [number, number];
  /**
   * Where rtpengine records the calls Kamailio asks it to (its pcap method: userspace, no kernel
   * module): metadata/, pcaps/ and tmp/ there, read by the city server (server/recording/gateway-spool.ts).
   * No recording when absent.
   */
  recordingDir?: string;
}

export interface RunningRtpengine extends Daemon {
  ngSocket: string;
}

/** Parses `30000-30999`: at least 16 ports, within the unprivileged range. */
export function parseRtpPorts(text: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const [first, last] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(first >= 1024 && last <= 65_535 && last - first >= 15)) throw new Error(`RTP ports look like 30000-30999 (at least 16, from 1024): ${text}`);
  return [first, last];
}

/** One ng request (`cookie bencoded-dict`): answers whether rtpengine says pong. */
function pingRtpengine(port: number, ms = 300): Promise<boolean> {
  return new Promise((done) => {
    const s = createSocket('udp4');
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      done(ok);
    };
    const timer = setTimeout(() => finish(false), ms);
    s.on('message', (m) => finish(m.toString('latin1').includes('4:pong')));
    s.on('error', () => finish(false));
    s.send('minwon d7:command4:pinge', port, '127.0.0.1');
  });
}

/** Starts Debian's rtpengine in the foreground, its pid file in DATA/rtpengine-run; resolves once ng answers. */
export async function startRtpengine(o: RtpengineOptions, log: (line: string) => void): Promise<RunningRtpengine> {
  if (spawnSync('rtpengine', ['--version']).error) throw new Error(`rtpengine is not installed: apt-get install -y --no-install-recommends ${PACKAGE}`);
  const run = resolve(join(o.dataDir, 'rtpengine-run'));
  mkdirSync(run, { recursive: true });
  const recording: string[] = [];
  if (o.recordingDir) {
    const dir = resolve(o.recordingDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Recordings of calls the last rtpengine was carrying when it stopped (it never finishes those).
    rescueInterruptedRecordings(dir, { log });
    recording.push(`--recording-dir=${dir}`, '--recording-method=pcap');
  }
  const daemon = spawnDaemon(
    'rtpengine',
    // Media on loopback, as the rest of the dev/test stack.
    ['--config-file=none', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${o.ngPort}`, '--foreground', '--log-stderr',
      '--table=-1', `--port-min=${o.rtpPorts[0]}`, `--port-max=${o.rtpPorts[1]}`, `--pidfile=${join(run, 'rtpengine.pid')}`,
      // Notices and above: one line per call event, not per packet.
      '--log-level=5', '--delete-delay=0', ...recording],
    log,
  );
  for (let i = 0; i < 50; i++) {
    if (!daemon.running()) throw new Error('rtpengine exited at start (see its log above)');
    if (await pingRtpengine(o.ngPort, 100)) return { ...daemon, ngSocket: `udp:127.0.0.1:${o.ngPort}` };
  }
  await daemon.stop();
  throw new Error(`rtpengine did not answer on its control port ${o.ngPort}`);
}
