import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesAfter, publishChange } from '../../../server/store/change-log';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { CityStore } from '../../../server/store/sql';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';

// Issue 18: on PostgreSQL a revision is taken when a change is inserted, not when its transaction
// commits. Desks read the log by "revisions after my cursor": a desk that read revision 12 before
// revision 11's transaction committed would move its cursor past 11 and never see it. Two store
// instances on one database stand for two city servers; writers hold their transactions open a
// while after publishing, as a slow intake would.

const WRITERS = 10;
const PER_WRITER = 1_000;
const DESKS = 5;

let server: TestPostgres;
let instances: CityStore[];

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.database();
  instances = [await openPostgresStore(url, { poolSize: 8 }), await openPostgresStore(url, { poolSize: 8 })];
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.close()));
  await server.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the change log on PostgreSQL, with two instances writing at once', () => {
  it('never lets a desk’s cursor pass a change it has not seen', async () => {
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        const db = instances[(w + i) % 2] as CityStore;
        await db.write(async (tx) => {
          await publishChange(tx, 'setting', `w${w}-${i}`, { key: `w${w}-${i}`, value: i });
          // Committed a little later, sometimes: the window in which a later revision could commit first.
          if (i % 7 === 0) await pause(1);
        });
      }
    });
    const desks = Array.from({ length: DESKS }, async (_, d) => {
      const seen: number[] = [];
      let cursor = 0;
      for (;;) {
        const done = !writing;
        const slice = await changesAfter(instances[d % 2] as CityStore, cursor, 200, 1 << 20, 'desk');
        seen.push(...slice.json.map((j) => (JSON.parse(j) as { rev: number }).rev));
        cursor = slice.lastRev;
        // The last pass starts after every writer finished: it must find the rest.
        if (done && !slice.hasMore) return { seen, cursor };
      }
    });
    await Promise.all(writers);
    writing = false;
    const results = await Promise.all(desks);
    const all = (await (instances[0] as CityStore).all<{ rev: number }>('SELECT rev FROM changes ORDER BY rev')).map((r) => r.rev);
    expect(all).toHaveLength(WRITERS * PER_WRITER);
    for (const r of results) {
      // Every change exactly once, in order: none skipped when the cursor moved on.
      expect(r.seen).toEqual(all);
    }
  }, 120_000);
});
