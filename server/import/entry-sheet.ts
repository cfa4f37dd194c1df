import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { draftContentSchema, type DraftContent } from '../../shared/knowledge';
import { compactSections, FIELD_NAMES_KO, manualEntryInputSchema, SECTION_KEYS, type EntryKind, type SectionKey } from '../../shared/manual';
import { seoulDay } from '../../shared/seoul-time';
import type { PortalEntry } from '../store/entry-upkeep';
import { getEntry } from '../store/manual';
import { createDraft, openDraftOf, submitDraft } from '../store/manual-drafts';
import type { Db } from '../store/sql';
import type { User } from '../store/users';
import { headerProblem, readCsv, type CsvRecords, type RowProblem } from './parse-manual-file';

/**
 * A department's manual entries as the spreadsheet it works in (issue 21): one layout for CSV and
 * XLSX, with Korean headers. Exported from what is live; imported back as drafts for review, all
 * or nothing.
 */

type Field = 'id' | 'kind' | 'category' | 'title' | 'body' | SectionKey | 'keywords' | 'version' | 'owner' | 'verifiedAt';


/** The sheet's columns in order; widths in Excel's characters. 버전, 담당자 and 확인일 are for reference (버전 is the version a row was exported from). */
export const SHEET_COLUMNS: readonly { field: Field; header: string; width: number }[] = [
  { field: 'id', header: '항목 ID', width: 16 },
  { field: 'kind', header: '종류 (매뉴얼/FAQ)', width: 10 },
  { field: 'category', header: '분류', width: 18 },
  { field: 'title', header: '제목', width: 32 },
  { field: 'body', header: FIELD_NAMES_KO.body, width: 60 },
  ...SECTION_KEYS.map((key) => ({ field: key, header: FIELD_NAMES_KO[key], width: key === 'howToApply' || key === 'note' ? 50 : 36 })),
  { field: 'keywords', header: '키워드 (;로 구분)', width: 30 },
  { field: 'version', header: '버전', width: 7 },
  { field: 'owner', header: '담당자', width: 12 },
  { field: 'verifiedAt', header: '확인일', width: 12 },
];

const HEADERS = SHEET_COLUMNS.map((c) => c.header);
const headerOf = (field: Field) => (SHEET_COLUMNS.find((c) => c.field === field) as { header: string }).header;
const REQUIRED_HEADERS = (['category', 'title', 'body'] as const).map(headerOf);

const KIND_LABELS: Record<EntryKind, string> = { manual: '매뉴얼', faq: 'FAQ' };
const kindOfLabel = (label: string): EntryKind | null => {
  const l = label.toLowerCase();
  if (l === '' || l === 'manual' || label === KIND_LABELS.manual) return 'manual';
  return l === 'faq' ? 'faq' : null;
};

// A cell a spreadsheet would run as a formula is written behind an apostrophe (CSV/formula
// injection). A value already starting with apostrophes before such a character gets one more, so
// that reading back strips exactly one and every value comes back as it was.
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
export const neutralise = (text: string): string => (FORMULA_LIKE.test(text) ? `'${text}` : text);
export const restore = (text: string): string => (NEUTRALISED.test(text) ? text.slice(1) : text);

/** What the sheet shows of a live entry, from the portal's view of it. */
export type SheetEntry = Pick<PortalEntry, 'entry' | 'owner' | 'verifiedAt'>;

function cellsOf({ entry, owner, verifiedAt }: SheetEntry): (string | number)[] {
  const value = (field: Field): string | number => {
    switch (field) {
      case 'kind':
        return KIND_LABELS[entry.kind];
      case 'keywords':
        return entry.keywords.join('; ');
      case 'version':
        return entry.version;
      case 'owner':
        return owner ?? '';
      case 'verifiedAt':
        return verifiedAt ? seoulDay(new Date(verifiedAt)).day : '';
      case 'id':
      case 'category':
      case 'title':
      case 'body':
        return entry[field];
      default:
        return entry.sections?.[field] ?? '';
    }
  };
  return SHEET_COLUMNS.map((c) => {
    const v = value(c.field);
    return typeof v === 'string' ? neutralise(v) : v;
  });
}

