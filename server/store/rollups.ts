import { addMeasures, emptyMeasures, handleSecondsOf, measuresOf, noteTerms, REPEAT_WINDOW_MS, topCategoryOf, type Measures } from '../../shared/analytics';
import type { Channel, Outcome } from '../../shared/record';
import { seoulDay, seoulDayBounds, seoulDayHour } from '../../shared/seoul-time';
import { queueDifferences, rebuildQueueRollup } from './queue-log';
import type { Db, SqlParam } from './sql';

/**
 * The analysis's rollups, kept at intake in the intake's transaction: per Seoul day × hour ×
 * category × channel × district (`rollup_cells`), per day × category × channel (`rollup_days`,
 * what the time series read), transfers by department, the notes' Korean terms and the entries
 * linked. One function (`contributionsOf`) says what a record adds, for intake and rebuild alike.
 */

/** A record as the rollups read it. */
export interface RollupRecord {
  id: string;
  callerE164: string | null;
  startedAt: string;
  endedAt: string;
  category: string;
  channel: Channel;
  district: string | null;
  outcome: Outcome;
  department: string | null;
  manualIds: readonly string[];
  notes: string;
  repeat: boolean;
}

interface Contribution {
  cell: readonly [day: string, hour: number, category: string, channel: string, district: string];
  measures: Measures;
  transfer: string | null;
  terms: string[];
  entries: string[];
}

/** What one record adds to the rollups. */
export function contributionsOf(r: RollupRecord): Contribution {
  const { day, hour } = seoulDayHour(new Date(r.startedAt));
  return {
    cell: [day, hour, r.category, r.channel, r.district ?? ''],
    measures: measuresOf({ outcome: r.outcome, repeat: r.repeat, handleSeconds: handleSecondsOf(r.startedAt, r.endedAt) }),
    transfer: r.outcome === 'transferred' && r.department ? r.department : null,
    // Each term and entry once per record: the rollups count records that mention them.
    terms: noteTerms(r.notes),
    entries: [...new Set(r.manualIds)],
  };
}

/** A rollup row of measures, as either engine returns it (PostgreSQL's sums and BIGINTs come as strings). */
export interface MeasureRow {
  day: string;
  category: string;
  channel: string;
  consultations: number | string;
  answered: number | string;
  transferred: number | string;
  callbacks: number | string;
  complaints: number | string;
  repeats: number | string;
  answered_first: number | string;
  handle_seconds: number | string;
}

export const measuresOfRow = (r: MeasureRow): Measures => ({
  consultations: Number(r.consultations),
  answered: Number(r.answered),
  transferred: Number(r.transferred),
  callbacks: Number(r.callbacks),
  complaints: Number(r.complaints),
  repeats: Number(r.repeats),
  answeredFirst: Number(r.answered_first),
  handleSeconds: Number(r.handle_seconds),
});

const MEASURE_COLUMNS = ['consultations', 'answered', 'transferred', 'callbacks', 'complaints', 'repeats', 'answered_first', 'handle_seconds'] as const;
const measureValues = (m: Measures): number[] => [m.consultations, m.answered, m.transferred, m.callbacks, m.complaints, m.repeats, m.answeredFirst, m.handleSeconds];

