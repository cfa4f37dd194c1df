import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue, TeamBoard } from '../../../shared/board';
import type { RecordBatchResult } from '../../../shared/record';
import type { SyncPage } from '../../../shared/sync';
import { call, login } from '../../helpers/http';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { draft } from '../../helpers/records';
import { openSipTables } from '../../helpers/sip-tables';

// Issue 18: the city server as several instances on one PostgreSQL, behind nothing but their
// ports, and the same server on SQLite beside them with the same demo data.

let pgServer: TestPostgres;
let database: string;
let instances: CityServerProcess[];
let sqlite: CityServerProcess;

beforeAll(async () => {
  pgServer = await startPostgres();
  database = await pgServer.database();
  // The first seeds the demo data; the second finds it there.
  const first = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-pg-a-')), { demo: true, database });
  instances = [first, await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-pg-b-')), { demo: true, database })];
  sqlite = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-sqlite-')), { demo: true });
}, 120_000);

afterAll(async () => {
  await Promise.all([...(instances ?? []), sqlite].map((s) => s?.stop()));
  await pgServer?.stop();
});

/** Every change from `since` on, asking the instances in turn, page by page. */
async function syncAlternately(tokens: string[], since: string | null, urls: string[]) {
  const changes: SyncPage['changes'] = [];
  let cursor = since;
  for (let n = 0; ; n++) {
    const i = n % urls.length;
    const r = await call(urls[i] as string, tokens[i] as string, `/api/sync?limit=250${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    const page = r.body as SyncPage;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

describe('the city server on PostgreSQL, two instances on one database', () => {
  it('serves the same data set as the SQLite server, to a desk syncing from either instance in turn', async () => {
    const urls = instances.map((s) => s.url);
    const tokens = await Promise.all(urls.map((u) => login(u, 'agent1', 'agent1')));
    const viaPg = await syncAlternately(tokens, null, urls);
    const viaSqlite = await syncAlternately([await login(sqlite.url, 'agent1', 'agent1')], null, [sqlite.url]);
    const shape = (c: SyncPage['changes']) => c.map((x) => `${x.kind}:${x.kind === 'history' ? '' : x.key}`).sort();
    expect(shape(viaPg.changes)).toEqual(shape(viaSqlite.changes));
    expect(viaPg.changes.filter((c) => c.kind === 'history')).toHaveLength(viaSqlite.changes.filter((c) => c.kind === 'history').length);
  });

  it('takes a record on one instance, recognises the same batch replayed to the other, and both desks see it', async () => {
    const [a, b] = instances.map((s) => s.url) as [string, string];
    const [ta, tb] = await Promise.all([login(a, 'agent1', 'agent1'), login(b, 'agent1', 'agent1')]);
    const { cursor } = await syncAlternately([ta, tb], null, [a, b]);
    const batch = { batchKey: randomUUID(), records: [draft({ callerNumber: '010-5555-8888' })] };
    const first = (await call(a, ta, '/api/records', { method: 'POST', body: JSON.stringify(batch) })).body as RecordBatchResult;
    expect(first).toMatchObject({ accepted: [batch.records[0]?.id], replayed: false });
    const again = (await call(b, tb, '/api/records', { method: 'POST', body: JSON.stringify(batch) })).body as RecordBatchResult;
    expect(again).toEqual({ ...first, replayed: true });
    const delta = await syncAlternately([tb, ta], cursor, [b, a]);
    expect(delta.changes.map((c) => c.key)).toEqual([batch.records[0]?.id]);
    // A lookup on either instance finds it.
    for (const [url, token] of [[a, ta], [b, tb]] as const) {
      const history = (await call(url, token, '/api/callers/01055558888/history')).body as { items: { id: string }[] };
      expect(history.items.map((i) => i.id)).toEqual([batch.records[0]?.id]);
    }
  });

  it('refuses text with a NUL character, which PostgreSQL cannot hold, as a client’s error', async () => {
    const url = instances[0]?.url as string;
    const token = await login(url, 'agent1', 'agent1');
    const lead = await login(url, 'lead1', 'lead1');
    const answers = [
      await call(url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'agent1\u0000', password: 'agent1' }) }),
      await call(url, token, '/api/manual/M%00X'),
      await call(url, lead, '/api/access-log?subject=%00'),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect((await call(url, null, '/api/health')).status).toBe(200);
  });

  it('throttles a name that failed on one instance on the other too', async () => {
    const [a, b] = instances.map((s) => s.url) as [string, string];
    const attempt = (url: string, password: string) => call(url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'agent2', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? a : b, 'wrong')).status).toBe(401);
    // Five failures across both: locked on both, even with the right password.
    expect((await attempt(a, 'agent2')).status).toBe(429);
    expect((await attempt(b, 'agent2')).status).toBe(429);
  });

  it('keeps a session opened on one instance good on the other, and signs monitoring grants with one key', async () => {
    const token = await login(instances[0]?.url as string, 'lead1', 'lead1');
    expect((await call(instances[1]?.url as string, token, '/api/board')).status).toBe(200);
    // Desks verify a lead's grant with the key they got at login, from whichever instance.
    const keys = await Promise.all(
      instances.map(async (s) => ((await call(s.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'agent1', password: 'agent1' }) })).body as { monitoringKey: string }).monitoringKey),
    );
    expect(keys[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('gives a slot of capacity 2 to exactly 2 of 200 bookings sent at once to both instances; the rest hear it is full', async () => {
    const [a, b] = instances.map((s) => s.url) as [string, string];
    const [lead, ta, tb] = await Promise.all([login(a, 'lead1', 'lead1'), login(a, 'agent1', 'agent1'), login(b, 'agent1', 'agent1')]);
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const slots = { reminderMinutes: 60, slots: [{ id: 'rush', topic: '여권 상담', start, minutes: 30, capacity: 2 }] };
    expect((await call(a, lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(slots) })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(i % 2 ? b : a, i % 2 ? tb : ta, '/api/reservations', { method: 'POST', body: JSON.stringify({ slotId: 'rush', number: `010-6${String(i).padStart(3, '0')}-0000` }) }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(2);
    const refused = answers.filter((r) => r.status === 409);
    expect(refused).toHaveLength(198);
    expect(refused.every((r) => (r.body as { error: string; message: string }).error === 'slot-full')).toBe(true);
    expect((refused[0]?.body as { message: string }).message).toMatch(/full/);
    expect(((await call(b, ta, '/api/reservations/slots')).body as { slots: { left: number }[] }).slots).toEqual([expect.objectContaining({ booked: 2, left: 0 })]);
  });

  it('shows an agent’s state told to one instance on the other’s board, and a call Kamailio counts waiting on both', async () => {
    const [a, b] = instances.map((s) => s.url) as [string, string];
    // agent1: agent2 is locked out by the throttle's test above.
    const [agent, lead] = await Promise.all([login(a, 'agent1', 'agent1'), login(b, 'lead1', 'lead1')]);
    const put = await call(a, agent, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'not-ready', reason: 'meal' }) });
    expect(put.status).toBe(200);
    const board = (await call(b, lead, '/api/board')).body as TeamBoard;
    expect(board.agents.find((r) => r.username === 'agent1')).toMatchObject({ state: 'not-ready', reason: 'meal' });
    // Kamailio's part: a call ringing an agent, in the same database.
    const sip = await openSipTables('', database);
    try {
      await sip.run('INSERT INTO waiting_calls(call_id, since) VALUES (?, ?)', ['d'.repeat(32), Math.floor(Date.now() / 1000) - 5]);
      for (const url of [a, b]) expect(((await call(url, lead, '/api/queue')).body as Queue).waiting.count, url).toBe(1);
      await sip.run('DELETE FROM waiting_calls');
    } finally {
      await sip.close();
    }
  });
});
