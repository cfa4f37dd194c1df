import { spawn, type ChildProcess } from 'node:child_process';

// A system daemon run in the foreground under `minwon` (Kamailio, rtpengine): its stderr goes to
// our log line by line, and stopping it waits until it has exited.

export interface Daemon {
  proc: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  running(): boolean;
  stop(): Promise<void>;
}

export function spawnDaemon(command: string, args: readonly string[], log: (line: string) => void): Daemon {
  const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter(Boolean).forEach(log));
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    proc,
    exited,
    running: () => !gone,
    async stop() {
      if (!gone) proc.kill('SIGTERM');
      await exited;
    },
  };
}