const upsertMeasures = (table: string, keys: readonly string[]) => `
  INSERT INTO ${table}(${[...keys, ...MEASURE_COLUMNS].join(', ')}) VALUES (${[...keys, ...MEASURE_COLUMNS].map(() => '?').join(', ')})
  ON CONFLICT(${keys.join(', ')}) DO UPDATE SET ${MEASURE_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;
const UPSERT_CELL = upsertMeasures('rollup_cells', ['day', 'hour', 'category', 'channel', 'district']);
const UPSERT_DAY = upsertMeasures('rollup_days', ['day', 'category', 'channel']);
const upsertCount = (table: string, keys: readonly string[]) =>
  `INSERT INTO ${table}(${keys.join(', ')}, n) VALUES (${keys.map(() => '?').join(', ')}, ?) ON CONFLICT(${keys.join(', ')}) DO UPDATE SET n = ${table}.n + excluded.n`;
const UPSERT_HOUR = upsertCount('rollup_hours', ['day', 'hour', 'channel']);
const UPSERT_DISTRICT = upsertCount('rollup_districts', ['day', 'district', 'top_category', 'channel']);
const UPSERT_TRANSFER = upsertCount('rollup_transfers', ['day', 'category', 'channel', 'department']);
const UPSERT_TERM = upsertCount('rollup_terms', ['day', 'channel', 'term']);
const UPSERT_ENTRY = upsertCount('rollup_entries', ['day', 'channel', 'entry_id']);

async function addMeasuresAt(tx: Db, cell: Contribution['cell'], m: Measures): Promise<void> {
  const [day, , category, channel] = cell;
  await tx.run(UPSERT_CELL, [...cell, ...measureValues(m)]);
  await tx.run(UPSERT_DAY, [day, category, channel, ...measureValues(m)]);
}

/** Adds a newly stored record to the rollups (in the intake's transaction). */
export async function addToRollups(tx: Db, r: RollupRecord): Promise<void> {
  const c = contributionsOf(r);
  const [day, hour, category, channel, district] = c.cell;
  await addMeasuresAt(tx, c.cell, c.measures);
  await tx.run(UPSERT_HOUR, [day, hour, channel, 1]);
  if (district) await tx.run(UPSERT_DISTRICT, [day, district, topCategoryOf(category), channel, 1]);
  if (c.transfer) await tx.run(UPSERT_TRANSFER, [day, category, channel, c.transfer, 1]);
  for (const term of c.terms) await tx.run(UPSERT_TERM, [day, channel, term, 1]);
  for (const entry of c.entries) await tx.run(UPSERT_ENTRY, [day, channel, entry, 1]);
}

/** Whether a consultation at `at` follows one at `before` closely enough to be its repeat (ties go by id, so exactly one of two is first). */
const follows = (at: { t: number; id: string }, before: { t: number; id: string }): boolean =>
  (before.t < at.t || (before.t === at.t && before.id < at.id)) && at.t - before.t <= REPEAT_WINDOW_MS;

/**
 * Whether the record just stored is a repeat, and the later ones of the same number and category
 * it makes repeats (a record that arrives late through a desk's outbox comes before others).
 * Marks them, and moves their rollups from first contact to repeat. Both lookups stay inside the
 * window on an index, however often a number calls.
 */
export async function settleRepeats(tx: Db, r: { id: string; callerE164: string | null; category: string; startedAt: string }): Promise<boolean> {
  if (r.callerE164 === null) return false;
  const t = Date.parse(r.startedAt);
  const earlier = await tx.get(
    'SELECT 1 FROM records WHERE caller_e164 = ? AND category = ? AND started_ms >= ? AND started_ms <= ? AND (started_ms < ? OR id < ?) LIMIT 1',
    [r.callerE164, r.category, t - REPEAT_WINDOW_MS, t, t, r.id],
  );
  // Only those not yet repeats: once a number calls often, they are few.
  const later = await tx.all<{ id: string; started_ms: number | string; channel: Channel; district: string | null; outcome: Outcome }>(
    'SELECT id, started_ms, channel, district, outcome FROM records WHERE caller_e164 = ? AND category = ? AND is_repeat = 0 AND started_ms >= ? AND started_ms <= ? AND (started_ms > ? OR id > ?)',
    [r.callerE164, r.category, t, t + REPEAT_WINDOW_MS, t, r.id],
  );
  for (const o of later) {
    await tx.run('UPDATE records SET is_repeat = 1 WHERE id = ?', [o.id]);
    const { day, hour } = seoulDayHour(new Date(Number(o.started_ms)));
    const change = { ...emptyMeasures(), repeats: 1, answeredFirst: o.outcome === 'answered' ? -1 : 0 };
    await addMeasuresAt(tx, [day, hour, r.category, o.channel, o.district ?? ''], change);
  }
  return earlier !== undefined;
}

// ---- Rebuild and check -------------------------------------------------------------------------

export interface RecordRow {
  id: string;
  caller_e164: string | null;
  started_at: string;
  ended_at: string;
  category: string;
  channel: Channel;
  district: string | null;
  outcome: Outcome;
  department: string | null;
  manual_ids: string;
  notes: string;
  is_repeat: number;
}

/** Rows of the record rollups, keyed by their key columns joined. */
export interface RollupTables {
  cells: Map<string, Measures>;
  days: Map<string, Measures>;
  hours: Map<string, number>;
  districts: Map<string, number>;
  transfers: Map<string, number>;
  terms: Map<string, number>;
  entries: Map<string, number>;
}

const KEY_SEP = '\u0001';
const keyOf = (parts: readonly (string | number)[]) => parts.join(KEY_SEP);

/** The rollups the records imply, and each record's repeat flag as the definition gives it. */
export function rollupsOfRecords(rows: readonly RecordRow[]): { tables: RollupTables; repeats: Map<string, boolean> } {
  const repeats = new Map<string, boolean>();
  const byCaller = new Map<string, { t: number; id: string }[]>();
  for (const r of rows) {
    if (r.caller_e164 === null) continue;
    const k = keyOf([r.caller_e164, r.category]);
    (byCaller.get(k) ?? byCaller.set(k, []).get(k))?.push({ t: Date.parse(r.started_at), id: r.id });
  }
  for (const list of byCaller.values()) {
    list.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
    list.forEach((x, i) => {
      const before = list[i - 1];
      if (before && follows(x, before)) repeats.set(x.id, true);
    });
  }
  const tables: RollupTables = { cells: new Map(), days: new Map(), hours: new Map(), districts: new Map(), transfers: new Map(), terms: new Map(), entries: new Map() };
  const bump = <T>(map: Map<string, T>, key: string, add: (old: T | undefined) => T) => map.set(key, add(map.get(key)));
  for (const r of rows) {
    const c = contributionsOf({
      id: r.id,
      callerE164: r.caller_e164,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      category: r.category,
      channel: r.channel,
      district: r.district,
      outcome: r.outcome,
      department: r.department,
      manualIds: JSON.parse(r.manual_ids) as string[],
      notes: r.notes,
      repeat: repeats.get(r.id) === true,
    });
    const [day, hour, category, channel, district] = c.cell;
    bump(tables.cells, keyOf(c.cell), (m) => addMeasures(m ?? emptyMeasures(), c.measures));
    bump(tables.days, keyOf([day, category, channel]), (m) => addMeasures(m ?? emptyMeasures(), c.measures));
    bump(tables.hours, keyOf([day, hour, channel]), (n) => (n ?? 0) + 1);
    if (district) bump(tables.districts, keyOf([day, district, topCategoryOf(category), channel]), (n) => (n ?? 0) + 1);
    if (c.transfer) bump(tables.transfers, keyOf([day, category, channel, c.transfer]), (n) => (n ?? 0) + 1);
    for (const term of c.terms) bump(tables.terms, keyOf([day, channel, term]), (n) => (n ?? 0) + 1);
    for (const entry of c.entries) bump(tables.entries, keyOf([day, channel, entry]), (n) => (n ?? 0) + 1);
  }
  return { tables, repeats };
}

/** The first day whose records are all still kept: rollups of earlier days outlive their purged records. */
async function firstWholeDay(db: Db): Promise<string> {
  const cutoff = (await db.get<{ cutoff: string }>("SELECT MAX(cutoff) AS cutoff FROM purge_log WHERE kind = 'records'"))?.cutoff;
  if (!cutoff) return '0000-00-00';
  const { day, from } = seoulDay(new Date(cutoff));
  // The cutoff's own day lost its earlier records, unless the cutoff is its midnight.
  return from.getTime() === Date.parse(cutoff) ? day : seoulDay(new Date(Date.parse(cutoff) + 86_400_000)).day;
}

const RECORD_COLUMNS = 'id, caller_e164, started_at, ended_at, category, channel, district, outcome, department, manual_ids, notes, is_repeat';

async function readTables(db: Db, since: string): Promise<RollupTables> {
  const cells = await db.all<MeasureRow & { hour: number; district: string }>('SELECT * FROM rollup_cells WHERE day >= ?', [since]);
  const days = await db.all<MeasureRow>('SELECT * FROM rollup_days WHERE day >= ?', [since]);
  const counts = async (table: string, keys: readonly string[]) =>
    new Map((await db.all<Record<string, string | number>>(`SELECT ${keys.join(', ')}, n FROM ${table} WHERE day >= ?`, [since])).map((r) => [keyOf(keys.map((k) => r[k] as string | number)), Number(r.n)]));
  return {
    cells: new Map(cells.map((r) => [keyOf([r.day, Number(r.hour), r.category, r.channel, r.district]), measuresOfRow(r)])),
    days: new Map(days.map((r) => [keyOf([r.day, r.category, r.channel]), measuresOfRow(r)])),
    hours: await counts('rollup_hours', ['day', 'hour', 'channel']),
    districts: await counts('rollup_districts', ['day', 'district', 'top_category', 'channel']),
    transfers: await counts('rollup_transfers', ['day', 'category', 'channel', 'department']),
    terms: await counts('rollup_terms', ['day', 'channel', 'term']),
    entries: await counts('rollup_entries', ['day', 'channel', 'entry_id']),
  };
}

/** Where the kept rollups and what the records imply disagree: each differing table and key. */
function differences(kept: RollupTables, implied: RollupTables): string[] {
  const out: string[] = [];
  for (const table of Object.keys(kept) as (keyof RollupTables)[]) {
    const a = kept[table] as Map<string, unknown>;
    const b = implied[table] as Map<string, unknown>;
    const zero = (v: unknown) => v === undefined || v === 0 || (typeof v === 'object' && Object.values(v as object).every((x) => x === 0));
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const [x, y] = [a.get(key), b.get(key)];
      if (zero(x) && zero(y)) continue;
      if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${table} ${key.split(KEY_SEP).join(' · ')}: kept ${JSON.stringify(x ?? null)}, records give ${JSON.stringify(y ?? null)}`);
    }
  }
  return out;
}

