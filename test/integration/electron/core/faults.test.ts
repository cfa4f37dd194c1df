import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKeyFile, keyFromFile } from '../../../../electron/core/cache/cache-key';
import { testCore } from '../../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../helpers/fault-proxy';
import { spawnMinwon, startCityServerProcess, runMinwon, type CityServerProcess } from '../../../helpers/processes';
import { draft } from '../../../helpers/records';
import { seedCityData } from '../../../helpers/seed';
import { cacheMatchesItsCursor, cacheState, indexNames, integrityCheck, serverRecordDeliveries, serverState } from '../../../helpers/state';

// Real processes killed with SIGKILL at awkward moments. After each: the cache file is intact,
// holds whole pages only, equals the server after the next sync, and every record is on the
// server exactly once.

let dataDir: string;
let server: CityServerProcess;
let proxy: FaultProxy;
let fault: (path: string, n: number) => Fault | Promise<Fault> = () => 'pass';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-faults-'));
  await seedCityData(dataDir, { history: 40_000 });
  server = await startCityServerProcess(dataDir);
  proxy = await startFaultProxy(() => server.url, (req, n) => fault((req.url ?? '').split('?')[0] as string, n));
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `minwon ARGS` and SIGKILLs it as soon as `progress()` has moved past `from` (plus a
 * few milliseconds, so some kills land inside a transaction). Resolves to how it ended.
 */
async function killOnProgress(args: string[], progress: () => number, from: number, extraMs: number) {
  const child = spawnMinwon(args);
  const deadline = Date.now() + 30_000;
  while (child.proc.exitCode === null && Date.now() < deadline && progress() <= from) await sleep(5);
  await sleep(extraMs);
  child.proc.kill('SIGKILL');
  return child.exited;
}

describe('the city server killed mid-sync', () => {
  it('leaves whole pages only, and the next sync after its restart completes the cache', async () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite');
    const core = testCore(cacheFile, proxy.url, { pageRows: 1000, timeoutMs: 3_000 });
    let pages = 0;
    fault = async (path): Promise<Fault> => {
      if (path === '/api/sync' && ++pages === 6) await server.kill();
      return 'pass';
    };
    try {
      await expect(core.syncNow()).rejects.toThrow(/unreachable/);
      expect(server.proc.signalCode).toBe('SIGKILL');
      expect(integrityCheck(cacheFile)).toBe('ok');
      server = await startCityServerProcess(dataDir);
      const partial = cacheMatchesItsCursor(cacheFile, dataDir);
      expect(partial.cursorRev).toBeGreaterThan(0);
      expect(partial.cache).toEqual(partial.server);
      expect(partial.cache[2]).toBeLessThan(40_000);
      fault = () => 'pass';
      await core.syncNow();
      expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
    } finally {
      fault = () => 'pass';
      await core.close();
    }
  });
});

describe('the agent core killed mid-page', () => {
  it('resumes after the last whole page, whenever it is killed', async () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite');
    const args = ['sync', '--server', server.url, '--cache', cacheFile, '--user', 'agent1', '--password', 'agent1', '--page-rows', '500'];
    // The child may not have created its tables yet: no table counts as no progress.
    const historyInCache = () => {
      try {
        return existsSync(cacheFile) ? (cacheMatchesItsCursor(cacheFile, dataDir).cache[2] as number) : 0;
      } catch {
        return 0;
      }
    };
    const seen: number[] = [];
    for (const extraMs of [0, 3, 7, 12, 20, 30]) {
      const { signal } = await killOnProgress(args, historyInCache, seen.at(-1) ?? 0, extraMs);
      expect(integrityCheck(cacheFile)).toBe('ok');
      const state = cacheMatchesItsCursor(cacheFile, dataDir);
      expect(state.cache).toEqual(state.server);
      if (signal === 'SIGKILL') seen.push(state.cache[2] as number);
    }
    // The kills really landed mid-sync: some history, not all of it.
    expect(seen.some((n) => n > 0 && n < 40_000)).toBe(true);
    const done = await runMinwon(args);
    expect(done.code).toBe(0);
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
    expect(indexNames(cacheFile)).toContain('history_caller');
    // The search index, paused for the load from scratch, is rebuilt when the cache is next opened.
    const search = await runMinwon(['search', '누수', '--cache', cacheFile, '--json']);
    expect((JSON.parse(search.stdout) as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });

  it('never loses or duplicates outbox records when killed while uploading', async () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite');
    const args = ['sync', '--server', server.url, '--cache', cacheFile, '--user', 'agent1', '--password', 'agent1'];
    // Synced first, so the runs below spend their time uploading, not pulling.
    expect((await runMinwon(args)).code).toBe(0);
    // The same cache the CLI encrypted, with its key from beside it.
    const saver = testCore(cacheFile, 'http://127.0.0.1:9', { cacheKey: keyFromFile(defaultKeyFile(cacheFile)) });
    const records = Array.from({ length: 5000 }, () => draft());
    for (const r of records) await saver.handlers.saveRecord(r);
    await saver.close();
    const ids = records.map((r) => r.id);
    const onServer = () => [...serverRecordDeliveries(dataDir, ids).values()].filter((n) => n > 0).length;
    const partial: number[] = [];
    for (const extraMs of [0, 5, 10, 20]) {
      await killOnProgress(args, onServer, partial.at(-1) ?? 0, extraMs);
      expect(integrityCheck(cacheFile)).toBe('ok');
      const n = onServer();
      if (n > 0 && n < ids.length) partial.push(n);
    }
    // At least one kill landed between batches or inside one.
    expect(partial.length).toBeGreaterThan(0);
    expect((await runMinwon(args)).code).toBe(0);
    const counts = serverRecordDeliveries(dataDir, ids);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect((await runMinwon(args)).code).toBe(0);
    expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
  });
});

describe('the network cut while the outbox uploads', () => {
  it('delivers every record exactly once, also when the server stored a batch whose answer was lost', async () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite');
    const core = testCore(cacheFile, proxy.url, { timeoutMs: 3_000 });
    const records = Array.from({ length: 2000 }, () => draft({ callerNumber: '010-7777-0000' }));
    for (const r of records) await core.handlers.saveRecord(r);
    let uploads = 0;
    // Second batch: stored by the server, answer cut. Third: cut before it reaches the server.
    fault = (path) => (path !== '/api/records' ? 'pass' : ++uploads === 2 ? 'cut-after-forward' : uploads === 3 ? 'cut' : 'pass');
    try {
      await expect(core.syncNow()).rejects.toThrow(/unreachable/);
      expect((await core.handlers.outboxStatus({})).pending).toBe(1500);
      await expect(core.syncNow()).rejects.toThrow(/unreachable/);
      const report = await core.syncNow();
      expect(report.uploaded).toBe(1500);
      expect(uploads).toBe(6);
      const counts = serverRecordDeliveries(dataDir, records.map((r) => r.id));
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect((await core.handlers.outboxStatus({})).pending).toBe(0);
      expect(integrityCheck(cacheFile)).toBe('ok');
      await core.syncNow();
      expect(cacheState(cacheFile)).toEqual(serverState(dataDir));
    } finally {
      fault = () => 'pass';
      await core.close();
    }
  });
});
