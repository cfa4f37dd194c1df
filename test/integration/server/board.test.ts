import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSchema, teamBoardSchema, type TeamBoard } from '../../../shared/board';
import { seoulDay } from '../../../shared/seoul-time';
import { call, login } from '../../helpers/http';
import { runMinwon, startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { draft } from '../../helpers/records';
import { serverStores } from '../../helpers/server-stores';
import { openSipTables } from '../../helpers/sip-tables';

const stores = serverStores();

describe.each(stores.names)('the team lead’s board (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let dataDir: string;
  let database: string | undefined;
  let lead: string;
  let agent1: string;
  let agent2: string;
  const password = (user: string) => `${user}-board-password`;
  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'minwon-board-')), 'city');
    // Accounts only, no demo history: the agents' day holds exactly the calls these tests make,
    // so the board's counts and averages are known to the second.
    database = await stores.database(name);
    server = await startCityServerProcess(dataDir, database ? { database } : {});
    for (const [user, role] of [
      ['lead1', 'lead'],
      ['agent1', 'agent'],
      ['agent2', 'agent'],
    ] as const) {
      const add = await runMinwon(['user', 'add', user, '--role', role, '--data', dataDir], { MINWON_PASSWORD: password(user), ...(database ? { MINWON_DATABASE_URL: database } : {}) });
      if (add.code !== 0) throw new Error(`user add ${user}: ${add.stderr}`);
    }
    const signIn = (user: string) => login(server.url, user, password(user));
    [lead, agent1, agent2] = await Promise.all([signIn('lead1'), signIn('agent1'), signIn('agent2')]);
  });
  afterAll(() => server.stop());

  const board = async () => teamBoardSchema.parse((await call(server.url, lead, '/api/board')).body);
  const row = (b: TeamBoard, name: string) => b.agents.find((a) => a.username === name);

  it('shows every agent’s state, since when, and their day', async () => {
    const before = await board();
    expect(before.agents.map((a) => a.username)).toEqual(['agent1', 'agent2']);
    expect(row(before, 'agent1')).toMatchObject({ state: 'offline', since: null, handledToday: 0, averageHandlingSeconds: null });

    await call(server.url, agent1, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'ready', reason: null }) });
    await call(server.url, agent2, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'not-ready', reason: 'meal' }) });
    // Two calls of agent1 today (Seoul), 3 and 5 minutes long, the later one about parking; in
    // Seoul's first hour "an hour ago" would be yesterday, so they start at midnight then.
    const start = new Date(Math.max(Date.now() - 3_600_000, seoulDay(new Date()).from.getTime()));
    const records = [
      draft({ startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 180_000).toISOString(), category: '상수도/누수' }),
      draft({ startedAt: new Date(start.getTime() + 600_000).toISOString(), endedAt: new Date(start.getTime() + 900_000).toISOString(), category: '교통/주차' }),
      // Yesterday's last moment, written with Korea's offset: as text it sorts among today's, but it is not today's.
      draft({ startedAt: `${seoulDay(new Date(Date.now() - 86_400_000)).day}T23:59:59.999+09:00`, endedAt: `${seoulDay(new Date(Date.now() - 86_400_000)).day}T23:59:59.999+09:00`, category: '여권/발급' }),
    ];
    const upload = await call(server.url, agent1, '/api/records', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), records }) });
    expect(upload.status).toBe(200);

    const after = await board();
    expect(row(after, 'agent1')).toMatchObject({ state: 'ready', reason: null, lastCategory: '교통/주차' });
    expect(row(after, 'agent2')).toMatchObject({ state: 'not-ready', reason: 'meal' });
    const a1 = row(after, 'agent1');
    expect(Date.now() - Date.parse(a1?.since ?? '')).toBeLessThan(60_000);
    expect(a1?.handledToday).toBe(2);
    expect(a1?.averageHandlingSeconds).toBe(240);
    expect(after.day).toBe(seoulDay(new Date()).day);
  });

  it('counts the calls Kamailio says are waiting, ignoring any a stopped SIP server left behind', async () => {
    // Kamailio's part: its rows where it keeps them (the SIP file, or the city's PostgreSQL database).
    const sip = await openSipTables(dataDir, database);
    try {
      const nowS = Math.floor(Date.now() / 1000);
      await sip.run('INSERT INTO waiting_calls(call_id, since) VALUES (?, ?), (?, ?), (?, ?)', ['a'.repeat(32), nowS - 12, 'b'.repeat(32), nowS - 3, 'c'.repeat(32), nowS - 3600]);
      expect((await board()).waiting).toEqual({ count: 2, oldestSince: new Date((nowS - 12) * 1000).toISOString() });
      // Every desk's call bar has the same count (an agent's account too), never the board itself.
      const queue = queueSchema.parse((await call(server.url, agent1, '/api/queue')).body);
      expect(queue.waiting).toEqual({ count: 2, oldestSince: new Date((nowS - 12) * 1000).toISOString() });
      expect((await call(server.url, null, '/api/queue')).status).toBe(401);
      await sip.run('DELETE FROM waiting_calls');
    } finally {
      await sip.close();
    }
    expect((await board()).waiting).toEqual({ count: 0, oldestSince: null });
  });

  it('alerts the lead to an agent warning an abusive caller, and shows the protected break after it apart from the agents away', async () => {
    const presence = (token: string, p: object) => call(server.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify(p) });
    expect((await presence(agent1, { state: 'on-call', reason: null, category: '상수도/요금', warnings: 2 })).status).toBe(200);
    expect(row(await board(), 'agent1')).toMatchObject({ state: 'on-call', warnings: 2, protectedBreak: false });
    // The warnings belong to the call: once it is over they are gone, whatever the desk says.
    await presence(agent1, { state: 'wrap-up', reason: null, warnings: 3 });
    expect(row(await board(), 'agent1')).toMatchObject({ state: 'wrap-up', warnings: 0 });
    await presence(agent1, { state: 'not-ready', reason: 'recovery' });
    await presence(agent2, { state: 'not-ready', reason: 'meal' });
    const b = await board();
    expect(row(b, 'agent1')).toMatchObject({ state: 'not-ready', reason: 'recovery', protectedBreak: true });
    expect(row(b, 'agent2')).toMatchObject({ state: 'not-ready', reason: 'meal', protectedBreak: false });
    // The city names its own protected break.
    expect((await call(server.url, lead, '/api/settings/protection', { method: 'PUT', body: JSON.stringify({ warningsBeforeEnd: 2, protectedBreakReason: 'meal', recordingRetentionDays: 60 }) })).status).toBe(200);
    expect(row(await board(), 'agent2')).toMatchObject({ protectedBreak: true });
    expect(row(await board(), 'agent1')).toMatchObject({ protectedBreak: false });
    expect((await presence(agent1, { state: 'on-call', reason: null, warnings: -1 })).status).toBe(400);
  });

  it('is for team leads only', async () => {
    expect((await call(server.url, agent1, '/api/board')).status).toBe(403);
    expect((await call(server.url, null, '/api/board')).status).toBe(401);
  });
});
