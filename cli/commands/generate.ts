import { loadDemoManual } from '../../server/demo/seed';
import { generateEntries, generateHistory } from '../../server/demo/generate';
import { draftOf } from '../../shared/record';
import { int } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

export async function runGenerate(args: Args): Promise<number> {
  const what = args.positionals[0];
  const count = int(args, 'count', 1000, 1, 10_000_000);
  const seed = int(args, 'seed', 1);
  const manual = loadDemoManual();
  const write = (row: unknown) => process.stdout.write(`${JSON.stringify(row)}\n`);
  if (what === 'manual') {
    generateEntries(manual, count, seed).forEach(write);
  } else if (what === 'history') {
    const options = {
      callers: Math.max(10, Math.floor(count / 5)),
      agents: ['agent1'],
      categories: [...new Set(manual.map((e) => e.category))],
      manualIds: manual.map((e) => e.id),
      until: new Date('2026-11-01T00:00:00Z'),
      days: 365,
    };
    for (const item of generateHistory(count, seed, options)) write(draftOf(item));
  } else {
    throw new UsageError('generate manual|history --count N');
  }
  return 0;
}
