import { parse as parseCsv } from 'csv-parse/sync';
import { describeIssues } from '../../shared/issues';
import { manualEntryInputSchema, type ManualEntryInput } from '../../shared/manual';

export interface RowProblem {
  line: number;
  /** The column's header, where one cell is wrong. */
  column?: string;
  message: string;
}

export interface ParsedManualFile {
  entries: ManualEntryInput[];
  problems: RowProblem[];
}

export type ManualFileFormat = 'jsonl' | 'csv';

export function formatOf(file: string): ManualFileFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  throw new Error(`cannot tell the format of ${file}: name it .jsonl or .csv`);
}

const CSV_COLUMNS = ['id', 'kind', 'category', 'title', 'body', 'keywords', 'department', 'updatedAt'] as const;
const REQUIRED_COLUMNS = ['id', 'category', 'title', 'body'];

function check(row: unknown, line: number, out: ParsedManualFile, seen: Map<string, number>): void {
  const r = manualEntryInputSchema.safeParse(row);
  if (!r.success) {
    out.problems.push({ line, message: describeIssues(r.error, 'row') });
    return;
  }
  const first = seen.get(r.data.id);
  if (first !== undefined) {
    out.problems.push({ line, message: `id ${r.data.id} repeats line ${first}` });
    return;
  }
  seen.set(r.data.id, line);
  out.entries.push(r.data);
}

function parseJsonl(text: string): ParsedManualFile {
  const out: ParsedManualFile = { entries: [], problems: [] };
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (e) {
      out.problems.push({ line, message: `not JSON: ${(e as Error).message}` });
      return;
    }
    check(row, line, out, seen);
  });
  return out;
}

/** A CSV file's records by its header's names, each with the line it ends on (multi-line cells make that the useful one to report). */
export interface CsvRecords {
  header: string[];
  records: { record: Record<string, string>; line: number }[];
}

/** Reads CSV text (a UTF-8 BOM skipped, empty lines too), or the problem that stops it being read. */
export function readCsv(text: string): CsvRecords | RowProblem {
  let header: string[] = [];
  try {
    const records = parseCsv(text, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    // csv-parse counts a CRLF inside a quoted cell as two lines where an editor shows one: each such
    // pair moves every line after it by one.
    let pairs = 0;
    return {
      header,
      records: records.map(({ record, info }) => {
        for (const v of Object.values(record)) pairs += v.split('\r\n').length - 1;
        return { record, line: info.lines - pairs };
      }),
    };
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { line: err.lines ?? 1, message: `CSV: ${err.message}` };
  }
}

/** What is wrong with a header row (on line 1): columns unknown, missing or repeated; null when nothing is. */
export function headerProblem(header: readonly string[], known: readonly string[], required: readonly string[]): RowProblem | null {
  const unknown = header.filter((c) => !known.includes(c));
  const missing = required.filter((c) => !header.includes(c));
  const repeated = [...new Set(header.filter((c, i) => header.indexOf(c) !== i))];
  // A file that is no sheet at all has a "header" of thousands of names: a few tell enough.
  const names = (cs: readonly string[]) => cs.slice(0, 10).map((c) => c || '(no name)').join(', ') + (cs.length > 10 ? ` and ${cs.length - 10} more` : '');
  const parts = [unknown.length ? `unknown columns ${names(unknown)}` : '', missing.length ? `missing columns ${names(missing)}` : '', repeated.length ? `repeated columns ${names(repeated)}` : ''];
  return parts.some(Boolean) ? { line: 1, message: `header: ${parts.filter(Boolean).join('; ')}` } : null;
}

/** CSV has the same columns as JSONL; `keywords` holds the keywords separated by `;`, empty cells mean absent. */
function parseCsvText(text: string): ParsedManualFile {
  const out: ParsedManualFile = { entries: [], problems: [] };
  const seen = new Map<string, number>();
  const csv = readCsv(text);
  if (!('records' in csv)) return { entries: [], problems: [csv] };
  const bad = headerProblem(csv.header, CSV_COLUMNS, REQUIRED_COLUMNS);
  if (bad) return { entries: [], problems: [bad] };
  for (const { record, line } of csv.records) {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (v.trim() === '') continue;
      row[k] = k === 'keywords' ? v.split(';').map((s) => s.trim()).filter(Boolean) : v;
    }
    check(row, line, out, seen);
  }
  return out;
}

export function parseManualFile(text: string, format: ManualFileFormat): ParsedManualFile {
  return format === 'csv' ? parseCsvText(text) : parseJsonl(text);
}
