import {
  addMeasures,
  emptyMeasures,
  handleSecondsOf,
  MIN_CELL_CITIZENS,
  periodOf,
  periodsOf,
  previousPeriod,
  shareOf,
  topCategoryOf,
  weekdayOf,
  type AnalyticsQuery,
  type Dashboard,
  type DrillAnswer,
  type Measures,
} from '../../shared/analytics';
import { CALLBACK_SOURCES } from '../../shared/callback';
import type { Channel, Outcome } from '../../shared/record';
import { seoulDayBounds, seoulDayHour } from '../../shared/seoul-time';
import { missGroups } from './knowledge-gaps';
import { measuresOfRow, type MeasureRow } from './rollups';
import type { Db, SqlParam } from './sql';

/**
 * The dashboard's figures, read from the rollups kept at intake (server/store/rollups.ts): a year
 * is a few tens of thousands of rollup rows, however many records it had.
 */

const TOP_RISING = 10;
const TOP_LIST = 15;

/** `day BETWEEN ? AND ? AND channel IN (…)` and its parameters. */
function range(from: string, to: string, channels: readonly Channel[]): { sql: string; params: SqlParam[] } {
  return { sql: `day >= ? AND day <= ? AND channel IN (${channels.map(() => '?').join(', ')})`, params: [from, to, ...channels] };
}

const byCount = <T extends { n: number }>(rows: T[], key: (r: T) => string) => rows.sort((a, b) => b.n - a.n || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Sums per key. */
function sumBy<T>(rows: readonly T[], key: (r: T) => string, n: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + n(r));
  return out;
}

/** What rose most: each key's share now against before, keys counted at least MIN_CELL_CITIZENS times now. */
function rising(now: Map<string, number>, before: Map<string, number>, total: number, previousTotal: number): Dashboard['rising']['categories'] {
  // Without consultations before, nothing rose: there is nothing to compare with.
  if (previousTotal === 0) return [];
  return [...now]
    .filter(([, n]) => n >= MIN_CELL_CITIZENS)
    .map(([key, n]) => {
      const previousN = before.get(key) ?? 0;
      const share = shareOf(n, total);
      const previousShare = shareOf(previousN, previousTotal);
      return { key, n, previousN, share, previousShare, change: (share ?? 0) - (previousShare ?? 0) };
    })
    .filter((r) => r.change > 0)
    .sort((a, b) => b.change - a.change || b.n - a.n || (a.key < b.key ? -1 : 1))
    .slice(0, TOP_RISING);
}

