import { createInterface } from 'node:readline';
import { openCacheDb } from '../../electron/core/cache/cache-db';
import { createSearchIndex } from '../../electron/core/search/search-index';
import { cacheKey, flag, int, required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

export async function runSearch(args: Args): Promise<number> {
  const query = args.positionals[0];
  if (query === undefined || args.positionals.length > 1) throw new UsageError("search takes one QUERY (quote it), or - to read queries from stdin");
  const cacheFile = required(args, 'cache');
  const db = openCacheDb(cacheFile, cacheKey(args, cacheFile));
  try {
    const index = createSearchIndex(db, () => new Date());
    index.warm();
    const limit = int(args, 'limit', 10, 1, 50);
    const category = str(args, 'category');
    const run = (q: string) => {
      const t = process.hrtime.bigint();
      const hits = index.search(q, limit, category);
      return { hits, tookMs: Number(process.hrtime.bigint() - t) / 1e6 };
    };
    if (query === '-') {
      // Batch mode for evaluations: one query a line in, one JSON line out.
      for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        const { hits, tookMs } = run(line);
        const results = hits.map((h) => ({ id: h.id, title: h.title, score: h.score }));
        process.stdout.write(`${JSON.stringify({ query: line, results, tookMs: Math.round(tookMs * 1000) / 1000 })}\n`);
      }
      return 0;
    }
    const { hits, tookMs } = run(query);
    if (flag(args, 'json')) {
      process.stdout.write(`${JSON.stringify({ query, results: hits, tookMs })}\n`);
    } else {
      hits.forEach((h, i) => process.stdout.write(`${String(i + 1).padStart(2)}. ${h.id}  ${h.title}  [${h.category}]  ${h.score}\n    ${h.snippet}\n`));
      process.stdout.write(`${hits.length} result(s) in ${tookMs.toFixed(2)} ms\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}
