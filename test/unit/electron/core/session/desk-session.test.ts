import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AgentCore } from '../../../../../electron/core/agent-core';
import type { LoginOutcome } from '../../../../../electron/core/session/city-login';
import { createDeskSession, type OpenCoreArgs } from '../../../../../electron/core/session/desk-session';
import { checkVerifier, makeVerifier } from '../../../../../electron/core/session/password-verifier';
import { cachedSessionOf, memoryVault, type SessionVault } from '../../../../../electron/core/session/session-vault';
import type { Credentials } from '../../../../../electron/core/sync/city-api';
import type { LoginResponse, SipAccount } from '../../../../../shared/auth';
import { coreContract, SESSION_METHODS, type CoreEvent, type MethodName, type SyncStatus } from '../../../../../shared/contract';
import type { CachedSession, SignInRefusal } from '../../../../../shared/session';
import { testLogger } from '../../../../helpers/core';

const NOW = new Date('2026-12-01T00:00:00.000Z');

const sipOf = (username: string, secret = 'sip-secret-of-' + username): SipAccount => ({
  username,
  domain: 'minwon.city.local',
  password: secret.padEnd(16, '!'),
  wsUrl: 'wss://sip.city.local:8443',
});

const loginOf = (username: string, displayName: string, role: 'agent' | 'lead' = 'agent'): LoginResponse => ({
  token: 't'.repeat(32),
  expiresAt: '2026-12-01T08:00:00.000Z',
  user: { id: `id-${username}`, username, displayName, role },
  sip: sipOf(username),
  monitoringKey: `${'A'.repeat(43)}=`,
});

const online = (state: SyncStatus['state']): CoreEvent => ({
  name: 'syncStatus',
  data: { state, offlineSince: null, lastSyncedAt: NOW.toISOString(), lastError: null, nextAttemptAt: null },
});

type WhoAmI = { username: string; displayName: string; role: 'agent' | 'lead' | 'phone' };

