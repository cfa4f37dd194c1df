import type { SearchHit } from '../contract';
import type { ManualEntry } from '../manual';
import { answerQuery, CANDIDATES, type FoundEntry } from './answer';
import { entryIndexText, searchableBody, termsOf } from './index-text';
import { createLexicon } from './lexicon';
import { COLUMNS, COLUMN_WEIGHTS, phrasesOf, type Match } from './match';

/** What the in-memory index keeps of an entry: its searchable text and its order in the core's index. */
export type IndexedEntry = Pick<ManualEntry, 'id' | 'version' | 'kind' | 'category' | 'title' | 'keywords' | 'body' | 'sections' | 'updatedAt'> & {
  /** The entry's rowid in the core's cache: bm25 ties are broken by it, as FTS5 breaks them. */
  rowid: number;
};

const TF_SPAN = 2 ** 11;
const COLUMN_SPAN = 2 ** 3;
const DOC_UNIT = TF_SPAN * COLUMN_SPAN;
// FTS5's bm25 constants.
const K1 = 1.2;
const B = 0.75;

/**
 * The search index in the page's memory, for answers within the frame of the keystroke (no
 * round trip to the core). It holds the same tokens as the core's FTS5 table and scores them with
 * FTS5's bm25 (per-column weights, document length over all columns), so both answer a query
 * alike; a test holds them to it. Built once, then only read: a changed manual builds a new one.
 */
