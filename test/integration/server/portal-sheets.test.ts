import { request as httpRequest } from 'node:http';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft } from '../../../shared/knowledge';
import type { ManualEntry } from '../../../shared/manual';
import { seoulDay } from '../../../shared/seoul-time';
import type { PortalEntry } from '../../../server/store/entry-upkeep';
import { call, login } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

// A department's spreadsheet through a real city server process on both stores (issue 21): the
// export as the editor downloads it, edited in a spreadsheet and imported back as drafts only,
// the live entries unchanged until a reviewer approves; every refusal all or nothing.

const stores = serverStores();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Workbook = ExcelJS.Workbook;
const loadable = (bytes: Buffer) => bytes as unknown as Parameters<Workbook['xlsx']['load']>[0];

describe.each(stores.names)('portal spreadsheets (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let agent: string;
  let lead: string;
  let water: string;
  let reviewer: string;

  beforeAll(async () => {
    const city = await startDemoCity(stores, name, 'sheets');
    server = city.server;
    agent = city.agent;
    lead = city.lead;
    [water, reviewer] = await Promise.all([login(server.url, 'water1', 'water1'), login(server.url, 'review1', 'review1')]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const download = async (token: string, query: string) => {
    const res = await fetch(`${server.url}/api/portal/export?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const upload = (token: string | null, query: string, body: Buffer | string, type: string) => call(server.url, token, `/api/portal/import?${query}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const drafts = async () => ((await call(server.url, reviewer, '/api/portal/drafts?department=water-supply')).body as { drafts: Draft[] }).drafts;
  const live = async (id: string) => (await call(server.url, agent, `/api/manual/${id}`)).body as ManualEntry;
  const waterEntries = async () => ((await call(server.url, water, '/api/portal/entries')).body as { entries: PortalEntry[] }).entries;
  const csvRecords = (bytes: Buffer) => parseCsv(bytes, { bom: true, columns: true }) as Record<string, string>[];
  const csvOf = (records: Record<string, string>[]) => Buffer.from(stringify(records, { header: true, bom: true }));

  /** Every draft of the department before a refused import: afterwards it must be the same. */
  const refusedWithoutTrace = async (r: { status: number; body: unknown }, before: Draft[]) => {
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid-sheet', message: expect.any(String), details: expect.any(Array) });
    expect((await drafts()).map((d) => d.id).sort()).toEqual(before.map((d) => d.id).sort());
    return (r.body as { details: { line: number; column?: string; message: string }[] }).details;
  };

  it('exports the department as XLSX; an edited sheet comes back as exactly its drafts, the live entries unchanged until approved', async () => {
    const entries = await waterEntries();
    const file = await download(water, 'format=xlsx');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    const disposition = file.disposition ?? '';
    expect(disposition.startsWith("attachment; filename*=UTF-8''")).toBe(true);
    expect(decodeURIComponent(disposition.slice("attachment; filename*=UTF-8''".length))).toBe(`상수도사업본부 급수과 매뉴얼 ${seoulDay(new Date()).day}.xlsx`);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(loadable(file.bytes));
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('상수도사업본부 급수과');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (h: string) => header.indexOf(h) + 1;
    expect(sheet.rowCount).toBe(entries.length + 1);
    const idAt = (row: number) => String(sheet.getRow(row).getCell(col('항목 ID')).value);
    const [first, second] = [idAt(2), idAt(3)];
    sheet.getRow(2).getCell(col('제목')).value = '누수, 이렇게 신고하세요';
    sheet.getRow(3).getCell(col('상담 답변(짧게)')).value = '급수과로\n바로 연결해 드리겠습니다.';
    sheet.getRow(3).getCell(col('키워드 (;로 구분)')).value = '단수; 공사';
    const added = sheet.addRow([]);
    added.getCell(col('분류')).value = '상수도/급수';
    added.getCell(col('제목')).value = '급수공사 신청';
    added.getCell(col('업무개요')).value = '신규 급수공사는 급수과에 신청합니다.\n현장 조사 후 공사비를 고지합니다.';
    added.getCell(col('구비서류')).value = '급수공사 신청서, 건축허가서 사본';
    added.getCell(col('수수료·과태료')).value = '=공사비는 현장 조사 후 산정';
    const edited = Buffer.from(await book.xlsx.writeBuffer());

    const before = { first: await live(first), second: await live(second) };
    const imported = await upload(water, 'format=xlsx', edited, XLSX);
    expect(imported).toMatchObject({ status: 200, body: { drafts: 3, unchanged: entries.length - 2, problems: [] } });
    const made = await drafts();
    expect(made).toHaveLength(3);
    expect(made.every((d) => d.state === 'draft' && d.author === 'water1' && d.department === 'water-supply')).toBe(true);
    const of = (id: string) => made.find((d) => d.entryId === id) as Draft;
    expect(of(first)).toMatchObject({ baseVersion: before.first.version, content: { title: '누수, 이렇게 신고하세요', body: before.first.body } });
    expect(of(second).content).toMatchObject({ keywords: ['단수', '공사'], sections: { spoken: '급수과로\n바로 연결해 드리겠습니다.' } });
    const fresh = made.find((d) => d.baseVersion === null) as Draft;
    expect(fresh.entryId).toMatch(/^water-supply-/);
    expect(fresh.content).toEqual({ kind: 'manual', category: '상수도/급수', title: '급수공사 신청', body: '신규 급수공사는 급수과에 신청합니다.\n현장 조사 후 공사비를 고지합니다.', keywords: [], sections: { documents: '급수공사 신청서, 건축허가서 사본', fees: '=공사비는 현장 조사 후 산정' } });
    // Nothing is live before a review.
    expect(await live(first)).toEqual(before.first);
    expect(await live(second)).toEqual(before.second);
    expect((await call(server.url, agent, `/api/manual/${fresh.entryId}`)).status).toBe(404);

    // The same sheet again: its changed rows' entries have drafts under way now. Nothing is made.
    const again = await refusedWithoutTrace(await upload(water, 'format=xlsx', edited, XLSX), made);
    expect(again).toEqual([
      { line: 2, column: '항목 ID', message: `${first} has a draft under way: finish or withdraw it first` },
      { line: 3, column: '항목 ID', message: `${second} has a draft under way: finish or withdraw it first` },
    ]);

    // A CSV exported now, one more row changed, submitted at once: in review, and live once approved.
    const records = csvRecords((await download(water, 'format=csv')).bytes);
    const third = records[2] as Record<string, string>;
    third['처리기한'] = '접수 후 3일, 주말 제외';
    const submitted = await upload(water, 'format=csv&submit=1', csvOf(records), 'text/csv; charset=utf-8');
    expect(submitted).toMatchObject({ status: 200, body: { drafts: 1, unchanged: entries.length - 1 } });
    const inReview = (await drafts()).find((d) => d.entryId === third['항목 ID']) as Draft;
    expect(inReview).toMatchObject({ state: 'review', content: { sections: { deadline: '접수 후 3일, 주말 제외' } } });
    expect((await live(inReview.entryId)).sections?.deadline).toBeUndefined();
    expect((await call(server.url, reviewer, `/api/portal/drafts/${inReview.id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve' }) })).status).toBe(200);
    expect(await live(inReview.entryId)).toMatchObject({ version: Number(third['버전']) + 1, sections: { deadline: '접수 후 3일, 주말 제외' } });
  });

  it('refuses stale rows, another department’s entries, repeated ids, broken files and an oversized body, creating nothing', async () => {
    const records = csvRecords((await download(water, 'format=csv')).bytes);
    const before = await drafts();
    // Someone publishes a new version of an entry after the export.
    const row = records.find((r) => !before.some((d) => d.entryId === r['항목 ID'] && ['draft', 'review'].includes(d.state))) as Record<string, string>;
    const current = await live(row['항목 ID'] as string);
    const republished = { id: current.id, kind: current.kind, category: current.category, title: `${current.title} (개정)`, body: current.body, keywords: current.keywords, department: current.department, ...(current.sections ? { sections: current.sections } : {}) };
    expect((await call(server.url, lead, `/api/manual/${current.id}`, { method: 'PUT', body: JSON.stringify(republished) })).status).toBe(200);
    row['제목'] = `${current.title} — 부서 수정`;
    const billing = ((await call(server.url, lead, '/api/portal/entries?department=water-billing')).body as { entries: PortalEntry[] }).entries[0]?.entry as ManualEntry;
    const foreign = { ...row, '항목 ID': billing.id, 버전: String(billing.version), 제목: '남의 부서 항목' };
    const repeated = { ...row, '항목 ID': 'WS-NEW-1', 버전: '' };
    const rows = [...records, foreign, repeated, { ...repeated, 제목: '두 번째' }];
    // The line each row ends on: after the header, its own line and those its cells break onto.
    const endLine = (i: number) => 1 + rows.slice(0, i + 1).reduce((n, r) => n + Object.values(r).join('').split('\n').length, 0);
    const n = records.length;
    const repeatedAgain = await refusedWithoutTrace(await upload(water, 'format=csv', csvOf(rows), 'text/csv'), before);
    expect(repeatedAgain).toEqual([{ line: endLine(n + 2), column: '항목 ID', message: `WS-NEW-1 repeats line ${endLine(n + 1)}` }]);
    // Without the repeated rows: the stale and the foreign rows named by their lines.
    const details = await refusedWithoutTrace(await upload(water, 'format=csv', csvOf(rows.slice(0, n + 1)), 'text/csv'), before);
    expect(details).toEqual([
      { line: endLine(records.indexOf(row)), column: '버전', message: expect.stringMatching(/^stale: /) },
      { line: endLine(n), column: '항목 ID', message: `${billing.id} is another department's entry` },
    ]);

    // Files that are not sheets.
    const broken = await refusedWithoutTrace(await upload(water, 'format=xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 500 }, (_, i) => i % 256)]), XLSX), before);
    expect(broken).toEqual([{ line: 1, message: expect.stringMatching(/^not an XLSX workbook/) }]);
    const noise = await refusedWithoutTrace(await upload(water, 'format=xlsx', Buffer.from('id,title\nW-1,x\n'), 'application/octet-stream'), before);
    expect(noise).toEqual([{ line: 1, message: 'not an XLSX workbook: the file is not a zip archive' }]);
    const quote = await refusedWithoutTrace(await upload(water, 'format=csv', Buffer.from(`${Object.keys(row).join(',')}\nW-1,"매뉴얼,x\n`), 'text/csv'), before);
    expect(quote).toEqual([{ line: expect.any(Number), message: expect.stringMatching(/^CSV: /) }]);

    // 7 MB is read (far beyond the API's JSON bodies) and its problems told; 12 MB is refused
    // before it is read (the connection may be cut before the answer is).
    const long = await refusedWithoutTrace(await upload(water, 'format=csv', csvOf(Array.from({ length: 100 }, () => ({ ...repeated, '항목 ID': '', 업무개요: '가'.repeat(25_000) }))), 'text/csv'), before);
    expect(long).toHaveLength(100);
    expect(long[0]).toMatchObject({ column: '업무개요', message: expect.stringMatching(/20000/) });
    expect([413, 0]).toContain(await postLarge(server.url, water, '/api/portal/import?format=csv', 12 * 1024 * 1024));
    expect((await drafts()).length).toBe(before.length);
  });

  it('lets editors and reviewers import, editors only their own department; agents neither export nor import', async () => {
    const sheet = (await download(water, 'format=csv')).bytes;
    expect((await download(agent, 'format=csv')).status).toBe(403);
    expect((await upload(agent, 'format=csv', sheet, 'text/csv')).status).toBe(403);
    expect((await upload(lead, 'format=csv&department=water-supply', sheet, 'text/csv')).status).toBe(403);
    const other = await download(water, 'format=xlsx&department=water-billing');
    expect(other.status).toBe(403);
    expect(JSON.parse(other.bytes.toString())).toMatchObject({ error: 'other-department' });
    expect((await upload(water, 'format=csv&department=water-billing', sheet, 'text/csv')).body).toMatchObject({ error: 'other-department' });
    // Signed out: the body is not even read.
    expect((await upload(null, 'format=csv', sheet, 'text/csv')).status).toBe(401);
    // Not a spreadsheet's content type: this scope takes no JSON.
    expect((await upload(water, 'format=csv', '{"rows": []}', 'application/json')).status).toBe(415);
    // A reviewer names the department; a lead reads any or all.
    expect((await upload(reviewer, 'format=csv', sheet, 'text/csv')).body).toMatchObject({ error: 'no-department' });
    expect((await upload(reviewer, 'format=csv&department=water-supply', sheet, 'text/csv')).status).toBe(200);
    // Submitted at once by the reviewer who imported it: another reviewer approves it.
    expect((await upload(reviewer, 'format=csv&department=water-supply&submit=1', sheet, 'text/csv')).status).toBe(200);
    const all = await download(lead, 'format=csv');
    expect(all.status).toBe(200);
    expect(all.type).toBe('text/csv; charset=utf-8');
    expect(decodeURIComponent(all.disposition ?? '')).toContain('전체 매뉴얼');
    expect(csvRecords(all.bytes).length).toBeGreaterThan((await waterEntries()).length * 3);
    expect((await download(reviewer, 'format=xlsx&department=water-billing')).status).toBe(200);
    expect((await download(lead, 'format=csv&department=no-such-place')).status).toBe(400);
  });
});

/** POSTs `size` bytes of CSV and resolves to the status, or 0 when the server cut the connection before its answer could be read. */
function postLarge(url: string, token: string, path: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': size } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve(0) : reject(e)));
    req.end(Buffer.alloc(size, 'a'));
  });
}
