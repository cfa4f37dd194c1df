import { jamo } from '../hangul';
import { createNeighbourIndex } from './symspell';

/**
 * The indexed vocabulary in memory: which Hangul words occur (with document frequency) and
 * which are one jamo away from a misspelling. Kept up to date as entries are (re)indexed.
 */
export function createLexicon() {
  const df = new Map<string, number>();
  const byJamo = new Map<string, string>();
  const neighbours = createNeighbourIndex();
  return {
    add(terms: readonly string[]): void {
      for (const t of terms) {
        const n = df.get(t) ?? 0;
        df.set(t, n + 1);
        if (n === 0 && !byJamo.has(jamo(t))) {
          byJamo.set(jamo(t), t);
          neighbours.add(jamo(t));
        }
      }
    },
    remove(terms: readonly string[]): void {
      for (const t of terms) {
        const n = (df.get(t) ?? 0) - 1;
        if (n > 0) df.set(t, n);
        else df.delete(t);
      }
    },
    known: (word: string): boolean => df.has(word),
    /** Indexed words one jamo edit away, the most frequent first. */
    near(word: string): string[] {
      return neighbours
        .near(jamo(word))
        .map((j) => byJamo.get(j) as string)
        .filter((w) => df.has(w))
        .sort((a, b) => (df.get(b) ?? 0) - (df.get(a) ?? 0));
    },
  };
}

export type Lexicon = ReturnType<typeof createLexicon>;
