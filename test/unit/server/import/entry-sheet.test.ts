import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { Department } from '../../../../shared/directory';
import type { ManualEntry } from '../../../../shared/manual';
import { importSheet, neutralise, parseSheet, restore, SHEET_COLUMNS, sheetCsv, sheetXlsx, type SheetEntry, type SheetRow } from '../../../../server/import/entry-sheet';
import { replaceDirectory } from '../../../../server/store/directory';
import { getEntry, upsertEntries } from '../../../../server/store/manual';
import { createDraft, listDrafts } from '../../../../server/store/manual-drafts';
import { createUser } from '../../../../server/store/users';
import { tempCityDb } from '../../../helpers/temp-db';

// A department's entries as a spreadsheet (issue 21): the layout both ways in CSV and XLSX,
// formulas neutralised, every problem named by line and column, and the import into drafts.

const NOW = new Date('2026-12-07T01:00:00Z');
const HEADER = SHEET_COLUMNS.map((c) => c.header);

const entry = (over: Partial<ManualEntry> = {}): ManualEntry => ({
  id: 'W-1',
  kind: 'manual',
  category: '상수도/누수',
  title: '누수 신고, 야간 포함',
  body: '1) 계량기 별표 확인\n2) "급수과" 연결, 내선 3551',
  keywords: ['누수', '물샘'],
  department: 'water-supply',
  updatedAt: '2026-01-05T00:00:00.000Z',
  version: 3,
  sections: { target: '시민 누구나', documents: '없음', spoken: '급수과로 연결해 드리겠습니다.', sms: '[누수 신고] 급수과 054-270-3551' },
  ...over,
});

const ENTRIES: SheetEntry[] = [
  { entry: entry(), owner: 'water1', verifiedAt: '2026-11-30T16:00:00.000Z' },
  { entry: entry({ id: 'F-1', kind: 'faq', title: '=HYPERLINK("http://x","누르세요")', body: '-5% 감면은 없습니다.\r\n+ 자동이체 할인만', keywords: ['@home', '단수'], sections: { fees: "'=어퍼스트로피로 시작", note: '\t탭으로 시작하는 참고' } }), owner: null, verifiedAt: null },
];

/** What each exported entry comes back as: line breaks as LF (an XLSX cell keeps no CR), sections trimmed. */
const rowOf = (e: SheetEntry, line: number): SheetRow => ({
  line,
  id: e.entry.id,
  version: e.entry.version,
  content: { kind: e.entry.kind, category: e.entry.category, title: e.entry.title, body: e.entry.body.replace(/\r\n/g, '\n'), keywords: e.entry.keywords, sections: Object.fromEntries(Object.entries(e.entry.sections ?? {}).map(([k, v]) => [k, v.trim()])) },
});

const csv = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const cells = (over: Record<string, string>) => HEADER.map((h) => over[h] ?? '');
/** A CSV row: values quoted as a spreadsheet would. */
const csvRow = (over: Record<string, string>) => cells(over).map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
const headerLine = HEADER.join(',');
const good = { 분류: '상수도/누수', 제목: '누수 신고', 업무개요: '급수과로 연결합니다.' };

