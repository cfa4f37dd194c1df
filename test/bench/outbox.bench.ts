import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCore } from '../helpers/core';
import { startFaultProxy } from '../helpers/fault-proxy';
import { call, login } from '../helpers/http';
import { startCityServerProcess } from '../helpers/processes';
import { draft } from '../helpers/records';
import { serverRecordDeliveries } from '../helpers/state';
import { fmt, summarise, time, type Figure } from './stats';

const RECORDS = 10_000;

export async function benchOutbox(runs: number): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-outbox-'));
  const dataDir = join(work, 'city');
  const server = await startCityServerProcess(dataDir, { demo: true });
  let online = false;
  // While "offline" the proxy refuses every connection, as a dead link would.
  const proxy = await startFaultProxy(() => server.url, () => (online ? 'pass' : 'cut'));
  try {
    const writeMs: number[] = [];
    const flushMs: number[] = [];
    const bareMs: number[] = [];
    let exact = 0;
    for (let run = 0; run < runs; run++) {
      online = false;
      const file = join(work, `cache-${run}.sqlite`);
      const core = testCore(file, proxy.url, { timeoutMs: 60_000 });
      const records = Array.from({ length: RECORDS }, () => draft());
      writeMs.push(
        await time(async () => {
          for (const r of records) await core.handlers.saveRecord(r);
        }),
      );
      await core.syncNow().catch(() => {});
      online = true;
      flushMs.push(await time(() => core.syncNow()));
      const counts = serverRecordDeliveries(dataDir, records.map((r) => r.id));
      exact += [...counts.values()].every((n) => n === 1) && (await core.handlers.outboxStatus({})).pending === 0 ? 1 : 0;
      await core.close();

      // Baseline: the same number of fresh records posted straight to the server in the same batch size.
      const token = await login(server.url, 'agent2', 'agent2');
      const bare = Array.from({ length: RECORDS }, () => draft());
      bareMs.push(
        await time(async () => {
          for (let i = 0; i < bare.length; i += 500) {
            const r = await call(server.url, token, '/api/records', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), records: bare.slice(i, i + 500) }) });
            if (r.status !== 200) throw new Error(r.text);
          }
        }),
      );
    }
    const w = summarise(writeMs);
    const f = summarise(flushMs);
    const b = summarise(bareMs);
    const rate = (ms: number) => (RECORDS / ms) * 1000;
    return [
      {
        name: `Outbox: ${RECORDS} records saved offline, then flushed (${runs} runs)`,
        value: `flush median ${fmt(f.p50)} ms (${fmt(rate(f.p50), 0)} records/s), p95 ${fmt(f.p95)} ms (${fmt(rate(f.p95), 0)} records/s); offline saves median ${fmt(w.p50)} ms (${fmt(rate(w.p50), 0)} records/s); exactly once in ${exact}/${runs} runs`,
        baseline: `the same count posted straight to the server in batches of 500: median ${fmt(b.p50)} ms (${fmt(rate(b.p50), 0)} records/s)`,
        ratio: `flush rate is ${fmt((b.p50 / f.p50) * 100, 1)}% of the bare upload`,
        target: 'all arrive exactly once; flush ≥ 2,000 records/s',
        pass: exact === runs && rate(f.p95) >= 2000,
      },
    ];
  } finally {
    await proxy.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
