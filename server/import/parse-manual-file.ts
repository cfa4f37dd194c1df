import { parse as parseCsv } from 'csv-parse/sync';
import { describeIssues } from '../../shared/issues';
import { manualEntryInputSchema, type ManualEntryInput } from '../../shared/manual';

export interface RowProblem {
  line: number;
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

/** CSV has the same columns as JSONL; `keywords` holds the keywords separated by `;`, empty cells mean absent. */
function parseCsvText(text: string): ParsedManualFile {
  const out: ParsedManualFile = { entries: [], problems: [] };
  const seen = new Map<string, number>();
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { entries: [], problems: [{ line: err.lines ?? 1, message: `CSV: ${err.message}` }] };
  }
  const unknown = header.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (unknown.length || missing.length) {
    const parts = [unknown.length ? `unknown columns ${unknown.join(', ')}` : '', missing.length ? `missing columns ${missing.join(', ')}` : ''];
    return { entries: [], problems: [{ line: 1, message: `header: ${parts.filter(Boolean).join('; ')}` }] };
  }
  for (const { record, info } of records) {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (v.trim() === '') continue;
      row[k] = k === 'keywords' ? v.split(';').map((s) => s.trim()).filter(Boolean) : v;
    }
    // info.lines is the line a record ends on; multi-line bodies make that the useful one to report.
    check(row, info.lines, out, seen);
  }
  return out;
}

export function parseManualFile(text: string, format: ManualFileFormat): ParsedManualFile {
  return format === 'csv' ? parseCsvText(text) : parseJsonl(text);
}
