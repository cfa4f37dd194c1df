import type { SearchHit } from '../contract';
import type { ManualEntry } from '../manual';
import type { Match } from './match';
import { planQuery, type Lexicon } from './query-plan';
import { needlesOf, rerank, snippetOf, spansOf, type Candidate } from './rank';

/** Candidates taken from the index per tier, before the final ranking. */
export const CANDIDATES = 40;
// Broader tiers run only while fewer entries than this were found.
const ENOUGH = 20;

/** One entry as the index found it: its text, bm25 (negative, lower is better) and use count. */
export interface FoundEntry extends Candidate {
  kind: ManualEntry['kind'];
  category: string;
}

/**
 * A query answered: planned against the vocabulary, each tier run by the index (`run`: at most
 * CANDIDATES entries, best bm25 first) until enough entries are found, then ranked. The core
 * (FTS5 on disk) and the page (in memory) answer through this same function.
 */
export function answerQuery(text: string, limit: number, lexicon: Lexicon, run: (m: Match) => FoundEntry[], now: Date): SearchHit[] {
  const plan = planQuery(text, lexicon);
  let rows: FoundEntry[] = [];
  for (const tier of plan.tiers) {
    if (rows.length >= ENOUGH) break;
    const seen = new Set(rows.map((r) => r.id));
    rows = [...rows, ...run(tier).filter((r) => !seen.has(r.id))];
  }
  if (rows.length === 0) return [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const needles = needlesOf(plan);
  return rerank(plan, rows, now)
    .slice(0, limit)
    .map((c) => {
      const row = byId.get(c.id) as FoundEntry;
      const snippet = snippetOf(c.body, needles);
      return {
        id: c.id,
        kind: row.kind,
        title: c.title,
        category: row.category,
        snippet: snippet.text,
        highlights: snippet.highlights,
        titleHighlights: spansOf(c.title, needles),
        score: Math.round(c.score * 1000) / 1000,
      };
    });
}
