import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueCellOf, rebuildQueueRollup, STALE_QUEUE_MS, takeQueueLog } from '../../../../server/store/queue-log';
import { openSipStore, type SipStore } from '../../../../server/store/sip-store';
import type { CityStore, Db } from '../../../../server/store/sql';
import { storeEngines } from '../../../helpers/store-engines';

// Kamailio's queue log taken into the analysis, on both engines: the SIP server's table beside a
// SQLite store (DATA/sip.sqlite), or in the city's PostgreSQL database. The test writes the log
// rows as kamailio.cfg does (epoch ms; `gone = arrived` when nobody was ready).

// 2026-12-07 18:00 in Seoul.
const NOW = new Date('2026-12-07T09:00:00Z');
const at = (iso: string) => Date.parse(iso);
const md5ish = (c: string) => c.repeat(32);

interface LogRow {
  id: string;
  arrived: number;
  answered?: number;
  gone?: number;
}

const log = (sip: Db, rows: readonly LogRow[]) =>
  Promise.all(rows.map((r) => sip.run('INSERT INTO queue_log(call_id, arrived, answered, gone) VALUES (?, ?, ?, ?)', [r.id, r.arrived, r.answered ?? null, r.gone ?? null])));

const calls = (db: Db) => db.all<{ call_id: string; arrived_at: string; answered: number; wait_ms: number }>('SELECT call_id, arrived_at, answered, wait_ms FROM queue_calls ORDER BY call_id');

async function rollup(db: Db) {
  const rows = await db.all<Record<string, string | number>>('SELECT day, hour, offered, answered, abandoned, answered_wait_ms, abandoned_wait_ms FROM rollup_queue ORDER BY day, hour');
  // BIGINT sums come back as text from PostgreSQL.
  return rows.map((r) => ({
    day: r.day,
    hour: Number(r.hour),
    offered: Number(r.offered),
    answered: Number(r.answered),
    abandoned: Number(r.abandoned),
    answeredWaitMs: Number(r.answered_wait_ms),
    abandonedWaitMs: Number(r.abandoned_wait_ms),
  }));
}

const leftInLog = async (sip: Db) => (await sip.all<{ call_id: string }>('SELECT call_id FROM queue_log ORDER BY call_id')).map((r) => r.call_id);

describe('a queue call’s rollup cell', () => {
  it('is the Seoul day and hour of its arrival, with its wait on the side it ended on', () => {
    expect(queueCellOf({ arrivedAt: '2026-12-07T14:59:59.999Z', answered: true, waitMs: 6_000 })).toEqual({
      day: '2026-12-07',
      hour: 23,
      offered: 1,
      answered: 1,
      abandoned: 0,
      answeredWaitMs: 6_000,
      abandonedWaitMs: 0,
    });
    expect(queueCellOf({ arrivedAt: '2026-12-07T15:00:00.000Z', answered: false, waitMs: 0 })).toEqual({
      day: '2026-12-08',
      hour: 0,
      offered: 1,
      answered: 0,
      abandoned: 1,
      answeredWaitMs: 0,
      abandonedWaitMs: 0,
    });
  });
});