/** The entries as CSV: UTF-8 with a BOM (Excel reads Korean right only with one), CRLF lines. */
export function sheetCsv(entries: readonly SheetEntry[]): string {
  return stringify([HEADERS, ...entries.map(cellsOf)], { bom: true, record_delimiter: 'windows' });
}

/** A sheet name Excel takes: at most 31 characters, none of : \ / ? * [ ], not wrapped in apostrophes. */
export const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31) || '매뉴얼';

/** The entries as an XLSX workbook of one sheet named for the department: header frozen and bold, cells wrapped and typed as text. */
export async function sheetXlsx(entries: readonly SheetEntry[], department: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Minwon Desk';
  const sheet = book.addWorksheet(sheetName(department), { views: [{ state: 'frozen', ySplit: 1 }] });
  // Text format: what someone types later stays text (no dates made of 처리기한, no formulas run).
  sheet.columns = SHEET_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width, style: { numFmt: c.field === 'version' ? '0' : '@', alignment: { wrapText: true, vertical: 'top' } } }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SHEET_COLUMNS.length } };
  for (const e of entries) sheet.addRow(cellsOf(e));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export type SheetFormat = 'csv' | 'xlsx';

/** One row of an imported sheet: its entry's id (none: a new entry), the version it was exported from, its content. */
export interface SheetRow {
  line: number;
  id: string | null;
  version: number | null;
  content: DraftContent;
}

export interface ParsedSheet {
  rows: SheetRow[];
  problems: RowProblem[];
}

/** Line breaks as a sheet gives them back: an XLSX cell keeps no CR, so neither format does. */
const lf = (text: string) => text.replace(/\r\n?/g, '\n');

/** A sheet read into cells by header, with problems found in the cells themselves (XLSX formulas). */
type Grid = CsvRecords & { problems: RowProblem[] };

/** Excel on Korean Windows saves a plain CSV in CP949; a file that is not UTF-8 is read as that. */
function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'cp949');
  }
}

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP_CENTRAL_HEADER = 0x02014b50;
/** More than any department's sheet unpacks to; a zip bomb is refused before it is inflated. */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/** The bytes a zip's central directory says its files unpack to; null when there is no directory to read (the reader then says what is wrong). */
function declaredUnpackedBytes(zip: Buffer): number | null {
  const end = zip.lastIndexOf(ZIP_END);
  if (end < 0 || end + 22 > zip.length) return null;
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== ZIP_CENTRAL_HEADER) return null;
    const size = zip.readUInt32LE(at + 24);
    // ZIP64 sizes: 4 GB or more.
    total += size === 0xffffffff ? Infinity : size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}

/** A cell's text; null for a formula, which is refused rather than read as whatever it last computed. */
function cellText(cell: ExcelJS.Cell): string | null {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) return null;
  return cell.text;
}

async function readXlsx(bytes: Buffer): Promise<Grid | RowProblem> {
  if ((declaredUnpackedBytes(bytes) ?? 0) > MAX_UNPACKED_BYTES) return { line: 1, message: `the workbook unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB` };
  const book = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer, which Node's does not satisfy in type; it reads Node's.
    await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
  } catch (e) {
    return { line: 1, message: `not an XLSX workbook (${(e as Error).message})` };
  }
  const sheet = book.worksheets[0];
  if (!sheet) return { line: 1, message: 'not an XLSX workbook: it has no sheet' };
  const header: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => (header[col - 1] = (cellText(cell) ?? '').trim()));
  // Columns formatted but never written to trail many a sheet: the header ends at its last name.
  while (header.length > 0 && !header[header.length - 1]) header.pop();
  // A header cell left empty (a hole in the array) is a column without a name.
  const grid: Grid = { header: Array.from(header, (h) => h ?? ''), records: [], problems: [] };
  sheet.eachRow((row, line) => {
    if (line === 1) return;
    const record: Record<string, string> = {};
    row.eachCell((cell, col) => {
      const text = cellText(cell);
      const column = grid.header[col - 1];
      if (text === null) grid.problems.push({ line, ...(column ? { column } : {}), message: 'a formula: type the text the cell should hold' });
      else if (column !== undefined) record[column] = text;
      else if (text.trim()) grid.problems.push({ line, message: `a value in column ${col}, which has no header` });
    });
    grid.records.push({ record, line });
  });
  return grid;
}

