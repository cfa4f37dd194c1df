import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { addDays, analyticsQuerySchema } from '../../shared/analytics';
import { dashboard } from '../../server/store/analytics';
import { generateConsultations } from '../../server/demo/consultations';
import { intakeBatch } from '../../server/store/records';
import { rollupsOfRecords, writeRollupTables, type RecordRow } from '../../server/store/rollups';
import type { SqliteStore } from '../../server/store/sqlite-store';
import { tempCityDb } from '../helpers/temp-db';
import { fmt, summarise, time, type Figure } from './stats';

// The analysis's figures (issue 22): the dashboard over a year of 3,000,000 records read from the
// rollups, against a plain GROUP BY over the raw records in the same run; and intake keeping the
// rollups against intake without them.

const YEAR_FROM = '2025-12-01';
const DAYS = 365;
const RECORDS = Number(process.env.BENCH_ANALYTICS_RECORDS ?? 3_000_000);
const RUNS = 7;
const PHONE = { areaCode: '054', region: 'KR' } as const;

/** A year of records written straight into the store, and their rollups, day by day. */
async function loadYear(store: SqliteStore): Promise<void> {
  const insert = store.sqlite.prepare(`INSERT INTO records(id, agent_id, caller_raw, caller_e164, started_at, ended_at, category, outcome, manual_ids, notes, department,
    received_at, batch_key, channel, district, started_ms) VALUES (?, 'agent1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)`);
  const perDay = Math.ceil(RECORDS / DAYS);
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(YEAR_FROM, d);
    // 200,000 numbers over the year: some call again within the week.
    const made = generateConsultations({ seed: 1000 + d, from: day, days: 1, n: Math.min(perDay, RECORDS - d * perDay), numbers: 200_000 });
    const rows: RecordRow[] = made.map(({ draft: r }) => ({
      id: randomUUID(),
      caller_e164: r.callerNumber ? `+82${r.callerNumber.replace(/\D/g, '').slice(1)}` : null,
      started_at: r.startedAt,
      ended_at: r.endedAt,
      category: r.category,
      channel: r.channel ?? 'call',
      district: r.district ?? null,
      outcome: r.outcome,
      department: r.department ?? null,
      manual_ids: JSON.stringify(r.manualIds),
      notes: r.notes,
      is_repeat: 0,
    }));
    // The raw rows through the store's own connection, in the day's transaction with its rollups.
    // Repeats are within the day only: the figures' cost does not depend on how many are repeats.
    await store.write(async (tx) => {
      for (const r of rows) insert.run(r.id, r.caller_e164 ?? '', r.caller_e164, r.started_at, r.ended_at, r.category, r.outcome, r.manual_ids, r.notes, r.department, r.ended_at, r.channel, r.district, Date.parse(r.started_at));
      await writeRollupTables(tx, rollupsOfRecords(rows).tables);
    });
  }
}

/** What the dashboard reads, asked of the raw records with GROUP BY (Seoul days by SQLite's date functions). */
async function plainGroupBy(store: SqliteStore, from: string, to: string): Promise<void> {
  const range = [new Date(Date.parse(`${from}T00:00:00+09:00`)).toISOString(), new Date(Date.parse(`${to}T00:00:00+09:00`) + 86_400_000).toISOString()];
  const seoul = "strftime('%Y-%m-%d', started_at, '+9 hours')";
  await store.all(
    `SELECT ${seoul} AS day, category, channel, COUNT(*) AS n, SUM(outcome = 'answered') AS answered, SUM(outcome = 'transferred') AS transferred,
       SUM(outcome = 'callback') AS callbacks, SUM(outcome = 'complaint') AS complaints, SUM(is_repeat) AS repeats, SUM(outcome = 'answered' AND is_repeat = 0) AS first,
       SUM(ROUND((julianday(ended_at) - julianday(started_at)) * 86400)) AS seconds
     FROM records WHERE started_at >= ? AND started_at < ? GROUP BY 1, 2, 3`,
    range,
  );
  await store.all(`SELECT strftime('%w', started_at, '+9 hours') AS weekday, strftime('%H', started_at, '+9 hours') AS hour, COUNT(*) AS n FROM records WHERE started_at >= ? AND started_at < ? GROUP BY 1, 2`, range);
  await store.all("SELECT department, COUNT(*) AS n FROM records WHERE started_at >= ? AND started_at < ? AND outcome = 'transferred' GROUP BY 1", range);
  await store.all('SELECT district, category, COUNT(*) AS n FROM records WHERE started_at >= ? AND started_at < ? AND district IS NOT NULL GROUP BY 1, 2', range);
  await store.all('SELECT j.value AS entry, COUNT(*) AS n FROM records, json_each(records.manual_ids) AS j WHERE started_at >= ? AND started_at < ? GROUP BY 1 ORDER BY 2 DESC LIMIT 15', range);
}

