import { expect } from 'vitest';
import type { AnalyticsQuery, Dashboard } from '../../shared/analytics';
import { generateConsultations, type GeneratedConsultation } from '../../server/demo/consultations';

export { RISING_WORD } from '../../server/demo/consultations';

/**
 * The analysis's golden data set: consultation records generated from a fixed seed, and the
 * figures they give computed here the plain way (record by record, with Intl's Asia/Seoul
 * calendar), independently of the server's rollups and queries.
 */

export type GoldenRecord = GeneratedConsultation;
export const goldenRecords = (o: { seed: number; from: string; days: number; n: number }): GoldenRecord[] => generateConsultations(o);

// ---- The figures, the plain way -----------------------------------------------------------------

const seoulParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });

/** Seoul's calendar day, hour and weekday (Monday 0) of an instant, by Intl. */
export function seoulOf(iso: string): { day: string; hour: number; weekday: number } {
  const p = Object.fromEntries(seoulParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday as string) };
}

export interface Plain {
  id: string;
  caller: string | null;
  at: number;
  day: string;
  hour: number;
  weekday: number;
  category: string;
  top: string;
  channel: string;
  outcome: string;
  department: string | null;
  district: string | null;
  seconds: number;
  repeat: boolean;
  entries: string[];
  notes: string;
}

/** Every record with its Seoul cell and whether it is a repeat (same number, same category, within the 168 hours before). */
export function plainRecords(records: readonly GoldenRecord[]): Plain[] {
  const rows = records.map(({ draft: d }) => {
    const s = seoulOf(d.startedAt);
    const digits = d.callerNumber.replace(/\D/g, '');
    return {
      id: d.id,
      caller: digits ? `+82${digits.slice(1)}` : null,
      at: Date.parse(d.startedAt),
      ...s,
      category: d.category,
      top: d.category.split('/')[0] as string,
      channel: d.channel ?? 'call',
      outcome: d.outcome,
      department: d.department ?? null,
      district: d.district ?? null,
      seconds: Math.max(0, Math.round((Date.parse(d.endedAt) - Date.parse(d.startedAt)) / 1000)),
      repeat: false,
      entries: [...new Set(d.manualIds)],
      notes: d.notes,
    };
  });
  for (const x of rows) {
    x.repeat = x.caller !== null && rows.some((y) => y !== x && y.caller === x.caller && y.category === x.category && (y.at < x.at || (y.at === x.at && y.id < x.id)) && x.at - y.at <= 7 * 86_400_000);
  }
  return rows;
}

/** Counts of `rows` by a key. */
export function countBy<T>(rows: readonly T[], key: (r: T) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Distinct citizens of `rows` by a key (a withheld number is a citizen of its own). */
export function citizensBy<T extends Plain>(rows: readonly T[], key: (r: T) => string | null): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    (sets.get(k) ?? sets.set(k, new Set()).get(k)!).add(r.caller ?? `withheld:${r.id}`);
  }
  return new Map([...sets].map(([k, s]) => [k, s.size]));
}

export const inRange = (q: { from: string; to: string; channels: readonly string[] }) => (r: Plain) => r.day >= q.from && r.day <= q.to && q.channels.includes(r.channel);
const sum = (rows: readonly Plain[], f: (r: Plain) => number) => rows.reduce((a, r) => a + f(r), 0);
export const mondayOf = (r: Plain) => new Date(Date.parse(`${r.day}T00:00:00Z`) - r.weekday * 86_400_000).toISOString().slice(0, 10);
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

