import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { changesAfter, latestRev, publishChange, putIfChanged, syncPageJson } from '../../../../server/store/change-log';
import { getEpoch, openCityDb } from '../../../../server/store/db';
import type { Db } from '../../../../server/store/sql';
import { SCHEMA } from '../../../../server/store/schema';
import { migrate } from '../../../../shared/migrations';
import { sharedViewOf, type HistoryItem } from '../../../../shared/record';
import type { SyncPage } from '../../../../shared/sync';
import { storeEngines } from '../../../helpers/store-engines';

let db: Db;

/** The user whose desk asks. */
const VIEWER = 'agent-1';
const setting = (key: string, value: unknown) => publishChange(db, 'setting', key, { key, value });
/** One setting per key, in order; their revisions. */
async function settings(keys: string[], value: (key: string) => unknown): Promise<number[]> {
  const revs: number[] = [];
  for (const k of keys) revs.push(await setting(k, value(k)));
  return revs;
}
const revs = (json: string[]) => json.map((j) => (JSON.parse(j) as { rev: number }).rev);

/** A consultation agent-2 handled. */
const item: HistoryItem = {
  id: '7d3f1a52-4a7e-4c1e-9a57-1f0b8c2d9e10',
  callerE164: '+821023456789',
  agentId: 'agent-2',
  startedAt: '2026-12-07T09:00:00+09:00',
  endedAt: '2026-12-07T09:04:00+09:00',
  category: '상수도/요금',
  outcome: 'transferred',
  manualIds: ['M-1'],
  notes: '감면 문의',
  department: '요금관리과',
};