async function yearDashboard(): Promise<Figure> {
  const store = tempCityDb('bench-analytics');
  try {
    const loading = await time(() => loadYear(store));
    const to = addDays(YEAR_FROM, DAYS - 1);
    const q = analyticsQuerySchema.parse({ from: YEAR_FROM, to, grain: 'month' });
    const rollups = (await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM rollup_cells'))?.n ?? 0;
    const measured: number[] = [];
    const plain: number[] = [];
    let consultations = 0;
    for (let run = 0; run < RUNS; run++) {
      plain.push(await time(() => plainGroupBy(store, YEAR_FROM, to)));
      measured.push(await time(async () => (consultations = (await dashboard(store, q)).totals.consultations)));
    }
    const m = summarise(measured);
    const p = summarise(plain);
    return {
      name: `Dashboard for one year, ${RECORDS.toLocaleString('en')} records (${fmt(loading / 1000)} s to load; ${rollups.toLocaleString('en')} rollup cells; SQLite, ${RUNS} runs)`,
      value: `every chart from the rollups: median ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms (${consultations.toLocaleString('en')} consultations)`,
      baseline: `plain GROUP BY over the raw records (the same figures but the note keywords): median ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms`,
      ratio: `p95 ${fmt(p.p95 / m.p95)}× faster than the GROUP BY`,
      target: 'p95 ≤ 2,000 ms (a lead opens the year)',
      pass: m.p95 <= 2000 && consultations === RECORDS,
    };
  } finally {
    await store.close();
    rmSync(dirname(store.sqlite.name), { recursive: true, force: true });
  }
}

const INTAKE_RECORDS = 10_000;
const BATCH = 500;

/** Batches of the desks' uploads into a fresh store, timed one by one. */
async function intake(rollups: boolean): Promise<number[]> {
  const store = tempCityDb('bench-intake');
  const made = generateConsultations({ seed: 5, from: '2026-10-01', days: 60, n: INTAKE_RECORDS, numbers: 3_000 });
  const now = new Date('2026-12-01T03:00:00Z');
  const times: number[] = [];
  try {
    for (let i = 0; i < made.length; i += BATCH) {
      const records = made.slice(i, i + BATCH).map((m) => m.draft);
      times.push(await time(() => intakeBatch(store, { batchKey: randomUUID(), records }, 'agent1', PHONE, now, { rollups })));
    }
  } finally {
    await store.close();
    rmSync(dirname(store.sqlite.name), { recursive: true, force: true });
  }
  return times;
}

async function intakeThroughput(): Promise<Figure> {
  const withRollups: number[] = [];
  const without: number[] = [];
  // Alternating, so neither has the warmer machine.
  for (let run = 0; run < 3; run++) {
    without.push(...(await intake(false)));
    withRollups.push(...(await intake(true)));
  }
  const w = summarise(withRollups);
  const o = summarise(without);
  const perSecond = (batchMs: number) => (BATCH / batchMs) * 1000;
  return {
    name: `Record intake keeping the analysis's rollups (${INTAKE_RECORDS.toLocaleString('en')} records in batches of ${BATCH}, 3 runs each; SQLite)`,
    value: `median ${fmt(w.p50)} ms, p95 ${fmt(w.p95)} ms per batch (${fmt(perSecond(w.p50), 0)} records/s)`,
    baseline: `the same intake without rollups: median ${fmt(o.p50)} ms, p95 ${fmt(o.p95)} ms per batch (${fmt(perSecond(o.p50), 0)} records/s)`,
    ratio: `p50 ${fmt(w.p50 / o.p50)}× the batch time`,
    target: 'p50 ≥ 1,000 records/s (a day of 512 calls is half a second)',
    pass: perSecond(w.p50) >= 1000,
  };
}

export async function benchAnalytics(): Promise<Figure[]> {
  return [await intakeThroughput(), await yearDashboard()];
}
