import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sipDbFile } from '../server/store/sip-provisioning';
import { spawnDaemon, type Daemon } from './daemon';
import { dispatcherList, type PbxPeer } from './pbx-trunk';

export const KAMAILIO_CFG = fileURLToPath(new URL('../resources/kamailio/kamailio.cfg', import.meta.url));
const PACKAGES = 'kamailio kamailio-websocket-modules kamailio-sqlite-modules';

export interface KamailioOptions {
  dataDir: string;
  wsPort: number;
  sipPort: number;
  /** The longest registration Kamailio grants, in seconds (default 3600). */
  maxExpires?: number;
  /** rtpengine's ng control socket (udp:127.0.0.1:PORT): bridges the PBX's plain RTP and the desks' WebRTC. */
  rtpengine: string;
  /** The city's PBX trunk: trusted by address, and where agents' outgoing calls to numbers go. */
  pbx?: readonly PbxPeer[];
  /** Negative control for tests: never ask rtpengine, so plain SDP reaches the browser as it is. */
  bypassMediaGateway?: boolean;
}

export interface RunningKamailio extends Daemon {
  wsUrl: string;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}

/**
 * Starts Debian's Kamailio in the foreground with the project's configuration, its run files in
 * DATA/kamailio-run and digest credentials from DATA/sip.sqlite (provisioned by the city server).
 */
export async function startKamailio(o: KamailioOptions, log: (line: string) => void): Promise<RunningKamailio> {
  if (spawnSync('kamailio', ['-v']).error) throw new Error(`kamailio is not installed: apt-get install -y ${PACKAGES}`);
  const db = resolve(sipDbFile(o.dataDir));
  if (!existsSync(db)) throw new Error(`no SIP accounts in ${db}: start the city server on this data folder first`);
  const run = resolve(join(o.dataDir, 'kamailio-run'));
  mkdirSync(run, { recursive: true });
  const defines = [`WS_PORT=${o.wsPort}`, `SIP_PORT=${o.sipPort}`, `DBURL="sqlite://${db}"`, `SQLCON="ca=>sqlite://${db}"`,
    `MAX_EXPIRES=${o.maxExpires ?? 3600}`, `RTPE_SOCK="${o.rtpengine}"`];
  if (o.pbx?.length) {
    // Rewritten at every start: the command line is the one place the trunk is configured.
    const list = join(run, 'pbx-trunk.list');
    writeFileSync(list, dispatcherList(o.pbx));
    defines.push(`PBX_LIST="${list}"`);
  }
  if (o.bypassMediaGateway) defines.push('NO_RTPENGINE');
  const daemon = spawnDaemon(
    'kamailio',
    ['-DD', '-E', '-f', KAMAILIO_CFG, '-Y', run, '-P', join(run, 'kamailio.pid'), '-m', '64', '-M', '8', ...defines.flatMap((d) => ['-A', d])],
    log,
  );
  for (let i = 0; i < 100 && !(await portOpen(o.wsPort)); i++) {
    if (!daemon.running()) throw new Error('kamailio exited at start (see its log above)');
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await portOpen(o.wsPort))) {
    await daemon.stop();
    throw new Error(`kamailio did not open port ${o.wsPort}`);
  }
  return { ...daemon, wsUrl: `ws://127.0.0.1:${o.wsPort}` };
}
