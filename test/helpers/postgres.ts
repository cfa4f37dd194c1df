import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports';

/** A PostgreSQL server of a test's own: Debian's binaries, a temporary cluster on loopback. */
export interface TestPostgres {
  port: number;
  /** The URL of a new, empty database on this server. */
  database(name?: string): Promise<string>;
  /** Stops the server (fast: open connections are cut) and starts it again, as an operator's restart would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = '/usr/lib/postgresql';

function binDir(): string {
  let versions: string[] = [];
  try {
    versions = readdirSync(ROOT).filter((v) => /^\d+$/.test(v));
  } catch {
    // reported below
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL is not installed (no ${ROOT}/VERSION/bin): apt-get install postgresql`);
  return join(ROOT, newest, 'bin');
}

let databases = 0;

/**
 * Starts a cluster in a temporary folder, listening on 127.0.0.1 and a socket in that folder.
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user and
 * its programs run as that user. `durable: false` (the default) turns fsync off, for speed; the
 * crash tests keep it on.
 */
export async function startPostgres(o: { durable?: boolean } = {}): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'minwon-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const pwUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const pwGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, pwUid, pwGid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', ...(o.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'])];
  run('pg_ctl', ['-D', data, '-o', settings.join(' '), '-l', join(dir, 'server.log'), '-w', 'start']);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    async database(name = `minwon_${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async restart() {
      // Not blocking this process: its clients go on while the server is down.
      const args = ['-D', data, '-o', settings.join(' '), '-l', join(dir, 'server.log'), '-m', 'fast', '-w', 'restart'];
      await promisify(execFile)(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args] : args);
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
