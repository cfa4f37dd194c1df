import { choseong, words as wordsOf } from '../hangul';
import type { QueryPlan } from './query-plan';

export interface Candidate {
  id: string;
  version: number;
  title: string;
  keywords: string[];
  body: string;
  bm25: number;
  usage: number;
  updatedAt: string;
}

const squash = (s: string) => s.normalize('NFC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

// Entries' text with spaces and punctuation removed, by id and version: the same entries come back
// keystroke after keystroke, and squashing a body costs more than the rest of the ranking.
const squashed = new Map<string, { title: string; keywords: string; all: string }>();
const SQUASH_CACHE = 4000;

function squashedOf(c: Candidate): { title: string; keywords: string; all: string } {
  const key = `${c.id}@${c.version}`;
  let s = squashed.get(key);
  if (!s) {
    if (squashed.size >= SQUASH_CACHE) squashed.clear();
    const title = squash(c.title);
    const keywords = squash(c.keywords.join(' '));
    s = { title, keywords, all: `${title}${keywords}${squash(c.body)}` };
    squashed.set(key, s);
  }
  return s;
}

/** Spans of `needle`'s occurrences in `text` (case-insensitive), for highlighting. */
export function spansOf(text: string, needles: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  const spans: [number, number][] = [];
  for (const n of needles) {
    if (!n) continue;
    for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) spans.push([i, i + n.length]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** The strings to look for in an entry: each concept's alternatives (and their stems' text). */
export function needlesOf(plan: QueryPlan): string[] {
  return [...new Set(plan.concepts.filter((c) => c.kind !== 'choseong').flatMap((c) => c.alternatives.map((a) => a.text.toLowerCase())))];
}

export interface Ranked extends Candidate {
  score: number;
}

/**
 * Final order: bm25 (title over keywords over body, normalised within the result) blended with
 * how many of the query's words the entry covers, exact-phrase and prefix boosts, and a small
 * prior for entries agents use and entries recently updated.
 */
export function rerank(plan: QueryPlan, candidates: readonly Candidate[], now: Date): Ranked[] {
  if (candidates.length === 0) return [];
  const best = Math.max(...candidates.map((c) => -c.bm25));
  const maxUsage = Math.max(1, ...candidates.map((c) => c.usage));
  const q = squash(plan.squashed);
  const words = plan.concepts.filter((c) => c.kind !== 'choseong');
  const initials = plan.concepts.filter((c) => c.kind === 'choseong').map((c) => c.source);
  return candidates
    .map((c) => {
      const { title, keywords, all } = squashedOf(c);
      let covered = words.filter((w) => w.alternatives.some((a) => all.includes(squash(a.text)))).length;
      if (initials.length) {
        // 초성: a title or keyword word whose initials are exactly these beats one they only start.
        const heads = wordsOf(`${c.title} ${c.keywords.join(' ')}`).map((w) => choseong(w.text));
        for (const i of initials) covered += heads.includes(i) ? 1 : heads.some((h) => h.startsWith(i)) ? 0.5 : 0;
      }
      const total = words.length + initials.length;
      const coverage = total ? covered / total : 1;
      const phrase = q.length < 2 ? 0 : title.startsWith(q) ? 1 : title.includes(q) ? 0.8 : keywords.includes(q) ? 0.6 : all.includes(q) ? 0.25 : 0;
      const ageDays = (now.getTime() - Date.parse(c.updatedAt)) / 86_400_000;
      const prior = 0.7 * (Math.log1p(c.usage) / Math.log1p(maxUsage)) + 0.3 * (ageDays < 365 ? 1 - ageDays / 365 : 0);
      const score = 0.5 * (-c.bm25 / best) + 0.3 * coverage + 0.15 * phrase + 0.05 * prior;
      return { ...c, score };
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

const WINDOW = 90;

/** A body excerpt around the densest run of matches, with the matches' spans inside it. */
export function snippetOf(body: string, needles: readonly string[]): { text: string; highlights: [number, number][] } {
  const flat = body.replace(/\s+/g, ' ').trim();
  const spans = spansOf(flat, needles);
  let start = 0;
  let bestCount = -1;
  for (const [s] of spans) {
    const count = spans.filter(([a, b]) => a >= s - 20 && b <= s - 20 + WINDOW).length;
    if (count > bestCount) {
      bestCount = count;
      start = Math.max(0, s - 20);
    }
  }
  const end = Math.min(flat.length, start + WINDOW);
  const prefix = start > 0 ? '…' : '';
  const text = prefix + flat.slice(start, end) + (end < flat.length ? '…' : '');
  const highlights = spans
    .filter(([a, b]) => a >= start && b <= end)
    .map(([a, b]): [number, number] => [a - start + prefix.length, b - start + prefix.length]);
  return { text, highlights };
}
