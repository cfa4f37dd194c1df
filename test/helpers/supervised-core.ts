import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CoreEvent } from '../../shared/contract';
import type { VaultContents } from '../../shared/session';
import type { CoreStart } from '../../electron/core/transport/port-transport';
import { superviseCore } from '../../electron/shell/core-supervisor';
import { REPO } from './processes';

/**
 * The shell's core supervisor over real Node processes running the agent core (helpers/core-child.ts
 * speaks the utility process's protocol; Electron itself is not available here). Signed in as agent1
 * unless `credentials` says otherwise (null: the sign-in screen's way, nobody signed in).
 */
export function superviseCoreChildren(o: {
  serverUrl: string;
  cacheFile: string;
  onEvent?: (e: CoreEvent) => void;
  credentials?: { username: string; password: string } | null;
  vault?: VaultContents;
}) {
  const children: ChildProcess[] = [];
  const events: CoreEvent[] = [];
  const log: string[] = [];
  /** The start message each child was sent, in order. */
  const starts: CoreStart[] = [];
  /** Every vault the children sent up. */
  const vaults: VaultContents[] = [];
  const credentials = o.credentials === undefined ? { username: 'agent1', password: 'agent1' } : o.credentials;
  const supervisor = superviseCore({
    spawn: () => {
      const child = fork(join(REPO, 'test/helpers/core-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      children.push(child);
      return {
        send: (text) => {
          if (text.startsWith('{"type":"start"')) starts.push(JSON.parse(text) as CoreStart);
          if (child.connected) child.send(text);
        },
        onMessage: (listener) => child.on('message', (m) => listener(String(m))),
        onExit: (listener) => child.on('exit', (code) => listener(code)),
        kill: () => void child.kill(),
      };
    },
    start: {
      type: 'start',
      cacheFile: o.cacheFile,
      serverUrl: o.serverUrl,
      areaCode: '054',
      ...(credentials ? { credentials } : {}),
      ...(o.vault ? { vault: o.vault } : {}),
      syncIntervalMs: 3_600_000,
    },
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    logger: { info: () => {}, warn: (m) => log.push(m), error: (m) => log.push(m) },
    onEvent: (e) => {
      events.push(e);
      o.onEvent?.(e);
    },
    onVault: (contents) => void vaults.push(contents),
    restartDelaysMs: [100, 500],
  });
  return { supervisor, children, events, log, starts, vaults };
}
