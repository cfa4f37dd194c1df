import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openCacheDb } from '../../electron/core/cache/cache-db';
import { buildCacheFromManual } from '../../electron/core/search/build-cache';
import { createSearchCorpus } from '../../electron/core/search/search-corpus';
import { createSearchIndex } from '../../electron/core/search/search-index';
import { createMemoryIndex, type MemoryIndex } from '../../shared/search/memory-index';
import type { CacheDb } from '../../electron/core/cache/cache-db';
import { loadDemoManual, loadDemoSynonyms } from '../../server/demo/seed';
import { REPO } from './processes';

export const EVAL_FILE = join(REPO, 'test/fixtures/search-eval.jsonl');
export const BASELINE_FILE = join(REPO, 'test/fixtures/search-eval-baseline.json');
export const REPORT_FILE = join(REPO, 'test/fixtures/search-eval-report.md');

const evalQuerySchema = z.strictObject({
  query: z.string(),
  kind: z.string(),
  relevant: z.array(z.strictObject({ id: z.string(), grade: z.union([z.literal(1), z.literal(2)]) })).min(1),
  note: z.string().optional(),
});
export type EvalQuery = z.infer<typeof evalQuerySchema>;

export function loadEvalSet(): EvalQuery[] {
  return readFileSync(EVAL_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => evalQuerySchema.parse(JSON.parse(l)));
}

/** A search engine under evaluation: query in, ranked entry ids out. */
export type Engine = (query: string) => string[];

export interface Metrics {
  n: number;
  s1: number;
  s5: number;
  mrr10: number;
  ndcg10: number;
}

function score(q: EvalQuery, ranked: readonly string[]): Omit<Metrics, 'n'> {
  const grade = new Map(q.relevant.map((r) => [r.id, r.grade]));
  const first = ranked.slice(0, 10).findIndex((id) => grade.has(id));
  const gain = (g: number) => 2 ** g - 1;
  const dcg = ranked.slice(0, 10).reduce((sum, id, i) => sum + gain(grade.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...q.relevant.map((r) => r.grade)].sort((a, b) => b - a).slice(0, 10).reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
  return { s1: first === 0 ? 1 : 0, s5: first >= 0 && first < 5 ? 1 : 0, mrr10: first >= 0 ? 1 / (first + 1) : 0, ndcg10: ideal ? dcg / ideal : 0 };
}

function mean(rows: Omit<Metrics, 'n'>[]): Metrics {
  const n = rows.length;
  const avg = (k: keyof Omit<Metrics, 'n'>) => rows.reduce((s, r) => s + r[k], 0) / Math.max(1, n);
  return { n, s1: avg('s1'), s5: avg('s5'), mrr10: avg('mrr10'), ndcg10: avg('ndcg10') };
}

export interface EvalResult {
  overall: Metrics;
  byKind: Record<string, Metrics>;
  misses: { query: string; kind: string; top: string[]; want: string[] }[];
}

export function evaluate(engine: Engine, set: readonly EvalQuery[]): EvalResult {
  const rows = set.map((q) => ({ q, ranked: engine(q.query) }));
  const scored = rows.map(({ q, ranked }) => ({ q, ranked, m: score(q, ranked) }));
  const kinds = [...new Set(set.map((q) => q.kind))];
  return {
    overall: mean(scored.map((s) => s.m)),
    byKind: Object.fromEntries(kinds.map((k) => [k, mean(scored.filter((s) => s.q.kind === k).map((s) => s.m))])),
    misses: scored
      .filter((s) => s.m.s5 === 0)
      .map((s) => ({ query: s.q.query, kind: s.q.kind, top: s.ranked.slice(0, 5), want: s.q.relevant.map((r) => r.id) })),
  };
}

/** The demo manual and synonyms in a fresh cache, as `minwon index` builds it. */
export function buildEvalCache(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'minwon-eval-')), 'cache.sqlite');
  buildCacheFromManual(file, loadDemoManual(), loadDemoSynonyms(), new Date('2026-11-28T00:00:00Z'));
  return file;
}

/** Minwon Desk's search over the cache. */
export function desk(cacheFile: string): { engine: Engine; close(): void } {
  const db = openCacheDb(cacheFile);
  const index = createSearchIndex(db, () => new Date('2026-11-28T00:00:00Z'));
  return { engine: (q) => index.search(q, 10).map((h) => h.id), close: () => db.close() };
}

