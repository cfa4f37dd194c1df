import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema } from '../../../shared/auth';
import { presenceAnswerSchema, type Presence, type PresenceAnswer } from '../../../shared/presence';
import { openCityDb } from '../../../server/store/db';
import { openPostgresStore } from '../../../server/store/postgres-store';
import { presenceBoard } from '../../../server/store/presence';
import { openSipStore } from '../../../server/store/sip-store';
import type { CityStore } from '../../../server/store/sql';
import { call, login, signIn } from '../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { serverStores, type StoreName } from '../../helpers/server-stores';
import { openSipTables } from '../../helpers/sip-tables';

interface PresenceRowOnDisk {
  username: string;
  state: string;
  reason: string | null;
  since: number;
  version: number;
}

interface BoardAnswer {
  agents: { username: string; state: string; reason: string | null; since: string }[];
}

// Presence lives where the SIP server reads it: DATA/sip.sqlite beside a SQLite city store, the
// city's own database on PostgreSQL (where every instance and every Kamailio share it).
const stores = serverStores();

/** A city store of the engine's own, and its SIP tables (for the board's own tests). */
async function cityStore(name: StoreName): Promise<{ city: CityStore; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-board-'));
  const database = await stores.database(name);
  return { city: database ? await openPostgresStore(database) : openCityDb(join(dir, 'city.sqlite')), dir };
}