export interface RollupCheck {
  /** The first day compared (earlier days' records were purged; their rollups stay). */
  since: string;
  records: number;
  differences: string[];
  /** Records whose repeat flag disagrees with the definition. */
  repeatFlags: number;
}

/** Compares the kept rollups with what the records imply, changing nothing. */
export async function checkRollups(db: Db): Promise<RollupCheck> {
  return db.read(async (tx) => {
    const since = await firstWholeDay(tx);
    const rows = await recordsSince(tx, since);
    const { tables, repeats } = rollupsOfRecords(rows);
    const flags = rows.filter((r) => (r.is_repeat === 1) !== (repeats.get(r.id) === true)).length;
    return { since, records: rows.length, differences: [...differences(await readTables(tx, since), tables), ...(await queueDifferences(tx))], repeatFlags: flags };
  });
}

async function recordsSince(tx: Db, since: string): Promise<RecordRow[]> {
  return tx.all<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE started_ms >= ?`, [since === '0000-00-00' ? 0 : seoulDayBounds(since).from.getTime()]);
}

async function insertMany(tx: Db, sql: string, rows: SqlParam[][]): Promise<void> {
  for (const row of rows) await tx.run(sql, row);
}

/** Adds rollup rows to what the tables hold (a rebuild clears its days first). */
export async function writeRollupTables(tx: Db, tables: RollupTables): Promise<void> {
  const split = (k: string) => k.split(KEY_SEP);
  await insertMany(tx, UPSERT_CELL, [...tables.cells].map(([k, m]) => { const [d, h, c, ch, di] = split(k); return [d!, Number(h), c!, ch!, di!, ...measureValues(m)]; }));
  await insertMany(tx, UPSERT_DAY, [...tables.days].map(([k, m]) => [...split(k), ...measureValues(m)]));
  await insertMany(tx, UPSERT_HOUR, [...tables.hours].map(([k, n]) => { const [d, h, ch] = split(k); return [d!, Number(h), ch!, n]; }));
  await insertMany(tx, UPSERT_DISTRICT, [...tables.districts].map(([k, n]) => [...split(k), n]));
  await insertMany(tx, UPSERT_TRANSFER, [...tables.transfers].map(([k, n]) => [...split(k), n]));
  await insertMany(tx, UPSERT_TERM, [...tables.terms].map(([k, n]) => [...split(k), n]));
  await insertMany(tx, UPSERT_ENTRY, [...tables.entries].map(([k, n]) => [...split(k), n]));
}

/**
 * Rebuilds the rollups (and the repeat flags) from the records, under the write lock: the rollups
 * of days whose records were purged are kept. Returns what it compared before rebuilding.
 */
export async function rebuildRollups(db: Db): Promise<RollupCheck> {
  return db.write(async (tx) => {
    const since = await firstWholeDay(tx);
    const rows = await recordsSince(tx, since);
    const { tables, repeats } = rollupsOfRecords(rows);
    const before: RollupCheck = {
      since,
      records: rows.length,
      differences: [...differences(await readTables(tx, since), tables), ...(await queueDifferences(tx))],
      repeatFlags: rows.filter((r) => (r.is_repeat === 1) !== (repeats.get(r.id) === true)).length,
    };
    for (const r of rows) {
      const flag = repeats.get(r.id) === true ? 1 : 0;
      if (flag !== r.is_repeat) await tx.run('UPDATE records SET is_repeat = ? WHERE id = ?', [flag, r.id]);
    }
    for (const table of ['rollup_cells', 'rollup_days', 'rollup_hours', 'rollup_districts', 'rollup_transfers', 'rollup_terms', 'rollup_entries']) await tx.run(`DELETE FROM ${table} WHERE day >= ?`, [since]);
    await writeRollupTables(tx, tables);
    await rebuildQueueRollup(tx);
    await tx.run("DELETE FROM meta WHERE key = 'rollups'");
    return before;
  });
}

/** Rebuilds the rollups once after the upgrade that added them (the migration marks them stale). */
export async function ensureRollups(db: Db): Promise<boolean> {
  if (!(await db.get("SELECT 1 FROM meta WHERE key = 'rollups' AND value = 'stale'"))) return false;
  await rebuildRollups(db);
  return true;
}
