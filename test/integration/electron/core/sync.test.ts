import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../../shared/contract';
import { getMeta } from '../../../../electron/core/cache/cache-db';
import type { AgentCore } from '../../../../electron/core/agent-core';
import { testCore } from '../../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../helpers/fault-proxy';
import { call, login } from '../../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { draft } from '../../../helpers/records';
import { cacheState, indexNames, integrityCheck, serverRecordDeliveries, serverState } from '../../../helpers/state';

let dataDir: string;
let server: CityServerProcess;
let proxy: FaultProxy;
let fault: (path: string, n: number) => Fault = () => 'pass';
let work: string;
let core: AgentCore;
let cacheFile: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-city-'));
  server = await startCityServerProcess(dataDir, { demo: true });
  // The proxy gives the desk one stable address while the server behind it is stopped and restarted.
  proxy = await startFaultProxy(() => server.url, (req, n) => fault((req.url ?? '').split('?')[0] as string, n));
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});
beforeEach(() => {
  fault = () => 'pass';
  work = mkdtempSync(join(tmpdir(), 'minwon-desk-'));
  cacheFile = join(work, 'cache.sqlite');
  core = testCore(cacheFile, proxy.url, { pageRows: 100, timeoutMs: 1_000 });
});
afterEach(async () => {
  await core.close();
  rmSync(work, { recursive: true, force: true });
});

/** What the core tells the page about search's data from now on. */
function searchCorpusEvents(): { text: boolean }[] {
  const told: { text: boolean }[] = [];
  core.subscribe((e) => e.name === 'searchCorpus' && told.push(e.data));
  return told;
}