/** Everything the dashboard shows for a question. */
export async function dashboard(db: Db, q: AnalyticsQuery): Promise<Dashboard> {
  const previous = previousPeriod(q.from, q.to);
  const both = range(previous.from, q.to, q.channels);
  const cur = range(q.from, q.to, q.channels);
  return db.read(async (tx) => {
    const dayRows = await tx.all<MeasureRow>(
      `SELECT day, category, SUM(consultations) AS consultations, SUM(answered) AS answered, SUM(transferred) AS transferred, SUM(callbacks) AS callbacks,
         SUM(complaints) AS complaints, SUM(repeats) AS repeats, SUM(answered_first) AS answered_first, SUM(handle_seconds) AS handle_seconds
       FROM rollup_days WHERE ${both.sql} GROUP BY day, category`,
      both.params,
    );
    const inRange = dayRows.filter((r) => r.day >= q.from);
    const before = dayRows.filter((r) => r.day < q.from);

    const totals = emptyMeasures();
    const byCategory = new Map<string, Measures>();
    for (const r of inRange) {
      const m = measuresOfRow(r);
      addMeasures(totals, m);
      addMeasures(byCategory.get(r.category) ?? byCategory.set(r.category, emptyMeasures()).get(r.category)!, m);
    }

    // Volume by period and top category.
    const periods = periodsOf(q.from, q.to, q.grain);
    const index = new Map(periods.map((p, i) => [p, i]));
    const series = new Map<string, number[]>();
    for (const r of inRange) {
      const top = topCategoryOf(r.category);
      const counts = series.get(top) ?? series.set(top, periods.map(() => 0)).get(top)!;
      const i = index.get(periodOf(r.day, q.grain))!;
      counts[i] = (counts[i] ?? 0) + Number(r.consultations);
    }
    const volume = {
      periods,
      series: byCount(
        [...series].map(([category, counts]) => {
          const n = counts.reduce((a, b) => a + b, 0);
          return { category, counts, n, share: shareOf(n, totals.consultations) };
        }),
        (s) => s.category,
      ),
    };

    const subcategories = byCount(
      [...byCategory].map(([category, m]) => ({ category, n: m.consultations, share: shareOf(m.consultations, totals.consultations) })),
      (r) => r.category,
    );

    // Outcomes by top category.
    const byTop = new Map<string, Measures>();
    for (const [category, m] of byCategory) addMeasures(byTop.get(topCategoryOf(category)) ?? byTop.set(topCategoryOf(category), emptyMeasures()).get(topCategoryOf(category))!, m);
    const outcomes = [...byTop]
      .map(([category, m]) => ({
        category,
        ...m,
        fcr: shareOf(m.answeredFirst, m.consultations),
        averageHandleSeconds: m.consultations ? m.handleSeconds / m.consultations : null,
        unresolvedShare: shareOf(m.consultations - m.answered, m.consultations),
      }))
      .sort((a, b) => b.consultations - a.consultations || (a.category < b.category ? -1 : 1));

    const repeats = [...byCategory]
      .filter(([, m]) => m.repeats > 0)
      .map(([category, m]) => ({ category, n: m.repeats, consultations: m.consultations, share: shareOf(m.repeats, m.consultations) }))
      .sort((a, b) => b.n - a.n || (a.category < b.category ? -1 : 1))
      .slice(0, TOP_LIST);

    // Heatmap: consultations by Seoul weekday and hour, and the calls offered to the queue.
    const heat = new Map<string, { weekday: number; hour: number; consultations: number; offered: number; abandoned: number }>();
    const heatCell = (day: string, hour: number) => {
      const weekday = weekdayOf(day);
      const key = `${weekday}:${hour}`;
      return heat.get(key) ?? heat.set(key, { weekday, hour, consultations: 0, offered: 0, abandoned: 0 }).get(key)!;
    };
    for (const r of await tx.all<{ day: string; hour: number; n: number }>(`SELECT day, hour, SUM(n) AS n FROM rollup_hours WHERE ${cur.sql} GROUP BY day, hour`, cur.params)) {
      heatCell(r.day, Number(r.hour)).consultations += Number(r.n);
    }
    // The queue is of calls: it counts when calls are asked about.
    const queueRows = q.channels.includes('call')
      ? await tx.all<{ day: string; hour: number; offered: number; answered: number; abandoned: number; answered_wait_ms: number; abandoned_wait_ms: number }>(
          'SELECT day, hour, offered, answered, abandoned, answered_wait_ms, abandoned_wait_ms FROM rollup_queue WHERE day >= ? AND day <= ?',
          [q.from, q.to],
        )
      : [];
    const queue = { offered: 0, answered: 0, abandoned: 0, answeredWaitMs: 0, abandonedWaitMs: 0 };
    for (const r of queueRows) {
      const cell = heatCell(r.day, Number(r.hour));
      cell.offered += Number(r.offered);
      cell.abandoned += Number(r.abandoned);
      queue.offered += Number(r.offered);
      queue.answered += Number(r.answered);
      queue.abandoned += Number(r.abandoned);
      queue.answeredWaitMs += Number(r.answered_wait_ms);
      queue.abandonedWaitMs += Number(r.abandoned_wait_ms);
    }
    const heatmap = [...heat.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);

    const transferRows = await tx.all<{ department: string; n: number }>(`SELECT department, SUM(n) AS n FROM rollup_transfers WHERE ${cur.sql} GROUP BY department`, cur.params);
    const transferred = transferRows.reduce((a, r) => a + Number(r.n), 0);
    const transfers = byCount(
      transferRows.map((r) => ({ key: r.department, n: Number(r.n), share: shareOf(Number(r.n), transferred) })),
      (r) => r.key,
    );

    // Callbacks asked for in the range (Seoul days), by where they came from and how they stand.
    const callbackRows = await tx.all<{ sources: string; state: string }>('SELECT sources, state FROM callbacks WHERE asked_at >= ? AND asked_at < ?', [
      seoulDayBounds(q.from).from.toISOString(),
      seoulDayBounds(q.to).to.toISOString(),
    ]);
    const bySource = sumBy(
      callbackRows.flatMap((r) => JSON.parse(r.sources) as string[]),
      (s) => s,
      () => 1,
    );
    const callbacks = {
      requested: callbackRows.length,
      bySource: CALLBACK_SOURCES.filter((s) => bySource.has(s)).map((key) => ({ key, n: bySource.get(key)! })),
      byState: byCount(
        [...sumBy(callbackRows, (r) => r.state, () => 1)].map(([key, n]) => ({ key, n })),
        (r) => r.key,
      ),
    };

    // Rising: categories and the notes' words, this period's share against the one before.
    const previousTotal = before.reduce((a, r) => a + Number(r.consultations), 0);
    const terms = async (r: { sql: string; params: SqlParam[] }) => sumBy(await tx.all<{ term: string; n: number }>(`SELECT term, SUM(n) AS n FROM rollup_terms WHERE ${r.sql} GROUP BY term`, r.params), (t) => t.term, (t) => Number(t.n));
    const risingTopics = {
      categories: rising(
        sumBy(inRange, (r) => r.category, (r) => Number(r.consultations)),
        sumBy(before, (r) => r.category, (r) => Number(r.consultations)),
        totals.consultations,
        previousTotal,
      ),
      keywords: rising(await terms(cur), await terms(range(previous.from, previous.to, q.channels)), totals.consultations,
        previousTotal,
      ),
    };

    // Districts, where the wrap-up recorded one.
    const districtRows = await tx.all<{ district: string; category: string; n: number }>(
      `SELECT district, top_category AS category, SUM(n) AS n FROM rollup_districts WHERE ${cur.sql} GROUP BY district, top_category`,
      cur.params,
    );
    const recorded = districtRows.reduce((a, r) => a + Number(r.n), 0);
    const districtTops = new Map<string, Map<string, number>>();
    for (const r of districtRows) {
      const tops = districtTops.get(r.district) ?? districtTops.set(r.district, new Map()).get(r.district)!;
      tops.set(r.category, (tops.get(r.category) ?? 0) + Number(r.n));
    }
    const districts = {
      recorded,
      rows: byCount(
        [...districtTops].map(([district, tops]) => {
          const n = [...tops.values()].reduce((a, b) => a + b, 0);
          const top = [...tops].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
          return { district, n, share: shareOf(n, recorded), topCategory: top ? top[0] : null };
        }),
        (r) => r.district,
      ),
    };

    // The manual's coverage: what agents searched for and did not find, and the entries records used most.
    const gaps = await missGroups(tx, { from: seoulDayBounds(q.from).from.toISOString(), to: seoulDayBounds(q.to).to.toISOString() });
    const entryRows = await tx.all<{ entry_id: string; title: string | null; n: number }>(
      `SELECT u.entry_id, e.title, u.n FROM (SELECT entry_id, SUM(n) AS n FROM rollup_entries WHERE ${cur.sql} GROUP BY entry_id) u
       LEFT JOIN manual_entries e ON e.id = u.entry_id ORDER BY u.n DESC, u.entry_id LIMIT ?`,
      [...cur.params, TOP_LIST],
    );

    return {
      query: { from: q.from, to: q.to, channels: [...q.channels], grain: q.grain },
      previous,
      totals: {
        ...totals,
        fcr: shareOf(totals.answeredFirst, totals.consultations),
        averageHandleSeconds: totals.consultations ? totals.handleSeconds / totals.consultations : null,
        repeatShare: shareOf(totals.repeats, totals.consultations),
      },
      volume,
      subcategories,
      heatmap,
      queue: {
        offered: queue.offered,
        answered: queue.answered,
        abandoned: queue.abandoned,
        abandonShare: shareOf(queue.abandoned, queue.offered),
        averageWaitSeconds: queue.answered ? queue.answeredWaitMs / queue.answered / 1000 : null,
        averageAbandonSeconds: queue.abandoned ? queue.abandonedWaitMs / queue.abandoned / 1000 : null,
      },
      outcomes,
      transfers,
      callbacks,
      repeats,
      rising: risingTopics,
      districts,
      coverage: {
        gaps: gaps.groups.slice(0, TOP_LIST).map((g) => ({ label: g.label, searches: g.count, category: g.category })),
        entries: entryRows.map((r) => ({ entryId: r.entry_id, title: r.title, n: Number(r.n) })),
      },
    };
  });
}