describe.each(storeEngines())('the queue log on $name', ({ open }) => {
  const sips: SipStore[] = [];
  afterEach(async () => {
    await Promise.all(sips.splice(0).map((s) => s.close()));
  });
  const tables = async (): Promise<{ db: CityStore; sip: Db }> => {
    const db = await open();
    const sip = openSipStore(db, mkdtempSync(join(tmpdir(), 'minwon-queue-log-')));
    sips.push(sip);
    return { db, sip: sip.db };
  };

  it('takes answered and abandoned calls with their waits, leaves calls still waiting, and counts them per Seoul hour', async () => {
    const o = await tables();
    await log(o.sip, [
      { id: md5ish('a'), arrived: at('2026-12-07T08:10:00.000Z'), answered: at('2026-12-07T08:10:04.250Z') },
      // The caller hung up while it rang (or every agent failed).
      { id: md5ish('b'), arrived: at('2026-12-07T08:20:00.000Z'), gone: at('2026-12-07T08:20:31.500Z') },
      // Nobody was ready: given up on arrival.
      { id: md5ish('c'), arrived: at('2026-12-07T08:30:00.000Z'), gone: at('2026-12-07T08:30:00.000Z') },
      // Still ringing.
      { id: md5ish('d'), arrived: at('2026-12-07T08:59:50.000Z') },
    ]);
    await takeQueueLog(o, NOW);
    expect(await calls(o.db)).toEqual([
      { call_id: md5ish('a'), arrived_at: '2026-12-07T08:10:00.000Z', answered: 1, wait_ms: 4_250 },
      { call_id: md5ish('b'), arrived_at: '2026-12-07T08:20:00.000Z', answered: 0, wait_ms: 31_500 },
      { call_id: md5ish('c'), arrived_at: '2026-12-07T08:30:00.000Z', answered: 0, wait_ms: 0 },
    ]);
    expect(await rollup(o.db)).toEqual([{ day: '2026-12-07', hour: 17, offered: 3, answered: 1, abandoned: 2, answeredWaitMs: 4_250, abandonedWaitMs: 31_500 }]);
    expect(await leftInLog(o.sip)).toEqual([md5ish('d')]);

    // Answered later: taken then, in the hour it arrived in.
    await o.sip.run('UPDATE queue_log SET answered = ? WHERE call_id = ?', [at('2026-12-07T09:00:08.000Z'), md5ish('d')]);
    await takeQueueLog(o, new Date(NOW.getTime() + 10_000));
    expect(await rollup(o.db)).toEqual([{ day: '2026-12-07', hour: 17, offered: 4, answered: 2, abandoned: 2, answeredWaitMs: 22_250, abandonedWaitMs: 31_500 }]);
    expect(await leftInLog(o.sip)).toEqual([]);
  });

  it('puts a call in the Seoul day and hour it arrived in: 23:59:59 is the day before 00:00:00', async () => {
    const o = await tables();
    await log(o.sip, [
      // 23:59:59.999 KST on 7 December, answered after midnight: still the 7th's last hour.
      { id: md5ish('a'), arrived: at('2026-12-07T14:59:59.999Z'), answered: at('2026-12-07T15:00:05.000Z') },
      { id: md5ish('b'), arrived: at('2026-12-07T14:59:59.000Z'), gone: at('2026-12-07T15:00:01.000Z') },
      // 00:00:00 KST on 8 December.
      { id: md5ish('c'), arrived: at('2026-12-07T15:00:00.000Z'), gone: at('2026-12-07T15:00:00.000Z') },
    ]);
    await takeQueueLog(o, new Date('2026-12-07T16:00:00Z'));
    expect(await rollup(o.db)).toEqual([
      { day: '2026-12-07', hour: 23, offered: 2, answered: 1, abandoned: 1, answeredWaitMs: 5_001, abandonedWaitMs: 2_000 },
      { day: '2026-12-08', hour: 0, offered: 1, answered: 0, abandoned: 1, answeredWaitMs: 0, abandonedWaitMs: 0 },
    ]);
  });

  it('counts a call taken twice once: again after a crash before the delete, and by two instances at once', async () => {
    const o = await tables();
    const rows = [
      { id: md5ish('a'), arrived: at('2026-12-07T08:10:00.000Z'), answered: at('2026-12-07T08:10:03.000Z') },
      { id: md5ish('b'), arrived: at('2026-12-07T08:11:00.000Z'), gone: at('2026-12-07T08:11:09.000Z') },
    ];
    await log(o.sip, rows);
    await takeQueueLog(o, NOW);
    const once = await rollup(o.db);
    expect(once).toEqual([{ day: '2026-12-07', hour: 17, offered: 2, answered: 1, abandoned: 1, answeredWaitMs: 3_000, abandonedWaitMs: 9_000 }]);
    // The rows are back, as when the server stopped between its commit and the delete.
    await log(o.sip, rows);
    await Promise.all([takeQueueLog(o, NOW), takeQueueLog(o, NOW)]);
    expect(await rollup(o.db)).toEqual(once);
    expect(await calls(o.db)).toHaveLength(2);
    expect(await leftInLog(o.sip)).toEqual([]);
  });

  it('counts a call left unfinished for more than 12 hours as abandoned, its wait unknown (0)', async () => {
    const o = await tables();
    await log(o.sip, [
      { id: md5ish('a'), arrived: NOW.getTime() - STALE_QUEUE_MS - 1 },
      { id: md5ish('b'), arrived: NOW.getTime() - STALE_QUEUE_MS + 60_000 },
    ]);
    await takeQueueLog(o, NOW);
    expect(await calls(o.db)).toEqual([{ call_id: md5ish('a'), arrived_at: new Date(NOW.getTime() - STALE_QUEUE_MS - 1).toISOString(), answered: 0, wait_ms: 0 }]);
    // 2026-12-07 05:59:59.999 in Seoul.
    expect(await rollup(o.db)).toEqual([{ day: '2026-12-07', hour: 5, offered: 1, answered: 0, abandoned: 1, answeredWaitMs: 0, abandonedWaitMs: 0 }]);
    expect(await leftInLog(o.sip)).toEqual([md5ish('b')]);
  });

  it('rebuilds the rollup from the calls kept, as intake counted them', async () => {
    const o = await tables();
    const start = at('2026-12-07T13:00:00.000Z');
    // Over three Seoul hours across midnight, more than a page of the rebuild's reads.
    const rows = Array.from({ length: 6_001 }, (_, i) => {
      const arrived = start + i * 1_500;
      return i % 3 === 0 ? { id: `q${String(i).padStart(6, '0')}`, arrived, gone: arrived + (i % 7) * 1_000 } : { id: `q${String(i).padStart(6, '0')}`, arrived, answered: arrived + (i % 11) * 1_000 };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await log(o.sip, rows.slice(i, i + 500));
      await takeQueueLog(o, new Date(start + 86_400_000));
    }
    const intake = await rollup(o.db);
    expect(intake.map((c) => [c.day, c.hour])).toEqual([
      ['2026-12-07', 22],
      ['2026-12-07', 23],
      ['2026-12-08', 0],
    ]);
    expect(intake.reduce((n, c) => n + c.offered, 0)).toBe(6_001);
    await o.db.run('UPDATE rollup_queue SET offered = offered + 5');
    await o.db.run('INSERT INTO rollup_queue(day, hour, offered, answered, abandoned, answered_wait_ms, abandoned_wait_ms) VALUES (?, 0, 1, 1, 0, 10, 0)', ['2020-01-01']);
    await o.db.write((tx) => rebuildQueueRollup(tx));
    expect(await rollup(o.db)).toEqual(intake);
  });
});
