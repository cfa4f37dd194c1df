import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../server/http/app';
import { createLoginThrottle, type LoginThrottleOptions } from '../../../../server/http/login-throttle';
import { openCityDb } from '../../../../server/store/db';
import type { Db } from '../../../../server/store/sql';
import type { SqliteStore } from '../../../../server/store/sqlite-store';
import { storeEngines } from '../../../helpers/store-engines';
import { openMonitoringKey } from '../../../../server/store/monitoring';
import { presenceBoard, type PresenceBoard } from '../../../../server/store/presence';
import { openSipStore, type SipStore } from '../../../../server/store/sip-store';
import { createUser, disableUser, setPassword } from '../../../../server/store/users';
import { createConcurrencyLimit } from '../../../../server/http/concurrency';
import { checkJsonDepth } from '../../../../server/http/json-body';
import { randomBytes } from 'node:crypto';
import { openRecordingVault } from '../../../../server/recording/vault';

const T0 = Date.parse('2026-12-07T09:00:00Z');
const MINUTE = 60_000;

const A = '10.0.0.1';
const B = '10.0.0.2';

describe.each(storeEngines())('the login throttle on $name', ({ open }) => {
  let now = T0;
  let db: Db;
  const throttle = (o: Partial<LoginThrottleOptions> = {}) => createLoginThrottle(db, { clock: () => new Date(now), maxFailures: 3, windowMs: 5 * MINUTE, lockMs: MINUTE, ...o });
  beforeEach(async () => {
    now = T0;
    db = await open();
  });

  it('locks a name at the last allowed failure, for lockMs, and only that name', async () => {
    const t = throttle();
    await t.failed('kim', A);
    await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(false);
    await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(true);
    expect(await t.locked('lee', A)).toBe(false);
    now += MINUTE - 1;
    expect(await t.locked('kim', A)).toBe(true);
    now += 1;
    expect(await t.locked('kim', A)).toBe(false);
  });

  it('counts failures within the window only', async () => {
    const t = throttle();
    await t.failed('kim', A);
    await t.failed('kim', A);
    now += 5 * MINUTE;
    await t.failed('kim', A);
    await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(false);
    now += 5 * MINUTE - 1;
    await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(true);
  });

  it('locks a name for the address that guessed, not for the agent’s own desk elsewhere', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(true);
    expect(await t.locked('kim', B)).toBe(false);
  });

  it('locks an address that tries many names, whatever the name', async () => {
    const t = throttle({ maxFailures: 3, windowMs: 5 * MINUTE, lockMs: MINUTE, maxPerAddress: 6 });
    for (let i = 0; i < 5; i++) await t.failed(`name${i}`, A);
    expect(await t.locked('other', A)).toBe(false);
    await t.failed('name5', A);
    expect(await t.locked('other', A)).toBe(true);
    expect(await t.locked('other', B)).toBe(false);
    now += MINUTE;
    expect(await t.locked('other', A)).toBe(false);
  });

  it('keeps a bounded number of entries however many names are tried', async () => {
    const t = throttle({ maxFailures: 5, maxPerAddress: 1e9, maxEntries: 50 });
    for (let i = 0; i < 1_000; i++) await t.failed(`unknown-${i}`, `10.1.${i >> 8}.${i & 255}`);
    // 50 names and 50 addresses: full, never over.
    expect(await t.size()).toBe(100);
    // The newest are the ones kept: a guesser who is still at it stays counted.
    for (let i = 0; i < 4; i++) await t.failed('unknown-999', '10.1.3.231');
    expect(await t.locked('unknown-999', '10.1.3.231')).toBe(true);
  });

  it('makes room by dropping expired entries first, then the oldest, and never a lock still running', async () => {
    // Three pairs at most; an address may fail without end (only the pairs are under test).
    const t = throttle({ maxFailures: 5, windowMs: 5 * MINUTE, lockMs: MINUTE, maxPerAddress: 1e9, maxEntries: 3 });
    await t.failed('stale', A);
    for (let i = 0; i < 4; i++) await t.failed('locked', A);
    now = T0 + 5 * MINUTE - 1;
    await t.failed('locked', A); // the fifth, just before its window ends: locked past the window
    await t.failed('fresh', A); // a first failure late: its window runs on
    await t.failed('stale', A); // active again, so last in the map's order, but its window began early
    now = T0 + 5 * MINUTE + 1;
    // A fourth pair: something must go. "stale" (window over, not locked) goes, though "locked"
    // and "fresh" are older in the map's order.
    await t.failed('new', A);
    expect(await t.locked('locked', A)).toBe(true);
    for (let i = 0; i < 4; i++) await t.failed('fresh', A);
    expect(await t.locked('fresh', A)).toBe(true);
  });

  it('forgets the failures of a name that signed in', async () => {
    const t = throttle();
    await t.failed('kim', A);
    await t.failed('kim', A);
    await t.succeeded('kim', A);
    await t.failed('kim', A);
    await t.failed('kim', A);
    expect(await t.locked('kim', A)).toBe(false);
  });
});

