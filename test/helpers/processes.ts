import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MINWON = fileURLToPath(new URL('../../cli/minwon.js', import.meta.url));

export interface Spawned {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `minwon ARGS` as a real child process (from another checkout `root`: the benches' baseline builds). */
export function spawnMinwon(args: string[], env: Record<string, string> = {}, root = REPO): Spawned {
  const proc = spawn(process.execPath, [join(root, 'cli', 'minwon.js'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  // Decode as streams: a multi-byte character may straddle two chunks.
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Runs `minwon ARGS` to completion. */
export async function runMinwon(args: string[], env: Record<string, string> = {}) {
  const s = spawnMinwon(args, env);
  const { code } = await s.exited;
  return { code, stdout: s.stdout(), stderr: s.stderr() };
}

/** Waits until the process prints a line matching `pattern`; fails if it exits or `ms` pass first. */
export async function waitForOutput(s: Spawned, pattern: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(s.stdout());
    if (m) return m;
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) {
      throw new Error(`process exited before printing ${pattern}: ${s.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stderr: ${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface CityServerProcess extends Spawned {
  url: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** A real city server process over loopback on a free port. */
export async function startCityServerProcess(
  dataDir: string,
  opts: {
    demo?: boolean;
    port?: number;
    tokenTtl?: number;
    sipWs?: string;
    stun?: string;
    /** A postgres:// URL, given as the environment gives it. */
    database?: string;
    /** The secret the PBX signs its IVR requests with (MINWON_PBX_SECRET). */
    pbxSecret?: string;
    trustProxy?: string;
    /** The secret shared with the SMS gateway (MINWON_SMS_SECRET), and the carrier's API. */
    smsSecret?: string;
    smsCarrier?: string;
  } = {},
): Promise<CityServerProcess> {
  const args = ['server', '--data', dataDir, '--port', String(opts.port ?? 0)];
  if (opts.sipWs) args.push('--sip-ws', opts.sipWs);
  if (opts.stun !== undefined) args.push('--stun', opts.stun);
  if (opts.demo) args.push('--demo');
  if (opts.tokenTtl) args.push('--token-ttl', String(opts.tokenTtl));
  if (opts.trustProxy) args.push('--trust-proxy', opts.trustProxy);
  if (opts.smsCarrier) args.push('--sms-carrier', opts.smsCarrier);
  const s = spawnMinwon(args, {
    ...(opts.database ? { MINWON_DATABASE_URL: opts.database } : {}),
    ...(opts.pbxSecret ? { MINWON_PBX_SECRET: opts.pbxSecret } : {}),
    ...(opts.smsSecret ? { MINWON_SMS_SECRET: opts.smsSecret } : {}),
  });
  const m = await waitForOutput(s, /listening on (http:\/\/[\d.]+:\d+)/);
  return {
    ...s,
    url: m[1] as string,
    async stop() {
      if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
      await s.exited;
    },
    async kill() {
      s.proc.kill('SIGKILL');
      await s.exited;
    },
  };
}

export interface CarrierProcess {
  url: string;
  proc: ReturnType<typeof spawnMinwon>['proc'];
  stop(): Promise<void>;
}

/** `minwon carrier`: the SMS carrier's stand-in, sending receipts to the city at `city`. */
export async function startCarrierProcess(city: string, secret: string, opts: { port?: number; receipt?: 'delivered' | 'failed' | 'none'; receiptDelayMs?: number } = {}): Promise<CarrierProcess> {
  const args = ['carrier', '--city', city, '--port', String(opts.port ?? 0)];
  if (opts.receipt) args.push('--receipt', opts.receipt);
  if (opts.receiptDelayMs !== undefined) args.push('--receipt-delay', String(opts.receiptDelayMs));
  const s = spawnMinwon(args, { MINWON_SMS_SECRET: secret });
  const m = await waitForOutput(s, /listening on (http:\/\/[\d.]+:\d+)/);
  return {
    url: m[1] as string,
    proc: s.proc,
    async stop() {
      if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
      await s.exited;
    },
  };
}

export interface SipPorts {
  ws: number;
  sip: number;
  /** rtpengine's control port (a free one when absent). */
  ng?: number;
}

/**
 * `minwon sip` (Kamailio and rtpengine) on a data folder the city server provisioned; resolves
 * once it listens. `pbx` names the trusted PBX trunk addresses (e.g. 127.0.0.1:5090).
 */
export async function startSipProcess(
  dataDir: string,
  ports: SipPorts,
  o: { maxExpires?: number; pbx?: string; bypassMediaGateway?: boolean; /** The city's PostgreSQL database, given as the environment gives it. */ database?: string } = {},
): Promise<Spawned> {
  ports.ng ??= await freePort();
  const s = spawnMinwon(
    [
      'sip', '--data', dataDir, '--ws-port', String(ports.ws), '--sip-port', String(ports.sip), '--ng-port', String(ports.ng),
      ...(o.maxExpires ? ['--max-expires', String(o.maxExpires)] : []),
      ...(o.pbx ? ['--pbx', o.pbx] : []),
      ...(o.bypassMediaGateway ? ['--bypass-media-gateway'] : []),
    ],
    o.database ? { MINWON_DATABASE_URL: o.database } : {},
  );
  await waitForOutput(s, /minwon sip listening on ws:\/\/127\.0\.0\.1:\d+/);
  return s;
}

/** `minwon host` for one account; resolves to the process and the desk's page address. */
export async function startDeskProcess(o: { server: string; cache: string; user: string; password?: string; extra?: string[] }): Promise<Spawned & { url: string }> {
  const s = spawnMinwon(['host', '--server', o.server, '--cache', o.cache, '--user', o.user, '--password', o.password ?? o.user, ...(o.extra ?? [])]);
  return { ...s, url: (await waitForOutput(s, /desk at (http:\S+)/))[1] as string };
}

/** `minwon practice` (the practice phone) for a SIP-only account; resolves to the process and its page. */
export async function startPracticeProcess(o: { server: string; user: string; password?: string }): Promise<Spawned & { url: string }> {
  const s = spawnMinwon(['practice', '--server', o.server, '--user', o.user, '--password', o.password ?? o.user]);
  return { ...s, url: (await waitForOutput(s, /practice phone at (http:\S+)/))[1] as string };
}

/** The pids of the processes whose command line contains `marker` (a party's Chromium: its tone's WAV); throws when there are none. */
export function pidsByCommandLine(marker: string): number[] {
  return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
}

/** The pids of a process's children (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The pid of `parent`'s child process named `name` (e.g. the rtpengine that `minwon sip` started). */
export function childPid(parent: number, name: string): number {
  const pid = childPids(parent).find((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no ${name} process under ${parent}`);
  return pid;
}
