import { mkdirSync } from 'node:fs';
import { importManualFile } from '../../server/import/import-manual';
import { databaseUrl, flag, openCityStore, required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

export async function runImport(args: Args): Promise<number> {
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError('import takes one FILE');
  if (!databaseUrl(args)) mkdirSync(required(args, 'data'), { recursive: true });
  const db = await openCityStore(args);
  try {
    const outcome = await importManualFile(db, file, { by: str(args, 'by') ?? 'import', now: new Date(), prune: flag(args, 'prune') });
    if (!outcome.ok) {
      for (const p of outcome.problems) process.stderr.write(`${file}:${p.line}: ${p.message}\n`);
      process.stderr.write(`nothing imported: ${outcome.problems.length} bad row(s)\n`);
      return 1;
    }
    const s = outcome.summary;
    process.stdout.write(`imported ${s.rows} row(s): ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.deleted} deleted\n`);
    return 0;
  } finally {
    await db.close();
  }
}
