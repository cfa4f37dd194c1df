import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityDbFile } from '../../../server/main';
import { openCityDb } from '../../../server/store/db';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { SyncPage } from '../../../shared/sync';
import { call } from '../../helpers/http';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { runMinwon, startCityServerProcess } from '../../helpers/processes';

// Issue 18: a city that outgrows its SQLite file moves to PostgreSQL without its desks noticing.

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(() => pg.stop());

async function signIn(url: string, username: string) {
  return (await call(url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password: username }) })).body as { token: string; monitoringKey: string };
}

/** Every page of the sync after `since`, as the desk of `token` gets it. */
async function syncAll(url: string, token: string, since: string | null) {
  const changes: SyncPage['changes'] = [];
  let cursor = since;
  let reset = false;
  for (;;) {
    const page = (await call(url, token, `/api/sync?limit=5000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`)).body as SyncPage;
    changes.push(...page.changes);
    reset ||= page.reset;
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, reset };
  }
}

describe('minwon migrate-store', () => {
  it('copies every table into PostgreSQL, equal row for row, and desks go on from their cursors', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minwon-migrate-'));
    // A city that ran: the demo data, a desk's sync, a failed login (the throttle's table).
    const sqlite = await startCityServerProcess(dataDir, { demo: true });
    const before = await signIn(sqlite.url, 'agent1');
    const desk = await syncAll(sqlite.url, before.token, null);
    await call(sqlite.url, null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'agent2', password: 'wrong' }) });
    await sqlite.stop();

    const url = await pg.database();
    const run = await runMinwon(['migrate-store', '--from', dataDir], { MINWON_DATABASE_URL: url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^records\s+600 rows\s+sha256 [0-9a-f]{16}\s+equal$/m);
    expect(run.stdout).toMatch(/^login_failures\s+2 rows/m);
    expect(run.stdout).toMatch(/copied \d+ tables; every one equal/);

    // Checked here on its own, not by the command's own checksum: every row of every table.
    const [from, to] = [openCityDb(cityDbFile(dataDir)), await openPostgresStore(url)];
    try {
      const tables = from.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
      expect(tables.length).toBeGreaterThan(15);
      for (const t of tables) {
        const key = (from.sqlite.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(t) as string[]).join(', ');
        const all = (db: typeof to) => db.all(`SELECT * FROM ${t} ORDER BY ${key}`);
        const theirs = await all(to);
        // The copy keeps the monitoring key as it was (the file's key joins meta: the one row more).
        expect(t === 'meta' ? theirs.filter((r) => (r as { key: string }).key !== 'monitoringKey') : theirs, t).toEqual(await all(from));
      }
    } finally {
      await from.close();
      await to.close();
    }

    // The city on PostgreSQL: the desk's cursor holds (no reset, nothing new), and grants verify with the same key.
    const server = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-migrated-')), { database: url });
    try {
      const after = await signIn(server.url, 'agent1');
      expect(after.monitoringKey).toBe(before.monitoringKey);
      expect(await syncAll(server.url, after.token, desk.cursor)).toMatchObject({ changes: [], reset: false });
      // New changes follow the copied ones.
      const lead = await signIn(server.url, 'lead1');
      expect((await call(server.url, lead.token, '/api/settings/wrapUpSeconds', { method: 'PUT', body: '75' })).status).toBe(200);
      const next = await syncAll(server.url, after.token, desk.cursor);
      expect(next.changes.map((c) => [c.kind, c.key])).toEqual([['setting', 'wrapUpSeconds']]);
      expect(next.changes[0]?.rev).toBeGreaterThan(Number(desk.cursor.split(':')[1]));
    } finally {
      await server.stop();
    }

    // Once there, a second copy is refused and writes nothing.
    const again = await runMinwon(['migrate-store', '--from', dataDir, '--to', url]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/target store is not empty/);
  }, 120_000);

  it('says what is wrong with its arguments', async () => {
    expect((await runMinwon(['migrate-store', '--from', mkdtempSync(join(tmpdir(), 'minwon-empty-')), '--to', 'postgres://x/y'])).stderr).toMatch(/no city store in/);
    expect((await runMinwon(['migrate-store', '--from', '.', '--to', 'mysql://x/y'])).stderr).toMatch(/--to takes a postgres:\/\/ URL/);
  });
});
