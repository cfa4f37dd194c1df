import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSearchIndex } from '../../electron/core/search/search-index';
import { testCore } from '../helpers/core';
import { startCityServerProcess } from '../helpers/processes';
import { loadEvalSet } from '../helpers/search-eval';
import { seedCityData } from '../helpers/seed';
import { buildLargeCache } from './cache-1m';
import { fmt, summarise, time, type Figure } from './stats';

// Issue 17: what encrypting the desk's cache (SQLCipher) costs, against the same work on a cache
// in clear, in the same run: the initial sync until searchable, caller lookups on a large cache,
// and searches.

const ENTRIES = 2_000;
const HISTORY = 50_000;
const LOOKUP_HISTORY = 300_000;
const RUNS = 3;

const compare = (name: string, enc: number[], plain: number[], unit = 'ms'): Figure => {
  const e = summarise(enc);
  const p = summarise(plain);
  return {
    name,
    value: `encrypted: median ${fmt(e.p50, 3)} ${unit}, p95 ${fmt(e.p95, 3)} ${unit}`,
    baseline: `the same in clear: median ${fmt(p.p50, 3)} ${unit}, p95 ${fmt(p.p95, 3)} ${unit}`,
    ratio: `median ${fmt(e.p50 / p.p50)}×, p95 ${fmt(e.p95 / p.p95)}× the cache in clear`,
    target: null,
    complete: e.n === p.n && e.n > 0,
  };
};

export async function benchCipher(): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-cipher-'));
  const dataDir = join(work, 'city');
  await seedCityData(dataDir, { entries: ENTRIES - 250, history: HISTORY - 600 });
  const server = await startCityServerProcess(dataDir);
  const key = randomBytes(32);
  try {
    // Initial sync until searchable, alternating encrypted and clear so machine noise hits both.
    const sync: Record<'enc' | 'plain', number[]> = { enc: [], plain: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ['enc', 'plain'] as const) {
        const core = testCore(join(work, `${kind}-${i}.sqlite`), server.url, { timeoutMs: 60_000, ...(kind === 'enc' ? { cacheKey: key } : {}) });
        sync[kind].push(
          await time(async () => {
            await core.syncNow();
            createSearchIndex(core.db, () => new Date());
          }),
        );
        await core.close();
      }
    }

    // Searches: every labelled query, ten times, on the last synced caches.
    const queries = loadEvalSet().map((q) => q.query);
    const search: Record<'enc' | 'plain', number[]> = { enc: [], plain: [] };
    const lookups: Record<'enc' | 'plain', number[]> = { enc: [], plain: [] };
    for (const kind of ['enc', 'plain'] as const) {
      const core = testCore(join(work, `${kind}-${RUNS - 1}.sqlite`), 'http://127.0.0.1:9', kind === 'enc' ? { cacheKey: key } : {});
      for (let r = 0; r < 10; r++) for (const q of queries) search[kind].push(await time(() => core.handlers.search({ query: q, limit: 10 })));
      await core.close();
    }
    // Caller lookups on a large cache of each kind.
    for (const kind of ['enc', 'plain'] as const) {
      const file = join(work, `large-${kind}.sqlite`);
      const numbers = buildLargeCache(file, LOOKUP_HISTORY, kind === 'enc' ? key : null);
      const core = testCore(file, 'http://127.0.0.1:9', kind === 'enc' ? { cacheKey: key } : {});
      for (let r = 0; r < 2; r++) for (const n of numbers) lookups[kind].push(await time(() => core.handlers.callerHistory({ number: n, limit: 20 })));
      await core.close();
      rmSync(file, { force: true });
    }
    return [
      compare(`Initial sync of ${ENTRIES} entries + ${HISTORY} history records until searchable (${RUNS} runs each)`, sync.enc, sync.plain),
      compare(`Search, ${queries.length} labelled queries × 10, in the core`, search.enc, search.plain),
      compare(`Caller lookup on a cache of ${LOOKUP_HISTORY} records (${lookups.enc.length} lookups)`, lookups.enc, lookups.plain),
    ];
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