export function createMemoryIndex() {
  const docs: IndexedEntry[] = [];
  const sizes: number[] = [];
  // token → its postings, docs in insertion order, each one number: doc × 2^14 + column × 2^11 + tf
  // (a third of the memory of three numbers). tf < 2^11 holds within MANUAL_LIMITS: the body,
  // 초성 and syllable columns count a token once, a title has under 200 tokens, keywords 1,500.
  const postings = new Map<string, number[]>();
  let sortedTokens: string[] | null = null;
  let totalTokens = 0;
  const lexicon = createLexicon();
  const usage = new Map<string, number>();
  const synonyms = new Map<string, string[]>();

  /** Tokens equal to `t`, or starting with it. */
  function tokensFor(t: string, prefix: boolean): string[] {
    if (!prefix) return postings.has(t) ? [t] : [];
    const sorted = (sortedTokens ??= [...postings.keys()].sort());
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as string) < t) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(t); i++) out.push(sorted[i] as string);
    return out;
  }

  /** For one token of a match: each document it occurs in, with its weighted frequency there. */
  function frequencies(m: Extract<Match, { token: string }>): Map<number, number> {
    const columns = new Set(m.in.map((c) => COLUMNS.indexOf(c)));
    const freq = new Map<number, number>();
    for (const t of tokensFor(m.token, m.prefix)) {
      for (const posting of postings.get(t) as number[]) {
        const column = Math.floor(posting / TF_SPAN) % COLUMN_SPAN;
        if (!columns.has(column)) continue;
        const doc = Math.floor(posting / DOC_UNIT);
        freq.set(doc, (freq.get(doc) ?? 0) + (COLUMN_WEIGHTS[column] as number) * (posting % TF_SPAN));
      }
    }
    return freq;
  }

  type Leaf = Extract<Match, { token: string }>;

  /** The documents matching `m`. */
  function matching(m: Match, hitsOf: (leaf: Leaf) => Map<number, number>): Set<number> {
    if ('token' in m) return new Set(hitsOf(m).keys());
    if ('any' in m) {
      const out = new Set<number>();
      for (const part of m.any) for (const d of matching(part, hitsOf)) out.add(d);
      return out;
    }
    if (m.all.length === 0) return new Set();
    const [first, ...rest] = m.all.map((part) => matching(part, hitsOf)).sort((a, b) => a.size - b.size);
    return new Set([...(first as Set<number>)].filter((d) => rest.every((s) => s.has(d))));
  }

  /**
   * The tokens of `m` that count for document `d`, as FTS5 counts them: a token inside a part that
   * does not match the document as a whole (one side of a failed AND) does not, even if present.
   * Returns null when `m` does not match `d`.
   */
  function counted(m: Match, d: number, hitsOf: (leaf: Leaf) => Map<number, number>, into: Set<Leaf>): boolean {
    if ('token' in m) {
      if (!hitsOf(m).has(d)) return false;
      into.add(m);
      return true;
    }
    if ('any' in m) {
      let any = false;
      for (const part of m.any) any = counted(part, d, hitsOf, into) || any;
      return any;
    }
    const mine = new Set<Leaf>();
    if (m.all.length === 0 || !m.all.every((part) => counted(part, d, hitsOf, mine))) return false;
    for (const leaf of mine) into.add(leaf);
    return true;
  }

  /** The best CANDIDATES entries matching `m` (in `category`, if given), best bm25 first. */
  function run(m: Match, category: string | undefined): FoundEntry[] {
    const cache = new Map<Leaf, Map<number, number>>();
    const hitsOf = (leaf: Leaf) => {
      let f = cache.get(leaf);
      if (!f) cache.set(leaf, (f = frequencies(leaf)));
      return f;
    };
    const found = [...matching(m, hitsOf)].filter((d) => category === undefined || (docs[d] as IndexedEntry).category.startsWith(category));
    const n = docs.length;
    const avgdl = totalTokens / n;
    const phrases = phrasesOf(m).map((leaf) => {
      const hits = hitsOf(leaf);
      const idf = Math.log((n - hits.size + 0.5) / (hits.size + 0.5));
      return { leaf, hits, idf: idf <= 0 ? 1e-6 : idf };
    });
    const scored = found.map((d) => {
      const size = sizes[d] as number;
      const leaves = new Set<Leaf>();
      counted(m, d, hitsOf, leaves);
      let score = 0;
      for (const p of phrases) {
        const f = leaves.has(p.leaf) ? (p.hits.get(d) as number) : 0;
        score += p.idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * size) / avgdl)));
      }
      return { d, bm25: -score };
    });
    scored.sort((a, b) => a.bm25 - b.bm25 || (docs[a.d] as IndexedEntry).rowid - (docs[b.d] as IndexedEntry).rowid);
    return scored.slice(0, CANDIDATES).map(({ d, bm25 }) => {
      const e = docs[d] as IndexedEntry;
      return { id: e.id, version: e.version, kind: e.kind, category: e.category, title: e.title, keywords: e.keywords, body: searchableBody(e), updatedAt: e.updatedAt, bm25, usage: usage.get(e.id) ?? 0 };
    });
  }

  return {
    get size(): number {
      return docs.length;
    },
    add(e: IndexedEntry): void {
      const d = docs.push(e) - 1;
      const text = entryIndexText(e);
      let size = 0;
      COLUMNS.forEach((column, c) => {
        const tf = new Map<string, number>();
        for (const t of text[column].split(' ')) if (t) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [t, n] of tf) {
          let list = postings.get(t);
          if (!list) {
            postings.set(t, (list = []));
            sortedTokens = null;
          }
          list.push(d * DOC_UNIT + c * TF_SPAN + n);
          size += n;
        }
      });
      sizes.push(size);
      totalTokens += size;
      lexicon.add(termsOf(e));
    },
    setSynonyms(all: readonly { term: string; expansions: readonly string[] }[]): void {
      synonyms.clear();
      for (const s of all) synonyms.set(s.term, [...s.expansions]);
    },
    /** The city's and this desk's use of each entry (a ranking prior). */
    setUsage(all: Iterable<readonly [string, number]>): void {
      usage.clear();
      for (const [id, n] of all) usage.set(id, n);
    },
    used(id: string): void {
      usage.set(id, (usage.get(id) ?? 0) + 1);
    },
    search(text: string, limit: number, now: Date, category?: string): SearchHit[] {
      if (docs.length === 0) return [];
      const lex = { known: lexicon.known, near: lexicon.near, synonyms: (term: string) => synonyms.get(term) ?? [] };
      return answerQuery(text, limit, lex, (m) => run(m, category), now);
    },
  };
}

export type MemoryIndex = ReturnType<typeof createMemoryIndex>;