const quoteFts = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** Baseline 1: FTS5 with the unicode61 tokenizer over the raw text, query words ANDed (FTS5's default). */
export function plainUnicode61(cacheFile: string): { engine: Engine; close(): void } {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, keywords, body, tokenize = 'unicode61')");
  const src = new Database(cacheFile, { readonly: true });
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  for (const r of src.prepare('SELECT id, title, keywords, body FROM entries').all() as { id: string; title: string; keywords: string; body: string }[]) {
    ins.run(r.id, r.title, (JSON.parse(r.keywords) as string[]).join(' '), r.body);
  }
  src.close();
  const q = db.prepare('SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0, 10, 6, 1) LIMIT 10').pluck();
  return {
    engine: (text) => {
      const words = text.split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
      return words.length ? (q.all(words.map(quoteFts).join(' ')) as string[]) : [];
    },
    close: () => db.close(),
  };
}

/** Baseline 2: FTS5 trigram for queries of three characters or more, a LIKE scan below that. */
export function trigramWithLike(cacheFile: string): { engine: Engine; close(): void } {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, keywords, body, tokenize = 'trigram')");
  db.exec('CREATE TABLE raw (id TEXT, title TEXT, keywords TEXT, body TEXT)');
  const src = new Database(cacheFile, { readonly: true });
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  const raw = db.prepare('INSERT INTO raw VALUES (?, ?, ?, ?)');
  for (const r of src.prepare('SELECT id, title, keywords, body FROM entries').all() as { id: string; title: string; keywords: string; body: string }[]) {
    const kw = (JSON.parse(r.keywords) as string[]).join(' ');
    ins.run(r.id, r.title, kw, r.body);
    raw.run(r.id, r.title, kw, r.body);
  }
  src.close();
  const match = db.prepare('SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0, 10, 6, 1) LIMIT 10').pluck();
  const like = db
    .prepare(
      `SELECT id FROM raw WHERE title LIKE @p OR keywords LIKE @p OR body LIKE @p
       ORDER BY (title LIKE @p) DESC, (keywords LIKE @p) DESC, id LIMIT 10`,
    )
    .pluck();
  return {
    engine: (text) => {
      const words = text.split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
      if (!words.length) return [];
      if (words.every((w) => [...w].length >= 3)) return match.all(words.map(quoteFts).join(' ')) as string[];
      const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
      return like.all({ p: `%${longest.replace(/[%_]/g, '')}%` }) as string[];
    },
    close: () => db.close(),
  };
}

const pct = (x: number) => x.toFixed(3);

export function reportMarkdown(results: Record<string, EvalResult>, set: readonly EvalQuery[]): string {
  const engines = Object.keys(results);
  const kinds = Object.keys(results[engines[0] as string]?.byKind ?? {});
  const lines = [
    '# Search evaluation',
    '',
    `${set.length} labelled agent queries over the demo manual (\`test/fixtures/search-eval.jsonl\`). success@k: a relevant entry in the top k;`,
    'MRR@10: mean reciprocal rank of the first relevant entry; nDCG@10: graded (2 = best answer, 1 = also relevant).',
    'Regenerate with `npm run eval:search`; `test/integration/electron/core/search-eval.test.ts` fails if the overall figures drop.',
    '',
    '## Overall',
    '',
    '| engine | success@1 | success@5 | MRR@10 | nDCG@10 |',
    '| --- | --- | --- | --- | --- |',
    ...engines.map((e) => {
      const m = (results[e] as EvalResult).overall;
      return `| ${e} | ${pct(m.s1)} | ${pct(m.s5)} | ${pct(m.mrr10)} | ${pct(m.ndcg10)} |`;
    }),
    '',
    '## By query kind (success@5 / MRR@10)',
    '',
    `| kind | n | ${engines.join(' | ')} |`,
    `| --- | --- | ${engines.map(() => '---').join(' | ')} |`,
    ...kinds.map((k) => {
      const n = (results[engines[0] as string] as EvalResult).byKind[k]?.n ?? 0;
      return `| ${k} | ${n} | ${engines.map((e) => { const m = (results[e] as EvalResult).byKind[k] as Metrics; return `${pct(m.s5)} / ${pct(m.mrr10)}`; }).join(' | ')} |`;
    }),
    '',
    `## Queries ${engines[0]} misses in its top 5`,
    '',
    ...((results[engines[0] as string] as EvalResult).misses.length
      ? (results[engines[0] as string] as EvalResult).misses.map((m) => `- \`${m.query}\` (${m.kind}): got ${m.top.join(', ') || 'nothing'}; wanted ${m.want.join(', ')}`)
      : ['none']),
    '',
  ];
  return lines.join('\n');
}

/** The page's in-memory index of a cache, fed through the core's corpus pages as the page is fed. */
export function memoryIndexOf(cache: CacheDb): MemoryIndex {
  const corpus = createSearchCorpus(cache);
  const index = createMemoryIndex();
  for (let after: number | null = 0; after !== null; ) {
    const page = corpus.page(after);
    for (const e of page.entries) index.add(e);
    after = page.next;
  }
  const priors = corpus.priors();
  index.setSynonyms(priors.synonyms);
  index.setUsage(priors.usage);
  return index;
}
