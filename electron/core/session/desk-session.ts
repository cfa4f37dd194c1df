import { coreContract, SESSION_METHODS, type AgentHandlers, type CoreEvent, type CoreHandlers, type MethodName, type SessionMethodName } from '../../../shared/contract';
import type { LoginResponse, SipAccount } from '../../../shared/auth';
import { RpcError } from '../../../shared/rpc';
import type { LockReason, SessionState, SignInResult } from '../../../shared/session';
import type { AgentCore } from '../agent-core';
import type { Credentials } from '../sync/city-api';
import type { Logger } from '../sync/sync-engine';
import type { LoginOutcome } from './city-login';
import { checkVerifier, makeVerifier } from './password-verifier';
import { cachedSessionOf, rememberSession, rememberSip, type SessionVault } from './session-vault';

/** What an agent's core is opened with: who, the city's answer to their sign-in if any, the phone's account. */
export interface OpenCoreArgs {
  credentials: Credentials;
  login: LoginResponse | null;
  sip: { get(): SipAccount | null; set(sip: SipAccount): void };
}

export interface DeskSessionOptions {
  /** Opens (and starts) the signed-in agent's core: their own cache file. */
  openCore(args: OpenCoreArgs): AgentCore;
  login(credentials: Credentials): Promise<LoginOutcome>;
  vault: SessionVault;
  clock: () => Date;
  logger: Logger;
}

export interface DeskSession {
  /** Every contract method: the session's own, and the signed-in agent's core's. */
  handlers: CoreHandlers;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  /**
   * Opens a session from credentials the command line or environment gave (the CLI, tests): no
   * sign-in screen; the core signs in with the city server when it syncs, as it always has.
   */
  open(credentials: Credentials, opts?: { locked?: LockReason }): Promise<void>;
  state(): SessionState;
  close(): Promise<void>;
}

const isSessionMethod = (m: MethodName): m is SessionMethodName => (SESSION_METHODS as readonly string[]).includes(m);

/**
 * The desk's session, in front of the agent's core: who is signed in (online, or offline from the
 * cached session), sign-out and the lock. Without a session every other method is refused.
 */
