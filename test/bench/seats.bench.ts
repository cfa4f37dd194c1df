import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { cityDbFile } from '../../server/main';
import { openCityDb } from '../../server/store/db';
import { copyStore } from '../../server/store/migrate-store';
import { openPostgresStore } from '../../server/store/postgres-store';
import { createUser } from '../../server/store/users';
import type { RecordBatchResult } from '../../shared/record';
import { SYNC_PAGE, type SyncPage } from '../../shared/sync';
import { call, login } from '../helpers/http';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { childPids, startCityServerProcess, type CityServerProcess } from '../helpers/processes';
import { draft } from '../helpers/records';
import { seedCityData } from '../helpers/seed';
import { fmt, summarise, time, type Figure } from './stats';

// Issue 18: sizing a 500-seat center. 500 simulated desks on two city server instances over one
// durable PostgreSQL cluster, each delta-syncing every 10 s; 20 of them save a record a minute,
// then (a busy center: a call closed every 3-5 minutes) all 500 save one every 5 minutes.
// Delta-sync and intake latency against one desk alone on the same servers, and the CPU the
// servers and PostgreSQL spend per desk. The load generator shares this machine's cores.

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DESKS = env('SEATS_DESKS', 500);
const SAVERS = Math.min(DESKS, env('SEATS_SAVERS', 20));
const SYNC_EVERY_MS = 10_000;
/** Phase 1: SAVERS desks save a record this often; phase 2: every desk saves one this often. */
const SAVER_EVERY_MS = 60_000;
const ALL_SAVE_EVERY_MS = 300_000;
const WARMUP_S = env('SEATS_WARMUP_S', 12);
const WINDOW_S = env('SEATS_WINDOW_S', 90);
const ENTRIES = env('SEATS_ENTRIES', 2_000);
const HISTORY = env('SEATS_HISTORY', 5_000);
const BASE_DELTAS = 200;
const BASE_UPLOADS = 100;
const WARM_REQUESTS = 200;
/** Logins (scrypt on the servers' thread pools) and initial syncs in flight at once, over both instances. */
const LOGINS_AT_ONCE = 4;
const INITIAL_AT_ONCE = 8;
const TOKEN_TTL_S = 3_600;
const IDLE_S = 5;
const LOOP_RESOLUTION_MS = 10;
const USER = (i: number) => `seat${String(i).padStart(3, '0')}`;

/** Clock ticks per second, the unit of /proc/PID/stat's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** CPU seconds of `pid`, its reaped children (cutime, cstime) included; 0 once it is gone. */
function ownCpu(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process tree so far: a backend that exited is in the postmaster's cutime. */
function treeCpu(pid: number): number {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childPids(all[i] as number));
  return all.reduce((sum, p) => sum + ownCpu(p), 0);
}

/** The cluster's postmaster, from its own data directory's postmaster.pid. */
async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dir = ((await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0] as { data_directory: string }).data_directory;
    return Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } finally {
    await client.end();
  }
}

interface Cpu {
  servers: number;
  postgres: number;
  /** This process: the load generator. */
  generator: number;
  at: number;
}

interface Desk {
  user: string;
  url: string;
  token: string;
  cursor: string | null;
}

/** What happened to requests started while it was the current recorder. */
interface Recorder {
  syncMs: number[];
  uploadMs: number[];
  changes: number;
  failures: Map<string, number>;
}

const newRecorder = (): Recorder => ({ syncMs: [], uploadMs: [], changes: 0, failures: new Map() });
const fail = (r: Recorder | null, what: string) => r?.failures.set(what, (r.failures.get(what) ?? 0) + 1);
const failuresOf = (r: Recorder, kind: string) => [...r.failures].filter(([k]) => k.startsWith(kind)).reduce((n, [, c]) => n + c, 0);
const syncPath = (cursor: string | null) => `/api/sync?${new URLSearchParams({ ...(cursor ? { since: cursor } : {}), limit: String(SYNC_PAGE.maxRows), maxBytes: String(SYNC_PAGE.maxBytes) })}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` for `items`, `n` at a time. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  }));
}