/** Just enough of an agent's core to see what it was opened with and to speak as it. */
function fakeCore(args: OpenCoreArgs) {
  const listeners = new Set<(event: CoreEvent) => void>();
  let who: WhoAmI | null | Promise<WhoAmI | null> = null;
  let closed = false;
  const core = {
    args,
    handlers: {
      whoAmI: () => who,
      search: ({ query }: { query: string }) => ({ hits: [{ id: `hit-for-${query}` }] }),
      phoneAccount: () => args.sip.get(),
    },
    subscribe(listener: (event: CoreEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {},
    async close() {
      closed = true;
    },
    closed: () => closed,
    /** What the city's login said about the agent (the core keeps it once synced). */
    knows: (w: WhoAmI | Promise<WhoAmI | null>) => void (who = w),
    emit: (event: CoreEvent) => listeners.forEach((l) => l(event)),
  };
  return core;
}
type FakeCore = ReturnType<typeof fakeCore>;

function desk(o: { vault?: SessionVault; login?: (c: Credentials) => Promise<LoginOutcome> } = {}) {
  const cores: FakeCore[] = [];
  const vault = o.vault ?? memoryVault();
  const login = vi.fn(o.login ?? (async (c: Credentials): Promise<LoginOutcome> => ({ ok: true, login: loginOf(c.username, `이름 ${c.username}`) })));
  const logger = testLogger();
  const session = createDeskSession({
    openCore: (args) => {
      const core = fakeCore(args);
      cores.push(core);
      return core as unknown as AgentCore;
    },
    login,
    vault,
    clock: () => NOW,
    logger,
  });
  const events: CoreEvent[] = [];
  session.subscribe((e) => events.push(e));
  const h = session.handlers;
  return { session, h, cores, vault, login, logger, events, sessionEvents: () => events.filter((e) => e.name === 'session').map((e) => e.data) };
}

const refused = (reason: SignInRefusal): LoginOutcome => ({ ok: false, reason, detail: `the city said ${reason}` });
const refusedSignedOut = (call: () => unknown) => expect(Promise.resolve().then(call)).rejects.toMatchObject({ name: 'RpcError', code: 'signed-out' });

let agent2Cached: CachedSession;
beforeAll(async () => {
  agent2Cached = { username: 'agent2', displayName: '이상담', role: 'agent', verifier: await makeVerifier('pw-agent2'), sip: sipOf('agent2', 'cached-sip-secret'), savedAt: NOW.toISOString() };
});
const vaultWithAgent2 = () => memoryVault({ sessions: [agent2Cached] });

describe('the desk session before anyone signs in', () => {
  it('refuses every method but its own with "signed-out"', async () => {
    const { h, session } = desk();
    expect(session.state()).toEqual({ state: 'signed-out', lastUser: null });
    expect(await h.session({})).toEqual({ state: 'signed-out', lastUser: null });
    const agentMethods = (Object.keys(coreContract.methods) as MethodName[]).filter((m) => !(SESSION_METHODS as readonly string[]).includes(m));
    expect(agentMethods.length).toBeGreaterThan(20);
    for (const m of agentMethods) await refusedSignedOut(() => (h[m] as (p: unknown) => unknown)({}));
  });

  it('does not lock, and does not unlock, without a session', async () => {
    const { h, sessionEvents } = desk();
    expect(await h.lock({ reason: 'idle' })).toEqual({ state: 'signed-out', lastUser: null });
    expect(await h.unlock({ password: 'anything' })).toEqual({ ok: false });
    expect(await h.signOut({})).toEqual({ signedOut: false });
    expect(sessionEvents()).toEqual([]);
  });
});

describe('signing in with the city server', () => {
  it('opens the core under the city spelling of the name, with the city answer, and caches the session', async () => {
    const city = loginOf('agent2', '이상담');
    const d = desk({ login: async () => ({ ok: true, login: city }) });
    expect(await d.h.signIn({ username: '  agent2 ', password: 'pw-agent2', offline: false })).toEqual({ ok: true, offline: false });
    expect(d.login).toHaveBeenCalledWith({ username: 'agent2', password: 'pw-agent2' });

    expect(d.cores).toHaveLength(1);
    const core = d.cores[0] as FakeCore;
    expect(core.args.credentials).toEqual({ username: 'agent2', password: 'pw-agent2' });
    expect(core.args.login).toEqual(city);
    expect(core.args.sip.get()).toEqual(city.sip);

    const cached = cachedSessionOf(d.vault, 'agent2');
    expect(cached).toMatchObject({ username: 'agent2', displayName: '이상담', role: 'agent', sip: city.sip, savedAt: NOW.toISOString() });
    expect(await checkVerifier((cached as CachedSession).verifier, 'pw-agent2')).toBe(true);
    expect(JSON.stringify(d.vault.read())).not.toContain('pw-agent2');

    const signedIn = { state: 'signed-in', user: 'agent2', displayName: '이상담', offline: false };
    expect(d.sessionEvents()).toEqual([signedIn]);
    expect(await d.h.session({})).toEqual(signedIn);
    expect(await d.h.search({ query: '수도', limit: 10 })).toEqual({ hits: [{ id: 'hit-for-수도' }] });
  });

  it('names the core and the cache after the city account even when the agent typed it otherwise', async () => {
    // The city knows its own users; the name it answers with is the one files and sessions go by.
    const d = desk({ login: async () => ({ ok: true, login: loginOf('lead1', '박팀장', 'lead') }) });
    expect(await d.h.signIn({ username: 'lead1.alias', password: 'pw', offline: false })).toEqual({ ok: true, offline: false });
    expect(d.cores[0]?.args.credentials).toEqual({ username: 'lead1', password: 'pw' });
    expect(cachedSessionOf(d.vault, 'lead1')).toMatchObject({ role: 'lead', displayName: '박팀장' });
    expect(cachedSessionOf(d.vault, 'lead1.alias')).toBeNull();
    expect(d.session.state()).toMatchObject({ state: 'signed-in', user: 'lead1' });
  });

  it.each(['wrong-password', 'locked-out', 'server-error', 'not-a-desk-account'] as const)('passes "%s" through, with no offline sign-in offered, and opens nothing', async (reason) => {
    const d = desk({ vault: vaultWithAgent2(), login: async () => refused(reason) });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: false, reason, cachedSessionAvailable: false });
    expect(d.cores).toHaveLength(0);
    expect(d.session.state()).toEqual({ state: 'signed-out', lastUser: null });
    expect(d.sessionEvents()).toEqual([]);
    expect(d.logger.lines.some((l) => l.startsWith('warn') && l.includes(reason))).toBe(true);
    // Nothing of a refused sign-in is cached.
    expect(d.vault.read()).toEqual({ sessions: [agent2Cached] });
  });

  it('offers an offline sign-in when the city is out of reach and this desk has the agent cached', async () => {
    const d = desk({ vault: vaultWithAgent2(), login: async () => refused('unreachable') });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: true });
    // Another agent was never cached here.
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false })).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: false });
    expect(d.cores).toHaveLength(0);
  });

  it('offers no offline sign-in on an unreachable city without a cached session', async () => {
    const d = desk({ login: async () => refused('unreachable') });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: false });
  });
});

