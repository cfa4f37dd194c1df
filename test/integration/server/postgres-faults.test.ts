import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { RecordDraft } from '../../../shared/record';
import type { SyncPage } from '../../../shared/sync';
import { call, login } from '../../helpers/http';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { draft } from '../../helpers/records';

// Issue 18: an instance killed while desks upload and sync, and PostgreSQL restarted under load.
// Desks here behave as the desk's outbox and sync engine do: a batch is sent again, under the
// same key, until an answer comes; a failed page is asked for again from the same cursor. A load
// balancer's part is played by the desks themselves: an instance that does not answer is left
// for the other.

const DESKS = 4;
/** Requests that failed (no answer, or a 5xx) and were made again: the faults as the desks felt them. */
let retried = 0;

let pg: TestPostgres;
let database: string;
const instances: CityServerProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres({ durable: true });
  database = await pg.database();
  instances.push(await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-pgf-a-')), { demo: true, database }));
  instances.push(await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-pgf-b-')), { demo: true, database }));
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((s) => s.stop()));
  await pg.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A desk: uploads `records` one batch each (again until answered) and syncs after each, on
 * whichever instance answers; resolves to its last sync, for when every desk is done.
 */
async function desk(d: number, records: RecordDraft[]) {
  let prefer = d % 2;
  const tokens = new Map<string, string>();
  const ask = async (path: string, init?: RequestInit) => {
    for (let attempt = 0; ; attempt++) {
      const server = instances[(prefer + attempt) % 2] as CityServerProcess;
      try {
        const token = tokens.get(server.url) ?? (await login(server.url, 'agent1', 'agent1'));
        tokens.set(server.url, token);
        const r = await call(server.url, token, path, init);
        if (r.status < 500) {
          prefer = (prefer + attempt) % 2;
          return r;
        }
      } catch {
        // not answering: the other instance, or this one again later
      }
      retried++;
      await pause(50);
    }
  };
  const seen = new Set<string>();
  let cursor: string | null = null;
  const syncOnce = async () => {
    for (;;) {
      const page = (await ask(`/api/sync?limit=1000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`)).body as SyncPage;
      for (const c of page.changes) if (c.kind === 'history' && c.data) seen.add(c.key);
      cursor = page.cursor;
      if (!page.hasMore) return;
    }
  };
  for (const r of records) {
    const batch = { batchKey: randomUUID(), records: [r] };
    const answer = await ask('/api/records', { method: 'POST', body: JSON.stringify(batch) });
    expect(answer.status).toBe(200);
    await syncOnce();
    // A desk's pace, so that the faults below fall in the middle of the work.
    await pause(40);
  }
  return async () => {
    await syncOnce();
    return seen;
  };
}

describe('the city server on PostgreSQL when things break', () => {
  it('loses and doubles nothing when an instance is killed and the database restarts under load; desks recover by themselves', async () => {
    const records = Array.from({ length: DESKS }, (_, d) => Array.from({ length: 60 }, (_, i) => draft({ callerNumber: `010-8${d}${String(i).padStart(2, '0')}-0000` })));
    const running = records.map((rs, d) => desk(d, rs));
    await pause(500);
    // An instance dies without warning, mid-request.
    await instances[0]?.kill();
    await pause(500);
    // The database restarts (fast: every open connection is cut) while the other instance serves.
    await pg.restart();
    // The killed instance comes back, on the same database.
    instances[0] = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-pgf-a2-')), { database });
    // Once every desk has uploaded everything, a last sync must bring each the rest.
    const lastSyncs = await Promise.all(running);
    const seen = await Promise.all(lastSyncs.map((last) => last()));
    // The faults were felt: requests failed and were made again (else this test proves nothing).
    expect(retried).toBeGreaterThan(0);
    // The instance that lived through the database's restart is still up, and the new one too.
    for (const server of instances) expect((await call(server.url, null, '/api/health')).status).toBe(200);

    const store = await openPostgresStore(database);
    try {
      const ids = records.flat().map((r) => r.id);
      const stored = await store.all<{ id: string; n: number }>(`SELECT id, COUNT(*) AS n FROM records WHERE id IN (${ids.map(() => '?').join(', ')}) GROUP BY id`, ids);
      // Every record once: none lost, none doubled.
      expect(stored).toHaveLength(ids.length);
      expect(stored.every((r) => r.n === 1)).toBe(true);
      // Every desk's sync reached every one of them (and the demo's history), whichever instance served it.
      const history = (await store.all<{ key: string }>("SELECT key FROM changes WHERE kind = 'history' AND payload IS NOT NULL")).map((r) => r.key).sort();
      for (const s of seen) expect([...s].sort()).toEqual(history);
    } finally {
      await store.close();
    }
  }, 120_000);
});
