import { beforeEach, describe, expect, it } from 'vitest';
import { changesAfter, latestRev, publishChange, syncPageJson } from '../../../../server/store/change-log';
import { getEpoch, type Db } from '../../../../server/store/db';
import type { SyncPage } from '../../../../shared/sync';
import { tempCityDb } from '../../../helpers/temp-db';

let db: Db;
beforeEach(() => {
  db = tempCityDb('changes');
  db.prepare('DELETE FROM changes').run();
});

const setting = (key: string, value: unknown) => publishChange(db, 'setting', key, { key, value });
const revs = (json: string[]) => json.map((j) => (JSON.parse(j) as { rev: number }).rev);

describe('the change log', () => {
  it('keeps one row per key: the latest change, under a new revision', () => {
    expect(latestRev(db)).toBe(0);
    const a1 = setting('a', 1);
    const b = setting('b', 2);
    const a2 = setting('a', 3);
    expect([a2 > b, b > a1]).toEqual([true, true]);
    expect(latestRev(db)).toBe(a2);
    const slice = changesAfter(db, 0, 10, 1 << 20);
    expect(slice.json.map((j) => JSON.parse(j) as unknown)).toEqual([
      { rev: b, kind: 'setting', key: 'b', data: { key: 'b', value: 2 } },
      { rev: a2, kind: 'setting', key: 'a', data: { key: 'a', value: 3 } },
    ]);
    // The same key under another kind is another row; a tombstone carries null.
    publishChange(db, 'usage', 'a', null);
    // A tombstone is stored as SQL NULL, not the text 'null'.
    expect(db.prepare("SELECT payload IS NULL FROM changes WHERE kind = 'usage'").pluck().get()).toBe(1);
    expect(changesAfter(db, a2, 10, 1 << 20).json.map((j) => JSON.parse(j) as unknown)).toEqual([{ rev: a2 + 1, kind: 'usage', key: 'a', data: null }]);
  });

  it('pages by rows: exactly maxRows, and hasMore only when more are left', () => {
    const all = ['a', 'b', 'c', 'd', 'e'].map((k) => setting(k, k));
    const first = changesAfter(db, 0, 2, 1 << 20);
    expect([revs(first.json), first.lastRev, first.hasMore]).toEqual([all.slice(0, 2), all[1], true]);
    const rest = changesAfter(db, first.lastRev, 3, 1 << 20);
    expect([revs(rest.json), rest.lastRev, rest.hasMore]).toEqual([all.slice(2), all[4], false]);
    const none = changesAfter(db, rest.lastRev, 3, 1 << 20);
    expect([none.json, none.lastRev, none.hasMore]).toEqual([[], all[4], false]);
  });

  it('pages by bytes, counting each row and its separating comma, and always sends one row', () => {
    const all = ['a', 'b', 'c'].map((k) => setting(k, 'x'.repeat(50)));
    const one = Buffer.byteLength(changesAfter(db, 0, 1, 1 << 20).json[0] as string);
    // Two rows and the comma between them fit exactly; one byte less and the second waits.
    expect(revs(changesAfter(db, 0, 10, 2 * one + 1).json)).toEqual(all.slice(0, 2));
    const tight = changesAfter(db, 0, 10, 2 * one);
    expect([revs(tight.json), tight.hasMore]).toEqual([all.slice(0, 1), true]);
    const tiny = changesAfter(db, 0, 10, 1);
    expect([revs(tiny.json), tiny.lastRev, tiny.hasMore]).toEqual([all.slice(0, 1), all[0], true]);
    expect(changesAfter(db, 0, 10, 3 * one + 2).hasMore).toBe(false);
  });

  it('counts bytes of UTF-8, not characters', () => {
    const all = ['a', 'b'].map((k) => setting(k, '누수'.repeat(20)));
    const one = Buffer.byteLength(changesAfter(db, 0, 1, 1 << 20).json[0] as string);
    expect(one).toBeGreaterThan((changesAfter(db, 0, 1, 1 << 20).json[0] as string).length);
    expect(revs(changesAfter(db, 0, 10, 2 * one).json)).toEqual(all.slice(0, 1));
  });
});

describe('a sync page after a cursor', () => {
  const page = (since: string | undefined, rows = 10) => {
    const json = syncPageJson(db, since, rows, 1 << 20);
    return json === null ? null : (JSON.parse(json) as SyncPage);
  };

  it('starts from the beginning, with reset, without a cursor or with one of another epoch', () => {
    const all = ['a', 'b', 'c'].map((k) => setting(k, k));
    const epoch = getEpoch(db);
    const first = page(undefined, 2);
    expect(first).toMatchObject({ cursor: `${epoch}:${all[1]}`, hasMore: true, reset: true });
    expect(first?.changes.map((c) => c.rev)).toEqual(all.slice(0, 2));
    const next = page(first?.cursor, 2);
    expect(next).toMatchObject({ cursor: `${epoch}:${all[2]}`, hasMore: false, reset: false });
    expect(next?.changes.map((c) => c.rev)).toEqual(all.slice(2));
    const other = page(`restored-server:${all[2]}`);
    expect(other).toMatchObject({ reset: true, cursor: `${epoch}:${all[2]}` });
    expect(other?.changes).toHaveLength(3);
    // Up to date: an empty page that keeps the cursor.
    expect(page(next?.cursor)).toEqual({ cursor: `${epoch}:${all[2]}`, hasMore: false, reset: false, changes: [] });
    // A cursor of this epoch at revision 0 is a first sync of an empty log, not a reset.
    expect(page(`${epoch}:0`)).toMatchObject({ reset: false });
  });

  it('refuses a malformed cursor', () => {
    for (const bad of ['', 'x', `${getEpoch(db)}:`, `${getEpoch(db)}:-1`, 'short:1', `${getEpoch(db)}:1:2`]) expect(syncPageJson(db, bad, 10, 1 << 20), bad).toBeNull();
  });
});