async function workbook(rows: unknown[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('급수과');
  for (const r of rows) sheet.addRow(r);
  edit?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('the sheet layout', () => {
  it('goes to CSV and back: a BOM, Korean headers, line breaks, commas, quotes and sections kept', async () => {
    const text = sheetCsv(ENTRIES);
    expect(text.startsWith('\uFEFF항목 ID,종류 (매뉴얼/FAQ),분류,제목,업무개요,대상,신청방법,구비서류,수수료·과태료,처리기한,접수처·담당부서,관련법령,참고,상담 답변(짧게),문자 안내,키워드 (;로 구분),버전,담당자,확인일\r\n')).toBe(true);
    // Seoul's day of the verification, the owner, the FAQ's label.
    expect(text).toContain(',3,water1,2026-12-01\r\n');
    expect(text).toContain('F-1,FAQ,');
    const parsed = await parseSheet(Buffer.from(text, 'utf8'), 'csv');
    expect(parsed.problems).toEqual([]);
    // A row's line is the one it ends on: the first entry's body has two lines.
    expect(parsed.rows).toEqual([rowOf(ENTRIES[0] as SheetEntry, 3), rowOf(ENTRIES[1] as SheetEntry, 5)]);
  });

  it('goes to XLSX and back, as a sheet named for the department with its header frozen and bold and its cells wrapped', async () => {
    const bytes = await sheetXlsx(ENTRIES, '상수도사업본부 급수과');
    const parsed = await parseSheet(bytes, 'xlsx');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([rowOf(ENTRIES[0] as SheetEntry, 2), rowOf(ENTRIES[1] as SheetEntry, 3)]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('상수도사업본부 급수과');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(5).alignment?.wrapText).toBe(true);
    expect(sheet.getColumn(5).width).toBeGreaterThanOrEqual(40);
    expect(sheet.getRow(2).getCell(HEADER.indexOf('버전') + 1).value).toBe(3);
    // A name Excel refuses is made one it takes.
    const odd = new ExcelJS.Workbook();
    await odd.xlsx.load((await sheetXlsx([], 'a/b:c*[d]? and a name far longer than thirty-one')) as unknown as Parameters<typeof odd.xlsx.load>[0]);
    expect(odd.worksheets[0]?.name).toBe('a b c  d   and a name far longe');
  });

  it('neutralises what a spreadsheet would run as a formula, and takes it back as it was', async () => {
    for (const v of ['=1+1', '+82 10', '-5%', '@home', '\tx', '\rx', "'=x", "''+x", "'plain", 'plain', '']) expect(restore(neutralise(v))).toBe(v);
    expect(neutralise('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(neutralise("'=x")).toBe("''=x");
    expect(neutralise("'plain")).toBe("'plain");
    const text = sheetCsv(ENTRIES);
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""누르세요"")"');
    expect(text).toContain("'@home; 단수");
    expect(text).not.toMatch(/,=|,"=|,-5|,"-5|,@/);
    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load((await sheetXlsx(ENTRIES, '급수과')) as unknown as Parameters<typeof sheet.xlsx.load>[0]);
    expect(sheet.worksheets[0]?.getRow(3).getCell(4).value).toBe('\'=HYPERLINK("http://x","누르세요")');
    // A cell someone typed behind an apostrophe in their spreadsheet is read without it.
    const typed = await parseSheet(csv(headerLine, csvRow({ ...good, 제목: "'=누수", 참고: "'-야간" })), 'csv');
    expect(typed.rows[0]?.content).toMatchObject({ title: '=누수', sections: { note: '-야간' } });
  });

  it('reads a plain CSV as Excel on Korean Windows saves it (CP949), and a new entry without an id', async () => {
    const text = [HEADER.join(','), cells({ ...good, '종류 (매뉴얼/FAQ)': 'faq', '키워드 (;로 구분)': '누수; 물샘 ;;' }).join(',')].join('\r\n');
    const parsed = await parseSheet(iconv.encode(text, 'cp949'), 'csv');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([{ line: 2, id: null, version: null, content: { kind: 'faq', ...{ category: '상수도/누수', title: '누수 신고', body: '급수과로 연결합니다.' }, keywords: ['누수', '물샘'], sections: {} } }]);
  });
});

describe('problems', () => {
  it('refuses unknown, missing and repeated headers as one problem', async () => {
    expect((await parseSheet(csv('항목 ID,제목,업무개요,색깔', 'W-1,t,b,빨강'), 'csv')).problems).toEqual([{ line: 1, message: 'header: unknown columns 색깔; missing columns 분류' }]);
    expect((await parseSheet(csv('분류,제목,업무개요,제목', 'c,t,b,t'), 'csv')).problems).toEqual([{ line: 1, message: 'header: repeated columns 제목' }]);
    expect((await parseSheet(await workbook([['분류', '제목', '내용'], ['c', 't', 'b']]), 'xlsx')).problems).toEqual([{ line: 1, message: 'header: unknown columns 내용; missing columns 업무개요' }]);
  });

  it('names each bad cell by its line (CSV: where the row ends; XLSX: its row) and column', async () => {
    const text = csv(
      headerLine,
      csvRow({ ...good, '항목 ID': 'W-1', 업무개요: '두 줄\n본문', 버전: '2' }),
      csvRow({ ...good, '항목 ID': 'bad id!', 제목: '' }),
      csvRow({ ...good, '종류 (매뉴얼/FAQ)': '공지', 버전: '최신' }),
      csvRow({ ...good, '항목 ID': 'W-1', '문자 안내': '가'.repeat(1001), '키워드 (;로 구분)': 'x'.repeat(51) }),
    );
    const parsed = await parseSheet(text, 'csv');
    expect(parsed.rows.map((r) => r.line)).toEqual([3]);
    expect(parsed.problems).toEqual([
      { line: 4, column: '항목 ID', message: 'id: letters, digits, . _ - only' },
      { line: 4, column: '제목', message: 'empty: every entry needs one' },
      { line: 5, column: '종류 (매뉴얼/FAQ)', message: '매뉴얼 or FAQ, not 공지' },
      { line: 5, column: '버전', message: 'a version number as exported' },
      { line: 6, column: '항목 ID', message: 'W-1 repeats line 3' },
      { line: 6, column: '키워드 (;로 구분)', message: expect.stringMatching(/50/) },
      { line: 6, column: '문자 안내', message: expect.stringMatching(/SMS form/) },
    ]);
    const book = await workbook([HEADER, cells({ ...good, 분류: '' }), [], cells(good)], (sheet) => {
      sheet.getCell('D4').value = { formula: 'A1&"x"', result: '누수' };
      sheet.getCell(5, HEADER.length + 2).value = '머리글 없는 칸';
    });
    expect((await parseSheet(book, 'xlsx')).problems).toEqual([
      { line: 2, column: '분류', message: 'empty: every entry needs one' },
      { line: 4, column: '제목', message: 'a formula: type the text the cell should hold' },
      { line: 5, message: `a value in column ${HEADER.length + 2}, which has no header` },
    ]);
  });

  it('tells a broken or wrong file clearly', async () => {
    const problem = async (bytes: Buffer, format: 'csv' | 'xlsx') => (await parseSheet(bytes, format)).problems;
    expect(await problem(Buffer.alloc(0), 'csv')).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(await problem(csv(headerLine, `W-1,매뉴얼,"c,t,b`), 'csv')).toEqual([{ line: 2, message: expect.stringMatching(/^CSV: /) }]);
    expect(await problem(csv(headerLine), 'csv')).toEqual([{ line: 2, message: 'the sheet has no entries under its header' }]);
    expect(await problem(Buffer.from('this is not a workbook at all'), 'xlsx')).toEqual([{ line: 1, message: 'not an XLSX workbook: the file is not a zip archive' }]);
    // Random bytes behind a zip's signature; a zip holding no workbook.
    expect(await problem(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 0xa7)]), 'xlsx')).toEqual([{ line: 1, message: expect.stringMatching(/^not an XLSX workbook \(/) }]);
    const book = await sheetXlsx(ENTRIES, '급수과');
    expect(await problem(book, 'csv')).toEqual([{ line: 1, message: 'this is a workbook (XLSX), not CSV: import it as xlsx' }]);
    const empty = Buffer.from(await new ExcelJS.Workbook().xlsx.writeBuffer());
    expect(await problem(empty, 'xlsx')).toEqual([{ line: 1, message: 'not an XLSX workbook: it has no sheet' }]);
    // A random binary read as CSV: a header of nonsense, named in a few words.
    const noise = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251));
    const [garbled] = await problem(noise, 'csv');
    expect(garbled?.line).toBeGreaterThanOrEqual(1);
    expect(garbled?.message.length).toBeLessThan(2000);
  });

  it('refuses a workbook that says it unpacks to more than a sheet ever does (a zip bomb)', async () => {
    const bomb = Buffer.from(await sheetXlsx(ENTRIES, '급수과'));
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(0x7fffffff, central + 24);
    expect((await parseSheet(bomb, 'xlsx')).problems).toEqual([{ line: 1, message: 'the workbook unpacks to more than 100 MB' }]);
  });
});

