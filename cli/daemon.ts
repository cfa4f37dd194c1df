import { spawn, type ChildProcess } from 'node:child_process';

// A system daemon run in the foreground under `minwon` (Kamailio, rtpengine), in a process group
// of its own: Kamailio forks workers, and a main process that dies alone (SIGKILL) would leave them
// serving its ports. Its stderr goes to our log line by line; stopping it waits until it has exited.

export interface Daemon {
  proc: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it), once the whole group is gone. */
  exited: Promise<number | null>;
  running(): boolean;
  stop(): Promise<void>;
}

/** Signals every process of the group led by `pid`; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** `env`: added to this process's environment (what must not show in the process list). */
export function spawnDaemon(command: string, args: readonly string[], log: (line: string) => void, env?: Record<string, string>): Daemon {
  const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, ...(env ? { env: { ...process.env, ...env } } : {}) });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter(Boolean).forEach(log));
  const exited = new Promise<number | null>((done) =>
    proc.on('exit', (code) => {
      // Whatever the main process left behind goes with it.
      if (proc.pid !== undefined) signalGroup(proc.pid, 'SIGKILL');
      done(code);
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    proc,
    exited,
    running: () => !gone,
    async stop() {
      if (!gone && proc.pid !== undefined) signalGroup(proc.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** Wait before each restart of a daemon that died: 1 s, 3 s, then every 10 s. */
const RESTART_MS = [1_000, 3_000, 10_000];

export interface Supervised<D extends Daemon> {
  /** The daemon running now (a restart replaces it). */
  current(): D;
  stop(): Promise<void>;
}

/**
 * Keeps a daemon up: when it dies it is started again after 1, 3, then 10 s (the count starts over
 * once a start succeeds). `down` says what that means for calls, in the log.
 */
export function supervise<D extends Daemon>(name: string, first: D, start: () => Promise<D>, log: { warn(line: string): void }, down: string): Supervised<D> {
  let daemon = first;
  let stopping = false;
  const keepUp = async () => {
    for (let attempt = 0; ; attempt++) {
      const code = await daemon.exited;
      if (stopping) return;
      const wait = RESTART_MS[Math.min(attempt, RESTART_MS.length - 1)] as number;
      log.warn(`${name} is down (${code ?? 'killed'}); ${down}; starting it in ${wait / 1000} s`);
      await new Promise((r) => setTimeout(r, wait).unref());
      if (stopping) return;
      try {
        daemon = await start();
        if (stopping) return await daemon.stop();
        log.warn(`${name} is back`);
        attempt = -1;
      } catch (e) {
        log.warn(`${name} did not start: ${(e as Error).message}`);
      }
    }
  };
  void keepUp();
  return {
    current: () => daemon,
    async stop() {
      stopping = true;
      await daemon.stop();
    },
  };
}