describe('signing in offline from the cached session', () => {
  it('opens the core offline with the cached phone account, without asking the city', async () => {
    const d = desk({ vault: vaultWithAgent2(), login: async () => refused('unreachable') });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: true })).toEqual({ ok: true, offline: true });
    expect(d.login).not.toHaveBeenCalled();
    const core = d.cores[0] as FakeCore;
    expect(core.args.credentials).toEqual({ username: 'agent2', password: 'pw-agent2' });
    expect(core.args.login).toBeNull();
    expect(core.args.sip.get()).toEqual(agent2Cached.sip);
    expect(await d.h.phoneAccount({})).toEqual(agent2Cached.sip);
    expect(d.sessionEvents()).toEqual([{ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: true }]);

    // A new secret from the city lands in the cached session.
    const rotated = sipOf('agent2', 'rotated-sip-secret');
    core.args.sip.set(rotated);
    expect(cachedSessionOf(d.vault, 'agent2')?.sip).toEqual(rotated);
    expect(core.args.sip.get()).toEqual(rotated);
  });

  it('refuses a wrong password against the cached verifier', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent1', offline: true })).toEqual({ ok: false, reason: 'wrong-password', cachedSessionAvailable: true });
    expect(d.cores).toHaveLength(0);
    expect(d.session.state().state).toBe('signed-out');
  });

  it('refuses an agent this desk has no cached session for', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: true })).toEqual({ ok: false, reason: 'no-cached-session', cachedSessionAvailable: false });
    expect(d.cores).toHaveLength(0);
    expect(d.login).not.toHaveBeenCalled();
  });

  it('goes online when the core reaches the city, under the name the city has now', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: true });
    const core = d.cores[0] as FakeCore;
    core.emit(online('offline'));
    core.emit(online('syncing'));
    await new Promise((r) => setImmediate(r));
    expect(d.session.state()).toMatchObject({ offline: true });

    core.knows({ username: 'agent2', displayName: '이상담 (민원팀)', role: 'agent' });
    core.emit(online('online'));
    await vi.waitFor(() => expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담 (민원팀)', offline: false }));
    expect(d.sessionEvents().at(-1)).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담 (민원팀)', offline: false });
    // The core's own events reach the page as they are.
    expect(d.events.filter((e) => e.name === 'syncStatus').map((e) => e.data.state)).toEqual(['offline', 'syncing', 'online']);
  });

  it('keeps the cached name when the core has not said who the agent is', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: true });
    (d.cores[0] as FakeCore).emit(online('online'));
    await vi.waitFor(() => expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: false }));
  });

  it('does not give the next agent the name a closed core was still looking up', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: true });
    let answer: (w: WhoAmI) => void = () => {};
    (d.cores[0] as FakeCore).knows(new Promise<WhoAmI>((resolve) => (answer = resolve)));
    (d.cores[0] as FakeCore).emit(online('online'));
    await d.h.signOut({});
    await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false });
    answer({ username: 'agent2', displayName: '이상담', role: 'agent' });
    await new Promise((r) => setImmediate(r));
    expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent1', displayName: '이름 agent1', offline: false });
  });
});

describe('one agent at a time', () => {
  it('lets the same agent sign in again (a second window) and refuses another as busy', async () => {
    const d = desk();
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: true, offline: false });
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false })).toEqual({ ok: false, reason: 'busy', cachedSessionAvailable: false });
    expect(await d.h.signIn({ username: 'agent2', password: 'not-it', offline: false })).toEqual({ ok: false, reason: 'busy', cachedSessionAvailable: false });
    expect(d.login).toHaveBeenCalledTimes(1);
    expect(d.cores).toHaveLength(1);
    expect(d.session.state()).toMatchObject({ user: 'agent2' });
  });

  it('refuses a sign-in while another is still in progress', async () => {
    let answer: (o: LoginOutcome) => void = () => {};
    const d = desk({ login: () => new Promise<LoginOutcome>((resolve) => (answer = resolve)) });
    const first = d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: false, reason: 'busy', cachedSessionAvailable: false });
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: true })).toEqual({ ok: false, reason: 'busy', cachedSessionAvailable: false });
    answer({ ok: true, login: loginOf('agent2', '이상담') });
    expect(await first).toEqual({ ok: true, offline: false });
    expect(d.cores).toHaveLength(1);
  });

  it('is free again after a refused sign-in', async () => {
    const outcomes: LoginOutcome[] = [refused('wrong-password'), { ok: true, login: loginOf('agent2', '이상담') }];
    const d = desk({ login: async () => outcomes.shift() as LoginOutcome });
    expect(await d.h.signIn({ username: 'agent2', password: 'typo', offline: false })).toMatchObject({ ok: false, reason: 'wrong-password' });
    expect(await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false })).toEqual({ ok: true, offline: false });
  });
});

