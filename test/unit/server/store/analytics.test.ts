import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyticsQuerySchema, type AnalyticsQuery } from '../../../../shared/analytics';
import { gapTerms } from '../../../../shared/knowledge-gaps';
import { dashboard, drillDown } from '../../../../server/store/analytics';
import { intakeBatch } from '../../../../server/store/records';
import { takeQueueLog } from '../../../../server/store/queue-log';
import { checkRollups, rebuildRollups } from '../../../../server/store/rollups';
import { openSipStore } from '../../../../server/store/sip-store';
import type { CityStore } from '../../../../server/store/sql';
import { exportAnalysis } from '../../../../server/report/export';
import { SUPPRESSED } from '../../../../server/report/tables';
import { citizensBy, countBy, expectFigures, goldenRecords, inRange, mondayOf, plainRecords, RISING_WORD, seoulOf, type GoldenRecord } from '../../../helpers/analytics-golden';
import { storeEngines } from '../../../helpers/store-engines';

// The analysis's figures (issue 22) against the golden data set: 1,500 records of September to
// November from a fixed seed, taken in a shuffled order (records arrive late, before and after
// the ones they repeat), with records on both sides of Seoul midnights. Every figure is computed
// again here the plain way, record by record, with Intl's Asia/Seoul calendar.

const PHONE = { areaCode: '054', region: 'KR' } as const;
const NOW = new Date('2026-12-01T03:00:00Z');
const GOLDEN = goldenRecords({ seed: 22, from: '2026-09-01', days: 91, n: 1500 });
const PLAIN = plainRecords(GOLDEN);
const NOVEMBER: AnalyticsQuery = analyticsQuerySchema.parse({ from: '2026-11-01', to: '2026-11-30', grain: 'week' });

/** Takes the records in a fixed shuffled order, a hundred at a time per agent. */
async function intake(db: CityStore, records: readonly GoldenRecord[]): Promise<void> {
  const order = [...records].sort((a, b) => ((a.draft.id.charCodeAt(35) * 7919) % 101) - ((b.draft.id.charCodeAt(35) * 7919) % 101) || (a.draft.id < b.draft.id ? 1 : -1));
  for (let i = 0; i < order.length; i += 100) {
    const chunk = order.slice(i, i + 100);
    for (const agent of ['agent1', 'agent2', 'agent3']) {
      const mine = chunk.filter((r) => r.agent === agent).map((r) => r.draft);
      if (mine.length === 0) continue;
      const r = await intakeBatch(db, { batchKey: `golden-${chunk[0]!.draft.id}-${agent}`, records: mine }, agent, PHONE, NOW);
      expect(r.rejected).toEqual([]);
    }
  }
}

