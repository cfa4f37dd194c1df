import { randomUUID } from 'node:crypto';
import { previousPeriod, type AnalyticsQuery } from '../../shared/analytics';
import { dashboard } from '../store/analytics';
import { listDepartments } from '../store/directory';
import type { Db } from '../store/sql';
import { citizensPerCell } from './citizens';
import { renderReport, REPORT_TYPES, type ReportFormat } from './formats';
import { exportTables } from './tables';

export interface ExportedReport {
  file: Buffer;
  /** A file name for it (Korean, with the range). */
  name: string;
  type: string;
}

/**
 * The analysis of a range as a file to publish (suppressed: see tables.ts), written to the export
 * log with who asked and from where: the web app's user, or the command line's.
 */
export async function exportAnalysis(db: Db, q: AnalyticsQuery, format: ReportFormat, by: { actor: string; source: 'web' | 'cli' }, now: Date): Promise<ExportedReport> {
  const d = await dashboard(db, q);
  const citizens = await citizensPerCell(db, q);
  const before = await citizensPerCell(db, { ...q, ...previousPeriod(q.from, q.to) });
  // Records name a department by its directory id; the published tables by its name.
  const names = new Map((await listDepartments(db)).map((x) => [x.id, x.name]));
  const file = await renderReport(format, exportTables(d, citizens, before, (id) => names.get(id) ?? id), d, now);
  await db.run('INSERT INTO export_log(id, at, actor, source, format, from_day, to_day, channels, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    randomUUID(),
    now.toISOString(),
    by.actor,
    by.source,
    format,
    q.from,
    q.to,
    q.channels.join(','),
    file.length,
  ]);
  return { file, name: `민원 분석 ${q.from}~${q.to}.${format}`, type: REPORT_TYPES[format] };
}

export interface ExportLogRow {
  at: string;
  actor: string;
  source: string;
  format: string;
  from: string;
  to: string;
  channels: string;
  bytes: number;
}

/** The export log, newest first: who published what of the analysis. */
export async function listExports(db: Db, limit: number): Promise<ExportLogRow[]> {
  const rows = await db.all<ExportLogRow>('SELECT at, actor, source, format, from_day AS "from", to_day AS "to", channels, bytes FROM export_log ORDER BY at DESC, id LIMIT ?', [limit]);
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}