describe('sync against the city server', () => {
  it('fills an empty cache to equal the server and answers lookups from it', async () => {
    const report = await core.syncNow();
    expect(report.pages).toBeGreaterThan(5);
    expect(report.upserts.entry).toBe(serverState(dataDir).entries.length);
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
    expect(integrityCheck(cacheFile)).toBe('ok');
    // The load from scratch drops the caller index for speed; it must be back afterwards.
    expect(indexNames(cacheFile)).toContain('history_caller');
    // The desk holds what its screen-pop shows: everyone else's consultations come without who
    // handled them, their end or their department; the agent's own whole (their day's summary).
    const held = core.db
      .prepare('SELECT agent_id IS ? AS own, COUNT(*) AS n, COUNT(agent_id) AS agents, COUNT(ended_at) AS ends, COUNT(department) AS departments FROM history GROUP BY own ORDER BY own')
      .all(getMeta(core.db, 'agentId')) as { own: number; n: number; agents: number; ends: number; departments: number }[];
    expect(held).toEqual([
      { own: 0, n: expect.any(Number), agents: 0, ends: 0, departments: 0 },
      { own: 1, n: expect.any(Number), agents: held[1]?.n, ends: held[1]?.n, departments: expect.any(Number) },
    ]);
    expect(Math.min(...held.map((h) => h.n))).toBeGreaterThan(10);
    expect(held[1]?.departments).toBeGreaterThan(0);

    const known = (core.db.prepare('SELECT caller_e164 FROM history GROUP BY caller_e164 ORDER BY COUNT(*) DESC LIMIT 1').pluck().get()) as string;
    const national = `0${known.slice(3)}`;
    const history = await core.handlers.callerHistory({ number: national, limit: 20 });
    expect(history.caller).toMatchObject({ kind: 'e164', e164: known });
    expect(history.items.length).toBeGreaterThan(1);
    expect(history.items.map((i) => i.startedAt)).toEqual([...history.items.map((i) => i.startedAt)].sort().reverse());
    expect((await core.handlers.search({ query: '누수', limit: 5 })).hits.length).toBeGreaterThan(0);
    expect((await core.handlers.directory({})).departments).toHaveLength(13);
  });

  it('applies a later edit and delete as a small delta', async () => {
    await core.syncNow();
    const told = searchCorpusEvents();
    await core.syncNow(); // nothing new: the page's search index is not told to reload
    expect(told).toEqual([]);
    const lead = await login(server.url, 'lead1', 'lead1');
    const body = { id: 'M-TRF-001', category: '교통/버스', title: '시내버스 노선 안내 (개편)', body: '2027년 노선 개편 안내' };
    expect((await call(server.url, lead, '/api/manual/M-TRF-001', { method: 'PUT', body: JSON.stringify(body) })).status).toBe(200);
    expect((await call(server.url, lead, '/api/manual/M-TRF-002', { method: 'DELETE' })).status).toBe(200);
    const delta = await core.syncNow();
    expect(told).toEqual([{ text: true }]);
    expect(delta).toMatchObject({ pages: 1, reset: false, upserts: { entry: 1, department: 0, history: 0 }, deletes: { entry: 1 } });
    expect((await core.handlers.getEntry({ id: 'M-TRF-001' }))?.title).toBe(body.title);
    expect(await core.handlers.getEntry({ id: 'M-TRF-002' })).toBeNull();
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
  });

  it('saves records offline, shows them at once, and uploads each exactly once when the city is back', async () => {
    await core.syncNow();
    await server.stop();
    const statuses: SyncStatus[] = [];
    core.subscribe((e) => e.name === 'syncStatus' && statuses.push(e.data));
    const records = [draft({ callerNumber: '054-270-5555' }), draft({ callerNumber: '270-5555', outcome: 'callback' })];
    for (const r of records) expect(await core.handlers.saveRecord(r)).toEqual({ id: r.id, duplicate: false });
    expect(await core.handlers.saveRecord(records[0] as (typeof records)[0])).toEqual({ id: records[0]?.id, duplicate: true });

    const history = await core.handlers.callerHistory({ number: '0542705555', limit: 10 });
    expect(history.items.map((i) => [i.id, i.pending])).toEqual(expect.arrayContaining(records.map((r) => [r.id, true])));
    await expect(core.syncNow()).rejects.toThrow(/unreachable/);
    const offline = statuses.at(-1);
    expect(offline).toMatchObject({ state: 'offline', lastError: expect.stringMatching(/unreachable/) });
    expect(offline?.offlineSince).not.toBeNull();
    expect((await core.handlers.outboxStatus({})).pending).toBe(2);

    server = await startCityServerProcess(dataDir);
    const report = await core.syncNow();
    expect(report.uploaded).toBe(2);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', offlineSince: null, lastError: null });
    expect([...serverRecordDeliveries(dataDir, records.map((r) => r.id)).values()]).toEqual([1, 1]);
    await core.syncNow();
    expect((await core.handlers.callerHistory({ number: '0542705555', limit: 10 })).items.every((i) => !i.pending)).toBe(true);
    expect((await core.handlers.outboxStatus({})).pending).toBe(0);
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
  });

  it('keeps records the city refuses, with the reason, instead of dropping them', async () => {
    await core.syncNow();
    // A record whose category the desk allowed but that the server's schema refuses (too long).
    const refused = { ...draft(), category: 'x'.repeat(101) };
    core.db.prepare('INSERT INTO outbox(record_id, payload, created_at) VALUES (?, ?, ?)').run(refused.id, JSON.stringify(refused), new Date().toISOString());
    const report = await core.syncNow();
    expect(report.rejected).toBe(1);
    const status = await core.handlers.outboxStatus({});
    expect(status).toMatchObject({ pending: 0, rejected: [{ recordId: refused.id, reason: expect.stringMatching(/category/) }] });
  });

  it('starts over, keeping unsent records, when the server is a different database', async () => {
    await core.syncNow();
    const cursorBefore = getMeta(core.db, 'cursor');
    await server.stop();
    const unsent = draft();
    await core.handlers.saveRecord(unsent);
    const fresh = mkdtempSync(join(tmpdir(), 'minwon-city2-'));
    const other = await startCityServerProcess(fresh, { demo: true });
    server = other;
    try {
      const report = await core.syncNow();
      expect(report.reset).toBe(true);
      expect(getMeta(core.db, 'cursor')?.split(':')[0]).not.toBe(cursorBefore?.split(':')[0]);
      expect(report.uploaded).toBe(1);
      await core.syncNow();
      expect(cacheState(cacheFile)).toEqual(serverState(fresh));
    } finally {
      await other.stop();
      server = await startCityServerProcess(dataDir);
    }
  });
});