describe('the lock', () => {
  it('locks only a signed-in desk, and keeps the core answering underneath', async () => {
    const d = desk();
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    const locked = { state: 'locked', user: 'agent2', displayName: '이름 agent2', reason: 'idle' };
    expect(await d.h.lock({ reason: 'idle' })).toEqual(locked);
    expect(d.sessionEvents().at(-1)).toEqual(locked);
    // Locked already: the first reason stands.
    expect(await d.h.lock({ reason: 'agent' })).toEqual(locked);
    expect(d.sessionEvents()).toHaveLength(2);
    expect(await d.h.search({ query: 'x', limit: 10 })).toEqual({ hits: [{ id: 'hit-for-x' }] });
  });

  it('unlocks with the same agent password only, checked on this desk', async () => {
    let cityUp = true;
    const d = desk({ login: async (c) => (cityUp ? { ok: true, login: loginOf(c.username, '이상담') } : refused('unreachable')) });
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    await d.h.lock({ reason: 'os' });
    cityUp = false;

    expect(await d.h.unlock({ password: 'agent1' })).toEqual({ ok: false });
    expect(d.session.state()).toMatchObject({ state: 'locked', reason: 'os' });
    expect(await d.h.unlock({ password: 'pw-agent2' })).toEqual({ ok: true });
    expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: false });
    expect(d.login).toHaveBeenCalledTimes(1);
    // Unlocking an unlocked desk changes nothing.
    expect(await d.h.unlock({ password: 'whatever' })).toEqual({ ok: true });
  });

  // The locked state does not carry the flag: the session keeps it for the unlock.
  it('keeps an offline session offline through the lock', async () => {
    const d = desk({ vault: vaultWithAgent2(), login: async () => refused('unreachable') });
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: true });
    await d.h.lock({ reason: 'idle' });
    expect(await d.h.unlock({ password: 'pw-agent2' })).toEqual({ ok: true });
    expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: true });
  });

  it('unlocks a CLI session (nothing cached yet) with the password it was opened with', async () => {
    const d = desk();
    await d.session.open({ username: 'agent1', password: 'agent1' });
    await d.h.lock({ reason: 'agent' });
    expect(await d.h.unlock({ password: 'agent2' })).toEqual({ ok: false });
    expect(await d.h.unlock({ password: 'agent1' })).toEqual({ ok: true });
    expect(d.session.state()).toMatchObject({ state: 'signed-in', user: 'agent1' });
  });
});

describe('signing out', () => {
  it('closes the core, says who was signed in, and refuses the core methods again', async () => {
    const d = desk();
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    const core = d.cores[0] as FakeCore;
    expect(await d.h.signOut({})).toEqual({ signedOut: true });
    expect(core.closed()).toBe(true);
    expect(d.sessionEvents().at(-1)).toEqual({ state: 'signed-out', lastUser: 'agent2' });
    expect(await d.h.session({})).toEqual({ state: 'signed-out', lastUser: 'agent2' });
    await refusedSignedOut(() => d.h.search({ query: 'x', limit: 10 }));
    await refusedSignedOut(() => d.h.whoAmI({}));
    expect(await d.h.signOut({})).toEqual({ signedOut: false });
    // The cached session stays for the next offline sign-in.
    expect(cachedSessionOf(d.vault, 'agent2')).not.toBeNull();
  });

  it('signs out from the lock, and lets another agent sign in after', async () => {
    const d = desk();
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    await d.h.lock({ reason: 'idle' });
    expect(await d.h.signOut({})).toEqual({ signedOut: true });
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false })).toEqual({ ok: true, offline: false });
    expect(d.cores.map((c) => c.args.credentials.username)).toEqual(['agent2', 'agent1']);
    expect(d.cores[0]?.closed()).toBe(true);
    expect(d.cores[1]?.closed()).toBe(false);
  });

  it('forwards nothing more from the core it closed', async () => {
    const d = desk();
    await d.h.signIn({ username: 'agent2', password: 'pw-agent2', offline: false });
    const core = d.cores[0] as FakeCore;
    core.emit({ name: 'outbox', data: { pending: 1, rejected: [] } });
    expect(d.events.filter((e) => e.name === 'outbox')).toHaveLength(1);
    await d.session.close();
    const seen = d.events.length;
    core.emit({ name: 'outbox', data: { pending: 2, rejected: [] } });
    core.knows({ username: 'agent2', displayName: '이상담', role: 'agent' });
    core.emit(online('online'));
    await new Promise((r) => setImmediate(r));
    expect(d.events).toHaveLength(seen);
    expect(d.session.state()).toEqual({ state: 'signed-out', lastUser: 'agent2' });
  });
});

