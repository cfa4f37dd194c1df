import { describe, expect, it } from 'vitest';
import { value, type Db } from '../../../../server/store/sql';
import { tempCityDb } from '../../../helpers/temp-db';

const count = (db: Db) => value<number>(db, 'SELECT COUNT(*) AS n FROM synonyms');

describe('the SQLite store', () => {
  it('keeps another caller’s statements out of a transaction that awaits in between', async () => {
    const db = tempCityDb('sqlite-store');
    const order: string[] = [];
    let midway!: () => void;
    const reached = new Promise<void>((r) => (midway = r));
    const tx = db.write(async (t) => {
      await t.run("INSERT INTO synonyms(term, expansions) VALUES ('물샘', '[]')");
      midway();
      // Other work goes on while this transaction waits (an HTTP handler's await).
      await new Promise((r) => setTimeout(r, 20));
      order.push('tx done');
      throw new Error('changed my mind');
    });
    await reached;
    // Issued while the transaction is open: it must not see, or join, the uncommitted row.
    const outside = db.run("INSERT INTO synonyms(term, expansions) VALUES ('누수', '[]')").then(() => order.push('outside ran'));
    await expect(tx).rejects.toThrow('changed my mind');
    await outside;
    expect(order).toEqual(['tx done', 'outside ran']);
    // The transaction rolled back; the statement after it stands.
    expect(await db.all('SELECT term FROM synonyms')).toEqual([{ term: '누수' }]);
    await db.close();
  });

  it('commits what a transaction wrote, joins a nested one into it, and runs statements at once when nothing waits', async () => {
    const db = tempCityDb('sqlite-store');
    const n = await db.write(async (t) => {
      await t.run("INSERT INTO synonyms(term, expansions) VALUES ('a', '[]')");
      await t.write((inner) => inner.run("INSERT INTO synonyms(term, expansions) VALUES ('b', '[]')"));
      return count(t);
    });
    expect(n).toBe(2);
    expect(db.sqlite.inTransaction).toBe(false);
    expect(await count(db)).toBe(2);
    // A nested transaction that fails fails the whole.
    await expect(
      db.write(async (t) => {
        await t.run("INSERT INTO synonyms(term, expansions) VALUES ('c', '[]')");
        await t.write(() => Promise.reject(new Error('inner')));
      }),
    ).rejects.toThrow('inner');
    expect(await count(db)).toBe(2);
    // The SQL error of a statement is the caller's rejection, and the store goes on.
    await expect(db.run('INSERT INTO no_such_table VALUES (1)')).rejects.toThrow(/no such table/);
    expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    await db.close();
  });

  it('runs queued transactions one after another, in the order they asked', async () => {
    const db = tempCityDb('sqlite-store');
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        db.write(async (t) => {
          const before = (await count(t)) as number;
          await new Promise((r) => setTimeout(r, 5));
          await t.run('INSERT INTO synonyms(term, expansions) VALUES (?, ?)', [`t${i}`, '[]']);
          seen.push(before);
        }),
      ),
    );
    // Each saw the ones before it committed: none ran inside another.
    expect(seen).toEqual([0, 1, 2]);
    await db.close();
  });
});
