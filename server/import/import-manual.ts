import { readFileSync } from 'node:fs';
import type { Db } from '../store/sql';
import { deleteEntry, liveEntryIds, upsertEntries, type UpsertSummary } from '../store/manual';
import { formatOf, parseManualFile, type RowProblem } from './parse-manual-file';

export type ImportOutcome =
  | { ok: true; summary: UpsertSummary & { deleted: number; rows: number } }
  | { ok: false; problems: RowProblem[] };

/**
 * Imports a manual file all or nothing: any bad row means nothing is written. With `prune`,
 * live entries of the kinds in the file that the file no longer lists are deleted (tombstoned).
 */
export async function importManualFile(db: Db, file: string, opts: { by: string; now: Date; prune?: boolean }): Promise<ImportOutcome> {
  const format = formatOf(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  const parsed = parseManualFile(text, format);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  if (parsed.entries.length === 0) return { ok: false, problems: [{ line: 1, message: 'the file has no entries' }] };
  const summary = await db.write(async (tx) => {
    const upserted = await upsertEntries(tx, parsed.entries, opts.by, opts.now);
    let deleted = 0;
    if (opts.prune) {
      const listed = new Set(parsed.entries.map((e) => e.id));
      const kinds = new Set(parsed.entries.map((e) => e.kind ?? 'manual'));
      for (const kind of kinds) {
        for (const id of await liveEntryIds(tx, kind)) {
          if (!listed.has(id) && (await deleteEntry(tx, id, opts.by, opts.now))) deleted++;
        }
      }
    }
    return { ...upserted, deleted, rows: parsed.entries.length };
  });
  return { ok: true, summary };
}