describe('a session opened from the command line', () => {
  it('opens the core without asking the city, and caches the session once the core has logged in', async () => {
    const d = desk({ login: async () => refused('unreachable') });
    await d.session.open({ username: 'agent1', password: 'agent1' });
    expect(d.login).not.toHaveBeenCalled();
    const core = d.cores[0] as FakeCore;
    expect(core.args).toMatchObject({ credentials: { username: 'agent1', password: 'agent1' }, login: null });
    // Offline until the core's first sync: nobody has checked these credentials yet.
    expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent1', displayName: 'agent1', offline: true });
    expect(d.vault.read()).toEqual({ sessions: [] });
    await expect(d.session.open({ username: 'agent2', password: 'agent2' })).rejects.toThrow();

    core.knows({ username: 'agent1', displayName: '김상담', role: 'agent' });
    core.emit({ name: 'phoneAccount', data: sipOf('agent1') });
    await vi.waitFor(() => expect(cachedSessionOf(d.vault, 'agent1')).toMatchObject({ username: 'agent1', displayName: '김상담', role: 'agent', sip: sipOf('agent1') }));

    await d.h.signOut({});
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false })).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: true });
    expect(await d.h.signIn({ username: 'agent1', password: 'agent1', offline: true })).toEqual({ ok: true, offline: true });
    expect(d.cores[1]?.args.sip.get()).toEqual(sipOf('agent1'));
    expect(d.session.state()).toMatchObject({ displayName: '김상담', offline: true });
  });

  it('shows the cached name of an agent it reopens (a restarted core process)', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    await d.session.open({ username: 'agent2', password: 'pw-agent2' });
    expect(d.session.state()).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: true });
    expect(d.cores[0]?.args.sip.get()).toEqual(agent2Cached.sip);
  });

  it('caches nothing for a staff phone account the core logged in as', async () => {
    const d = desk();
    await d.session.open({ username: '3511', password: '3511' });
    const core = d.cores[0] as FakeCore;
    core.knows({ username: '3511', displayName: '김민수 (요금관리과)', role: 'phone' });
    core.emit({ name: 'phoneAccount', data: sipOf('3511') });
    await new Promise((r) => setImmediate(r));
    expect(d.vault.read()).toEqual({ sessions: [] });
  });
});

describe('what the desk session promises its transports', () => {
  it('reopens a session locked when the process before it was (a crash never unlocks a desk)', async () => {
    const d = desk({ vault: vaultWithAgent2() });
    await d.session.open({ username: 'agent2', password: 'pw-agent2' }, { locked: 'os' });
    expect(d.session.state()).toEqual({ state: 'locked', user: 'agent2', displayName: '이상담', reason: 'os' });
    expect(await d.h.unlock({ password: 'pw-agent2' })).toEqual({ ok: true });
  });

  it('caches a command-line session on the phone account, not on the first event the core sends', async () => {
    const d = desk();
    await d.session.open({ username: 'agent1', password: 'agent1' });
    const core = d.cores[0] as FakeCore;
    core.knows({ username: 'agent1', displayName: '김상담', role: 'agent' });
    core.emit(online('syncing'));
    await new Promise((r) => setTimeout(r, 50));
    expect(d.vault.read()).toEqual({ sessions: [] });
    core.emit({ name: 'phoneAccount', data: sipOf('agent1') });
    await vi.waitFor(() => expect(cachedSessionOf(d.vault, 'agent1')?.sip).toEqual(sipOf('agent1')));
  });

  it('stops telling a listener once it unsubscribed', async () => {
    const d = desk();
    const seen: CoreEvent[] = [];
    const off = d.session.subscribe((e) => seen.push(e));
    await d.h.signIn({ username: 'agent1', password: 'agent1', offline: false });
    const before = seen.length;
    expect(before).toBeGreaterThan(0);
    off();
    (d.cores[0] as FakeCore).emit(online('online'));
    await d.h.lock({ reason: 'agent' });
    expect(seen).toHaveLength(before);
  });
});