/** Checks every figure of a dashboard against the plain computation over `all` (the records the city has). */
export function expectFigures(d: Dashboard, q: AnalyticsQuery, all: readonly Plain[]): void {
  const rows = all.filter(inRange(q));
  const answered = (r: Plain) => r.outcome === 'answered';
  expect(d.totals).toMatchObject({
    consultations: rows.length,
    answered: rows.filter(answered).length,
    transferred: rows.filter((r) => r.outcome === 'transferred').length,
    callbacks: rows.filter((r) => r.outcome === 'callback').length,
    complaints: rows.filter((r) => r.outcome === 'complaint').length,
    repeats: rows.filter((r) => r.repeat).length,
    answeredFirst: rows.filter((r) => answered(r) && !r.repeat).length,
    handleSeconds: sum(rows, (r) => r.seconds),
  });
  expect(d.totals.fcr).toBeCloseTo(rows.filter((r) => answered(r) && !r.repeat).length / rows.length, 10);

  // Volume: days, weeks named by their Monday, or months.
  const periodOf = (r: Plain) => (q.grain === 'day' ? r.day : q.grain === 'week' ? mondayOf(r) : r.day.slice(0, 7));
  const byPeriod = countBy(rows, (r) => `${periodOf(r)}|${r.top}`);
  for (const s of d.volume.series) d.volume.periods.forEach((p, i) => expect([p, s.category, s.counts[i]]).toEqual([p, s.category, byPeriod.get(`${p}|${s.category}`) ?? 0]));
  expect(d.volume.series.map((s) => [s.category, s.n])).toEqual(sorted(countBy(rows, (r) => r.top)));

  expect(d.subcategories.map((s) => [s.category, s.n])).toEqual(sorted(countBy(rows, (r) => r.category)));
  const heat = countBy(rows, (r) => `${r.weekday}:${r.hour}`);
  expect(Object.fromEntries(d.heatmap.filter((h) => h.consultations > 0).map((h) => [`${h.weekday}:${h.hour}`, h.consultations]))).toEqual(Object.fromEntries(heat));

  for (const o of d.outcomes) {
    const mine = rows.filter((r) => r.top === o.category);
    expect([o.category, o.consultations, o.answered, o.transferred, o.repeats, o.answeredFirst, o.handleSeconds]).toEqual([
      o.category,
      mine.length,
      mine.filter(answered).length,
      mine.filter((r) => r.outcome === 'transferred').length,
      mine.filter((r) => r.repeat).length,
      mine.filter((r) => answered(r) && !r.repeat).length,
      sum(mine, (r) => r.seconds),
    ]);
  }
  expect(d.transfers.map((t) => [t.key, t.n])).toEqual(sorted(countBy(rows, (r) => (r.outcome === 'transferred' ? r.department : null))));
  expect(d.repeats.map((r) => [r.category, r.n])).toEqual(sorted(countBy(rows, (r) => (r.repeat ? r.category : null))).slice(0, 15));
  expect(d.districts.recorded).toBe(rows.filter((r) => r.district).length);
  expect(d.districts.rows.map((r) => [r.district, r.n])).toEqual(sorted(countBy(rows, (r) => r.district)));
  const entries = new Map<string, number>();
  for (const r of rows) for (const e of r.entries) entries.set(e, (entries.get(e) ?? 0) + 1);
  expect(d.coverage.entries.map((e) => [e.entryId, e.n])).toEqual(sorted(entries));

  // Rising, against the 30 days before.
  const before = all.filter(inRange({ ...q, ...d.previous }));
  const now = countBy(rows, (r) => r.category);
  const then = countBy(before, (r) => r.category);
  // Nothing rises against a period without consultations.
  const expected = [...now]
    .filter(([, n]) => n >= 5 && before.length > 0)
    .map(([k, n]) => ({ k, n, change: n / rows.length - (then.get(k) ?? 0) / before.length }))
    .filter((x) => x.change > 0)
    .sort((a, b) => b.change - a.change || b.n - a.n || (a.k < b.k ? -1 : 1))
    .slice(0, 10);
  expect(d.rising.categories.map((c) => [c.key, c.n, c.previousN])).toEqual(expected.map((x) => [x.k, x.n, then.get(x.k) ?? 0]));
  d.rising.categories.forEach((c, i) => expect(c.change).toBeCloseTo(expected[i]!.change, 12));
}
