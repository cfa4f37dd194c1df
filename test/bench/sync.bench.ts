import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPageWriter } from '../../electron/core/cache/apply-page';
import { openCacheDb, type CacheDb } from '../../electron/core/cache/cache-db';
import { createSearchIndex } from '../../electron/core/search/search-index';
import { SYNC_PAGE, type SyncPage } from '../../shared/sync';
import { testCore } from '../helpers/core';
import { call, login } from '../helpers/http';
import { startCityServerProcess } from '../helpers/processes';
import { seedCityData } from '../helpers/seed';
import { fmt, summarise, time, type Figure } from './stats';

const ENTRIES = 2_000;
const HISTORY = 100_000;
const DEMO_ENTRIES = 250;
const DEMO_HISTORY = 600;

/** Every change the server would send, read once from its store, for the raw-insert baseline. */
function serverRows(dataDir: string): SyncPage['changes'] {
  const db = new Database(join(dataDir, 'city.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT rev, kind, key, payload FROM changes ORDER BY rev').all() as { rev: number; kind: string; key: string; payload: string }[]).map(
      (r) => ({ rev: r.rev, kind: r.kind, key: r.key, data: JSON.parse(r.payload) }) as SyncPage['changes'][number],
    );
  } finally {
    db.close();
  }
}

/**
 * Raw better-sqlite3: the same rows, already in memory, inserted into the cache schema with
 * prepared statements in batches. Around them the sync's own bulk-load index handling (the history
 * indexes dropped, then rebuilt; the search index built once at the end), so that the baseline
 * pays for the same index work as the sync it is compared with.
 */
function rawLoad(db: CacheDb, rows: SyncPage['changes'], batch: number): void {
  const search = createSearchIndex(db, () => new Date());
  const bulk = createPageWriter(db, search);
  const entry = db.prepare(
    'INSERT INTO entries(id, kind, category, title, body, keywords, department, updated_at, version) VALUES (@id, @kind, @category, @title, @body, @keywords, @department, @updatedAt, @version)',
  );
  const dept = db.prepare('INSERT INTO departments(id, data) VALUES (?, ?)');
  const synonym = db.prepare('INSERT INTO synonyms(term, expansions) VALUES (?, ?)');
  const setting = db.prepare('INSERT INTO settings(key, value) VALUES (?, ?)');
  const history = db.prepare(
    'INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insert = db.transaction((slice: SyncPage['changes']) => {
    for (const c of slice) {
      if (c.data === null) continue;
      if (c.kind === 'entry') entry.run({ ...c.data, keywords: JSON.stringify(c.data.keywords) });
      else if (c.kind === 'department') dept.run(c.key, JSON.stringify(c.data));
      else if (c.kind === 'synonym') synonym.run(c.key, JSON.stringify(c.data.expansions));
      else if (c.kind === 'setting') setting.run(c.key, JSON.stringify(c.data.value));
      else if (c.kind === 'history') {
        const h = c.data;
        history.run(h.id, h.callerE164, h.agentId, h.startedAt, h.endedAt, h.category, h.outcome, JSON.stringify(h.manualIds), h.notes, h.department);
      }
    }
  });
  bulk.beginBulk();
  for (let i = 0; i < rows.length; i += batch) insert(rows.slice(i, i + batch));
  bulk.endBulk();
  search.ensureFresh();
}

/**
 * A desk's search index over its cache, built now if the entries changed without it: what the
 * desk's first housekeeping after a load from scratch does (the sync engine's tidy), which a core
 * that is not started never runs.
 */
const searchReady = (db: CacheDb) => createSearchIndex(db, () => new Date());

/** What a cache holds, row counts and indexes: a sync and its baseline must end with the same. */
function cacheState(db: CacheDb): Record<string, number | string> {
  const tables = ['entries', 'departments', 'synonyms', 'settings', 'entry_usage', 'history', 'entry_fts'];
  const counts = tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number] as const);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];
  return { ...Object.fromEntries(counts), indexes: indexes.join(' ') };
}