describe.each(stores.names)('on $name', ({ name }) => {
  let dataDir: string;
  let server: CityServerProcess;
  let agent1: string;
  let agent2: string;
  let lead: string;
  /** What the SIP server reads, read as it reads it. */
  let sipTables: CityStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minwon-presence-'));
    const database = await stores.database(name);
    server = await startCityServerProcess(dataDir, { demo: true, ...(database ? { database } : {}) });
      sipTables = await openSipTables(dataDir, database);
    [agent1, agent2, lead] = await Promise.all([login(server.url, 'agent1', 'agent1'), login(server.url, 'agent2', 'agent2'), login(server.url, 'lead1', 'lead1')]);
  });
  afterAll(async () => {
    await sipTables?.close();
    await server?.stop();
  });

  const put = (token: string | null, body: unknown) => call(server.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify(body) });

  async function set(token: string, p: Presence): Promise<PresenceAnswer> {
    const r = await put(token, p);
    expect(r.status, r.text).toBe(200);
    return presenceAnswerSchema.parse(r.body);
  }

  /** What the SIP server reads: the city server's rows of agent_presence. */
  const onDisk = () => sipTables.all<PresenceRowOnDisk>('SELECT username, state, reason, since, version FROM agent_presence ORDER BY username');

  /** Kamailio's pick for the representative number: ready agents, longest idle first (its own query). */
  const readyQueue = async () =>
    (await sipTables.all<{ username: string }>("SELECT username FROM agent_presence WHERE state = 'ready' AND username NOT IN ('') ORDER BY since, username LIMIT 10")).map((r) => r.username);

  const row = async (username: string) => (await onDisk()).find((r) => r.username === username);
  const tick = () => new Promise((r) => setTimeout(r, 15));

  describe('PUT /api/presence', () => {
    it('records the agent’s state where the SIP server reads it, and answers since when', async () => {
      const before = Date.now();
      const a = await set(agent1, { state: 'not-ready', reason: 'meal' });
      expect(a.state).toBe('not-ready');
      const since = Date.parse(a.since);
      expect(since).toBeGreaterThanOrEqual(before - 1_000);
      expect(since).toBeLessThanOrEqual(Date.now() + 1_000);
      expect(await row('agent1')).toEqual({ username: 'agent1', state: 'not-ready', reason: 'meal', since, version: 0 });
    });

    it('moves since only when the state changes, keeping the agent’s place in the queue', async () => {
      const first = await set(agent1, { state: 'ready', reason: null });
      await tick();
      const again = await set(agent1, { state: 'ready', reason: null });
      expect(again).toEqual(first);
      expect(await row('agent1')).toMatchObject({ state: 'ready', since: Date.parse(first.since) });

      await tick();
      const other = await set(agent1, { state: 'on-call', reason: null });
      expect(Date.parse(other.since)).toBeGreaterThan(Date.parse(first.since));
      expect(await row('agent1')).toMatchObject({ state: 'on-call', since: Date.parse(other.since) });
    });

    it('updates a not-ready reason without moving since', async () => {
      const meal = await set(agent2, { state: 'not-ready', reason: 'meal' });
      await tick();
      const admin = await set(agent2, { state: 'not-ready', reason: 'admin' });
      expect(admin).toEqual(meal);
      expect(await row('agent2')).toMatchObject({ username: 'agent2', state: 'not-ready', reason: 'admin', since: Date.parse(meal.since) });
    });

    it('orders ready agents longest idle first, as the SIP server picks them', async () => {
      await set(agent1, { state: 'wrap-up', reason: null });
      await set(agent2, { state: 'wrap-up', reason: null });
      await tick();
      await set(agent2, { state: 'ready', reason: null });
      await tick();
      await set(agent1, { state: 'ready', reason: null });
      expect(await readyQueue()).toEqual(['agent2', 'agent1']);
      // agent2 saying ready again does not send them to the back.
      await tick();
      await set(agent2, { state: 'ready', reason: null });
      expect(await readyQueue()).toEqual(['agent2', 'agent1']);
      // A call, and back: now agent1 has waited longer.
      await set(agent2, { state: 'on-call', reason: null });
      expect(await readyQueue()).toEqual(['agent1']);
      await tick();
      await set(agent2, { state: 'ready', reason: null });
      expect(await readyQueue()).toEqual(['agent1', 'agent2']);
    });

    it('refuses a malformed body with the details of what is wrong, and writes nothing', async () => {
      const was = await onDisk();
      for (const body of [
        { state: 'asleep', reason: null },
        { state: 'ready' },
        { state: 'not-ready', reason: 'Not A Reason!' },
        { state: 'ready', reason: null, extra: 1 },
        'ready',
        null,
      ]) {
        const r = await put(agent1, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body, JSON.stringify(body)).toMatchObject({ error: 'invalid', message: 'invalid presence' });
        const details = (r.body as { details?: { path: string; message: string }[] }).details;
        expect(Array.isArray(details) && details.length > 0, JSON.stringify(body)).toBe(true);
      }
      const bad = await put(agent1, { state: 'not-ready', reason: 'Not A Reason!' });
      expect((bad.body as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['reason']);
      expect(await onDisk()).toEqual(was);
    });

    it('needs a login', async () => {
      expect((await put(null, { state: 'ready', reason: null })).status).toBe(401);
      expect((await call(server.url, null, '/api/presence')).status).toBe(401);
    });
  });

  describe('GET /api/presence', () => {
    it('shows a team lead every agent’s state', async () => {
      await set(agent1, { state: 'break', reason: null });
      const r = await call(server.url, lead, '/api/presence');
      expect(r.status).toBe(200);
      const board = r.body as BoardAnswer;
      const disk = await onDisk();
      expect(board.agents.map((a) => a.username)).toEqual(disk.map((d) => d.username));
      expect(board.agents.find((a) => a.username === 'agent1')).toEqual({
        username: 'agent1',
        state: 'break',
        reason: null,
        category: null,
        warnings: 0,
        since: new Date((disk.find((d) => d.username === 'agent1') as PresenceRowOnDisk).since).toISOString(),
        version: (disk.find((d) => d.username === 'agent1') as PresenceRowOnDisk).version,
      });
    });

    it('keeps what an agent’s call is about, updated during the call without resetting its start', async () => {
      const start = await set(agent2, { state: 'on-call', reason: null, category: '상수도/누수' });
      await tick();
      const again = await set(agent2, { state: 'on-call', reason: null, category: '상수도/요금' });
      expect(again.since).toBe(start.since);
      const agents = ((await call(server.url, lead, '/api/presence')).body as { agents: { username: string; category: string | null }[] }).agents;
      expect(agents.find((a) => a.username === 'agent2')?.category).toBe('상수도/요금');
      const board = (await call(server.url, lead, '/api/board')).body as { agents: { username: string; callCategory: string | null }[] };
      expect(board.agents.find((a) => a.username === 'agent2')?.callCategory).toBe('상수도/요금');
      await set(agent2, { state: 'wrap-up', reason: null });
      const after = (await call(server.url, lead, '/api/board')).body as { agents: { username: string; callCategory: string | null }[] };
      expect(after.agents.find((a) => a.username === 'agent2')?.callCategory).toBeNull();
      expect((await put(agent2, { state: 'on-call', reason: null, category: 'x'.repeat(101) })).status).toBe(400);
    });

    it('is not for agents', async () => {
      const r = await call(server.url, agent1, '/api/presence');
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ error: 'forbidden' });
    });

    it('lets a team lead report their own presence too', async () => {
      await set(lead, { state: 'ready', reason: null });
      expect(await row('lead1')).toMatchObject({ state: 'ready', reason: null });
    });
  });

  describe('SIP-only phone accounts', () => {
    for (const username of ['citizen1', '3511']) {
      it(`${username} logs in for its SIP account but may not touch presence or the city’s data`, async () => {
        const answer = loginResponseSchema.parse(await signIn(server.url, username, username));
        expect(answer.user).toMatchObject({ username, role: 'phone' });
        expect(answer.sip).toMatchObject({ username });
        expect(answer.sip.password).not.toBe(username);
        const put403 = await put(answer.token, { state: 'ready', reason: null });
        expect(put403.status).toBe(403);
        expect(put403.body).toMatchObject({ error: 'forbidden' });
        expect((await call(server.url, answer.token, '/api/presence')).status).toBe(403);
        expect((await call(server.url, answer.token, '/api/sync')).status).toBe(403);
        expect(await row(username)).toBeUndefined();
      });
    }
  });

  describe('the presence board', () => {
    it('keeps the newer of two reports by the desk’s version, whichever arrives last', async () => {
      const { city, dir } = await cityStore(name);
      const sip = openSipStore(city, dir);
      const board = presenceBoard(sip.db);
      try {
        const [t0, t1, t2] = [1_000, 2_000, 3_000].map((ms) => new Date(ms)) as [Date, Date, Date];
        expect(await board.set('agent1', { state: 'ready', reason: null, version: 10 }, t0)).toMatchObject({ state: 'ready', version: 10, since: t0 });
        // The desk went on a call (version 11, heard first through the SIP server), then its late
        // report of an older state arrives here: it changes nothing.
        expect(await board.set('agent1', { state: 'on-call', reason: null, version: 11 }, t1)).toMatchObject({ state: 'on-call', version: 11, since: t1 });
        expect(await board.set('agent1', { state: 'ready', reason: null, version: 10 }, t2)).toMatchObject({ state: 'on-call', version: 11, since: t1 });
        // The same version again fills in what only the city server keeps (what the call is about).
        expect(await board.set('agent1', { state: 'on-call', reason: null, category: '여권/발급', version: 11 }, t2)).toMatchObject({ state: 'on-call', category: '여권/발급', since: t1 });
        // A different state under a version already recorded is not the desk's latest: refused.
        expect(await board.set('agent1', { state: 'break', reason: null, version: 11 }, t2)).toMatchObject({ state: 'on-call', version: 11 });
        // A desk that sends no version (an older release) is taken as newest.
        expect(await board.set('agent1', { state: 'wrap-up', reason: null }, t2)).toMatchObject({ state: 'wrap-up', version: 12, since: t2 });
        expect(await board.list()).toEqual([{ username: 'agent1', state: 'wrap-up', reason: null, category: null, warnings: 0, since: t2, version: 12 }]);
      } finally {
        await sip.close();
        await city.close();
      }
    });

    it('keeps since on a repeated state, moves it on a change, and refuses names Kamailio must not see', async () => {
      const { city, dir } = await cityStore(name);
      const sip = openSipStore(city, dir);
      const board = presenceBoard(sip.db);
      try {
        const t0 = new Date('2026-11-28T09:00:00.000Z');
        const t1 = new Date('2026-11-28T09:05:00.000Z');
        const t2 = new Date('2026-11-28T09:10:00.000Z');
        expect(await board.set('agent1', { state: 'ready', reason: null }, t0)).toEqual({ username: 'agent1', state: 'ready', reason: null, category: null, warnings: 0, since: t0, version: 0 });
        expect((await board.set('agent1', { state: 'ready', reason: null }, t1)).since).toEqual(t0);
        expect(await board.set('agent1', { state: 'not-ready', reason: 'meal' }, t1)).toEqual({ username: 'agent1', state: 'not-ready', reason: 'meal', category: null, warnings: 0, since: t1, version: 2 });
        expect(await board.set('agent1', { state: 'not-ready', reason: 'admin' }, t2)).toEqual({ username: 'agent1', state: 'not-ready', reason: 'admin', category: null, warnings: 0, since: t1, version: 3 });
        await board.set('agent0', { state: 'offline', reason: null }, t2);
        expect(await board.list()).toEqual([
          { username: 'agent0', state: 'offline', reason: null, category: null, warnings: 0, since: t2, version: 0 },
          { username: 'agent1', state: 'not-ready', reason: 'admin', category: null, warnings: 0, since: t1, version: 3 },
        ]);
        await expect(board.set("x' OR '1'='1", { state: 'ready', reason: null }, t2)).rejects.toThrow();
        expect(await board.list()).toHaveLength(2);
      } finally {
        await sip.close();
      }
      // It outlives the board (a file of its own, or the city's database).
      const reopened = openSipStore(city, dir);
      try {
        expect((await presenceBoard(reopened.db).list()).map((r) => `${r.username}:${r.state}`)).toEqual(['agent0:offline', 'agent1:not-ready']);
      } finally {
        await reopened.close();
        await city.close();
      }
    });
  });
});

describe('the SIP server’s own file (SQLite)', () => {
  it('adds the category and version columns to a presence file written before they existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-presence-old-'));
    const old = new Database(join(dir, 'sip.sqlite'));
    old.exec('CREATE TABLE agent_presence (username VARCHAR(64) PRIMARY KEY NOT NULL, state VARCHAR(16) NOT NULL, reason VARCHAR(32), since INTEGER NOT NULL)');
    old.prepare('INSERT INTO agent_presence VALUES (?, ?, ?, ?)').run('agent9', 'ready', null, 1_000);
    old.close();
    const city = openCityDb(join(dir, 'city.sqlite'));
    const sip = openSipStore(city, dir);
    const board = presenceBoard(sip.db);
    try {
      expect(await board.list()).toEqual([{ username: 'agent9', state: 'ready', reason: null, category: null, warnings: 0, since: new Date(1_000), version: 0 }]);
      expect(await board.set('agent9', { state: 'on-call', reason: null, category: '여권/발급' }, new Date(2_000))).toMatchObject({ category: '여권/발급' });
    } finally {
      await sip.close();
      await city.close();
    }
  });

});
