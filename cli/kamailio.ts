import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sipDbFile } from '../server/store/sip-store';
import { spawnDaemon, type Daemon } from './daemon';
import { dispatcherList, type PbxPeer } from './pbx-trunk';

export const KAMAILIO_CFG = fileURLToPath(new URL('../resources/kamailio/kamailio.cfg', import.meta.url));
const PACKAGES = 'kamailio kamailio-websocket-modules kamailio-sqlite-modules kamailio-postgres-modules';

export interface KamailioOptions {
  /** Its run files; and on SQLite, the SIP accounts file the city server provisions (DIR/sip.sqlite). */
  dataDir: string;
  /** The city's PostgreSQL database (postgres://…), where the city server provisions accounts when it runs on it. */
  database?: string;
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
 * Kamailio's own form of a PostgreSQL URL (postgres://user:password@host:port/database): no
 * query, no socket path, and no character its parser would read as a separator.
 */
export function kamailioDbUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('the database URL is not a URL');
  }
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^postgres(ql)?:$/.test(u.protocol) || !u.hostname || !database) throw new Error('the SIP server needs a database URL of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  if (u.search || u.hash) throw new Error('the SIP server cannot take options in the database URL (the part after ?): give them to the PostgreSQL role instead');
  if (/[@/:?#\s]/.test(user + password + database)) throw new Error('the SIP server cannot read a database user, password or name with @ / : ? # or spaces in it');
  const auth = user ? `${user}${password ? `:${password}` : ''}@` : '';
  return `postgres://${auth}${u.hostname}:${u.port || '5432'}/${database}`;
}

/** Refuses to start before the city server has put the SIP accounts where Kamailio reads them. */
async function checkAccounts(o: KamailioOptions): Promise<void> {
  if (!o.database) {
    const db = resolve(sipDbFile(o.dataDir));
    if (!existsSync(db)) throw new Error(`no SIP accounts in ${db}: start the city server on this data folder first`);
    return;
  }
  const client = new pg.Client({ connectionString: o.database });
  try {
    await client.connect();
    await client.query("SELECT table_version FROM version WHERE table_name = 'subscriber'");
  } catch (e) {
    throw new Error(`no SIP accounts in the database (${(e as Error).message}): start the city server on it first`, { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts Debian's Kamailio in the foreground with the project's configuration, its run files in
 * DATA/kamailio-run and digest credentials, presence and waiting calls from DATA/sip.sqlite or
 * from the city's PostgreSQL database (both provisioned by the city server).
 */
export async function startKamailio(o: KamailioOptions, log: (line: string) => void): Promise<RunningKamailio> {
  if (spawnSync('kamailio', ['-v']).error) throw new Error(`kamailio is not installed: apt-get install -y ${PACKAGES}`);
  await checkAccounts(o);
  const run = resolve(join(o.dataDir, 'kamailio-run'));
  mkdirSync(run, { recursive: true });
  const defines = [`WS_PORT=${o.wsPort}`, `SIP_PORT=${o.sipPort}`, `MAX_EXPIRES=${o.maxExpires ?? 3600}`, `RTPE_SOCK="${o.rtpengine}"`];
  // The database URL goes through the environment (kamailio.cfg: #!defenvs): a password in it
  // would otherwise show in the process list.
  let env: Record<string, string> | undefined;
  if (o.database) {
    const url = kamailioDbUrl(o.database);
    defines.push('DB_POSTGRES');
    env = { MINWON_SIP_DBURL: url, MINWON_SIP_SQLCON: `ca=>${url}` };
  } else {
    const db = resolve(sipDbFile(o.dataDir));
    defines.push(`DBURL="sqlite://${db}"`, `SQLCON="ca=>sqlite://${db}"`);
  }
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
    env,
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