/** The path of a content problem as the column it is in. */
function columnOf(path: readonly PropertyKey[]): string | undefined {
  const [head, key] = path;
  if (head === 'sections' && typeof key === 'string' && key in FIELD_NAMES_KO) return FIELD_NAMES_KO[key as SectionKey];
  return SHEET_COLUMNS.find((c) => c.field === head)?.header;
}

function rowsOf(grid: Grid): ParsedSheet {
  const bad = headerProblem(grid.header, HEADERS, REQUIRED_HEADERS);
  if (bad) return { rows: [], problems: [bad] };
  const out: ParsedSheet = { rows: [], problems: [...grid.problems] };
  const seen = new Map<string, number>();
  for (const { record, line } of grid.records) {
    const cell = (field: Field) => restore(lf(record[headerOf(field)] ?? '').trim());
    if (Object.values(record).every((v) => v.trim() === '')) continue;
    const problem = (field: Field, message: string) => out.problems.push({ line, column: headerOf(field), message });
    const id = cell('id') || null;
    if (id !== null) {
      const checked = manualEntryInputSchema.shape.id.safeParse(id);
      const first = seen.get(id);
      if (!checked.success) problem('id', checked.error.issues.map((i) => i.message).join('; '));
      else if (first !== undefined) problem('id', `${id} repeats line ${first}`);
      else seen.set(id, line);
    }
    const kind = kindOfLabel(cell('kind'));
    if (kind === null) problem('kind', `${KIND_LABELS.manual} or ${KIND_LABELS.faq}, not ${cell('kind')}`);
    const versionText = cell('version');
    const version = /^[1-9]\d{0,8}$/.test(versionText) ? Number(versionText) : null;
    if (versionText && version === null) problem('version', 'a version number as exported');
    const sections = Object.fromEntries(SECTION_KEYS.flatMap((key) => (cell(key) ? [[key, cell(key)]] : [])));
    const keywords = cell('keywords').split(';').map((k) => k.trim()).filter(Boolean);
    const content = draftContentSchema.safeParse(
      { kind: kind ?? undefined, category: cell('category') || undefined, title: cell('title') || undefined, body: cell('body') || undefined, keywords, sections },
      { error: (issue) => (issue.input === undefined ? 'empty: every entry needs one' : undefined) },
    );
    for (const issue of content.error?.issues ?? []) {
      const column = columnOf(issue.path);
      // A cell already refused (a formula) is not also reported empty.
      if (!out.problems.some((p) => p.line === line && p.column === column)) out.problems.push({ line, ...(column ? { column } : {}), message: issue.message });
    }
    if (content.success && !out.problems.some((p) => p.line === line)) out.rows.push({ line, id, version, content: content.data });
  }
  if (out.rows.length === 0 && out.problems.length === 0) out.problems.push({ line: 2, message: 'the sheet has no entries under its header' });
  return { rows: out.rows, problems: out.problems.sort((a, b) => a.line - b.line) };
}

/** A sheet's rows checked against the entries' schema, every problem named by its line (CSV: the line a row ends on; XLSX: its row) and column. */
export async function parseSheet(bytes: Buffer, format: SheetFormat): Promise<ParsedSheet> {
  if (bytes.length === 0) return { rows: [], problems: [{ line: 1, message: 'the file is empty' }] };
  const isZip = bytes.subarray(0, 4).equals(ZIP_LOCAL_HEADER);
  if (format === 'csv' && isZip) return { rows: [], problems: [{ line: 1, message: 'this is a workbook (XLSX), not CSV: import it as xlsx' }] };
  if (format === 'xlsx' && !isZip) return { rows: [], problems: [{ line: 1, message: 'not an XLSX workbook: the file is not a zip archive' }] };
  const grid = format === 'csv' ? readCsv(csvText(bytes)) : await readXlsx(bytes);
  if (!('records' in grid)) return { rows: [], problems: [grid] };
  return rowsOf({ problems: [], ...grid });
}