/** A cell of the dashboard to open: its range and channels, and any of category, district, weekday and hour. */
export interface DrillQuery extends AnalyticsQuery {
  category?: string;
  district?: string;
  weekday?: number;
  hour?: number;
  limit: number;
}

/**
 * The records behind a cell, newest first: what a lead or an analyst opens from a chart. A
 * category names a `name/sub` or a whole top category.
 */
export async function drillDown(db: Db, q: DrillQuery, withNotes: boolean): Promise<DrillAnswer> {
  const params: SqlParam[] = [seoulDayBounds(q.from).from.getTime(), seoulDayBounds(q.to).to.getTime(), ...q.channels];
  let filter = '';
  // A name, or any `name/…` under it.
  for (const [column, value] of [['category', q.category], ['district', q.district]] as const) {
    if (value === undefined) continue;
    filter += ` AND (${column} = ? OR ${column} LIKE ? ESCAPE '\\')`;
    params.push(value, `${value.replace(/[%_\\]/g, '\\$&')}/%`);
  }
  const rows = await db.all<{ started_at: string; ended_at: string; category: string; channel: Channel; outcome: Outcome; district: string | null; department: string | null; is_repeat: number; notes: string }>(
    `SELECT started_at, ended_at, category, channel, outcome, district, department, is_repeat, notes FROM records
     WHERE started_ms >= ? AND started_ms < ? AND channel IN (${q.channels.map(() => '?').join(', ')})${filter} ORDER BY started_ms DESC, id`,
    params,
  );
  const kept =
    q.weekday === undefined && q.hour === undefined
      ? rows
      : rows.filter((r) => {
          const { day, hour } = seoulDayHour(new Date(r.started_at));
          return (q.weekday === undefined || weekdayOf(day) === q.weekday) && (q.hour === undefined || hour === q.hour);
        });
  return {
    total: kept.length,
    records: kept.slice(0, q.limit).map((r) => ({
      startedAt: r.started_at,
      category: r.category,
      channel: r.channel,
      outcome: r.outcome,
      district: r.district,
      department: r.department,
      handleSeconds: handleSecondsOf(r.started_at, r.ended_at),
      repeat: r.is_repeat === 1,
      ...(withNotes ? { notes: r.notes } : {}),
    })),
  };
}
