import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreSupervisor } from '../../../../electron/shell/core-supervisor';
import type { SessionState, VaultContents } from '../../../../shared/session';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { superviseCoreChildren } from '../../../helpers/supervised-core';
import { waitFor } from '../../../helpers/wait';
import { draft } from '../../../helpers/records';

const supervise = (serverUrl: string, cacheFile: string) => superviseCoreChildren({ serverUrl, cacheFile });


describe('the core in its own supervised process', () => {
  let running: CoreSupervisor | null = null;
  let server: CityServerProcess | null = null;
  afterEach(async () => {
    running?.stop();
    await server?.stop();
  });

  it('comes back after SIGKILL with its cache and unsent records, and sends them exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-'));
    server = await startCityServerProcess(join(dir, 'city'), { demo: true });
    const { supervisor, children, events, log } = supervise(server.url, join(dir, 'cache.sqlite'));
    running = supervisor;
    const h = supervisor.handlers;

    await waitFor(() => h.syncStatus({}) as Promise<{ state: string; lastSyncedAt: string | null }>, (s) => s.state === 'online' && s.lastSyncedAt !== null, 30_000);
    const before = (await h.search({ query: '수도 요금', limit: 5 })) as { hits: { id: string }[] };
    expect(before.hits.length).toBeGreaterThan(0);
    expect(events.some((e) => e.name === 'syncStatus')).toBe(true);

    // The city server goes away; the agent saves a record, which waits in the outbox.
    await server.kill();
    const record = draft();
    expect(await h.saveRecord(record)).toEqual({ id: record.id, duplicate: false });
    expect(await h.outboxStatus({})).toMatchObject({ pending: 1 });

    // The core dies hard; the next call waits for the restarted process, which has it all.
    const first = children[0] as ChildProcess;
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect(await h.outboxStatus({})).toMatchObject({ pending: 1 });
    expect(supervisor.restarts()).toBe(1);
    expect(children).toHaveLength(2);
    expect(children[1]?.pid).not.toBe(first.pid);
    expect(log.some((l) => l.includes('core process exited'))).toBe(true);
    expect(await h.search({ query: '수도 요금', limit: 5 })).toEqual(before);
    // Saving the same record again (the page retrying) is recognised, not doubled.
    expect(await h.saveRecord(record)).toEqual({ id: record.id, duplicate: true });

    server = await startCityServerProcess(join(dir, 'city'), { port: Number(new URL(server.url).port) });
    expect(await h.syncNow({})).toMatchObject({ uploaded: 1 });
    expect(await h.outboxStatus({})).toMatchObject({ pending: 0 });
    const login = (await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead1', password: 'lead1' }) })).json()) as { token: string };
    const records = (await (await fetch(`${server.url}/api/records?from=${encodeURIComponent(record.startedAt)}&to=${encodeURIComponent(record.endedAt)}&limit=1000`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { records: { id: string }[] };
    expect(records.records.filter((r) => r.id === record.id)).toHaveLength(1);
  });

  it('fails calls in flight with "closed", then answers from the restarted core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-'));
    const { supervisor, children } = supervise('http://127.0.0.1:9', join(dir, 'cache.sqlite'));
    running = supervisor;
    await supervisor.handlers.syncStatus({});
    // A call that the dying process never answers: syncNow against a port that drops the connection takes a moment.
    const inflight = supervisor.handlers.syncNow({});
    children[0]?.kill('SIGKILL');
    await expect(inflight).rejects.toMatchObject({ code: 'closed' });
    expect(await supervisor.handlers.outboxStatus({})).toEqual({ pending: 0, rejected: [] });
  });
});