export async function benchSync(runs: number): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-sync-'));
  const dataDir = join(work, 'city');
  await seedCityData(dataDir, { entries: ENTRIES - DEMO_ENTRIES, history: HISTORY - DEMO_HISTORY });
  const server = await startCityServerProcess(dataDir);
  try {
    const rows = serverRows(dataDir);
    const syncMs: number[] = [];
    const rawMs: number[] = [];
    let last = '';
    for (let i = 0; i < runs; i++) {
      // Alternate the two so machine noise hits both alike. Opening and closing the cache are
      // outside both timed regions: the desk opens its cache once, not per sync.
      const raw = join(work, `raw-${i}.sqlite`);
      const rawDb = openCacheDb(raw);
      rawMs.push(await time(() => rawLoad(rawDb, rows, SYNC_PAGE.maxRows)));
      const file = join(work, `cache-${i}.sqlite`);
      const core = testCore(file, server.url, { timeoutMs: 60_000 });
      syncMs.push(
        await time(async () => {
          await core.syncNow();
          // Until its search index is built the desk cannot search what it loaded: part of the sync.
          searchReady(core.db);
        }),
      );
      const synced = cacheState(core.db);
      const baseline = cacheState(rawDb);
      if (JSON.stringify(synced) !== JSON.stringify(baseline)) {
        throw new Error(`the sync and its baseline ended with different caches:\n  sync:     ${JSON.stringify(synced)}\n  baseline: ${JSON.stringify(baseline)}`);
      }
      last = `${synced.entries}/${synced.history}`;
      rawDb.close();
      await core.close();
      rmSync(file, { force: true });
      rmSync(raw, { force: true });
    }
    const s = summarise(syncMs);
    const r = summarise(rawMs);
    const perSec = (ms: number) => fmt((rows.length / ms) * 1000, 0);
    const ratio = r.p50 / s.p50;

    // Delta: 100 entries changed by a team lead, then one sync; against a sync with nothing to fetch.
    const lead = await login(server.url, 'lead1', 'lead1');
    const file = join(work, 'delta.sqlite');
    const core = testCore(file, server.url, { timeoutMs: 60_000 });
    await core.syncNow();
    // With the index built, each delta updates it entry by entry, as on a desk.
    const index = searchReady(core.db);
    const deltaMs: number[] = [];
    const emptyMs: number[] = [];
    for (let round = 0; round < 30; round++) {
      for (let k = 0; k < 100; k++) {
        const id = `GEN-${String(round * 100 + k + 1).padStart(6, '0')}`;
        const body = { id, category: '상수도/요금', title: `수도요금 안내 개정 ${round}-${k}`, body: `개정 ${round} 안내 본문` };
        const r2 = await call(server.url, lead, `/api/manual/${id}`, { method: 'PUT', body: JSON.stringify(body) });
        if (r2.status !== 200) throw new Error(`edit ${id}: ${r2.text}`);
      }
      let applied = 0;
      deltaMs.push(await time(async () => (applied = (await core.syncNow()).upserts.entry)));
      if (applied !== 100) throw new Error(`delta sync applied ${applied} entries, not 100`);
      // The desk merges the new index segments after a sync that changed entries (the engine's
      // tidy); left unmerged, they would pile up until FTS5 merges them inside a later delta
      // (its crisis merge).
      while (index.tidy(15, () => performance.now()));
      emptyMs.push(await time(() => core.syncNow()));
    }
    await core.close();
    const d = summarise(deltaMs);
    const e = summarise(emptyMs);
    return [
      {
        name: `Initial sync: ${ENTRIES} manual entries + ${HISTORY} caller-history records over loopback HTTP, until searchable (${runs} runs; cache ${last})`,
        value: `median ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms → ${perSec(s.p50)} rows/s`,
        baseline: `raw better-sqlite3 batched inserts of the same ${rows.length} rows, history indexes and search index built as the sync does: median ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms → ${perSec(r.p50)} rows/s`,
        ratio: `sync throughput is ${fmt(ratio * 100, 1)}% of raw inserts`,
        target: '≥ 50%',
        pass: ratio >= 0.5,
      },
      {
        name: 'Delta sync of 100 changed entries (30 rounds)',
        value: `median ${fmt(d.p50)} ms, p95 ${fmt(d.p95)} ms, max ${fmt(d.max)} ms`,
        baseline: `a sync with nothing new: median ${fmt(e.p50)} ms, p95 ${fmt(e.p95)} ms`,
        ratio: `${fmt(d.p50 / e.p50)}× the empty sync`,
        target: 'p95 ≤ 50 ms',
        pass: d.p95 <= 50,
      },
    ];
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