describe('importing a sheet', () => {
  const department = (id: string, name: string): Department => ({ id, name, duties: [], phone: '054-270-0000', staff: [] });

  async function city() {
    const db = tempCityDb('entry-sheet');
    await replaceDirectory(db, [department('water-supply', '급수과'), department('tax', '세정과')]);
    const water = await createUser(db, { username: 'water1', displayName: 'water1', role: 'editor', password: 'pw-long-enough', department: 'water-supply' }, NOW);
    await upsertEntries(
      db,
      [
        { id: 'W-1', category: '상수도/누수', title: '누수 신고', body: '급수과로\r\n연결합니다.', keywords: ['누수'], department: 'water-supply' },
        { id: 'W-2', category: '상수도/단수', title: '단수 안내', body: '단수 일정을 안내합니다.', department: 'water-supply' },
        { id: 'T-1', category: '지방세/자동차세', title: '자동차세 연납', body: '1월에 연납합니다.', department: 'tax' },
      ],
      'import',
      NOW,
    );
    return { db, water };
  }
  // As a sheet gives it back: W-1's CRLF as LF.
  const content = { kind: 'manual' as const, category: '상수도/누수', title: '누수 신고', body: '급수과로\n연결합니다.', keywords: ['누수'], sections: {} };
  const row = (line: number, id: string | null, over: Partial<SheetRow> = {}): SheetRow => ({ line, id, version: 1, content, ...over });

  it('makes drafts of changed and new rows (a new id of the department kept), counts the unchanged, and nothing goes live', async () => {
    const { db, water } = await city();
    const result = await importSheet(db, water, 'water-supply', [row(2, 'W-1'), row(3, 'W-2', { content: { ...content, title: '단수 안내 (개정)' } }), row(4, null), row(5, 'W-NEW-1')], { submit: false, now: NOW });
    expect(result).toEqual({ drafts: 3, unchanged: 1, problems: [] });
    const drafts = await listDrafts(db, { department: 'water-supply' });
    expect(drafts.map((d) => [d.entryId.replace(/^water-supply-[0-9a-f]{8}$/, 'server-named'), d.baseVersion, d.state]).sort()).toEqual([
      ['W-2', 1, 'draft'],
      ['W-NEW-1', null, 'draft'],
      ['server-named', null, 'draft'],
    ]);
    expect((await getEntry(db, 'W-2'))?.title).toBe('단수 안내');
    expect(await getEntry(db, 'W-NEW-1')).toBeNull();
    await db.close();
  });

  it('refuses the whole sheet for any row of another department, with a draft under way, stale, missing or unknown version', async () => {
    const { db, water } = await city();
    await upsertEntries(db, [{ id: 'W-2', category: '상수도/단수', title: '단수 안내', body: '단수 일정을 안내합니다. 바뀜.', department: 'water-supply' }], 'someone', NOW);
    expect(await createDraft(db, water, { action: 'publish', content: { ...content, title: '새 항목' }, entryId: 'W-OPEN' }, NOW, { newWithId: true })).toMatchObject({ entryId: 'W-OPEN' });
    const changed = { content: { ...content, title: '고침' } };
    const result = await importSheet(db, water, 'water-supply', [row(2, null), row(3, 'T-1'), row(4, 'W-2', changed), row(5, 'W-OPEN'), row(6, 'W-1', { ...changed, version: null }), row(7, 'W-1', { ...changed, version: 9 })], { submit: true, now: NOW });
    expect(result).toEqual({
      drafts: 0,
      unchanged: 0,
      problems: [
        { line: 3, column: '항목 ID', message: "T-1 is another department's entry" },
        { line: 4, column: '버전', message: 'stale: W-2 changed since the export (version 2 is live, the row is of 1); export again' },
        { line: 5, column: '항목 ID', message: 'W-OPEN has a draft under way: finish or withdraw it first' },
        { line: 6, column: '버전', message: 'needed for an existing entry: the version the row was exported from' },
        { line: 7, column: '버전', message: 'W-1 has no version 9 (version 1 is live)' },
      ],
    });
    expect((await listDrafts(db, {})).map((d) => d.entryId)).toEqual(['W-OPEN']);
    await db.close();
  });

  it('submits the drafts for review at once when asked', async () => {
    const { db, water } = await city();
    expect(await importSheet(db, water, 'water-supply', [row(2, null)], { submit: true, now: NOW })).toMatchObject({ drafts: 1 });
    expect((await listDrafts(db, {}))[0]).toMatchObject({ state: 'review', submittedAt: NOW.toISOString() });
    await db.close();
  });
});