describe('a misbehaving server', () => {
  const cases: [string, Fault, RegExp][] = [
    ['answers 500', 'error500', /internal: boom/],
    ['answers garbage', 'garbage', /not JSON/],
    ['answers JSON of the wrong shape', { body: '{"cursor":"x","changes":"all"}' }, /malformed answer/],
    ['answers a page with an oversized field', { body: '' }, /malformed answer/],
    ['answers a page with revisions out of order', { body: '' }, /revisions not increasing/],
    ['hangs', 'hang', /did not answer/],
    ['cuts the connection', 'cut', /unreachable/],
  ];

  it.each(cases)('%s on the second page: the cache keeps the first page and is otherwise untouched', async (_name, kind, message) => {
    await core.syncNow();
    const entry = (id: string, rev: number, over: Record<string, unknown> = {}) => ({
      rev,
      kind: 'entry',
      key: id,
      data: { id, kind: 'manual', category: 'c', title: 't', body: 'b', keywords: [], department: null, updatedAt: '2026-01-01T00:00:00Z', version: 9, ...over },
    });
    const lead = await login(server.url, 'lead1', 'lead1');
    // Enough changes for three pages of 100, so the failure lands mid-sync.
    for (let i = 0; i < 250; i++) {
      const body = { id: `M-BULK-${i}`, category: '도로/포트홀', title: `포트홀 신고 ${i}`, body: '포트홀 신고 안내' };
      await call(server.url, lead, `/api/manual/${body.id}`, { method: 'PUT', body: JSON.stringify(body) });
    }
    const before = cacheState(cacheFile);
    let pages = 0;
    const [epoch, rev] = (getMeta(core.db, 'cursor') as string).split(':');
    const bodies: Record<string, string> = {
      'answers a page with an oversized field': JSON.stringify({ cursor: `${epoch}:${Number(rev) + 5}`, hasMore: false, reset: false, changes: [entry('M-X', Number(rev) + 1, { title: 'x'.repeat(201) })] }),
      'answers a page with revisions out of order': JSON.stringify({ cursor: `${epoch}:${Number(rev) + 5}`, hasMore: false, reset: false, changes: [entry('M-X', Number(rev) + 3), entry('M-Y', Number(rev) + 2)] }),
    };
    fault = (path) => {
      if (path !== '/api/sync') return 'pass';
      pages++;
      if (pages !== 2) return 'pass';
      return typeof kind === 'object' && kind.body === '' ? { body: bodies[_name] as string } : kind;
    };
    await expect(core.syncNow()).rejects.toThrow(message);
    expect(integrityCheck(cacheFile)).toBe('ok');
    const after = cacheState(cacheFile);
    // Exactly the first page (100 new entries) landed, with its cursor; nothing of the bad one.
    expect(after.entries.length).toBe(before.entries.length + 100);
    expect(after.history).toEqual(before.history);
    expect((await core.handlers.syncStatus({})).state).toBe('offline');

    fault = () => 'pass';
    await core.syncNow();
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
    // Leave the server as the other tests expect it.
    for (let i = 0; i < 250; i++) await call(server.url, lead, `/api/manual/M-BULK-${i}`, { method: 'DELETE' });
  });

  it('retries on its own with backoff and reports when the next attempt is due', async () => {
    fault = () => 'error500';
    const statuses: SyncStatus[] = [];
    core.subscribe((e) => e.name === 'syncStatus' && statuses.push(e.data));
    core.start();
    await expect.poll(() => statuses.filter((s) => s.state === 'offline').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const offline = statuses.find((s) => s.state === 'offline');
    expect(Date.parse(offline?.nextAttemptAt ?? '')).toBeGreaterThan(Date.parse(offline?.offlineSince ?? ''));
    fault = () => 'pass';
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 15_000 }).toBe('online');
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
  });
});

