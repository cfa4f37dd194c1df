import { coreContract, type CoreEvent, type EventName, type MethodName } from '../../shared/contract';
import { createCoreClient, RpcError, type CoreClient, type Timers } from '../../shared/rpc';
import type { LockReason, SessionState, VaultContents } from '../../shared/session';
import { READY, vaultMessageSchema, type CoreStart } from '../core/transport/port-transport';
import type { Logger } from '../core/sync/sync-engine';

/** One running core process, as the supervisor drives it (Electron's UtilityProcess, or a Node child in tests). */
export interface CoreChild {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface CoreSupervisorOptions {
  spawn: () => CoreChild;
  start: CoreStart;
  timers: Timers;
  logger: Logger;
  onEvent: (event: CoreEvent) => void;
  /** The cached sessions changed: the shell keeps them encrypted (safeStorage). */
  onVault?: (contents: VaultContents) => void;
  /** Waits before restart number 1, 2, 3…; the last repeats. */
  restartDelaysMs?: readonly number[];
  /** A core that stayed up this long starts counting its crashes afresh. */
  stableAfterMs?: number;
  /** How long a call waits for a (re)starting core. */
  readyTimeoutMs?: number;
  now?: () => number;
}

export interface CoreSupervisor {
  /** Forwarders for every contract method, for the IPC handler. */
  handlers: { [M in MethodName]: (params: unknown) => Promise<unknown> };
  restarts(): number;
  stop(): void;
}

/**
 * Runs the agent core in its own process so SQLite never blocks the window, and restarts it
 * when it dies. The core's state is its SQLite file, so a restarted core has everything it had;
 * calls in flight when it died fail as 'closed', and new calls wait for the new process.
 */
export function superviseCore(o: CoreSupervisorOptions): CoreSupervisor {
  const delays = o.restartDelaysMs ?? [250, 1000, 3000, 10_000];
  const now = o.now ?? Date.now;
  let crashes = 0;
  let restarts = 0;
  let stopped = false;
  let child: CoreChild | null = null;
  let markReady: (c: CoreClient) => void = () => {};
  /** The running core's client, or a promise of the next one while it (re)starts. */
  let ready = notReady();
  /** The running core's client once it said READY: calls then go straight to it, with no wait set up. */
  let live: CoreClient | null = null;
  // What a restarted process needs to come back as it was: the agent signed in (kept in this
  // process's memory only, never written) and the cached sessions.
  let signedIn = o.start.credentials ?? null;
  let vault: VaultContents = o.start.vault ?? { sessions: [] };
  let locked: LockReason | null = null;
  /** A vault message from the child, or null for anything else. */
  const vaultIn = (text: string): VaultContents | null => {
    if (!text.startsWith('{"type":"vault"')) return null;
    try {
      const m = vaultMessageSchema.safeParse(JSON.parse(text));
      return m.success ? m.data.contents : null;
    } catch {
      return null;
    }
  };
  function notReady(): Promise<CoreClient> {
    return new Promise((resolve) => (markReady = resolve));
  }

  function launch() {
    const startedAt = now();
    const proc = o.spawn();
    child = proc;
    let forward: (text: string) => void = () => {};
    const closeListeners: (() => void)[] = [];
    const client = createCoreClient(
      { send: (t) => proc.send(t), onMessage: (l) => (forward = l), onClose: (l) => closeListeners.push(l) },
      { onBadMessage: (why) => o.logger.warn(`core process: ${why}`) },
    );
    for (const name of Object.keys(coreContract.events) as EventName[]) {
      client.on(name, (data) => o.onEvent({ name, data } as CoreEvent));
    }
    proc.onMessage((text) => {
      const contents = vaultIn(text);
      if (contents) {
        vault = contents;
        o.onVault?.(contents);
        return;
      }
      if (text !== READY) return forward(text);
      live = client;
      markReady(client);
    });
    proc.onExit((code) => {
      closeListeners.forEach((l) => l());
      if (child === proc) child = null;
      if (live === client) live = null;
      ready = notReady();
      if (stopped) return;
      crashes = now() - startedAt >= (o.stableAfterMs ?? 60_000) ? 1 : crashes + 1;
      const delay = delays[Math.min(crashes, delays.length) - 1] ?? 1000;
      o.logger.error(`core process exited (code ${code}); restarting in ${delay} ms`);
      o.timers.setTimeout(() => {
        if (stopped) return;
        restarts += 1;
        launch();
      }, delay);
    });
    proc.send(JSON.stringify({ ...o.start, ...(signedIn ? { credentials: signedIn, ...(locked ? { locked } : {}) } : {}), vault }));
  }

  async function client(): Promise<CoreClient> {
    if (live) return live;
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = o.timers.setTimeout(() => reject(new RpcError('closed', 'the desk engine is restarting')), o.readyTimeoutMs ?? 15_000);
    });
    try {
      return await Promise.race([ready, timeout]);
    } finally {
      o.timers.clearTimeout(timer);
    }
  }

  launch();
  const handlers = Object.fromEntries(
    (Object.keys(coreContract.methods) as MethodName[]).map((m) => [m, async (params: unknown) => (await client()).call(m, params as never)]),
  ) as CoreSupervisor['handlers'];
  const forwardSignIn = handlers.signIn;
  handlers.signIn = async (params) => {
    const result = (await forwardSignIn(params)) as { ok: boolean };
    if (result.ok) {
      const state = await (await client()).call('session', {});
      const password = (params as { password: string }).password;
      if (state.state !== 'signed-out') signedIn = { username: state.user, password };
    }
    return result;
  };
  const forwardSignOut = handlers.signOut;
  handlers.signOut = async (params) => {
    signedIn = null;
    locked = null;
    return forwardSignOut(params);
  };
  // The lock too, so that a restarted core comes back locked.
  const forwardLock = handlers.lock;
  handlers.lock = async (params) => {
    const state = (await forwardLock(params)) as SessionState;
    locked = state.state === 'locked' ? state.reason : null;
    return state;
  };
  const forwardUnlock = handlers.unlock;
  handlers.unlock = async (params) => {
    const result = (await forwardUnlock(params)) as { ok: boolean };
    if (result.ok) locked = null;
    return result;
  };
  return {
    handlers,
    restarts: () => restarts,
    stop() {
      stopped = true;
      child?.kill();
    },
  };
}
