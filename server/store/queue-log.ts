import { seoulDayHour } from '../../shared/seoul-time';
import type { Db } from './sql';

/**
 * Calls to the representative number for the city's analysis. Kamailio logs each call in the SIP
 * tables (`queue_log`: its Call-ID's md5, and in its database's epoch ms its arrival, then its
 * answer or its end); the distributor takes the finished rows into `queue_calls` and the rollup
 * per Seoul day and hour of arrival (`rollup_queue`). A call is answered when an agent answered
 * it, and abandoned otherwise: the caller hung up while it rang, every agent failed, or nobody
 * was ready (a wait of 0). Its wait runs from its arrival to its answer or its end; a row left
 * unfinished past STALE_QUEUE_MS counts as abandoned with a wait of 0 (unknown).
 */

/** A call as `queue_calls` keeps it. */
export interface QueueCall {
  /** ISO instant of its arrival. */
  arrivedAt: string;
  answered: boolean;
  waitMs: number;
}

/** The rollup cell a call falls in, and what it adds there. */
export interface QueueCell {
  day: string;
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWaitMs: number;
  abandonedWaitMs: number;
}

/** The one definition of what a call adds to `rollup_queue`, for intake and rebuild alike. */
export function queueCellOf(call: QueueCall): QueueCell {
  const { day, hour } = seoulDayHour(new Date(call.arrivedAt));
  const answered = call.answered ? 1 : 0;
  return {
    day,
    hour,
    offered: 1,
    answered,
    abandoned: 1 - answered,
    answeredWaitMs: call.answered ? call.waitMs : 0,
    abandonedWaitMs: call.answered ? 0 : call.waitMs,
  };
}

/** A row Kamailio left unfinished this long was lost by it (restarted mid-call, a failed write): a call's dialog lives 12 h at most. */
export const STALE_QUEUE_MS = 12 * 3_600_000;
const TAKE_BATCH = 500;
const REBUILD_PAGE = 5_000;

const ADD_TO_CELL = `INSERT INTO rollup_queue(day, hour, offered, answered, abandoned, answered_wait_ms, abandoned_wait_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(day, hour) DO UPDATE SET offered = rollup_queue.offered + excluded.offered, answered = rollup_queue.answered + excluded.answered,
    abandoned = rollup_queue.abandoned + excluded.abandoned, answered_wait_ms = rollup_queue.answered_wait_ms + excluded.answered_wait_ms,
    abandoned_wait_ms = rollup_queue.abandoned_wait_ms + excluded.abandoned_wait_ms`;

const addToCell = (tx: Db, c: QueueCell) => tx.run(ADD_TO_CELL, [c.day, c.hour, c.offered, c.answered, c.abandoned, c.answeredWaitMs, c.abandonedWaitMs]);

interface LogRow {
  call_id: string;
  // BIGINT on PostgreSQL, which the driver gives as text.
  arrived: number | string;
  answered: number | string | null;
  gone: number | string | null;
}

function callOf(row: LogRow): QueueCall {
  const arrived = Number(row.arrived);
  const answered = row.answered !== null;
  const end = answered ? row.answered : row.gone;
  return {
    arrivedAt: new Date(arrived).toISOString(),
    answered,
    // A stale row's wait is unknown: it counts as abandoned and adds nothing to the waits. A clock
    // stepped back between arrival and end (NTP) gives no negative wait.
    waitMs: end === null ? 0 : Math.max(0, Number(end) - arrived),
  };
}

/**
 * Takes the SIP server's finished queue log rows (and those left unfinished past STALE_QUEUE_MS)
 * into `queue_calls` and `rollup_queue` in one city transaction, then deletes them from the log.
 * A call taken again (a crash before the delete, two server instances) counts once: only a call
 * newly inserted adds to the rollup.
 */
export async function takeQueueLog(o: { db: Db; sip: Db }, now: Date): Promise<void> {
  const rows = await o.sip.all<LogRow>('SELECT call_id, arrived, answered, gone FROM queue_log WHERE answered IS NOT NULL OR gone IS NOT NULL OR arrived < ? ORDER BY arrived LIMIT ?', [
    now.getTime() - STALE_QUEUE_MS,
    TAKE_BATCH,
  ]);
  if (rows.length === 0) return;
  await o.db.write(async (tx) => {
    for (const row of rows) {
      const call = callOf(row);
      const inserted = await tx.run('INSERT INTO queue_calls(call_id, arrived_at, answered, wait_ms) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) DO NOTHING', [
        row.call_id,
        call.arrivedAt,
        call.answered ? 1 : 0,
        call.waitMs,
      ]);
      if (inserted === 1) await addToCell(tx, queueCellOf(call));
    }
  });
  await o.sip.run(`DELETE FROM queue_log WHERE call_id IN (${rows.map(() => '?').join(', ')})`, rows.map((r) => r.call_id));
}

const MEASURES = ['offered', 'answered', 'abandoned', 'answeredWaitMs', 'abandonedWaitMs'] as const;

/** The rollup `queue_calls` implies, by `day hour`: summed here, one row per cell, not one statement per call of all the years kept. */
async function impliedCells(tx: Db): Promise<Map<string, QueueCell>> {
  const cells = new Map<string, QueueCell>();
  for (let after = ''; ; ) {
    const page = await tx.all<{ call_id: string; arrived_at: string; answered: number; wait_ms: number }>(
      'SELECT call_id, arrived_at, answered, wait_ms FROM queue_calls WHERE call_id > ? ORDER BY call_id LIMIT ?',
      [after, REBUILD_PAGE],
    );
    for (const r of page) {
      const c = queueCellOf({ arrivedAt: r.arrived_at, answered: Number(r.answered) === 1, waitMs: Number(r.wait_ms) });
      const key = `${c.day} ${c.hour}`;
      const sum = cells.get(key);
      if (sum) for (const m of MEASURES) sum[m] += c[m];
      else cells.set(key, c);
    }
    if (page.length < REBUILD_PAGE) break;
    after = (page[page.length - 1] as { call_id: string }).call_id;
  }
  return cells;
}

/** Where `rollup_queue` and what `queue_calls` implies disagree, one line per cell. */
export async function queueDifferences(tx: Db): Promise<string[]> {
  const implied = await impliedCells(tx);
  const kept = await tx.all<Record<string, string | number>>('SELECT day, hour, offered, answered, abandoned, answered_wait_ms, abandoned_wait_ms FROM rollup_queue');
  const out: string[] = [];
  const show = (c: QueueCell | undefined) => (c ? MEASURES.map((m) => c[m]).join('/') : 'none');
  for (const r of kept) {
    const key = `${r.day} ${Number(r.hour)}`;
    const cell: QueueCell = { day: String(r.day), hour: Number(r.hour), offered: Number(r.offered), answered: Number(r.answered), abandoned: Number(r.abandoned), answeredWaitMs: Number(r.answered_wait_ms), abandonedWaitMs: Number(r.abandoned_wait_ms) };
    if (show(cell) !== show(implied.get(key))) out.push(`queue ${key}: kept ${show(cell)}, calls give ${show(implied.get(key))}`);
    implied.delete(key);
  }
  for (const [key, c] of implied) out.push(`queue ${key}: kept none, calls give ${show(c)}`);
  return out;
}

/** Rebuilds `rollup_queue` from `queue_calls` (joining the caller's transaction when given one). */
export async function rebuildQueueRollup(db: Db): Promise<void> {
  await db.write(async (tx) => {
    const cells = await impliedCells(tx);
    await tx.run('DELETE FROM rollup_queue');
    for (const c of cells.values()) await addToCell(tx, c);
  });
}