export interface SheetImport {
  drafts: number;
  unchanged: number;
  problems: RowProblem[];
}

/** Thrown inside the import's transaction so that nothing of it stays. */
class SheetRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('sheet refused');
  }
}

const contentKey = (c: DraftContent) => JSON.stringify([c.kind, c.category, c.title, c.body, c.keywords, compactSections(c.sections)], (_key, v: unknown) => (typeof v === 'string' ? lf(v) : v));
const sameContent = (a: DraftContent, b: DraftContent) => contentKey(a) === contentKey(b);

/** What a row is: a change to draft, the same as what is live, or a problem with one of its cells. */
async function verdictOf(tx: Db, row: SheetRow, department: string): Promise<'change' | 'same' | { column: string; message: string }> {
  if (row.id === null) return 'change';
  const live = await getEntry(tx, row.id);
  if (live) {
    if (live.department !== department) return { column: headerOf('id'), message: `${row.id} is another department's entry` };
    // A row as it is live changes nothing, whatever its version or drafts: a sheet exported while
    // some of its entries were in review still comes back.
    if (sameContent(row.content, { ...live, sections: live.sections ?? {} })) return 'same';
    if (row.version === null) return { column: headerOf('version'), message: 'needed for an existing entry: the version the row was exported from' };
    if (row.version < live.version) return { column: headerOf('version'), message: `stale: ${row.id} changed since the export (version ${live.version} is live, the row is of ${row.version}); export again` };
    if (row.version > live.version) return { column: headerOf('version'), message: `${row.id} has no version ${row.version} (version ${live.version} is live)` };
  }
  if (await openDraftOf(tx, row.id)) return { column: headerOf('id'), message: `${row.id} has a draft under way: finish or withdraw it first` };
  return 'change';
}

/**
 * Turns a department's sheet into drafts, all or nothing in one transaction: every row checked
 * first (an entry of another department, one with a draft under way, a row exported from an older
 * version than is live: nothing is created). Rows the same as what is live are counted, not drafted.
 * A row without an id, or with one the city has no entry of, is a new entry of `department`.
 * With `submit` the drafts go to review at once.
 */
export async function importSheet(db: Db, user: User, department: string, rows: readonly SheetRow[], o: { submit: boolean; now: Date }): Promise<SheetImport> {
  try {
    return await db.write(async (tx) => {
      const problems: RowProblem[] = [];
      const changed: SheetRow[] = [];
      let unchanged = 0;
      for (const row of rows) {
        const verdict = await verdictOf(tx, row, department);
        if (verdict === 'same') unchanged++;
        else if (verdict === 'change') changed.push(row);
        else problems.push({ line: row.line, ...verdict });
      }
      if (problems.length > 0) throw new SheetRefused(problems);
      for (const row of changed) {
        const draft = await createDraft(tx, user, { ...(row.id ? { entryId: row.id } : {}), action: 'publish', department, content: row.content }, o.now, { newWithId: true });
        if (typeof draft === 'string') throw new SheetRefused([{ line: row.line, message: `the draft was refused (${draft})` }]);
        const submitted = o.submit ? await submitDraft(tx, user, draft.id, o.now) : draft;
        if (typeof submitted === 'string') throw new SheetRefused([{ line: row.line, message: `the draft could not be submitted (${submitted})` }]);
      }
      return { drafts: changed.length, unchanged, problems: [] };
    });
  } catch (e) {
    if (e instanceof SheetRefused) return { drafts: 0, unchanged: 0, problems: e.problems };
    throw e;
  }
}