describe('the supervised core and the desk session', () => {
  let running: CoreSupervisor | null = null;
  let server: CityServerProcess | null = null;
  afterEach(async () => {
    running?.stop();
    await server?.stop();
  });

  /** SIGKILLs the running core and answers once the restarted one does. */
  const crash = async (children: ChildProcess[], h: CoreSupervisor['handlers']) => {
    const last = children.at(-1) as ChildProcess;
    last.kill('SIGKILL');
    await once(last, 'exit');
    return (await h.session({})) as SessionState;
  };

  it('brings a crashed core back as the agent who signed in, and signed out after sign-out, with the latest cached sessions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-session-'));
    server = await startCityServerProcess(join(dir, 'city'), { demo: true });
    const { supervisor, children, starts, vaults } = superviseCoreChildren({ serverUrl: server.url, cacheFile: join(dir, 'desk.sqlite'), credentials: null });
    running = supervisor;
    const h = supervisor.handlers;

    expect(await h.session({})).toEqual({ state: 'signed-out', lastUser: null });
    await expect(h.search({ query: '수도', limit: 5 })).rejects.toMatchObject({ code: 'signed-out' });
    expect(starts[0]).not.toHaveProperty('credentials');

    // Two agents in turn: the vault ends up with both.
    expect(await h.signIn({ username: 'agent2', password: 'agent2', offline: false })).toEqual({ ok: true, offline: false });
    await waitFor(() => h.syncStatus({}) as Promise<{ state: string; lastSyncedAt: string | null }>, (s) => s.state === 'online' && s.lastSyncedAt !== null, 30_000);
    expect(await h.signOut({})).toEqual({ signedOut: true });
    expect(await h.signIn({ username: 'agent1', password: 'agent1', offline: false })).toEqual({ ok: true, offline: false });
    await waitFor(() => h.syncStatus({}) as Promise<{ state: string; lastSyncedAt: string | null }>, (s) => s.state === 'online' && s.lastSyncedAt !== null, 30_000);
    const usersIn = (v: VaultContents | undefined) => v?.sessions.map((s) => s.username).sort();
    expect(usersIn(vaults.at(-1))).toEqual(['agent1', 'agent2']);
    // The vault goes up for the shell to encrypt: password verifiers and SIP secrets, never a sign-in password.
    expect(JSON.stringify(vaults)).not.toMatch(/"password":"agent[12]"/);

    // Killed: the new process is agent1's, without a new sign-in.
    expect(await crash(children, h)).toMatchObject({ state: 'signed-in', user: 'agent1', displayName: '김상담' });
    // Online again once the restarted core has synced with the city.
    await expect.poll(() => h.session({}), { timeout: 10_000 }).toEqual({ state: 'signed-in', user: 'agent1', displayName: '김상담', offline: false });
    expect(supervisor.restarts()).toBe(1);
    expect(starts[1]?.credentials).toEqual({ username: 'agent1', password: 'agent1' });
    expect(usersIn(starts[1]?.vault)).toEqual(['agent1', 'agent2']);
    expect(await h.whoAmI({})).toEqual({ username: 'agent1', displayName: '김상담', role: 'agent' });
    expect(((await h.search({ query: '수도 요금', limit: 5 })) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);

    // Signed out, then killed: it comes back signed out, with the vault still.
    expect(await h.signOut({})).toEqual({ signedOut: true });
    expect(await crash(children, h)).toEqual({ state: 'signed-out', lastUser: null });
    expect(starts[2]).not.toHaveProperty('credentials');
    expect(usersIn(starts[2]?.vault)).toEqual(['agent1', 'agent2']);

    // The city down and one more crash: agent2 signs in offline from what the first process cached.
    await server.stop();
    expect(await crash(children, h)).toEqual({ state: 'signed-out', lastUser: null });
    expect(await h.signIn({ username: 'agent2', password: 'agent2', offline: false })).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: true });
    expect(await h.signIn({ username: 'agent2', password: 'agent1', offline: true })).toEqual({ ok: false, reason: 'wrong-password', cachedSessionAvailable: true });
    expect(await h.signIn({ username: 'agent2', password: 'agent2', offline: true })).toEqual({ ok: true, offline: true });
    expect(await h.session({})).toEqual({ state: 'signed-in', user: 'agent2', displayName: '이상담', offline: true });
    expect(((await h.search({ query: '수도 요금', limit: 5 })) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
    expect(await h.phoneAccount({})).toEqual(starts[3]?.vault?.sessions.find((s) => s.username === 'agent2')?.sip);
    expect(supervisor.restarts()).toBe(3);
  });

  // The supervisor re-sends the lock with the credentials: a crash never unlocks a desk.
  it('keeps a locked desk locked across a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-session-'));
    server = await startCityServerProcess(join(dir, 'city'), { demo: true });
    const { supervisor, children } = superviseCoreChildren({ serverUrl: server.url, cacheFile: join(dir, 'desk.sqlite'), credentials: null });
    running = supervisor;
    const h = supervisor.handlers;
    expect(await h.signIn({ username: 'agent2', password: 'agent2', offline: false })).toEqual({ ok: true, offline: false });
    expect(await h.lock({ reason: 'idle' })).toMatchObject({ state: 'locked' });
    expect(await crash(children, h)).toMatchObject({ state: 'locked', user: 'agent2' });
  });
});
