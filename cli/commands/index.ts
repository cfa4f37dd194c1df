import { readFileSync } from 'node:fs';
import { buildCacheFromManual } from '../../electron/core/search/build-cache';
import { formatOf, parseManualFile } from '../../server/import/parse-manual-file';
import { synonymSchema } from '../../shared/sync';
import { cacheKey, required, str } from '../args';
import type { Args } from '../main';

export async function runIndex(args: Args): Promise<number> {
  const manual = required(args, 'manual');
  const parsed = parseManualFile(readFileSync(manual, 'utf8'), formatOf(manual));
  if (parsed.problems.length) {
    for (const p of parsed.problems) process.stderr.write(`${manual}:${p.line}: ${p.message}\n`);
    process.stderr.write(`nothing indexed: ${parsed.problems.length} bad row(s)\n`);
    return 1;
  }
  const synonymsFile = str(args, 'synonyms');
  const synonyms = synonymsFile
    ? (JSON.parse(readFileSync(synonymsFile, 'utf8')) as { synonyms: unknown[] }).synonyms.map((s) => synonymSchema.parse(s))
    : [];
  const cacheFile = required(args, 'cache');
  const n = buildCacheFromManual(cacheFile, parsed.entries, synonyms, new Date(), cacheKey(args, cacheFile));
  process.stdout.write(`indexed ${n} entries and ${synonyms.length} synonyms\n`);
  return 0;
}
