import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../server/http/app';
import { createLoginThrottle } from '../../../../server/http/login-throttle';
import { openCityDb, type Db } from '../../../../server/store/db';
import { openMonitoringKey } from '../../../../server/store/monitoring';
import { openPresenceBoard, type PresenceBoard } from '../../../../server/store/presence';
import { createUser } from '../../../../server/store/users';

const T0 = Date.parse('2026-12-07T09:00:00Z');
const MINUTE = 60_000;

describe('the login throttle', () => {
  let now = T0;
  const throttle = () => createLoginThrottle({ clock: () => new Date(now), maxFailures: 3, windowMs: 5 * MINUTE, lockMs: MINUTE });
  beforeEach(() => (now = T0));

  it('locks a name at the last allowed failure, for lockMs, and only that name', () => {
    const t = throttle();
    t.failed('kim');
    t.failed('kim');
    expect(t.locked('kim')).toBe(false);
    t.failed('kim');
    expect(t.locked('kim')).toBe(true);
    expect(t.locked('lee')).toBe(false);
    now += MINUTE - 1;
    expect(t.locked('kim')).toBe(true);
    now += 1;
    expect(t.locked('kim')).toBe(false);
  });

  it('counts failures within the window only', () => {
    const t = throttle();
    t.failed('kim');
    t.failed('kim');
    now += 5 * MINUTE;
    t.failed('kim');
    t.failed('kim');
    expect(t.locked('kim')).toBe(false);
    now += 5 * MINUTE - 1;
    t.failed('kim');
    expect(t.locked('kim')).toBe(true);
  });

  it('forgets the failures of a name that signed in', () => {
    const t = throttle();
    t.failed('kim');
    t.failed('kim');
    t.succeeded('kim');
    t.failed('kim');
    t.failed('kim');
    expect(t.locked('kim')).toBe(false);
  });
});

/** The city server's HTTP API in this process, on a clock the test moves. */
describe('sign-in and sessions through the API', () => {
  let now: number;
  let db: Db;
  let presence: PresenceBoard;
  let app: FastifyInstance;
  const warnings: string[] = [];

  beforeEach(async () => {
    now = T0;
    warnings.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'minwon-auth-'));
    db = openCityDb(join(dir, 'city.sqlite'));
    for (const [username, role] of [['agent1', 'agent'], ['lead1', 'lead'], ['phone1', 'phone']] as const) {
      createUser(db, { username, displayName: username, role, password: `${username}-pw` }, new Date(now));
    }
    presence = openPresenceBoard(dir);
    app = buildApp({
      db,
      clock: () => new Date(now),
      phone: { areaCode: '054', region: 'KR' },
      presence,
      logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
      tokenTtlMs: 15 * MINUTE,
      monitoringKey: openMonitoringKey(dir),
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    presence.close();
    db.close();
  });

  const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const sync = (authorization?: string) => app.inject({ method: 'GET', url: '/api/sync?limit=1', headers: authorization ? { authorization } : {} });
  const tokenOf = async (username: string) => {
    const res = await login(username, `${username}-pw`);
    expect(res.statusCode).toBe(200);
    return (res.json() as { token: string }).token;
  };

  it('locks a name after five wrong passwords: even the right one is refused until the minute is over', async () => {
    for (let i = 0; i < 5; i++) expect((await login('agent1', 'guess')).statusCode).toBe(401);
    expect(warnings).toHaveLength(5);
    // A guesser who found the password while locked learns nothing: the answer is the same 429.
    const right = await login('agent1', 'agent1-pw');
    expect([right.statusCode, right.json()]).toEqual([429, { error: 'locked', message: 'too many failed logins; try again in a minute' }]);
    expect((await login('lead1', 'lead1-pw')).statusCode).toBe(200);
    now += MINUTE - 1;
    expect((await login('agent1', 'agent1-pw')).statusCode).toBe(429);
    now += 1;
    expect((await login('agent1', 'agent1-pw')).statusCode).toBe(200);
    // Signing in cleared the count: four more wrong tries do not lock.
    for (let i = 0; i < 4; i++) await login('agent1', 'guess');
    expect((await login('agent1', 'agent1-pw')).statusCode).toBe(200);
  });

  it('gives a token that works until it expires, and never after logout', async () => {
    const token = await tokenOf('agent1');
    expect((await sync(`Bearer ${token}`)).statusCode).toBe(200);
    now += 15 * MINUTE - 1;
    expect((await sync(`Bearer ${token}`)).statusCode).toBe(200);
    now += 1;
    expect((await sync(`Bearer ${token}`)).json()).toEqual({ error: 'unauthorized', message: 'login required' });
    const second = await tokenOf('agent1');
    const other = await tokenOf('agent1');
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${second}` } })).statusCode).toBe(200);
    expect((await sync(`Bearer ${second}`)).statusCode).toBe(401);
    // Logging out ends that session only.
    expect((await sync(`Bearer ${other}`)).statusCode).toBe(200);
  });

  it('takes a bearer token only, exactly as issued', async () => {
    const token = await tokenOf('agent1');
    for (const header of [token, `x Bearer ${token}`, `bearer ${token}`, `Bearer  ${token}`, `Bearer ${token} `, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, 'Basic YWdlbnQxOmFnZW50MS1wdw==', `Bearer ${'A'.repeat(19)}`]) {
      expect((await sync(header)).statusCode, header).toBe(401);
    }
    expect((await sync()).statusCode).toBe(401);
  });

  it('keeps a SIP-only phone account out of the desk API, and a disabled account out altogether', async () => {
    const phone = await tokenOf('phone1');
    expect((await sync(`Bearer ${phone}`)).json()).toEqual({ error: 'forbidden', message: 'this needs the role agent or lead' });
    expect((await app.inject({ method: 'PUT', url: '/api/synonyms/물샘', payload: { expansions: ['누수'] }, headers: { authorization: `Bearer ${await tokenOf('agent1')}` } })).json()).toEqual({ error: 'forbidden', message: 'this needs the role lead' });
    const agent = await tokenOf('agent1');
    db.prepare("UPDATE users SET disabled = 1 WHERE username = 'agent1'").run();
    expect((await sync(`Bearer ${agent}`)).statusCode).toBe(401);
    expect((await login('agent1', 'agent1-pw')).statusCode).toBe(401);
  });
});
