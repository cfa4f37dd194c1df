import { noteTerms, periodOf, topCategoryOf, weekdayOf, type AnalyticsQuery } from '../../shared/analytics';
import type { Channel, Outcome } from '../../shared/record';
import { seoulDayBounds, seoulDayHour } from '../../shared/seoul-time';
import type { Db } from '../store/sql';

/**
 * How many citizens stand behind each cell an export publishes: counted from the raw records of
 * the range (a withheld number counts as a citizen of its own), so a cell of many consultations by
 * two people is still suppressed. The exported numbers themselves come from the rollups.
 */

/** A cell's name: its table and coordinates, e.g. `volume|2026-11|상수도`. */
export type CellKey = string;
export const cellKey = (...parts: readonly (string | number)[]): CellKey => parts.join('|');

/** The measures of the outcomes table, as record fields decide them. */
export const OUTCOME_MEASURES = ['consultations', 'answered', 'transferred', 'callbacks', 'complaints', 'repeats', 'answeredFirst'] as const;
type OutcomeMeasure = (typeof OUTCOME_MEASURES)[number];

function measuresHit(outcome: Outcome, repeat: boolean): OutcomeMeasure[] {
  const hit: OutcomeMeasure[] = ['consultations'];
  hit.push(({ answered: 'answered', transferred: 'transferred', callback: 'callbacks', complaint: 'complaints' } as const)[outcome]);
  if (repeat) hit.push('repeats');
  if (outcome === 'answered' && !repeat) hit.push('answeredFirst');
  return hit;
}

/** Every cell a record counts in (the export tables' cells). */
export function cellsOfRecord(
  r: { startedAt: string; category: string; outcome: Outcome; department: string | null; district: string | null; repeat: boolean; manualIds: readonly string[]; notes: string },
  q: Pick<AnalyticsQuery, 'grain'>,
): CellKey[] {
  const { day, hour } = seoulDayHour(new Date(r.startedAt));
  const top = topCategoryOf(r.category);
  const period = periodOf(day, q.grain);
  const cells = [
    cellKey('total'),
    cellKey('volume', period, top),
    cellKey('volume', period, '*'),
    cellKey('subcategory', r.category),
    cellKey('heat', weekdayOf(day), hour),
    ...measuresHit(r.outcome, r.repeat).map((m) => cellKey('outcome', top, m)),
    cellKey('rising', r.category),
    ...noteTerms(r.notes).map((t) => cellKey('keyword', t)),
    ...[...new Set(r.manualIds)].map((e) => cellKey('entry', e)),
  ];
  if (r.outcome === 'transferred' && r.department) cells.push(cellKey('transfer', r.department));
  if (r.repeat) cells.push(cellKey('repeat', r.category));
  if (r.district) cells.push(cellKey('district', r.district));
  return cells;
}

/** Distinct citizens per cell of the export of `q`. */
export async function citizensPerCell(db: Db, q: AnalyticsQuery): Promise<Map<CellKey, number>> {
  const from = seoulDayBounds(q.from).from.getTime();
  const to = seoulDayBounds(q.to).to.getTime();
  const rows = await db.all<{ id: string; caller_e164: string | null; started_at: string; category: string; channel: Channel; outcome: Outcome; department: string | null; district: string | null; is_repeat: number; manual_ids: string; notes: string }>(
    `SELECT id, caller_e164, started_at, category, channel, outcome, department, district, is_repeat, manual_ids, notes FROM records
     WHERE started_ms >= ? AND started_ms < ? AND channel IN (${q.channels.map(() => '?').join(', ')})`,
    [from, to, ...q.channels],
  );
  const people = new Map<CellKey, Set<string>>();
  for (const r of rows) {
    const who = r.caller_e164 ?? `withheld:${r.id}`;
    const cells = cellsOfRecord({ startedAt: r.started_at, category: r.category, outcome: r.outcome, department: r.department, district: r.district, repeat: r.is_repeat === 1, manualIds: JSON.parse(r.manual_ids) as string[], notes: r.notes }, q);
    for (const c of cells) (people.get(c) ?? people.set(c, new Set()).get(c)!).add(who);
  }
  // Callbacks asked for in the range, by source and state, by their numbers.
  const callbacks = await db.all<{ number_e164: string; sources: string; state: string }>('SELECT number_e164, sources, state FROM callbacks WHERE asked_at >= ? AND asked_at < ?', [
    new Date(from).toISOString(),
    new Date(to).toISOString(),
  ]);
  for (const c of callbacks) {
    for (const key of [cellKey('callbacks'), ...(JSON.parse(c.sources) as string[]).map((s) => cellKey('callback-source', s)), cellKey('callback-state', c.state)]) {
      (people.get(key) ?? people.set(key, new Set()).get(key)!).add(c.number_e164);
    }
  }
  return new Map([...people].map(([k, s]) => [k, s.size]));
}
