import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { testCore } from '../helpers/core';
import { buildLargeCache } from './cache-1m';
import { fmt, summarise, type Figure } from './stats';

const RECORDS = 1_000_000;
const LOOKUPS = 20_000;

export async function benchLookup(): Promise<{ figures: Figure[]; cacheFile: string; numbers: string[]; cleanup(): void }> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-lookup-'));
  const cacheFile = join(work, 'cache-1m.sqlite');
  const numbers = buildLargeCache(cacheFile, RECORDS);
  // No server: lookups are what a desk does offline.
  const core = testCore(cacheFile, 'http://127.0.0.1:9');
  const raw = new Database(cacheFile, { readonly: true });
  const rawQuery = raw.prepare('SELECT * FROM history WHERE caller_e164 = ? ORDER BY started_at DESC LIMIT 20');
  const coreMs: number[] = [];
  const rawMs: number[] = [];
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const n = numbers[i % numbers.length] as string;
    let t = process.hrtime.bigint();
    const h = await core.handlers.callerHistory({ number: n, limit: 20 });
    coreMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    found += h.items.length > 0 ? 1 : 0;
    t = process.hrtime.bigint();
    rawQuery.all(`+82${n.slice(1)}`);
    rawMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  raw.close();
  await core.close();
  if (found !== LOOKUPS) throw new Error(`only ${found} of ${LOOKUPS} lookups found history`);
  const c = summarise(coreMs);
  const r = summarise(rawMs);
  return {
    cacheFile,
    numbers,
    cleanup: () => rmSync(work, { recursive: true, force: true }),
    figures: [
      {
        name: `Caller-history lookup by number, ${RECORDS} records cached (${LOOKUPS} lookups of ${numbers.length} callers, normalisation + last 20 + 30-day count)`,
        value: `median ${fmt(c.p50, 3)} ms, p95 ${fmt(c.p95, 3)} ms, p99 ${fmt(c.p99, 3)} ms`,
        baseline: `the bare indexed SELECT of the last 20: median ${fmt(r.p50, 3)} ms, p95 ${fmt(r.p95, 3)} ms`,
        ratio: `p95 ${fmt(c.p95 / r.p95)}× the bare query`,
        target: 'p95 ≤ 2 ms',
        pass: c.p95 <= 2,
      },
    ],
  };
}