describe.each(storeEngines())('the change log on $name', ({ open }) => {
  beforeEach(async () => {
    db = await open();
  });

  describe('the change log', () => {
    it('keeps one row per key: the latest change, under a new revision', async () => {
      expect(await latestRev(db)).toBe(0);
      const a1 = await setting('a', 1);
      const b = await setting('b', 2);
      const a2 = await setting('a', 3);
      expect([a2 > b, b > a1]).toEqual([true, true]);
      expect(await latestRev(db)).toBe(a2);
      const slice = await changesAfter(db, 0, 10, 1 << 20, VIEWER);
      expect(slice.json.map((j) => JSON.parse(j) as unknown)).toEqual([
        { rev: b, kind: 'setting', key: 'b', data: { key: 'b', value: 2 } },
        { rev: a2, kind: 'setting', key: 'a', data: { key: 'a', value: 3 } },
      ]);
      // The same key under another kind is another row; a tombstone carries null.
      await publishChange(db, 'usage', 'a', null);
      // A tombstone is stored as SQL NULL, not the text 'null'.
      expect(await db.get("SELECT CASE WHEN payload IS NULL THEN 'sql null' ELSE payload END AS p FROM changes WHERE kind = 'usage'")).toEqual({ p: 'sql null' });
      expect((await changesAfter(db, a2, 10, 1 << 20, VIEWER)).json.map((j) => JSON.parse(j) as unknown)).toEqual([{ rev: a2 + 1, kind: 'usage', key: 'a', data: null }]);
    });

    it('pages by rows: exactly maxRows, and hasMore only when more are left', async () => {
      const all = await settings(['a', 'b', 'c', 'd', 'e'], (k) => k);
      const first = await changesAfter(db, 0, 2, 1 << 20, VIEWER);
      expect([revs(first.json), first.lastRev, first.hasMore]).toEqual([all.slice(0, 2), all[1], true]);
      const rest = await changesAfter(db, first.lastRev, 3, 1 << 20, VIEWER);
      expect([revs(rest.json), rest.lastRev, rest.hasMore]).toEqual([all.slice(2), all[4], false]);
      const none = await changesAfter(db, rest.lastRev, 3, 1 << 20, VIEWER);
      expect([none.json, none.lastRev, none.hasMore]).toEqual([[], all[4], false]);
    });

    it('pages by bytes, counting each row and its separating comma, and always sends one row', async () => {
      const all = await settings(['a', 'b', 'c'], () => 'x'.repeat(50));
      const one = Buffer.byteLength((await changesAfter(db, 0, 1, 1 << 20, VIEWER)).json[0] as string);
      // Two rows and the comma between them fit exactly; one byte less and the second waits.
      expect(revs((await changesAfter(db, 0, 10, 2 * one + 1, VIEWER)).json)).toEqual(all.slice(0, 2));
      const tight = await changesAfter(db, 0, 10, 2 * one, VIEWER);
      expect([revs(tight.json), tight.hasMore]).toEqual([all.slice(0, 1), true]);
      const tiny = await changesAfter(db, 0, 10, 1, VIEWER);
      expect([revs(tiny.json), tiny.lastRev, tiny.hasMore]).toEqual([all.slice(0, 1), all[0], true]);
      expect((await changesAfter(db, 0, 10, 3 * one + 2, VIEWER)).hasMore).toBe(false);
    });

    it('counts bytes of UTF-8, not characters', async () => {
      const all = await settings(['a', 'b'], () => '누수'.repeat(20));
      const one = Buffer.byteLength((await changesAfter(db, 0, 1, 1 << 20, VIEWER)).json[0] as string);
      expect(one).toBeGreaterThan(((await changesAfter(db, 0, 1, 1 << 20, VIEWER)).json[0] as string).length);
      expect(revs((await changesAfter(db, 0, 10, 2 * one, VIEWER)).json)).toEqual(all.slice(0, 1));
    });
  });

  describe('a table of one value per key', () => {
    const SETTINGS = { table: 'settings', key: 'key', value: 'value', kind: 'setting' } as const;
    it('stores and publishes a value only when it is new or changed', async () => {
      expect(await putIfChanged(db, SETTINGS, 'wrapUpSeconds', '60', { key: 'wrapUpSeconds', value: 60 })).toBe(true);
      const rev = await latestRev(db);
      // The same value again: nothing written, nothing for the desks.
      expect(await putIfChanged(db, SETTINGS, 'wrapUpSeconds', '60', { key: 'wrapUpSeconds', value: 60 })).toBe(false);
      expect(await latestRev(db)).toBe(rev);
      expect(await putIfChanged(db, SETTINGS, 'wrapUpSeconds', '90', { key: 'wrapUpSeconds', value: 90 })).toBe(true);
      expect(await latestRev(db)).toBeGreaterThan(rev);
      expect(await db.all('SELECT key, value FROM settings')).toEqual([{ key: 'wrapUpSeconds', value: '90' }]);
    });
  });

  describe('what each desk is told of a consultation', () => {
    const dataFor = async (viewer: string) => (JSON.parse((await changesAfter(db, 0, 10, 1 << 20, viewer)).json[0] as string) as { data: unknown }).data;

    it('gives the handling agent’s desk all of it, every other desk only what the screen-pop shows', async () => {
      await publishChange(db, 'history', item.id, sharedViewOf(item), { owner: item.agentId, payload: item });
      expect(await dataFor('agent-2')).toEqual(item);
      expect(await dataFor('agent-1')).toEqual({ ...item, agentId: null, endedAt: null, department: null });
      // A tombstone is the same for everyone.
      await publishChange(db, 'history', item.id, null);
      expect([await dataFor('agent-2'), await dataFor('agent-1')]).toEqual([null, null]);
    });
  });

  describe('a sync page after a cursor', () => {
    const page = async (since: string | undefined, rows = 10) => {
      const json = await syncPageJson(db, since, rows, 1 << 20, VIEWER);
      return json === null ? null : (JSON.parse(json) as SyncPage);
    };

    it('starts from the beginning, with reset, without a cursor or with one of another epoch', async () => {
      const all = await settings(['a', 'b', 'c'], (k) => k);
      const epoch = await getEpoch(db);
      const first = await page(undefined, 2);
      expect(first).toMatchObject({ cursor: `${epoch}:${all[1]}`, hasMore: true, reset: true });
      expect(first?.changes.map((c) => c.rev)).toEqual(all.slice(0, 2));
      const next = await page(first?.cursor, 2);
      expect(next).toMatchObject({ cursor: `${epoch}:${all[2]}`, hasMore: false, reset: false });
      expect(next?.changes.map((c) => c.rev)).toEqual(all.slice(2));
      const other = await page(`restored-server:${all[2]}`);
      expect(other).toMatchObject({ reset: true, cursor: `${epoch}:${all[2]}` });
      expect(other?.changes).toHaveLength(3);
      // Up to date: an empty page that keeps the cursor.
      expect(await page(next?.cursor)).toEqual({ cursor: `${epoch}:${all[2]}`, hasMore: false, reset: false, changes: [] });
      // A cursor of this epoch at revision 0 is a first sync of an empty log, not a reset.
      expect(await page(`${epoch}:0`)).toMatchObject({ reset: false });
    });

    it('starts over, with reset, a desk whose cursor is past the newest change (the server restored from an older backup)', async () => {
      const all = await settings(['a', 'b', 'c'], (k) => k);
      const epoch = await getEpoch(db);
      const cursor = `${epoch}:${all[2]}`;
      expect(await page(cursor)).toMatchObject({ reset: false, changes: [] });
      // The backup was taken after 'a': 'b' and 'c' never happened here, and the next change may take their revision.
      await db.run('DELETE FROM changes WHERE rev > ?', [all[0] as number]);
      const restored = await page(cursor);
      expect(restored).toMatchObject({ reset: true, cursor: `${epoch}:${all[0]}` });
      expect(restored?.changes.map((c) => c.key)).toEqual(['a']);
    });

    it('refuses a malformed cursor', async () => {
      const epoch = await getEpoch(db);
      for (const bad of ['', 'x', `${epoch}:`, `${epoch}:-1`, 'short:1', `${epoch}:1:2`]) expect(await syncPageJson(db, bad, 10, 1 << 20, VIEWER), bad).toBeNull();
    });
  });
});

describe('the SQLite store’s migration', () => {
  it('splits the history a server published before desks were told less, and leaves other kinds alone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-changes-')), 'city.sqlite');
    const old = new Database(file);
    // The schema as it was before the step that split the history changes.
    migrate(old, SCHEMA.slice(0, SCHEMA.findIndex((step) => step.includes('ADD COLUMN owner_payload'))));
    const insert = old.prepare('INSERT INTO changes(kind, key, payload) VALUES (?, ?, ?)');
    insert.run('history', item.id, JSON.stringify(item));
    insert.run('history', 'a-tombstone', null);
    insert.run('setting', 'wrapUpSeconds', JSON.stringify({ key: 'wrapUpSeconds', value: 60 }));
    old.close();
    db = openCityDb(file);
    const page = async (viewer: string) => (await changesAfter(db, 0, 10, 1 << 20, viewer)).json.map((j) => (JSON.parse(j) as { data: unknown }).data);
    expect(await page('agent-2')).toEqual([item, null, { key: 'wrapUpSeconds', value: 60 }]);
    expect(await page('agent-1')).toEqual([sharedViewOf(item), null, { key: 'wrapUpSeconds', value: 60 }]);
  });
});
