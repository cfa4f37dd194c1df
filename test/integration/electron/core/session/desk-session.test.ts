import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCacheDb, setMeta } from '../../../../../electron/core/cache/cache-db';
import { cacheFileFor } from '../../../../../electron/core/session/cache-file';
import type { DeskSession } from '../../../../../electron/core/session/desk-session';
import { openDeskSession } from '../../../../../electron/core/session/open-desk-session';
import { cachedSessionOf, memoryVault } from '../../../../../electron/core/session/session-vault';
import type { SipAccount } from '../../../../../shared/auth';
import type { SyncStatus } from '../../../../../shared/contract';
import { DEFAULT_PHONE } from '../../../../../server/main';
import { TEST_CACHE_KEY, testLogger } from '../../../../helpers/core';
import { startCityServerProcess, type CityServerProcess } from '../../../../helpers/processes';
import { waitFor } from '../../../../helpers/wait';

// The desk's session against a real city server: the city's refusals as the sign-in screen
// shows them, then one agent online, then the same agent offline from what the first sign-in cached.

const LEGACY_SECRET = 'legacy-plaintext-sip-secret-0123456789';

let dir: string;
let base: string;
let server: CityServerProcess;
const vault = memoryVault();
let session: DeskSession;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minwon-desk-session-'));
  base = join(dir, 'desk.sqlite');
  server = await startCityServerProcess(join(dir, 'city'), { demo: true });
  session = openDeskSession({ cacheFile: base, cacheKey: () => TEST_CACHE_KEY, serverUrl: server.url, phone: DEFAULT_PHONE, syncIntervalMs: 3_600_000 }, vault, testLogger());
});
afterAll(async () => {
  await session?.close();
  await server?.stop();
});

const signIn = (username: string, password: string, offline = false) => session.handlers.signIn({ username, password, offline });

/** The cache file and its write-ahead log, as bytes, for what must never be in them. */
const cacheBytes = (file: string) => Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));

describe('the desk session with a real city server', () => {
  it('refuses a wrong password, and after five the city locks the account out', async () => {
    // agent2 only: the lock-out lasts a minute on this server.
    for (let i = 0; i < 5; i++) expect(await signIn('agent2', 'not-agent2')).toEqual({ ok: false, reason: 'wrong-password', cachedSessionAvailable: false });
    expect(await signIn('agent2', 'agent2')).toEqual({ ok: false, reason: 'locked-out', cachedSessionAvailable: false });
    expect(session.state()).toEqual({ state: 'signed-out', lastUser: null });
    expect(vault.read()).toEqual({ sessions: [] });
  });

  it('refuses a staff phone account: it has no desk', async () => {
    expect(await signIn('3511', '3511')).toEqual({ ok: false, reason: 'not-a-desk-account', cachedSessionAvailable: false });
    expect(existsSync(cacheFileFor(base, '3511'))).toBe(false);
  });

  it('signs an agent in online on a cache file of their own, with the phone account kept out of it', async () => {
    const file = cacheFileFor(base, 'agent1');
    expect(await signIn('agent1', 'agent1')).toEqual({ ok: true, offline: false });
    expect(session.state()).toEqual({ state: 'signed-in', user: 'agent1', displayName: '김상담', offline: false });
    const h = session.handlers;
    await waitFor(() => h.syncStatus({}) as Promise<SyncStatus>, (s) => s.state === 'online' && s.lastSyncedAt !== null, 30_000);
    expect(await h.whoAmI({})).toEqual({ username: 'agent1', displayName: '김상담', role: 'agent' });
    const sip = (await h.phoneAccount({})) as SipAccount;
    expect(sip).toMatchObject({ username: 'agent1' });
    expect(cachedSessionOf(vault, 'agent1')).toMatchObject({ username: 'agent1', displayName: '김상담', role: 'agent', sip });

    expect(file).toBe(join(dir, 'desk.agent1.sqlite'));
    expect(existsSync(file)).toBe(true);
    expect(existsSync(base)).toBe(false);

    expect(await h.signOut({})).toEqual({ signedOut: true });
    expect(session.state()).toEqual({ state: 'signed-out', lastUser: 'agent1' });
    await expect(Promise.resolve().then(() => h.search({ query: '수도', limit: 5 }))).rejects.toMatchObject({ code: 'signed-out' });

    const db = openCacheDb(file, TEST_CACHE_KEY);
    try {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'sipAccount'").get()).toBeUndefined();
      expect(db.prepare('SELECT count(*) AS n FROM entries').get()).not.toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(cacheBytes(file).includes(sip.password)).toBe(false);
  });

  it('signs the same agent in offline from the cached session while the city is down', async () => {
    await server.stop();
    // The cache file as an older desk left it: in clear, the phone's account (secret and all) in its meta.
    const file = cacheFileFor(base, 'agent1');
    const old = openCacheDb(file, TEST_CACHE_KEY);
    setMeta(old, 'sipAccount', JSON.stringify({ ...cachedSessionOf(vault, 'agent1')?.sip, password: LEGACY_SECRET }));
    old.pragma('journal_mode = DELETE');
    old.pragma("rekey = ''");
    old.close();
    expect(cacheBytes(file).includes(LEGACY_SECRET)).toBe(true);

    expect(await signIn('agent1', 'agent1')).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: true });
    expect(await signIn('lead1', 'lead1')).toEqual({ ok: false, reason: 'unreachable', cachedSessionAvailable: false });
    expect(await signIn('agent1', 'agent2', true)).toEqual({ ok: false, reason: 'wrong-password', cachedSessionAvailable: true });
    expect(await signIn('lead1', 'lead1', true)).toEqual({ ok: false, reason: 'no-cached-session', cachedSessionAvailable: false });

    expect(await signIn('agent1', 'agent1', true)).toEqual({ ok: true, offline: true });
    expect(session.state()).toEqual({ state: 'signed-in', user: 'agent1', displayName: '김상담', offline: true });
    const h = session.handlers;
    const found = await h.search({ query: '수도 요금', limit: 5 });
    expect(found.hits.length).toBeGreaterThan(0);
    expect(await h.phoneAccount({})).toEqual(cachedSessionOf(vault, 'agent1')?.sip);
    expect(await h.whoAmI({})).toEqual({ username: 'agent1', displayName: '김상담', role: 'agent' });

    await h.lock({ reason: 'idle' });
    expect(await h.unlock({ password: 'agent2' })).toEqual({ ok: false });
    expect(await h.unlock({ password: 'agent1' })).toEqual({ ok: true });
    expect(await h.signOut({})).toEqual({ signedOut: true });

    // Gone from the file, not only from the table; and the file is encrypted now.
    const db = openCacheDb(file, TEST_CACHE_KEY);
    try {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'sipAccount'").get()).toBeUndefined();
    } finally {
      db.close();
    }
    expect(cacheBytes(file).includes(LEGACY_SECRET)).toBe(false);
  });
});
