import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Dashboard } from '../../shared/analytics';
import { neutralise, sheetName } from '../import/entry-sheet';
import { reportHtml } from './report-html';
import { printPdf } from './print-pdf';
import type { Cell, ExportTable } from './tables';

/** Text a spreadsheet would run as a formula is neutralised; numbers stay numbers. */
const safe = (c: Cell): string | number => (typeof c === 'string' ? neutralise(c) : (c ?? ''));

/** Every table one after another, each under its title and followed by its note (UTF-8 with BOM and CRLF, as Excel on Korean Windows reads it). */
export function tablesCsv(tables: readonly ExportTable[]): Buffer {
  const lines: (string | number)[][] = [];
  for (const t of tables) {
    lines.push([`# ${t.title}`], t.columns, ...t.rows.map((r) => r.map(safe)));
    if (t.note) lines.push([`* ${t.note}`]);
    lines.push([]);
  }
  return Buffer.from(stringify(lines, { bom: true, record_delimiter: 'windows' }), 'utf8');
}

/** One sheet per table: header bold and frozen, widths to fit, the note under it. */
export async function tablesXlsx(tables: readonly ExportTable[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Minwon Desk';
  for (const t of tables) {
    const sheet = book.addWorksheet(sheetName(t.title), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = t.columns.map((header, i) => ({ header, key: String(i), width: Math.min(40, Math.max(8, header.length * 2 + 2, ...t.rows.map((r) => String(r[i] ?? '').length + 2))) }));
    sheet.getRow(1).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r.map(safe));
    if (t.note) {
      sheet.addRow([]);
      sheet.addRow([t.note]).font = { italic: true };
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export type ReportFormat = 'csv' | 'xlsx' | 'pdf';

export const REPORT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The analysis's tables in a format, the printed report with its charts. */
export async function renderReport(format: ReportFormat, tables: readonly ExportTable[], d: Dashboard, generatedAt: Date): Promise<Buffer> {
  if (format === 'csv') return tablesCsv(tables);
  if (format === 'xlsx') return tablesXlsx(tables);
  return printPdf(reportHtml(tables, d, generatedAt));
}