/** The city server's HTTP API in this process, on a clock the test moves. */
describe('sign-in and sessions through the API', () => {
  let now: number;
  let db: SqliteStore;
  let sip: SipStore;
  let presence: PresenceBoard;
  let app: FastifyInstance;
  const warnings: string[] = [];

  beforeEach(async () => {
    now = T0;
    warnings.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'minwon-auth-'));
    db = openCityDb(join(dir, 'city.sqlite'));
    for (const [username, role] of [['agent1', 'agent'], ['lead1', 'lead'], ['phone1', 'phone']] as const) {
      await createUser(db, { username, displayName: username, role, password: `${username}-pw` }, new Date(now));
    }
    sip = openSipStore(db, dir);
    presence = presenceBoard(sip.db);
    app = buildApp({
      db,
      clock: () => new Date(now),
      phone: { areaCode: '054', region: 'KR' },
      presence,
      logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
      tokenTtlMs: 15 * MINUTE,
      monitoringKey: openMonitoringKey(dir),
      recordingVault: openRecordingVault(join(dir, 'recordings'), randomBytes(32)),
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await sip.close();
    await db.close();
  });

  const login = (username: string, password: string, from = '127.0.0.1') => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: from });
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
    db.sqlite.prepare("UPDATE users SET disabled = 1 WHERE username = 'agent1'").run();
    expect((await sync(`Bearer ${agent}`)).statusCode).toBe(401);
    expect((await login('agent1', 'agent1-pw')).statusCode).toBe(401);
  });

  it('ends every session of an account whose password changes or which is disabled, at once', async () => {
    const [a, b, lead] = [await tokenOf('agent1'), await tokenOf('agent1'), await tokenOf('lead1')];
    expect(await setPassword(db, 'agent1', 'agent1-new')).toBe(true);
    expect((await sync(`Bearer ${a}`)).statusCode).toBe(401);
    expect((await sync(`Bearer ${b}`)).statusCode).toBe(401);
    expect((await sync(`Bearer ${lead}`)).statusCode).toBe(200);
    const c = (await login('agent1', 'agent1-new')).json() as { token: string };
    expect(await disableUser(db, 'agent1')).toBe(true);
    expect(db.sqlite.prepare("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'agent1'").pluck().get()).toBe(0);
    expect((await sync(`Bearer ${c.token}`)).statusCode).toBe(401);
    expect([await setPassword(db, 'nobody', 'x'), await disableUser(db, 'nobody')]).toEqual([false, false]);
  });

  it('gives the phone one clean line for a name stored before names were checked', async () => {
    db.sqlite.prepare("UPDATE users SET display_name = ? WHERE username = 'agent1'").run('김상담\r\nX-Injected: 1');
    const res = await login('agent1', 'agent1-pw');
    expect((res.json() as { sip: { displayName: string } }).sip.displayName).toBe('김상담 X-Injected: 1');
  });

  it('lets the agent in from their own desk while someone elsewhere fails with their name on purpose', async () => {
    for (let i = 0; i < 10; i++) await login('agent1', 'guess', '10.9.9.9');
    expect((await login('agent1', 'agent1-pw', '10.9.9.9')).statusCode).toBe(429);
    expect((await login('agent1', 'agent1-pw', '10.0.0.5')).statusCode).toBe(200);
  });

  it('reads no more than a few KB of a login, and nothing of an unknown client’s body elsewhere', async () => {
    const big = await app.inject({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify({ username: 'agent1', password: 'x'.repeat(10_000) }), headers: { 'content-type': 'application/json' } });
    expect([big.statusCode, big.json().error]).toEqual([413, 'FST_ERR_CTP_BODY_TOO_LARGE']);
    const nested = await app.inject({ method: 'POST', url: '/api/auth/login', payload: `${'['.repeat(1000)}${']'.repeat(1000)}`, headers: { 'content-type': 'application/json' } });
    expect([nested.statusCode, nested.json().error]).toEqual([400, 'too-deep']);
    // Not JSON at all, and large: refused for want of a login before a byte of it is parsed.
    const anonymous = await app.inject({ method: 'POST', url: '/api/records', payload: `{${'x'.repeat(5_000_000)}`, headers: { 'content-type': 'application/json' } });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([401, { error: 'unauthorized', message: 'login required' }]);
    // Refused unread, the connection is closed: Node would otherwise read the rest to reuse it.
    expect([big.headers.connection, anonymous.headers.connection]).toEqual(['close', 'close']);
    const agent = `Bearer ${await tokenOf('agent1')}`;
    const broken = await app.inject({ method: 'POST', url: '/api/records', payload: '{"batchKey": ', headers: { 'content-type': 'application/json', authorization: agent } });
    expect([broken.statusCode, broken.json().error]).toEqual([400, 'bad-json']);
    const deep = await app.inject({ method: 'POST', url: '/api/usage', payload: `{"uses": ${'['.repeat(17)}${']'.repeat(17)}}`, headers: { 'content-type': 'application/json', authorization: agent } });
    expect([deep.statusCode, deep.json().error]).toEqual([400, 'too-deep']);
    // Brackets inside strings are text, not depth.
    expect(() => checkJsonDepth(JSON.stringify({ note: '['.repeat(100), q: '\\"[[[' }))).not.toThrow();
    expect(() => checkJsonDepth('['.repeat(16) + ']'.repeat(16))).not.toThrow();
  });

  it('takes as long to refuse an unknown name as a known one with a wrong password', async () => {
    const time = async (username: string) => {
      const t0 = performance.now();
      expect((await login(username, 'wrong-password', `10.7.0.${username.length}`)).statusCode).toBe(401);
      return performance.now() - t0;
    };
    await time('nobody-at-all'); // the decoy hash is made once, on first need
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await time('agent1'));
      unknown.push(await time(`nobody-${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] as number;
    // scrypt dominates both (tens of ms); a lookup-only refusal of an unknown name took ~2 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });
});

describe('a slow sender', () => {
  it('is cut off when its request takes longer than the server allows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-slow-'));
    const db = openCityDb(join(dir, 'city.sqlite'));
    const sip = openSipStore(db, dir);
    const presence = presenceBoard(sip.db);
    const app = buildApp({ db, clock: () => new Date(), phone: { areaCode: '054', region: 'KR' }, presence, logger: { info: () => {}, warn: () => {}, error: () => {} }, monitoringKey: openMonitoringKey(dir),
      recordingVault: openRecordingVault(join(dir, 'recordings'), randomBytes(32)), requestTimeoutMs: 1_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as { port: number };
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          // A body of 100 bytes promised, one sent, and then nothing.
          socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
        });
        let got = '';
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await app.close();
      await sip.close();
      await db.close();
    }
  });
});

describe('bounding requests in flight', () => {
  it('refuses a user’s third and everybody’s seventeenth concurrent request, and counts each release once', async () => {
    const limit = createConcurrencyLimit({ total: 3, perUser: 2 });
    const a1 = limit.enter('a');
    const a2 = limit.enter('a');
    expect(() => limit.enter('a')).toThrow(expect.objectContaining({ status: 503, code: 'busy' }));
    const b1 = limit.enter('b');
    expect(() => limit.enter('c')).toThrow(expect.objectContaining({ status: 503 }));
    a1();
    a1();
    expect(limit.inFlight).toBe(2);
    const c1 = limit.enter('c');
    expect(() => limit.enter('a')).toThrow(expect.objectContaining({ status: 503 }));
    for (const leave of [a2, b1, c1]) leave();
    expect(limit.inFlight).toBe(0);
    limit.enter('a');
    limit.enter('a');
  });
});
