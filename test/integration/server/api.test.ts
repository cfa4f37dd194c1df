import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordBatchResult } from '../../../shared/record';
import type { SyncPage } from '../../../shared/sync';
import { call, login, postStatus } from '../../helpers/http';
import { REPO, startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { cityDbFile } from '../../../server/main';
import { draft } from '../../helpers/records';

import { openCityDb } from '../../../server/store/db';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { Db } from '../../../server/store/sql';
import { serverStores } from '../../helpers/server-stores';

// The city server's API, on each store it runs on: its SQLite file, and PostgreSQL.
const stores = serverStores();


describe.each(stores.names)('on $name', ({ name }) => {
  let server: CityServerProcess;
  let dataDir: string;
  /** The PostgreSQL database this server runs on; none on SQLite. */
  let database: string | undefined;
  let agent: string;
  let agent2: string;
  let lead: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minwon-api-'));
    database = await stores.database(name);
    server = await startCityServerProcess(dataDir, { demo: true, ...(database ? { database } : {}) });
    [agent, agent2, lead] = await Promise.all([login(server.url, 'agent1', 'agent1'), login(server.url, 'agent2', 'agent2'), login(server.url, 'lead1', 'lead1')]);
  });
  afterAll(() => server.stop());

  /** Reads this server's store directly, whichever engine holds it. */
  async function inStore<T>(read: (db: Db) => Promise<T>): Promise<T> {
    const db = database ? await openPostgresStore(database) : openCityDb(cityDbFile(dataDir));
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async function page(query: string, token = agent): Promise<SyncPage> {
    const r = await call(server.url, token, `/api/sync?${query}`);
    expect(r.status).toBe(200);
    return r.body as SyncPage;
  }

  async function syncAll(since: string | null, limit = 1000, token = agent): Promise<{ changes: SyncPage['changes']; cursor: string; pages: number }> {
    const changes: SyncPage['changes'] = [];
    let cursor = since;
    let pages = 0;
    for (;;) {
      const p = await page(`${cursor ? `since=${encodeURIComponent(cursor)}&` : ''}limit=${limit}`, token);
      changes.push(...p.changes);
      cursor = p.cursor;
      pages++;
      if (!p.hasMore) return { changes, cursor, pages };
    }
  }

  describe('authentication and roles', () => {
    it('answers health without a token and everything else only with one', async () => {
      expect((await call(server.url, null, '/api/health')).status).toBe(200);
      expect((await call(server.url, null, '/api/sync')).status).toBe(401);
      expect((await call(server.url, 'x'.repeat(43), '/api/sync')).status).toBe(401);
      expect((await call(server.url, null, '/api/sync', { headers: { authorization: 'Basic YWdlbnQxOmFnZW50MQ==' } })).status).toBe(401);
    });

    it('refuses wrong passwords with one answer for unknown and known users, then locks the name', async () => {
      const wrong = await call(server.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'agent2', password: 'nope' }) });
      const unknown = await call(server.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ghost', password: 'nope' }) });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'bad-credentials' } });
      expect(unknown.body).toEqual(wrong.body);
      for (let i = 0; i < 4; i++) {
        await call(server.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ghost', password: 'nope' }) });
      }
      const locked = await call(server.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ghost', password: 'nope' }) });
      expect(locked.status).toBe(429);
    });

    it('gives team leads rights agents do not have', async () => {
      expect((await call(server.url, agent, '/api/agents')).status).toBe(403);
      const agents = await call(server.url, lead, '/api/agents');
      expect(agents.status).toBe(200);
      expect((agents.body as { users: { username: string }[] }).users.map((u) => u.username)).toEqual(['agent1', 'agent2', 'lead1']);
      const entry = { id: 'M-TEST-1', category: '상수도/요금', title: '테스트', body: '본문' };
      expect((await call(server.url, agent, '/api/manual/M-TEST-1', { method: 'PUT', body: JSON.stringify(entry) })).status).toBe(403);
      expect((await call(server.url, agent, '/api/manual/M-WAT-001', { method: 'DELETE' })).status).toBe(403);
    });

    it('shows agents only their own records and leads everyone’s', async () => {
      const users = (await call(server.url, lead, '/api/agents')).body as { users: { id: string; username: string }[] };
      const agent2Id = users.users.find((u) => u.username === 'agent2')?.id;
      expect((await call(server.url, agent, `/api/records?agent=${agent2Id}`)).status).toBe(403);
      const own = (await call(server.url, agent, '/api/records?limit=1000')).body as { records: { agentId: string }[] };
      expect(new Set(own.records.map((r) => r.agentId)).size).toBe(1);
      const all = (await call(server.url, lead, '/api/records?limit=1000')).body as { records: { agentId: string }[] };
      expect(new Set(all.records.map((r) => r.agentId)).size).toBe(2);
    });

    it('logs out: the token stops working', async () => {
      const token = await login(server.url, 'agent2', 'agent2');
      expect((await call(server.url, token, '/api/auth/logout', { method: 'POST' })).status).toBe(200);
      expect((await call(server.url, token, '/api/sync')).status).toBe(401);
    });
  });

  describe('delta sync', () => {
    it('pages through every change once, in rising revisions, whatever the page size', async () => {
      const big = await syncAll(null, 5000);
      const small = await syncAll(null, 97);
      expect(small.pages).toBeGreaterThan(5);
      expect(small.changes).toEqual(big.changes);
      const revs = big.changes.map((c) => c.rev);
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      expect(new Set(big.changes.map((c) => `${c.kind}:${c.key}`)).size).toBe(big.changes.length);
      const kinds = big.changes.reduce<Record<string, number>>((n, c) => ({ ...n, [c.kind]: (n[c.kind] ?? 0) + 1 }), {});
      expect(kinds.entry).toBeGreaterThanOrEqual(250);
      expect(kinds.department).toBe(13);
    });

    it('bounds a page in bytes as well as rows', async () => {
      const p = await page('limit=5000&maxBytes=4096');
      expect(p.hasMore).toBe(true);
      expect(p.changes.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(p.changes.map((c) => JSON.stringify(c)).join(','))).toBeLessThanOrEqual(4096);
    });

    it('resumes from any cursor it gave out', async () => {
      const first = await page('limit=50');
      const rest = await syncAll(first.cursor, 500);
      const all = await syncAll(null, 5000);
      expect([...first.changes, ...rest.changes]).toEqual(all.changes);
    });

    it('refuses malformed cursors and out-of-range sizes with a clear error', async () => {
      for (const q of ['since=garbage', 'since=abcdefgh:-1', 'limit=0', 'limit=100000', 'maxBytes=10', 'limit=abc', 'unknown=1']) {
        const r = await call(server.url, agent, `/api/sync?${q}`);
        expect(r.status, q).toBe(400);
        expect((r.body as { message: string }).message, q).toMatch(/cursor|sync query/);
      }
    });

    it('restarts a desk from scratch when its cursor names another database', async () => {
      const p = await page('since=someOtherDb:5&limit=10');
      expect(p.reset).toBe(true);
      expect(p.changes[0]?.rev).toBe((await page('limit=1')).changes[0]?.rev);
    });

    it('delivers a lead’s edit as a new version and a delete as a tombstone', async () => {
      const { cursor } = await syncAll(null, 5000);
      const edited = { id: 'M-WAT-001', category: '상수도/요금', title: '수도요금 고지서 안내 (개정)', body: '개정된 안내', keywords: ['수도세'] };
      const put = await call(server.url, lead, '/api/manual/M-WAT-001', { method: 'PUT', body: JSON.stringify(edited) });
      expect(put).toMatchObject({ status: 200, body: { updated: 1, entry: { version: 2, title: edited.title } } });
      const same = await call(server.url, lead, '/api/manual/M-WAT-001', { method: 'PUT', body: JSON.stringify(edited) });
      expect(same.body).toMatchObject({ unchanged: 1, entry: { version: 2 } });
      expect((await call(server.url, lead, '/api/manual/M-WAT-002', { method: 'DELETE' })).status).toBe(200);
      expect((await call(server.url, lead, '/api/manual/M-WAT-002', { method: 'DELETE' })).status).toBe(404);
      const delta = await syncAll(cursor);
      expect(delta.changes.map((c) => [c.key, c.data === null ? 'deleted' : (c.data as { version: number }).version])).toEqual([
        ['M-WAT-001', 2],
        ['M-WAT-002', 'deleted'],
      ]);
      const bad = await call(server.url, lead, '/api/manual/M-WAT-003', { method: 'PUT', body: JSON.stringify({ ...edited, id: 'M-WAT-003', title: '' }) });
      expect(bad.status).toBe(400);
      expect((await call(server.url, lead, '/api/manual/M-WAT-003', { method: 'PUT', body: JSON.stringify(edited) })).status).toBe(400);
    });
  });

  describe('record intake', () => {
    const upload = (token: string, body: unknown) => call(server.url, token, '/api/records', { method: 'POST', body: JSON.stringify(body) });

    it('keeps the valid records of a batch, rejects the malformed with reasons, and ignores a replay', async () => {
      const good = [draft({ callerNumber: '270-1111' }), draft(), draft({ outcome: 'transferred', department: 'water-supply' })];
      const batchKey = randomUUID();
      const records = [good[0], { ...draft(), outcome: 'lost' }, good[1], { id: 'not-a-uuid' }, 'text', good[2], { ...draft(), endedAt: '2026-11-19T00:00:00Z' }];
      const first = await upload(agent, { batchKey, records });
      expect(first.status).toBe(200);
      const r = first.body as RecordBatchResult;
      expect(r.accepted).toEqual(good.map((g) => g.id));
      expect(r.rejected.map((x) => x.index)).toEqual([1, 3, 4, 6]);
      expect(r.rejected[0]?.reason).toMatch(/outcome/);
      expect(r.rejected[1]).toMatchObject({ id: 'not-a-uuid' });
      expect(r.rejected[3]?.reason).toMatch(/endedAt is before startedAt/);

      const replay = await upload(agent, { batchKey, records });
      expect(replay.body).toEqual({ ...r, replayed: true });
      const again = await upload(agent, { batchKey: randomUUID(), records: good });
      expect(again.body).toMatchObject({ accepted: [], duplicates: good.map((g) => g.id) });
      expect((await upload(agent2, { batchKey, records })).status).toBe(409);

      const history = await call(server.url, agent, '/api/callers/054-270-1111/history');
      expect(history.body).toMatchObject({ caller: { e164: '+82542701111' }, items: [{ id: good[0]?.id }] });
    });

    it('refuses an id already used for another record or by another agent, and times no real call could have', async () => {
      const mine = draft();
      expect((await upload(agent, { batchKey: randomUUID(), records: [mine] })).body).toMatchObject({ accepted: [mine.id] });
      const hour = 3_600_000;
      const now = Date.now();
      const at = (ms: number) => new Date(now + ms).toISOString();
      const res = (await upload(agent, {
        batchKey: randomUUID(),
        records: [
          mine,
          { ...mine, notes: '다른 내용' },
          draft({ startedAt: at(-hour), endedAt: '9999-12-31T00:00:00Z' }),
          draft({ startedAt: at(-401 * 24 * hour), endedAt: at(-401 * 24 * hour + 60_000) }),
          draft({ startedAt: at(-14 * hour), endedAt: at(-hour) }),
          draft({ startedAt: at(-hour), endedAt: at(2 * 60_000) }),
        ],
      })).body as RecordBatchResult;
      expect(res.duplicates).toEqual([mine.id]);
      expect(res.rejected.map((r) => [r.index, r.reason])).toEqual([
        [1, 'this id was already stored with different content'],
        [2, 'endedAt is in the future'],
        [3, 'startedAt is more than 400 days ago'],
        [4, 'a call of more than 12 hours'],
      ]);
      // A clock a couple of minutes ahead is a desk's, not a forgery.
      expect(res.accepted).toHaveLength(1);
      const theirs = (await upload(agent2, { batchKey: randomUUID(), records: [mine] })).body as RecordBatchResult;
      expect(theirs.rejected).toEqual([{ index: 0, id: mine.id, reason: 'this id is another agent’s record' }]);
    });

    it('masks a resident number wherever a desk put it: notes, category, department, a caller field that is no number', async () => {
      const rrn = '900101-1234567';
      const record = draft({ notes: `주민번호 ${rrn}`, category: `상수도/${rrn}`, department: rrn, callerNumber: rrn });
      expect((await upload(agent, { batchKey: randomUUID(), records: [record] })).body).toMatchObject({ accepted: [record.id] });
      const own = (await call(server.url, agent, '/api/records?limit=1000')).body as { records: { id: string }[] };
      const stored = JSON.stringify(own.records.find((r) => r.id === record.id));
      expect(stored).not.toContain('1234567');
      expect(stored).toContain('******-*******');
      const row = await inStore((db) => db.get('SELECT caller_raw, category, department, notes FROM records WHERE id = ?', [record.id]));
      expect(row).toEqual({ caller_raw: '******-*******', category: '상수도/******-*******', department: '******-*******', notes: '주민번호 ******-*******' });
    });

    it('keeps a withheld caller’s record on the city server: desks, which look callers up by number, never get it', async () => {
      const { cursor } = await syncAll(null);
      const withheld = draft({ callerNumber: 'anonymous', notes: '발신번호 표시 제한 민원' });
      const known = draft({ callerNumber: '010-5555-6666' });
      expect((await upload(agent, { batchKey: randomUUID(), records: [withheld, known] })).body).toMatchObject({ accepted: [withheld.id, known.id] });
      const delta = await syncAll(cursor);
      expect(delta.changes.filter((c) => c.kind === 'history').map((c) => c.key)).toEqual([known.id]);
      // The city keeps it: the lead's record list has it.
      expect(((await call(server.url, lead, '/api/records?limit=1000')).body as { records: { id: string }[] }).records.map((r) => r.id)).toContain(withheld.id);
    });

    it('tells each desk only what its screen-pop shows: another agent’s consultation without its agent, end or department', async () => {
      const cursors = { agent: (await syncAll(null)).cursor, agent2: (await syncAll(null, 1000, agent2)).cursor };
      const record = draft({ callerNumber: '010-5555-7777', outcome: 'transferred', department: 'water-supply', manualIds: ['M-WAT-001'], notes: '요금 감면 문의' });
      expect((await upload(agent, { batchKey: randomUUID(), records: [record] })).body).toMatchObject({ accepted: [record.id] });
      // An agent's own record list is theirs alone: it names them.
      const me = ((await call(server.url, agent, '/api/records?limit=1')).body as { records: { agentId: string }[] }).records[0]?.agentId;
      const whole = { id: record.id, callerE164: '+821055557777', agentId: me, startedAt: record.startedAt, endedAt: record.endedAt, category: record.category, outcome: 'transferred', manualIds: ['M-WAT-001'], notes: '요금 감면 문의', department: 'water-supply' };
      const shared = { ...whole, agentId: null, endedAt: null, department: null };
      const synced = async (token: string, since: string) => (await syncAll(since, 1000, token)).changes.find((c) => c.key === record.id)?.data;
      expect(await synced(agent, cursors.agent)).toEqual(whole);
      expect(await synced(agent2, cursors.agent2)).toEqual(shared);
      // The caller lookup while a call rings says the same.
      const lookup = async (token: string) => ((await call(server.url, token, '/api/callers/01055557777/history')).body as { items: unknown[] }).items;
      expect(await lookup(agent)).toEqual([whole]);
      expect(await lookup(agent2)).toEqual([shared]);
      // The team lead's record list, on the city server, has all of it.
      expect(((await call(server.url, lead, '/api/records?limit=1000')).body as { records: { id: string }[] }).records.find((r) => r.id === record.id)).toEqual(whole);
    });

    it('stores well-formed text only: a lone surrogate from a client, and a note masked then cut at its limit', async () => {
      const lone = draft({ notes: '반쪽 문자 \uD800 끝' });
      // 3,997 UTF-16 units within the limit; masking adds two dashes to the phone number, and the cut falls inside the emoji.
      const long = draft({ notes: `${'가'.repeat(3986)}01012345678😀` });
      expect((await upload(agent, { batchKey: randomUUID(), records: [lone, long] })).body).toMatchObject({ accepted: [lone.id, long.id] });
      const notes = await inStore((db) => db.all<{ id: string; notes: string }>('SELECT id, notes FROM records WHERE id IN (?, ?)', [lone.id, long.id]));
      const byId = Object.fromEntries(notes.map((n) => [n.id, n.notes]));
      expect(byId[lone.id]).toBe('반쪽 문자 \uFFFD 끝');
      expect(byId[long.id]?.length).toBeLessThanOrEqual(4000);
      expect(byId[long.id]).toMatch(/^가+010-1234-5678$/);
      expect(Buffer.from(byId[long.id] as string, 'utf8').toString('utf8')).toBe(byId[long.id]);
    });

    // SQLite's own trouble: another process holding the file's write lock.
    if (name === 'sqlite') it('stores every upload while another process writes the same database (an import), never a 500', async () => {
      // Another writer holding the lock a few ms at a time, as `minwon import` does for longer.
      const writer = spawn(process.execPath, ['--input-type=module', '-e', `
        import Database from 'better-sqlite3';
        const db = new Database(${JSON.stringify(cityDbFile(dataDir))});
        db.pragma('busy_timeout = 5000');
        const put = db.prepare("INSERT INTO meta(key, value) VALUES ('writer', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        const end = Date.now() + 4000;
        while (Date.now() < end) {
          db.transaction(() => { put.run(String(Date.now())); const t = Date.now() + 3; while (Date.now() < t); }).immediate();
          const idle = Date.now() + 1; while (Date.now() < idle);
        }
      `], { cwd: REPO, stdio: 'inherit' });
      const exited = new Promise((resolve) => writer.on('exit', resolve));
      const statuses: number[] = [];
      while (writer.exitCode === null && statuses.length < 400) {
        const res = await upload(agent, { batchKey: randomUUID(), records: [draft(), draft()] });
        statuses.push(res.status);
      }
      await exited;
      expect(statuses.length).toBeGreaterThan(20);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    });

    it('refuses a malformed or oversized body without storing anything', async () => {
      const bad = await call(server.url, agent, '/api/records', { method: 'POST', body: '{"batchKey": ' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect((await upload(agent, { batchKey: randomUUID(), records: [] })).status).toBe(400);
      expect((await upload(agent, { batchKey: 'x', records: [draft()] })).status).toBe(400);
      const tooMany = await upload(agent, { batchKey: randomUUID(), records: Array.from({ length: 1001 }, () => draft()) });
      expect(tooMany.status).toBe(400);
      const hugeRecord = draft({ notes: 'x'.repeat(20_000_000) });
      const huge = await postStatus(server.url, agent, '/api/records', JSON.stringify({ batchKey: randomUUID(), records: [hugeRecord] }));
      // 413 before the body is read, and the connection closed: a client still writing may see the reset first.
      expect([413, 0]).toContain(huge);
      const own = (await call(server.url, agent, '/api/records?limit=1000')).body as { records: { id: string }[] };
      expect(own.records.map((r) => r.id)).not.toContain(hugeRecord.id);
      const long = await upload(agent, { batchKey: randomUUID(), records: [draft({ notes: '가'.repeat(4001) })] });
      expect((long.body as RecordBatchResult).rejected[0]?.reason).toMatch(/notes/);
    });
  });

  describe('short-lived tokens', () => {
    it('expires a token after its lifetime', async () => {
      const short = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-ttl-')), { demo: true, tokenTtl: 1, ...(database ? { database: (await stores.database(name)) as string } : {}) });
      try {
        const token = await login(short.url, 'agent1', 'agent1');
        expect((await call(short.url, token, '/api/sync?limit=1')).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1300));
        expect((await call(short.url, token, '/api/sync?limit=1')).status).toBe(401);
      } finally {
        await short.stop();
      }
    });
  });
});