describe.each(storeEngines())('the analysis of the records ($name)', (engine) => {
  it('gives every figure of the golden set, across Seoul midnights and records that arrive late', async () => {
    const db = await engine.open();
    await intake(db, GOLDEN);
    const november = await dashboard(db, NOVEMBER);
    expectFigures(november, NOVEMBER, PLAIN);
    // November 1st, 2026 is a Sunday: the first week is named by the Monday before.
    expect(november.volume.periods[0]).toBe('2026-10-26');
    // A day, by day and month; and one channel alone.
    const midnight = analyticsQuerySchema.parse({ from: '2026-11-29', to: '2026-11-29' });
    expectFigures(await dashboard(db, midnight), midnight, PLAIN);
    const texts = analyticsQuerySchema.parse({ from: '2026-09-01', to: '2026-11-30', channels: 'text', grain: 'month' });
    const d = await dashboard(db, texts);
    expectFigures(d, texts, PLAIN);
    expect(d.volume.periods).toEqual(['2026-09', '2026-10', '2026-11']);

    // The word that only November's notes use rose most.
    const nov = await dashboard(db, NOVEMBER);
    const withWord = PLAIN.filter(inRange(NOVEMBER)).filter((r) => gapTerms(r.notes).includes(RISING_WORD)).length;
    expect(nov.rising.keywords[0]).toMatchObject({ key: RISING_WORD, n: withWord, previousN: 0 });

    // The records behind a cell: a lead's reading has the notes, an analyst's does not.
    const cell = await drillDown(db, { ...NOVEMBER, category: '상수도', weekday: 0, limit: 500 }, false);
    const expectedCell = PLAIN.filter(inRange(NOVEMBER)).filter((r) => r.top === '상수도' && r.weekday === 0);
    expect(cell.total).toBe(expectedCell.length);
    expect(cell.records.every((r) => !('notes' in r))).toBe(true);
    expect((await drillDown(db, { ...NOVEMBER, district: '남구', limit: 5 }, true)).records[0]).toHaveProperty('notes');
    expect((await drillDown(db, { ...NOVEMBER, district: '남구', limit: 500 }, false)).total).toBe(PLAIN.filter(inRange(NOVEMBER)).filter((r) => r.district?.startsWith('남구')).length);
  });

  it('gives the calls that waited and were abandoned by Seoul weekday and hour, from the SIP server’s queue log', async () => {
    const db = await engine.open();
    const sip = openSipStore(db, mkdtempSync(join(tmpdir(), 'minwon-sip-')));
    try {
      // 400 calls of November, a few seconds to two minutes each; one in four given up; some on either side of midnight.
      const calls = Array.from({ length: 400 }, (_, i) => {
        const arrived = Date.parse('2026-11-01T00:00:00+09:00') + ((i * 7_919_993) % (30 * 86_400_000)) - (i % 50 === 0 ? 1 : 0);
        const wait = 2_000 + ((i * 3_331) % 118_000);
        return { id: `${i}`.padStart(32, 'c'), arrived, wait, answered: i % 4 !== 0 };
      });
      for (const c of calls) {
        await sip.db.run('INSERT INTO queue_log(call_id, arrived, answered, gone) VALUES (?, ?, ?, ?)', [c.id, c.arrived, c.answered ? c.arrived + c.wait : null, c.answered ? null : c.arrived + c.wait]);
      }
      await takeQueueLog({ db, sip: sip.db }, NOW);
      const d = await dashboard(db, NOVEMBER);
      const inNovember = calls.filter((c) => seoulOf(new Date(c.arrived).toISOString()).day >= '2026-11-01');
      const answered = inNovember.filter((c) => c.answered);
      const abandoned = inNovember.filter((c) => !c.answered);
      expect(d.queue).toMatchObject({ offered: inNovember.length, answered: answered.length, abandoned: abandoned.length });
      expect(d.queue.averageWaitSeconds).toBeCloseTo(answered.reduce((a, c) => a + c.wait, 0) / answered.length / 1000, 6);
      expect(d.queue.averageAbandonSeconds).toBeCloseTo(abandoned.reduce((a, c) => a + c.wait, 0) / abandoned.length / 1000, 6);
      const cell = (c: (typeof calls)[number]) => {
        const s = seoulOf(new Date(c.arrived).toISOString());
        return `${s.weekday}:${s.hour}`;
      };
      expect(Object.fromEntries(d.heatmap.filter((h) => h.offered > 0).map((h) => [`${h.weekday}:${h.hour}`, [h.offered, h.abandoned]]))).toEqual(
        Object.fromEntries([...countBy(inNovember, cell)].map(([k, n]) => [k, [n, countBy(abandoned, cell).get(k) ?? 0]])),
      );
      // Texts alone have no queue.
      expect((await dashboard(db, { ...NOVEMBER, channels: ['text'] })).queue.offered).toBe(0);
      // The operator's check covers the queue too: a damaged cell is found, and a rebuild mends it.
      expect((await checkRollups(db)).differences).toEqual([]);
      await db.run('UPDATE rollup_queue SET abandoned = abandoned + 1 WHERE day = (SELECT MIN(day) FROM rollup_queue)');
      expect((await checkRollups(db)).differences).toEqual([expect.stringMatching(/^queue 2026-1\d-\d\d \d+: kept /)]);
      await rebuildRollups(db);
      expect((await checkRollups(db)).differences).toEqual([]);
    } finally {
      await sip.close();
    }
  });

  it('keeps the rollups equal to the records, and a rebuild mends them', async () => {
    const db = await engine.open();
    await intake(db, GOLDEN.slice(0, 600));
    expect(await checkRollups(db)).toMatchObject({ records: 600, differences: [], repeatFlags: 0 });
    // Damage: a day counted once too often, a term lost, a repeat flag wrong.
    await db.run("UPDATE rollup_days SET consultations = consultations + 1 WHERE day = (SELECT MIN(day) FROM rollup_days)");
    await db.run('DELETE FROM rollup_terms WHERE day = (SELECT MIN(day) FROM rollup_terms)');
    const repeated = plainRecords(GOLDEN.slice(0, 600)).find((r) => r.repeat)!;
    await db.run('UPDATE records SET is_repeat = 0 WHERE id = ?', [repeated.id]);
    const damaged = await checkRollups(db);
    expect(damaged.differences.some((d) => d.startsWith('days '))).toBe(true);
    expect(damaged.differences.some((d) => d.startsWith('terms '))).toBe(true);
    expect(damaged.repeatFlags).toBe(1);
    await rebuildRollups(db);
    expect(await checkRollups(db)).toMatchObject({ differences: [], repeatFlags: 0 });
    // And the rest of the set on top of the rebuilt rollups.
    await intake(db, GOLDEN.slice(600));
    expect(await checkRollups(db)).toMatchObject({ records: GOLDEN.length, differences: [], repeatFlags: 0 });
    expectFigures(await dashboard(db, NOVEMBER), NOVEMBER, PLAIN);
  });

  it('exports suppressed tables with no number or note in them, and logs each export', async () => {
    const db = await engine.open();
    await intake(db, GOLDEN);
    const csv = await exportAnalysis(db, NOVEMBER, 'csv', { actor: 'lead1', source: 'web' }, NOW);
    const text = csv.file.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = PLAIN.filter(inRange(NOVEMBER));
    // Nobody's number (in any form) and no note.
    expect(text).not.toMatch(/010-?\d{4}|\+8210/);
    for (const r of rows) expect(text).not.toContain(r.notes);
    const tables = sections(text);
    const volume = tables.get('volume')!;
    const citizens = citizensBy(rows, (r) => `${mondayOf(r)}|${r.top}`);
    const counts = countBy(rows, (r) => `${mondayOf(r)}|${r.top}`);
    const header = volume[0]!;
    let suppressed = 0;
    for (const row of volume.slice(1)) {
      const parts = row.slice(1, -1);
      // A row of parts and a total never hides exactly one part: the total would give it away.
      expect(parts.filter((c) => c === SUPPRESSED).length).not.toBe(1);
      parts.forEach((cell, i) => {
        const key = `${row[0]}|${header[i + 1]}`;
        const n = counts.get(key) ?? 0;
        if ((citizens.get(key) ?? 0) < 5 && n > 0) expect(cell).toBe(SUPPRESSED);
        if (cell === SUPPRESSED) suppressed++;
        else expect(Number(cell)).toBe(n);
      });
    }
    expect(suppressed).toBeGreaterThan(0);
    // Every table's count cells are numbers or suppressed, never a count under 5 with fewer than 5 citizens.
    const districts = tables.get('districts')!;
    const districtCitizens = citizensBy(rows, (r) => r.district);
    for (const [district, n] of districts.slice(1)) {
      if ((districtCitizens.get(district!) ?? 0) < 5) expect(n).toBe(SUPPRESSED);
      else expect(Number(n)).toBe(countBy(rows, (r) => r.district).get(district!));
    }
    // Sub-categories and outcomes: counts as the records give them, or suppressed where fewer than 5 people stand behind them.
    const subCitizens = citizensBy(rows, (r) => r.category);
    for (const [category, n] of tables.get('subcategories')!.slice(1)) {
      if ((subCitizens.get(category!) ?? 0) < 5) expect(n).toBe(SUPPRESSED);
      else expect(Number(n)).toBe(countBy(rows, (r) => r.category).get(category!));
    }
    for (const [category, consultations, answered] of tables.get('outcomes')!.slice(1)) {
      const mine = rows.filter((r) => r.top === category);
      expect(Number(consultations)).toBe(mine.length);
      const people = citizensBy(mine.filter((r) => r.outcome === 'answered'), () => 'answered').get('answered') ?? 0;
      expect(answered).toBe(people < 5 ? SUPPRESSED : String(mine.filter((r) => r.outcome === 'answered').length));
    }
    // The workbook holds the same tables, a sheet each.
    const xlsx = await exportAnalysis(db, NOVEMBER, 'xlsx', { actor: 'analyst1', source: 'web' }, NOW);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.file as unknown as ArrayBuffer);
    const sheet = book.worksheets.find((w) => w.name.startsWith('기간별 상담 건수'))!;
    const sheetRows: string[][] = [];
    sheet.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(sheetRows).toEqual(volume);
    expect(await db.all('SELECT actor, source, format, from_day, to_day, channels FROM export_log ORDER BY format')).toEqual([
      { actor: 'lead1', source: 'web', format: 'csv', from_day: '2026-11-01', to_day: '2026-11-30', channels: 'call,text,callback' },
      { actor: 'analyst1', source: 'web', format: 'xlsx', from_day: '2026-11-01', to_day: '2026-11-30', channels: 'call,text,callback' },
    ]);
  });
});

/** A CSV export's tables by id, found by their titles. */
function sections(text: string): Map<string, string[][]> {
  const ids: [string, RegExp][] = [
    ['volume', /^# 기간별 상담 건수/],
    ['subcategories', /^# 세부 분류/],
    ['outcomes', /^# 대분류별 처리 결과/],
    ['districts', /^# 지역/],
  ];
  const lines = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false }) as string[][];
  const out = new Map<string, string[][]>();
  let current: string[][] | null = null;
  for (const line of lines) {
    const head = line[0] ?? '';
    if (head.startsWith('# ')) {
      const id = ids.find(([, re]) => re.test(head))?.[0];
      current = id ? [] : null;
      if (id && current) out.set(id, current);
    } else if (line.length === 1 && (head === '' || head.startsWith('* '))) current = null;
    else current?.push(line);
  }
  return out;
}