/** A desk's sync as the desk does it: pages from its cursor, as the desk asks for them, until hasMore is false; changes received. */
async function syncDesk(d: Desk): Promise<number> {
  let changes = 0;
  for (;;) {
    const r = await call(d.url, d.token, syncPath(d.cursor));
    if (r.status !== 200) throw new Error(`sync HTTP ${r.status}`);
    const page = r.body as SyncPage;
    changes += page.changes.length;
    d.cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

/** One record saved as the desk's outbox sends it; its id once the city acknowledged it. */
async function saveRecord(d: Desk): Promise<string> {
  const record = draft({ callerNumber: `010-${String(2000 + Math.floor(Math.random() * 8000))}-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}` });
  const r = await call(d.url, d.token, '/api/records', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), records: [record] }) });
  if (r.status !== 200) throw new Error(`upload HTTP ${r.status}`);
  const result = r.body as RecordBatchResult;
  if (!result.accepted.includes(record.id)) throw new Error(`upload not accepted: ${r.text.slice(0, 200)}`);
  return record.id;
}

/** Calls `fn` every `periodMs` from a random phase, on a fixed schedule; a slot missed while the last call runs is skipped. */
function every(periodMs: number, fn: () => Promise<void>): { stop(): Promise<void> } {
  const start = performance.now() + Math.random() * periodMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    const now = performance.now();
    const at = now <= start ? start : start + Math.ceil((now - start) / periodMs) * periodMs;
    timer = setTimeout(() => {
      if (stopped) return;
      running = fn().finally(() => {
        if (!stopped) schedule();
      });
    }, at - now);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

interface PhaseResult {
  rec: Recorder;
  cpu: { servers: number; postgres: number; generator: number; seconds: number };
  /** The generator's event-loop delay p99 in the window (ms): how late it started and timed requests. */
  loopP99: number;
}

export async function benchSeats(): Promise<Figure[]> {
  const began = performance.now();
  const say = (m: string) => process.stderr.write(`bench: seats: ${m} (${fmt((performance.now() - began) / 1000, 0)} s)\n`);
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-seats-'));
  let pgServer: TestPostgres | null = null;
  const servers: CityServerProcess[] = [];
  const loops: { stop(): Promise<void> }[] = [];
  try {
    pgServer = await startPostgres({ durable: true });
    const dataDir = join(work, 'city');
    await seedCityData(dataDir, { entries: ENTRIES, history: HISTORY });
    const url = await pgServer.database();
    const [from, to] = [openCityDb(cityDbFile(dataDir)), await openPostgresStore(url)];
    try {
      await copyStore(from, to);
      // One transaction: one fsync, not 500. scrypt is the cost here (about 25 ms an account).
      await to.write(async (tx) => {
        for (let i = 0; i < DESKS; i++) await createUser(tx, { username: USER(i), displayName: `상담 ${i}`, role: 'agent', password: USER(i) }, new Date());
      });
    } finally {
      await Promise.all([from.close(), to.close()]);
    }
    say(`seeded (${ENTRIES} generated entries, ${HISTORY} consultations) and made ${DESKS} accounts`);
    for (const name of ['a', 'b']) servers.push(await startCityServerProcess(join(work, name), { database: url, tokenTtl: TOKEN_TTL_S }));
    const urls = servers.map((s) => s.url);
    const serverPids = servers.map((s) => s.proc.pid as number);
    const postmaster = await postmasterPid(url);
    const cpuNow = (): Cpu => {
      const g = process.cpuUsage();
      return { servers: serverPids.reduce((s, p) => s + treeCpu(p), 0), postgres: treeCpu(postmaster), generator: (g.user + g.system) / 1e6, at: performance.now() };
    };
    const cpuSince = (c: Cpu) => {
      const n = cpuNow();
      return { servers: n.servers - c.servers, postgres: n.postgres - c.postgres, generator: n.generator - c.generator, seconds: (n.at - c.at) / 1000 };
    };

    // What the servers and PostgreSQL spend with no desk at all (timers, background work).
    let c = cpuNow();
    await sleep(IDLE_S * 1000);
    const idle = cpuSince(c);

    // The desks sign in, alternately on each instance, a few at a time (scrypt).
    const desks: Desk[] = Array.from({ length: DESKS }, (_, i) => ({ user: USER(i), url: urls[i % urls.length] as string, token: '', cursor: null }));
    const loginMs: number[] = [];
    await pool(desks, LOGINS_AT_ONCE, async (d) => void loginMs.push(await time(async () => (d.token = await login(d.url, d.user, d.user)))));
    say(`${DESKS} logins, p50 ${fmt(summarise(loginMs).p50)} ms`);
    const initialMs: number[] = [];
    let initialRows = 0;
    await pool(desks, INITIAL_AT_ONCE, async (d) => void initialMs.push(await time(async () => (initialRows = await syncDesk(d)))));
    const is = summarise(initialMs);
    say(`${DESKS} initial syncs of ${initialRows} changes, ${INITIAL_AT_ONCE} at a time: p50 ${fmt(is.p50)} ms, p95 ${fmt(is.p95)} ms`);

    // Baseline: one desk alone on the same, warm servers (the logins and initial syncs above ran
    // the same code paths), its requests alternating between the instances.
    const alone = desks[0] as Desk;
    const aloneOn = (i: number): Desk => ({ ...alone, url: urls[i % urls.length] as string });
    const acked: string[] = [];
    for (let i = 0; i < WARM_REQUESTS; i++) {
      // Unmeasured: enough for the JIT to settle on the upload path too.
      await syncDesk(aloneOn(i));
      if (i % 4 === 0) acked.push(await saveRecord(aloneOn(i)));
    }
    await syncDesk(alone);
    c = cpuNow();
    const baseSync: number[] = [];
    for (let i = 0; i < BASE_DELTAS; i++) baseSync.push(await time(() => syncDesk({ ...aloneOn(i), cursor: alone.cursor })));
    const baseSyncCpu = cpuSince(c);
    c = cpuNow();
    const baseUpload: number[] = [];
    for (let i = 0; i < BASE_UPLOADS; i++) baseUpload.push(await time(async () => acked.push(await saveRecord(aloneOn(i)))));
    const baseUploadCpu = cpuSince(c);
    const [bs, bu] = [summarise(baseSync), summarise(baseUpload)];
    const perReq = (cpu: { servers: number; postgres: number }, n: number) => ({ servers: (cpu.servers / n) * 1000, postgres: (cpu.postgres / n) * 1000 });
    const syncCost = perReq(baseSyncCpu, BASE_DELTAS);
    const uploadCost = perReq(baseUploadCpu, BASE_UPLOADS);
    say(`baseline: delta sync p95 ${fmt(bs.p95)} ms, upload p95 ${fmt(bu.p95)} ms`);

    // Requests record into the recorder current when they start; null outside the windows.
    let current: Recorder | null = null;
    const deskSync = (d: Desk) => async () => {
      const rec = current;
      const t = performance.now();
      try {
        const changes = await syncDesk(d);
        rec?.syncMs.push(performance.now() - t);
        if (rec) rec.changes += changes;
      } catch (e) {
        fail(rec, `sync: ${(e as Error).message}`);
      }
    };
    const deskSave = (d: Desk) => async () => {
      const rec = current;
      const t = performance.now();
      try {
        acked.push(await saveRecord(d));
        rec?.uploadMs.push(performance.now() - t);
      } catch (e) {
        fail(rec, `upload: ${(e as Error).message}`);
      }
    };
    // Its samples include the sampling interval itself: subtracted below.
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const measure = async (): Promise<PhaseResult> => {
      await sleep(WARMUP_S * 1000);
      const rec = newRecorder();
      current = rec;
      loop.reset();
      loop.enable();
      const c0 = cpuNow();
      await sleep(WINDOW_S * 1000);
      const cpu = cpuSince(c0);
      loop.disable();
      current = null;
      return { rec, cpu, loopP99: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) };
    };

    for (const d of desks) loops.push(every(SYNC_EVERY_MS, deskSync(d)));
    const savers = desks.slice(0, SAVERS).map((d) => every(SAVER_EVERY_MS, deskSave(d)));
    loops.push(...savers);
    say(`phase 1: ${DESKS} desks syncing every ${SYNC_EVERY_MS / 1000} s, ${SAVERS} saving a record every ${SAVER_EVERY_MS / 1000} s`);
    const light = await measure();
    await Promise.all(savers.map((s) => s.stop()));
    const allSave = desks.map((d) => every(ALL_SAVE_EVERY_MS, deskSave(d)));
    loops.push(...allSave);
    say(`phase 2: every desk saving a record every ${ALL_SAVE_EVERY_MS / 1000} s`);
    const busy = await measure();
    await Promise.all(loops.splice(0).map((l) => l.stop()));
    say('load stopped');

    // Every acknowledged record must be in the store.
    const check = await openPostgresStore(url, { poolSize: 1 });
    let stored: Set<string>;
    try {
      const rows = await check.all<{ id: string }>("SELECT r.id FROM records r JOIN users u ON u.id = r.agent_id WHERE u.username LIKE 'seat%'");
      stored = new Set(rows.map((r) => r.id));
    } finally {
      await check.close();
    }
    const lost = acked.filter((id) => !stored.has(id));
    if (lost.length) throw new Error(`${lost.length} of ${acked.length} acknowledged records are not in the store (e.g. ${lost.slice(0, 3).join(', ')})`);
    const unacked = stored.size - new Set(acked).size;
    for (const s of servers) {
      // Warnings and errors only: each start logs its SIP provisioning as info.
      const errors = s.stderr().split('\n').filter((l) => l.trim() && !/^\S+ info /.test(l));
      if (errors.length) process.stderr.write(`bench: seats: server ${s.url} logged ${errors.length} warning/error line(s):\n${errors.slice(-20).join('\n')}\n`);
    }
    say(`${acked.length} acknowledged records all stored${unacked ? `; ${unacked} stored without an acknowledgement` : ''}`);

    const rows: [string, PhaseResult, number][] = [
      [`${SAVERS} saving a record a minute`, light, (SAVERS * 60_000) / SAVER_EVERY_MS],
      [`all ${DESKS} saving a record every ${ALL_SAVE_EVERY_MS / 60_000} minutes`, busy, (DESKS * 60_000) / ALL_SAVE_EVERY_MS],
    ];
    const lostNote = `${acked.length} acknowledged records all stored`;
    return rows.flatMap(([what, r, perMinute]) => {
      const load = `${DESKS} desks on 2 instances syncing every ${SYNC_EVERY_MS / 1000} s, ${what} (${perMinute} records/min, ${WINDOW_S} s window)`;
      const failed = (kind: string) => {
        const n = failuresOf(r.rec, kind);
        const detail = [...r.rec.failures].filter(([k]) => k.startsWith(kind)).map(([k, v]) => `${v}× ${k.slice(kind.length + 2)}`);
        return n ? `${n} failed (${detail.join(', ')})` : '0 failed';
      };
      const [ls, lu] = [summarise(r.rec.syncMs), summarise(r.rec.uploadMs)];
      const syncs = r.rec.syncMs.length;
      const uploads = r.rec.uploadMs.length;
      const cores = { servers: r.cpu.servers / r.cpu.seconds, postgres: r.cpu.postgres / r.cpu.seconds, generator: r.cpu.generator / r.cpu.seconds };
      const perDesk = (x: number) => (x * 1000) / DESKS;
      // What the same requests would cost one desk at a time (the baseline's CPU per request).
      const predicted = {
        servers: (syncs * syncCost.servers + uploads * uploadCost.servers) / 1000,
        postgres: (syncs * syncCost.postgres + uploads * uploadCost.postgres) / 1000,
      };
      const per500 = (x: number) => (x * 500) / DESKS;
      const total500 = per500(cores.servers + cores.postgres);
      return [
        {
          name: `Delta sync, ${load}`,
          value: `p50 ${fmt(ls.p50)} ms, p95 ${fmt(ls.p95)} ms, p99 ${fmt(ls.p99)} ms, max ${fmt(ls.max)} ms (${syncs} syncs, ${fmt(r.rec.changes / Math.max(1, syncs))} changes each; ${failed('sync')})`,
          baseline: `one desk alone, nothing new: p50 ${fmt(bs.p50)} ms, p95 ${fmt(bs.p95)} ms, p99 ${fmt(bs.p99)} ms (${BASE_DELTAS} syncs)`,
          ratio: `p50 ${fmt(ls.p50 / bs.p50)}×, p95 ${fmt(ls.p95 / bs.p95)}×, p99 ${fmt(ls.p99 / bs.p99)}× one desk alone`,
          target: null,
          complete: syncs > 0 && failuresOf(r.rec, 'sync') === 0,
        },
        {
          name: `Record intake (one record a batch), ${load}`,
          value: `p50 ${fmt(lu.p50)} ms, p95 ${fmt(lu.p95)} ms, p99 ${fmt(lu.p99)} ms, max ${fmt(lu.max)} ms (${uploads} uploads; ${failed('upload')}; ${lostNote})`,
          baseline: `one desk alone: p50 ${fmt(bu.p50)} ms, p95 ${fmt(bu.p95)} ms, p99 ${fmt(bu.p99)} ms (${BASE_UPLOADS} uploads)`,
          ratio: `p50 ${fmt(lu.p50 / bu.p50)}×, p95 ${fmt(lu.p95 / bu.p95)}×, p99 ${fmt(lu.p99 / bu.p99)}× one desk alone`,
          target: null,
          complete: uploads > 0 && failuresOf(r.rec, 'upload') === 0,
        },
        {
          name: `CPU, ${load}`,
          value:
            `city servers ${fmt(cores.servers, 3)} cores = ${fmt(perDesk(cores.servers), 3)} ms CPU per desk per second; ` +
            `PostgreSQL ${fmt(cores.postgres, 3)} cores = ${fmt(perDesk(cores.postgres), 3)} ms per desk per second; ` +
            `load generator (this process, same 2 cores) ${fmt(cores.generator, 3)} cores, its event-loop delay p99 ${fmt(r.loopP99)} ms`,
          baseline:
            `no desk (${IDLE_S} s): servers ${fmt(idle.servers / idle.seconds, 3)} cores, PostgreSQL ${fmt(idle.postgres / idle.seconds, 3)} cores; one desk alone, CPU per request: servers ${fmt(syncCost.servers, 3)} ms a delta sync, ${fmt(uploadCost.servers, 3)} ms an upload; ` +
            `PostgreSQL ${fmt(syncCost.postgres, 3)} ms, ${fmt(uploadCost.postgres, 3)} ms`,
          ratio:
            `servers ${fmt(r.cpu.servers / predicted.servers)}×, PostgreSQL ${fmt(r.cpu.postgres / predicted.postgres)}× the same requests' CPU one at a time; ` +
            `sizing: 500 seats at this load busy ${fmt(per500(cores.servers), 2)} cores of servers + ${fmt(per500(cores.postgres), 2)} of PostgreSQL = ${fmt(total500, 2)} cores (${fmt(total500 / 0.5, 2)} to keep them half idle)`,
          target: null,
          complete: r.cpu.servers > 0 && r.cpu.postgres > 0 && syncs > 0,
        },
      ];
    });
  } finally {
    await Promise.all(loops.map((l) => l.stop()));
    await Promise.all(servers.map((s) => s.stop()));
    await pgServer?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