describe('search data through sync', () => {
  it('counts entry uses on the desk, uploads them once, and gets the city total back', async () => {
    await core.syncNow();
    const cityCount = async () => {
      const total = (await call(server.url, await login(server.url, 'agent2', 'agent2'), '/api/sync?limit=5000')).body as { changes: { kind: string; key: string; data: { count: number } | null }[] };
      return total.changes.find((c) => c.kind === 'usage' && c.key === 'M-WAT-005')?.data?.count ?? 0;
    };
    const before = await cityCount();
    expect(await core.handlers.markUsed({ id: 'M-WAT-005' })).toEqual({ counted: true });
    expect(await core.handlers.markUsed({ id: 'M-WAT-005' })).toEqual({ counted: true });
    expect(await core.handlers.markUsed({ id: 'NO-SUCH' })).toEqual({ counted: false });
    let uploads = 0;
    // The first upload reaches the server but its answer is lost: the retry must not count twice.
    fault = (path) => (path === '/api/usage' && ++uploads === 1 ? 'cut-after-forward' : 'pass');
    await expect(core.syncNow()).rejects.toThrow(/unreachable/);
    await core.syncNow();
    await core.syncNow();
    // Against the two uses made, not against the desk's own figure: a double count would be on both.
    expect(await cityCount()).toBe(before + 2);
    const usage = core.db.prepare("SELECT synced, pending FROM entry_usage WHERE entry_id = 'M-WAT-005'").get();
    expect(usage).toEqual({ synced: before + 2, pending: 0 });
    expect(uploads).toBe(2);
  });

  it('brings the city’s desk settings, with defaults before the first sync', async () => {
    expect((await core.handlers.settings({})).wrapUpSeconds).toBe(30);
    await core.syncNow();
    const lead = await login(server.url, 'lead1', 'lead1');
    await call(server.url, lead, '/api/settings/wrapUpSeconds', { method: 'PUT', body: '90' });
    await core.syncNow();
    const settings = await core.handlers.settings({});
    expect(settings.wrapUpSeconds).toBe(90);
    expect(settings.notReadyReasons.map((r) => r.id)).toContain('meeting');
    await call(server.url, lead, '/api/settings/wrapUpSeconds', { method: 'PUT', body: '30' });
  });

  it('reports each read of a caller’s history on the desk to the city’s access log, through an outage', async () => {
    await core.syncNow();
    const lead = await login(server.url, 'lead1', 'lead1');
    const accessLog = async () => ((await call(server.url, lead, '/api/access-log?limit=1000&subject=%2B821044445555')).body as { events: { purpose: string; actor: string; source: string }[] }).events;
    fault = (path) => (path === '/api/access-log' ? 'error500' : 'pass');
    await core.handlers.screenPop({ number: '010-4444-5555', limit: 5 });
    await core.handlers.callerHistory({ number: '01044445555', limit: 5 });
    await core.handlers.screenPop({ number: 'anonymous', limit: 5 });
    expect(core.db.prepare('SELECT COUNT(*) FROM access_outbox').pluck().get()).toBe(2);
    fault = () => 'pass';
    await expect.poll(accessLog, { timeout: 15_000 }).toHaveLength(2);
    expect((await accessLog()).map((e) => [e.purpose, e.actor, e.source]).sort()).toEqual([
      ['caller-history', 'agent1', 'agent1'],
      ['screen-pop', 'agent1', 'agent1'],
    ]);
    expect(core.db.prepare('SELECT COUNT(*) FROM access_outbox').pluck().get()).toBe(0);
  });

  it('deletes the desk’s history older than the city keeps, once the setting reaches it', async () => {
    await core.syncNow();
    const older = () => core.db.prepare('SELECT COUNT(*) FROM history WHERE started_at < ?').pluck().get(new Date(Date.now() - 31 * 86_400_000).toISOString()) as number;
    expect(older()).toBeGreaterThan(0);
    const lead = await login(server.url, 'lead1', 'lead1');
    await call(server.url, lead, '/api/settings/retentionDays', { method: 'PUT', body: '30' });
    try {
      await core.syncNow();
      expect(older()).toBe(0);
      expect(core.db.prepare('SELECT COUNT(*) FROM history').pluck().get()).toBeGreaterThan(0);
    } finally {
      await call(server.url, lead, '/api/settings/retentionDays', { method: 'PUT', body: '1095' });
    }
  });

  it('brings synonym edits to the desk search', async () => {
    await core.syncNow();
    const lead = await login(server.url, 'lead1', 'lead1');
    const row = { term: '킥보드', expansions: ['공영자전거'] };
    await call(server.url, lead, `/api/synonyms/${encodeURIComponent(row.term)}`, { method: 'PUT', body: JSON.stringify(row) });
    const before = (await core.handlers.search({ query: '킥보드', limit: 3 })).hits.map((h) => h.title).join();
    const told = searchCorpusEvents();
    await core.syncNow();
    expect(told).toEqual([{ text: false }]); // the page reloads synonyms and use counts, not the entries
    const after = (await core.handlers.search({ query: '킥보드', limit: 3 })).hits.map((h) => h.title).join();
    expect(before).not.toMatch(/자전거/);
    expect(after).toMatch(/자전거/);
  });
});
