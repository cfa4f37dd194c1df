import { describe, expect, it } from 'vitest';
import { createPortalSession } from '../../../../renderer/portal/session-store';
import { memoryStorage } from '../../../helpers/memory-storage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const me = (role: string, department: string | null = 'water-supply') => ({ user: { username: 'water1', displayName: '최급수', role, department }, departments: [{ id: 'water-supply', name: '상수도사업본부 급수과' }], editors: [] });
const login = (token: string, role = 'editor') => json(200, { token, expiresAt: '2026-12-08T00:15:00.000Z', user: { id: 'u1', username: 'water1', displayName: '최급수', role } });

/** A city server: each request answered by the first handler that takes it. */
function city(handle: (path: string, init: RequestInit, auth: string | null) => Response | undefined) {
  const log: string[] = [];
  const fetch = (async (path: string, init: RequestInit = {}) => {
    const auth = new Headers(init.headers).get('authorization');
    log.push(`${init.method ?? 'GET'} ${path} ${auth ?? '-'}`);
    const r = handle(path, init, auth);
    if (!r) throw new Error(`unexpected ${path}`);
    return r;
  }) as typeof globalThis.fetch;
  return { fetch, log };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the portal session', () => {
  it('signs a department editor in and keeps the token for the tab', async () => {
    const storage = memoryStorage();
    const server = city((path) => (path === '/api/auth/login' ? login('tok-1') : path === '/api/portal/me' ? json(200, me('editor')) : undefined));
    const s = createPortalSession({ storage, fetch: server.fetch });
    expect(await s.signIn('water1', 'water1')).toBeNull();
    expect(s.store.getState().me?.user.displayName).toBe('최급수');
    expect(storage.getItem('minwon.portal.token')).toBe('tok-1');
  });

  it('turns an agent away and ends the token it was given', async () => {
    const storage = memoryStorage();
    const server = city((path) => (path === '/api/auth/login' ? login('tok-agent', 'agent') : path === '/api/auth/logout' ? json(200, { ok: true }) : undefined));
    const s = createPortalSession({ storage, fetch: server.fetch });
    expect(await s.signIn('agent1', 'agent1')).toBe('not-portal');
    expect(server.log).toEqual(['POST /api/auth/login -', 'POST /api/auth/logout Bearer tok-agent']);
    expect(s.store.getState()).toMatchObject({ me: null, token: null });
    expect(storage.getItem('minwon.portal.token')).toBeNull();
  });

  it('signs an analyst in: the city’s web app is theirs too (the analysis alone)', async () => {
    const server = city((path) => (path === '/api/auth/login' ? login('tok-a', 'analyst') : path === '/api/portal/me' ? json(200, me('analyst', null)) : undefined));
    const s = createPortalSession({ storage: memoryStorage(), fetch: server.fetch });
    expect(await s.signIn('policy1', 'policy1')).toBeNull();
    expect(s.store.getState().me?.user.role).toBe('analyst');
  });

  it('says why a sign-in failed', async () => {
    const answers = [json(401, { error: 'bad-credentials', message: 'wrong' }), json(429, { error: 'locked', message: 'wait' })];
    const s = createPortalSession({ storage: memoryStorage(), fetch: city(() => answers.shift()).fetch });
    expect(await s.signIn('water1', 'nope')).toBe('bad-credentials');
    expect(await s.signIn('water1', 'nope')).toBe('locked');
    expect(await s.signIn(' ', 'x')).toBe('empty');
  });

  it('holds a request that met a lapsed token until the same user signs in again, then sends it again', async () => {
    let valid = 'tok-1';
    const server = city((path, _init, auth) => {
      if (path === '/api/auth/login') return login((valid = 'tok-2'));
      if (auth !== `Bearer ${valid}`) return json(401, { error: 'unauthorized', message: 'login required' });
      if (path === '/api/portal/me') return json(200, me('editor'));
      if (path === '/api/portal/entries/M-1/verify') return json(200, { result: 'verified' });
      return undefined;
    });
    const storage = memoryStorage();
    storage.setItem('minwon.portal.token', 'tok-1');
    const s = createPortalSession({ storage, fetch: server.fetch });
    await s.restore();
    valid = 'lapsed';
    let answered = false;
    const saving = s.api.flags({ state: 'open' }).catch(() => 'refused');
    const verifying = s.api.verify('M-1').then(() => (answered = true));
    await settle();
    expect(s.store.getState().reauth).toBe(true);
    expect(answered).toBe(false);
    expect(await s.signInAgain('')).toBe('empty');
    expect(await s.signInAgain('water1')).toBeNull();
    await verifying;
    expect(answered).toBe(true);
    expect(s.store.getState().reauth).toBe(false);
    expect(storage.getItem('minwon.portal.token')).toBe('tok-2');
    // The other waiting request went again too (and its answer is whatever the server says).
    expect(server.log.filter((l) => l.startsWith('GET /api/portal/flags'))).toEqual(['GET /api/portal/flags?state=open Bearer tok-1', 'GET /api/portal/flags?state=open Bearer tok-2']);
    await saving;
  });

  it('gives up the waiting requests when the user signs out instead', async () => {
    const server = city((path, _init, auth) => {
      if (path === '/api/portal/me' && auth === 'Bearer tok-1') return json(200, me('reviewer', null));
      return json(401, { error: 'unauthorized', message: 'login required' });
    });
    const storage = memoryStorage();
    storage.setItem('minwon.portal.token', 'tok-1');
    const s = createPortalSession({ storage, fetch: server.fetch });
    await s.restore();
    const waiting = s.api.entries({}).catch((e: unknown) => e);
    await settle();
    await settle();
    expect(s.store.getState().reauth).toBe(true);
    await s.signOut();
    expect(await waiting).toMatchObject({ code: 'signed-out' });
    expect(s.store.getState()).toMatchObject({ me: null, token: null, reauth: false });
    // During the sign-in dialog the token is dead already: no logout is sent with it.
    expect(server.log.some((l) => l.startsWith('POST /api/auth/logout'))).toBe(false);
  });

  it('drops a kept token the server no longer knows', async () => {
    const storage = memoryStorage();
    storage.setItem('minwon.portal.token', 'old');
    const s = createPortalSession({ storage, fetch: city(() => json(401, { error: 'unauthorized', message: 'login required' })).fetch });
    await s.restore();
    expect(s.store.getState()).toMatchObject({ me: null, token: null, restoring: false, reauth: false });
  });
});