export function createDeskSession(o: DeskSessionOptions): DeskSession {
  let state: SessionState = { state: 'signed-out', lastUser: null };
  // `offline`: signed in without the city's word yet (from the cached session, or the command
  // line's credentials); kept here so a lock and an unlock do not lose it.
  let current: { core: AgentCore; user: string; password: string; offline: boolean; unsubscribe: () => void } | null = null;
  let busy = false;
  const listeners = new Set<(event: CoreEvent) => void>();
  const emit = (event: CoreEvent) => listeners.forEach((l) => l(event));
  const setState = (next: SessionState) => {
    state = next;
    emit({ name: 'session', data: next });
  };

  /** Keeps (refreshes) the agent's cached session: who they are, a check of their password, the phone's account. */
  async function remember(who: { username: string; displayName: string; role: 'agent' | 'lead' }, sip: SipAccount | null, password: string): Promise<void> {
    rememberSession(o.vault, { ...who, verifier: await makeVerifier(password), sip, savedAt: o.clock().toISOString() });
  }

  /** Who the core's city login said the agent is (null until it has logged in). */
  const whoIs = async (core: AgentCore) => {
    const who = await core.handlers.whoAmI({});
    return who && (who.role === 'agent' || who.role === 'lead') ? { username: who.username, displayName: who.displayName, role: who.role } : null;
  };

  function start(credentials: Credentials, login: LoginResponse | null, displayName: string, offline: boolean): void {
    const user = credentials.username;
    const sip = {
      get: () => cachedSessionOf(o.vault, user)?.sip ?? login?.sip ?? null,
      set: (s: SipAccount) => rememberSip(o.vault, user, s),
    };
    const core = o.openCore({ credentials, login, sip });
    const unsubscribe = core.subscribe((event) => {
      emit(event);
      // The city answered: an offline session is online now, under the name the city has.
      if (event.name === 'syncStatus' && event.data.state === 'online' && current?.core === core && current.offline) {
        current.offline = false;
        void whoIs(core).then((who) => {
          if (current?.core !== core || state.state === 'signed-out') return;
          const displayName = who?.displayName ?? state.displayName;
          setState(state.state === 'signed-in' ? { ...state, displayName, offline: false } : { ...state, displayName });
        });
      }
    });
    current = { core, user, password: credentials.password, offline, unsubscribe };
    setState({ state: 'signed-in', user, displayName, offline });
  }

  async function signIn(p: { username: string; password: string; offline: boolean }): Promise<SignInResult> {
    const credentials = { username: p.username.trim(), password: p.password };
    if (current) {
      // Signed in already (a second window, a double click): the same agent is fine, another is not.
      return current.user === credentials.username && current.password === credentials.password ? { ok: true, offline: current.offline } : { ok: false, reason: 'busy', cachedSessionAvailable: false };
    }
    if (busy) return { ok: false, reason: 'busy', cachedSessionAvailable: false };
    busy = true;
    try {
      const cached = cachedSessionOf(o.vault, credentials.username);
      if (p.offline) {
        if (!cached) return { ok: false, reason: 'no-cached-session', cachedSessionAvailable: false };
        if (!(await checkVerifier(cached.verifier, credentials.password))) return { ok: false, reason: 'wrong-password', cachedSessionAvailable: true };
        o.logger.info(`session: ${credentials.username} signed in offline, from the cached session`);
        start({ username: cached.username, password: credentials.password }, null, cached.displayName, true);
        return { ok: true, offline: true };
      }
      const outcome = await o.login(credentials);
      if (!outcome.ok) {
        o.logger.warn(`session: sign-in of ${JSON.stringify(credentials.username)} refused: ${outcome.detail}`);
        return { ok: false, reason: outcome.reason, cachedSessionAvailable: outcome.reason === 'unreachable' && cached !== null };
      }
      const { user } = outcome.login;
      // cityLogin refuses every account without a desk (staff phones, the portal's): this is an agent or a lead.
      if (user.role === 'agent' || user.role === 'lead') await remember({ username: user.username, displayName: user.displayName, role: user.role }, outcome.login.sip, credentials.password);
      // The city's spelling of the name from here on (it names the agent's cache file).
      start({ username: user.username, password: credentials.password }, outcome.login, user.displayName, false);
      return { ok: true, offline: false };
    } finally {
      busy = false;
    }
  }

  async function signOut(): Promise<boolean> {
    if (!current) return false;
    const { core, user, unsubscribe } = current;
    current = null;
    unsubscribe();
    await core.close();
    o.logger.info(`session: ${user} signed out`);
    setState({ state: 'signed-out', lastUser: user });
    return true;
  }

  const own: Pick<CoreHandlers, SessionMethodName> = {
    session: () => state,
    signIn: (p) => signIn(p),
    signOut: async () => ({ signedOut: await signOut() }),
    lock: ({ reason }: { reason: LockReason }) => {
      if (state.state === 'signed-in') setState({ state: 'locked', user: state.user, displayName: state.displayName, reason });
      return state;
    },
    unlock: async ({ password }) => {
      if (state.state !== 'locked' || !current) return { ok: state.state === 'signed-in' };
      const cached = cachedSessionOf(o.vault, current.user);
      // Checked on this desk: the lock works the same with the city server down.
      const ok = cached ? await checkVerifier(cached.verifier, password) : password === current.password;
      if (ok && state.state === 'locked') setState({ state: 'signed-in', user: state.user, displayName: state.displayName, offline: current.offline });
      return { ok };
    },
  };
  const handlers = Object.fromEntries(
    (Object.keys(coreContract.methods) as MethodName[]).map((m) => [
      m,
      isSessionMethod(m)
        ? own[m]
        : (params: unknown) => {
            if (!current) throw new RpcError('signed-out', 'no agent is signed in at this desk');
            return (current.core.handlers[m as keyof AgentHandlers] as (p: unknown) => unknown)(params);
          },
    ]),
  ) as CoreHandlers;

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async open(credentials, opts = {}) {
      if (current) throw new Error('a session is open already');
      // Offline until the core's first sync: nobody has checked these credentials yet.
      start(credentials, null, cachedSessionOf(o.vault, credentials.username)?.displayName ?? credentials.username, true);
      if (opts.locked) own.lock({ reason: opts.locked });
      const core = (current as { core: AgentCore } | null)?.core as AgentCore;
      // Cached for an offline sign-in later, once the core's login has said who this is.
      const off = core.subscribe((event) => {
        if (event.name !== 'phoneAccount') return;
        off();
        void whoIs(core).then((who) => who && remember(who, event.data, credentials.password));
      });
    },
    state: () => state,
    async close() {
      await signOut();
    },
  };
}
