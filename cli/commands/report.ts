import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { analyticsQuerySchema, EXPORT_FORMATS, type ExportFormat } from '../../shared/analytics';
import { describeIssues } from '../../shared/issues';
import { exportAnalysis } from '../../server/report/export';
import { checkRollups, rebuildRollups } from '../../server/store/rollups';
import { openCityStore, required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

/** `minwon report`: the analysis of Seoul days FROM to TO (both included) as a file to publish, audited as the OS user's. */
export async function runReport(args: Args): Promise<number> {
  const format = required(args, 'format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${EXPORT_FORMATS.join(', ')}`);
  const out = required(args, 'out');
  const parsed = analyticsQuerySchema.safeParse({ from: required(args, 'from'), to: required(args, 'to'), ...(str(args, 'channels') ? { channels: str(args, 'channels') } : {}), ...(str(args, 'grain') ? { grain: str(args, 'grain') } : {}) });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error, 'report'));
  const db = await openCityStore(args);
  try {
    const report = await exportAnalysis(db, parsed.data, format as ExportFormat, { actor: `cli:${userInfo().username}`, source: 'cli' }, new Date());
    await writeFile(out, report.file);
    process.stdout.write(`${out}: ${report.file.length} bytes, ${parsed.data.from} to ${parsed.data.to} (Seoul days), cells of fewer than 5 citizens suppressed\n`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `minwon rollups check|rebuild`: compares the analysis's rollups with the records, or rebuilds them from the records. */
export async function runRollups(args: Args): Promise<number> {
  const action = args.positionals[0];
  if (action !== 'check' && action !== 'rebuild') throw new UsageError('rollups check|rebuild (--data DIR | --database postgres://...)');
  const db = await openCityStore(args);
  try {
    const r = action === 'check' ? await checkRollups(db) : await rebuildRollups(db);
    const since = r.since === '0000-00-00' ? 'all days' : `days from ${r.since}`;
    const differs = r.differences.length > 0 || r.repeatFlags > 0;
    for (const d of r.differences.slice(0, 50)) process.stdout.write(`  ${d}\n`);
    if (r.differences.length > 50) process.stdout.write(`  … and ${r.differences.length - 50} more\n`);
    if (action === 'check') {
      process.stdout.write(`${r.records} record(s), ${since}: ${differs ? `${r.differences.length} rollup row(s) and ${r.repeatFlags} repeat flag(s) differ from the records` : 'the rollups equal the records'}\n`);
      return differs ? 1 : 0;
    }
    process.stdout.write(`${r.records} record(s), ${since}: rebuilt (${r.differences.length} rollup row(s) and ${r.repeatFlags} repeat flag(s) differed before)\n`);
    return 0;
  } finally {
    await db.close();
  }
}
