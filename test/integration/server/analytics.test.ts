import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSchema, type Dashboard } from '../../../shared/analytics';
import { seoulDay } from '../../../shared/seoul-time';
import { generateConsultations } from '../../../server/demo/consultations';
import { expectFigures, plainRecords, type GoldenRecord } from '../../helpers/analytics-golden';
import { testCore, testLogger } from '../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../helpers/fault-proxy';
import { call, login } from '../../helpers/http';
import { runMinwon, startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { waitFor } from '../../helpers/wait';

// The analysis (issue 22) end to end on a city server process: two months of the golden set
// filed by agents over HTTP, and more filed on a desk while the city was out of reach, which its
// outbox delivers late. The dashboard gives every figure for leads and analysts, an agent gets
// nothing, a lead's drill-down into notes is logged, exports from the web and from `minwon report`
// are the same file, and every export is in the log.

const DAY = 86_400_000;
const today = seoulDay(new Date()).day;
const FROM = seoulDay(new Date(Date.now() - 62 * DAY)).day;
// Up to two days ago: nothing of the set lies in the future of the server's clock.
const GOLDEN = generateConsultations({ seed: 7, from: FROM, days: 60, n: 500 });
const ON_TIME = GOLDEN.filter((r) => r.agent !== 'agent3').map((r) => ({ ...r, agent: 'agent1' }));
// What agent2's desk files offline: records of the same numbers, so repeats are settled when they arrive late.
const LATE = GOLDEN.filter((r) => r.agent === 'agent3').map((r) => ({ ...r, agent: 'agent2' }));
const LAST = seoulDay(new Date(Date.now() - 3 * DAY)).day;
const QUERY = `from=${FROM}&to=${LAST}&grain=week`;

let dataDir: string;
let city: CityServerProcess;
let proxy: FaultProxy;
let fault: (path: string) => Fault = () => 'pass';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-analytics-'));
  // No demo data: the city's records are the golden set's alone.
  for (const [name, role] of [['agent1', 'agent'], ['agent2', 'agent'], ['lead1', 'lead'], ['analyst1', 'analyst']]) {
    const made = await runMinwon(['user', 'add', name!, '--role', role!, '--data', dataDir], { MINWON_PASSWORD: `${name}-password` });
    expect(made.stderr).toBe('');
  }
  city = await startCityServerProcess(dataDir);
  proxy = await startFaultProxy(() => city.url, (req) => fault((req.url ?? '').split('?')[0] as string));
});
afterAll(async () => {
  await proxy?.close();
  await city?.stop();
});

async function file(token: string, records: readonly GoldenRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) {
    const r = await call(city.url, token, '/api/records', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), records: records.slice(i, i + 200).map((x) => x.draft) }) });
    expect(r.status).toBe(200);
    expect((r.body as { rejected: unknown[] }).rejected).toEqual([]);
  }
}

const dashboardOf = async (token: string, query = QUERY): Promise<Dashboard> => {
  const r = await call(city.url, token, `/api/analytics/dashboard?${query}`);
  expect(r.status).toBe(200);
  return dashboardSchema.parse(r.body);
};

