// `npm run bench`: the knowledge plane's figures, each against a baseline measured in the same run.
import { benchLookup } from './lookup.bench';
import { benchMemory } from './memory.bench';
import { benchOutbox } from './outbox.bench';
import { benchSearch } from './search.bench';
import { benchSync } from './sync.bench';
import { printFigures, type Figure } from './stats';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const figures: Figure[] = [];
const step = async (name: string, fn: () => Promise<Figure[]>) => {
  process.stderr.write(`bench: ${name}…\n`);
  figures.push(...(await fn()));
};

await step('initial and delta sync', () => benchSync(runs));
await step('search', () => benchSearch());
await step('outbox', () => benchOutbox(Math.max(3, Math.ceil(runs / 2))));
const lookup = await benchLookup();
figures.push(...lookup.figures);
await step('core memory', () => benchMemory(lookup.cacheFile, lookup.numbers));
lookup.cleanup();

printFigures(figures);
const failed = figures.filter((f) => !f.pass).length;
process.stdout.write(`\n${figures.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
