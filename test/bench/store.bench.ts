import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cityDbFile } from '../../server/main';
import { openCityDb } from '../../server/store/db';
import { copyStore } from '../../server/store/migrate-store';
import { openPostgresStore } from '../../server/store/postgres-store';
import type { SyncPage } from '../../shared/sync';
import { call, login } from '../helpers/http';
import { startPostgres } from '../helpers/postgres';
import { startCityServerProcess, type CityServerProcess } from '../helpers/processes';
import { draft } from '../helpers/records';
import { seedCityData } from '../helpers/seed';
import { fmt, summarise, time, type Figure } from './stats';

// Issue 18: the city server on PostgreSQL against the same server on SQLite, with the same data
// (the SQLite city copied across by migrate-store), in the same run; and record intake on two
// instances against one. PostgreSQL runs as a city would run it: fsync on.

const HISTORY = 20_000;
const DELTAS = 300;
const UPLOADS = 200;
const UPLOADERS = 8;
const BATCHES_EACH = 40;

async function fullSync(url: string, token: string): Promise<number> {
  let cursor: string | null = null;
  let rows = 0;
  for (;;) {
    const page = (await call(url, token, `/api/sync?limit=5000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`)).body as SyncPage;
    rows += page.changes.length;
    cursor = page.cursor;
    if (!page.hasMore) return rows;
  }
}

async function cursorOf(url: string, token: string): Promise<string> {
  let cursor: string | null = null;
  for (;;) {
    const page = (await call(url, token, `/api/sync?limit=5000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`)).body as SyncPage;
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

async function deltas(url: string, token: string): Promise<number[]> {
  const since = await cursorOf(url, token);
  const out: number[] = [];
  for (let i = 0; i < DELTAS; i++) out.push(await time(() => call(url, token, `/api/sync?since=${encodeURIComponent(since)}&limit=500`)));
  return out;
}

async function uploads(url: string, token: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    const body = JSON.stringify({ batchKey: crypto.randomUUID(), records: [draft({ callerNumber: `010-7${String(i).padStart(3, '0')}-0000` })] });
    out.push(await time(async () => {
      const r = await call(url, token, '/api/records', { method: 'POST', body });
      if (r.status !== 200) throw new Error(`upload answered ${r.status}`);
    }));
  }
  return out;
}

/** UPLOADERS desks each uploading BATCHES_EACH batches of 5 records at once, spread over `urls`; records per second. */
async function intakeThroughput(urls: string[], tokens: string[]): Promise<number> {
  const ms = await time(() =>
    Promise.all(
      Array.from({ length: UPLOADERS }, async (_, u) => {
        const i = u % urls.length;
        for (let b = 0; b < BATCHES_EACH; b++) {
          const body = JSON.stringify({ batchKey: crypto.randomUUID(), records: Array.from({ length: 5 }, () => draft()) });
          const r = await call(urls[i] as string, tokens[i] as string, '/api/records', { method: 'POST', body });
          if (r.status !== 200) throw new Error(`upload answered ${r.status}`);
        }
      }),
    ),
  );
  return (UPLOADERS * BATCHES_EACH * 5) / (ms / 1000);
}

export async function benchStore(): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-store-'));
  const pg = await startPostgres({ durable: true });
  const servers: CityServerProcess[] = [];
  try {
    const dataDir = join(work, 'city');
    await seedCityData(dataDir, { history: HISTORY });
    const url = await pg.database();
    const [from, to] = [openCityDb(cityDbFile(dataDir)), await openPostgresStore(url)];
    await copyStore(from, to);
    await Promise.all([from.close(), to.close()]);
    const sqlite = await startCityServerProcess(dataDir);
    const a = await startCityServerProcess(join(work, 'a'), { database: url });
    const b = await startCityServerProcess(join(work, 'b'), { database: url });
    servers.push(sqlite, a, b);
    const [ts, ta, tb] = await Promise.all([login(sqlite.url, 'agent1', 'agent1'), login(a.url, 'agent1', 'agent1'), login(b.url, 'agent1', 'agent1')]);

    const initial = { sqlite: [] as number[], pg: [] as number[] };
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      initial.sqlite.push(await time(async () => (rows = await fullSync(sqlite.url, ts))));
      initial.pg.push(await time(() => fullSync(a.url, ta)));
    }
    const [is, ip] = [summarise(initial.sqlite), summarise(initial.pg)];
    const [ds, dp] = [summarise(await deltas(sqlite.url, ts)), summarise(await deltas(a.url, ta))];
    const [us, up] = [summarise(await uploads(sqlite.url, ts)), summarise(await uploads(a.url, ta))];
    const one = await intakeThroughput([a.url], [ta]);
    const two = await intakeThroughput([a.url, b.url], [ta, tb]);
    const sqliteThroughput = await intakeThroughput([sqlite.url], [ts]);
    return [
      {
        name: `Initial sync over HTTP, ${rows} changes in pages of 5,000 (3 runs each)`,
        value: `PostgreSQL: median ${fmt(ip.p50)} ms, p95 ${fmt(ip.p95)} ms`,
        baseline: `SQLite: median ${fmt(is.p50)} ms, p95 ${fmt(is.p95)} ms`,
        ratio: `median ${fmt(ip.p50 / is.p50)}× SQLite`,
        target: null,
        complete: true,
      },
      {
        name: `Delta sync with nothing new (${DELTAS} requests)`,
        value: `PostgreSQL: p50 ${fmt(dp.p50)} ms, p95 ${fmt(dp.p95)} ms`,
        baseline: `SQLite: p50 ${fmt(ds.p50)} ms, p95 ${fmt(ds.p95)} ms`,
        ratio: `p95 ${fmt(dp.p95 / ds.p95)}× SQLite`,
        target: null,
        complete: true,
      },
      {
        name: `Record intake, one record a batch, one desk (${UPLOADS} uploads)`,
        value: `PostgreSQL: p50 ${fmt(up.p50)} ms, p95 ${fmt(up.p95)} ms`,
        baseline: `SQLite: p50 ${fmt(us.p50)} ms, p95 ${fmt(us.p95)} ms`,
        ratio: `p95 ${fmt(up.p95 / us.p95)}× SQLite`,
        target: null,
        complete: true,
      },
      {
        name: `Record intake, ${UPLOADERS} desks × ${BATCHES_EACH} batches of 5 at once`,
        value: `PostgreSQL, 2 instances: ${fmt(two)} records/s`,
        baseline: `1 instance: ${fmt(one)} records/s; SQLite: ${fmt(sqliteThroughput)} records/s`,
        ratio: `${fmt(two / one)}× one instance`,
        target: null,
        complete: true,
      },
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