describe('the analysis on a city server', () => {
  it('counts records that arrive late through a desk’s outbox, and gives leads and analysts every figure', async () => {
    await file(await login(city.url, 'agent1', 'agent1-password'), ON_TIME);
    const lead = await login(city.url, 'lead1', 'lead1-password');
    const before = await dashboardOf(lead);
    expectFigures(before, before.query, plainRecords(ON_TIME));

    // agent2's desk files its consultations with the city out of reach: they wait in its outbox.
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { user: 'agent2', password: 'agent2-password', timeoutMs: 2_000, logger: testLogger() });
    try {
      await core.syncNow();
      fault = (path) => (path === '/api/records' ? 'cut' : 'pass');
      for (const r of LATE) expect(await core.handlers.saveRecord(r.draft)).toEqual({ id: r.draft.id, duplicate: false });
      expect((await core.handlers.outboxStatus({})).pending).toBe(LATE.length);
      expect((await dashboardOf(lead)).totals.consultations).toBe(ON_TIME.length);
      // Back: the outbox delivers, and the figures are those of every record, repeats settled across both.
      fault = () => 'pass';
      await waitFor(async () => (await core.handlers.outboxStatus({})).pending, (n) => n === 0, 30_000);
    } finally {
      await core.close();
    }
    const all = plainRecords([...ON_TIME, ...LATE]);
    expect(all.filter((r) => r.repeat).length).toBeGreaterThan(plainRecords(ON_TIME).filter((r) => r.repeat).length);
    const after = await dashboardOf(lead);
    expectFigures(after, after.query, all);
    // The district went with the record through the outbox.
    expect(after.districts.recorded).toBe(all.filter((r) => r.district).length);
    expect(await dashboardOf(await login(city.url, 'analyst1', 'analyst1-password'))).toEqual(after);
    // What intake kept is what the records give, by the operator's own check.
    const check = await runMinwon(['rollups', 'check', '--data', dataDir]);
    expect([check.code, check.stdout]).toEqual([0, `${all.length} record(s), all days: the rollups equal the records\n`]);
  });

  it('gives an agent nothing, an analyst no notes, and logs a lead’s reading of them', async () => {
    const agent = await login(city.url, 'agent1', 'agent1-password');
    for (const path of [`/api/analytics/dashboard?${QUERY}`, `/api/analytics/records?${QUERY}`, `/api/analytics/export?${QUERY}&format=csv`]) {
      expect((await call(city.url, agent, path)).status).toBe(403);
    }
    const analyst = await login(city.url, 'analyst1', 'analyst1-password');
    const cell = `${QUERY}&category=${encodeURIComponent('상수도')}&limit=50`;
    const read = await call(city.url, analyst, `/api/analytics/records?${cell}`);
    expect(read.status).toBe(200);
    const records = (read.body as { records: Record<string, unknown>[] }).records;
    expect(records.length).toBe(50);
    expect(records.every((r) => !('notes' in r) && !('callerE164' in r) && String(r.category).startsWith('상수도'))).toBe(true);
    expect((await call(city.url, analyst, '/api/analytics/exports')).status).toBe(403);

    const lead = await login(city.url, 'lead1', 'lead1-password');
    const withNotes = await call(city.url, lead, `/api/analytics/records?${cell}`);
    expect((withNotes.body as { records: { notes?: string }[] }).records[0]?.notes).toMatch(/문의$/);
    const log = await call(city.url, lead, '/api/access-log?limit=5');
    expect((log.body as { events: { actor: string; subject: string; purpose: string }[] }).events[0]).toMatchObject({ actor: 'lead1', purpose: 'record-list', subject: expect.stringContaining('category=상수도') });
  });

  it('refuses a broken question with what is wrong', async () => {
    const lead = await login(city.url, 'lead1', 'lead1-password');
    for (const [query, field] of [
      [`from=${today}&to=${FROM}`, 'from'],
      [`from=2020-01-01&to=${today}`, 'to'],
      [`from=${FROM}&to=${today}&channels=fax`, 'channels.0'],
      [`from=${FROM}&to=2026-02-30`, 'to'],
      [`from=${FROM}&to=${today}&format=doc`, 'format'],
    ] as const) {
      const path = field === 'format' ? `/api/analytics/export?${query}` : `/api/analytics/dashboard?${query}`;
      const r = await call(city.url, lead, path);
      expect([query, r.status]).toEqual([query, 400]);
      expect((r.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain(field);
    }
  });

  it('exports the same file from the web and from `minwon report`, with no number or note, each in the log', async () => {
    const analyst = await login(city.url, 'analyst1', 'analyst1-password');
    const web = await fetch(`${city.url}/api/analytics/export?${QUERY}&format=csv`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(web.status).toBe(200);
    expect(decodeURIComponent(web.headers.get('content-disposition') ?? '')).toContain(`민원 분석 ${FROM}~${LAST}.csv`);
    const webCsv = Buffer.from(await web.arrayBuffer());
    const out = join(dataDir, 'report.csv');
    const cli = await runMinwon(['report', '--data', join(dataDir), '--from', FROM, '--to', LAST, '--format', 'csv', '--grain', 'week', '--out', out]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(readFileSync(out).equals(webCsv)).toBe(true);
    const text = webCsv.toString('utf8');
    expect(text).not.toMatch(/010-?\d{4}|\+8210/);
    for (const r of GOLDEN) expect(text).not.toContain(r.draft.notes);

    const pdf = await fetch(`${city.url}/api/analytics/export?${QUERY}&format=pdf`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Korean set in the CJK font, embedded.
    expect(bytes.toString('latin1')).toMatch(/NotoSansCJK/);

    const badCli = await runMinwon(['report', '--data', join(dataDir), '--from', LAST, '--to', FROM, '--format', 'csv', '--out', out]);
    expect(badCli.code).toBe(2);
    expect(badCli.stderr).toContain('from is after to');

    const log = await call(city.url, await login(city.url, 'lead1', 'lead1-password'), '/api/analytics/exports');
    const rows = (log.body as { exports: { actor: string; source: string; format: string; from: string; to: string; bytes: number }[] }).exports;
    expect(rows.slice(0, 3).map((r) => [r.actor.startsWith('cli:') ? 'cli' : r.actor, r.source, r.format, r.from, r.to])).toEqual([
      ['analyst1', 'web', 'pdf', FROM, LAST],
      ['cli', 'cli', 'csv', FROM, LAST],
      ['analyst1', 'web', 'csv', FROM, LAST],
    ]);
    expect(rows[1]?.bytes).toBe(webCsv.length);
  });
});
