import { bigrams, fromQwerty, stems, words } from '../hangul';
import { all, any, TEXT_COLUMNS, token, type Match } from './match';

export type AlternativeWhy = 'typed' | 'stem' | 'split' | 'synonym' | 'typo' | 'qwerty';

/** One word of the query with the forms that may stand for it in the text. */
export interface Concept {
  source: string;
  kind: 'hangul' | 'alnum' | 'choseong';
  alternatives: { text: string; why: AlternativeWhy }[];
  /** Not required of a match (a synonym of the whole query). */
  optional?: boolean;
}

export interface QueryPlan {
  concepts: Concept[];
  /**
   * What to match, from the most to the least demanding; empty when the query has nothing
   * searchable. The last matches any bigram of any word: it is needed only when the others find
   * too little, and on a large manual it is the slow one.
   */
  tiers: Match[];
  /** The query's words run together, for phrase and prefix boosts. */
  squashed: string;
}

/** What the planner asks of the index. */
export interface Lexicon {
  /** Whether the word occurs in the indexed text (as a word or a stem). */
  known(word: string): boolean;
  /** Indexed words one jamo away, most frequent first. */
  near(word: string): string[];
  synonyms(term: string): string[];
}

/**
 * A compound typed without spaces, split into known words of two syllables or more
 * (수도요금고지서 → 수도요금 고지서), fewest pieces first; null when it does not split.
 */
function split(word: string, lex: Lexicon): string[] | null {
  const best: (string[] | null)[] = [[]];
  for (let end = 2; end <= word.length; end++) {
    best[end] = null;
    for (let start = end - 2; start >= 0; start--) {
      const head = best[start];
      const piece = word.slice(start, end);
      if (head && lex.known(piece) && (!best[end] || head.length + 1 < (best[end] as string[]).length)) best[end] = [...head, piece];
    }
  }
  const pieces = best[word.length];
  return pieces && pieces.length > 1 ? pieces : null;
}

function hangulAlternatives(word: string, lex: Lexicon): Concept['alternatives'] {
  const alts: Concept['alternatives'] = [{ text: word, why: 'typed' }];
  if (!lex.known(word)) {
    const stem = stems(word).find((s) => lex.known(s));
    const pieces = stem ? null : split(word, lex);
    if (stem) alts.push({ text: stem, why: 'stem' });
    else if (pieces) alts.push({ text: pieces.join(' '), why: 'split' });
    else if (word.length >= 2) for (const n of lex.near(word).slice(0, 2)) alts.push({ text: n, why: 'typo' });
  }
  for (const form of [word, ...stems(word)]) for (const s of lex.synonyms(form)) alts.push({ text: s, why: 'synonym' });
  return alts;
}

/** Turns what the agent typed into concepts and one OR-query over bigrams, 초성 and syllables. */
export function planQuery(query: string, lex: Lexicon): QueryPlan {
  const concepts: Concept[] = [];
  for (const w of words(query)) {
    if (w.kind === 'hangul') {
      concepts.push({ source: w.text, kind: 'hangul', alternatives: hangulAlternatives(w.text, lex) });
    } else if (w.kind === 'choseong') {
      concepts.push({ source: w.text, kind: 'choseong', alternatives: [{ text: w.text, why: 'typed' }] });
    } else {
      const hangul = lex.known(w.text) ? null : fromQwerty(w.text);
      if (hangul) {
        const alts = hangulAlternatives(hangul, lex).map((a) => (a.why === 'typed' ? { ...a, why: 'qwerty' as const } : a));
        concepts.push({ source: w.text, kind: 'hangul', alternatives: alts });
      } else {
        concepts.push({ source: w.text, kind: 'alnum', alternatives: [{ text: w.text, why: 'typed' }, ...lex.synonyms(w.text).map((s) => ({ text: s, why: 'synonym' as const }))] });
      }
    }
  }
  // A whole multi-word query may itself be a synonym term (주차 딱지).
  const squashed = concepts.map((c) => c.alternatives[0]?.text ?? c.source).join('');
  if (concepts.length > 1) {
    const whole = lex.synonyms(squashed);
    if (whole.length) concepts.push({ source: squashed, kind: 'hangul', optional: true, alternatives: whole.map((text) => ({ text, why: 'synonym' as const })) });
  }

  const text = new Set<string>();
  const uni = new Set<string>();
  const prefix = new Set<string>();
  const cho = new Set<string>();
  for (const c of concepts) {
    if (c.kind === 'choseong') {
      cho.add(c.source);
      continue;
    }
    for (const a of c.alternatives) {
      if (c.kind === 'alnum' && a.why !== 'synonym') text.add(a.text);
      else if (a.text.length === 1) {
        uni.add(a.text);
        prefix.add(a.text);
      } else for (const t of [...words(a.text)].flatMap((w) => (w.kind === 'hangul' ? bigrams(w.text) : [w.text]))) text.add(t);
    }
  }
  // As the agent types, the last word may be unfinished (주민등): when it is not a known word, its
  // last syllable may start a bigram of the word being typed.
  const last = concepts.at(-1);
  if (last?.kind === 'hangul' && !/\s$/.test(query) && last.source.length >= 2 && !lex.known(last.source)) prefix.add(last.source.at(-1) as string);

  // Tier 1: every word of the query matches in some form, each form whole (all its bigrams);
  // an unfinished word (자동이) still matches its whole (자동이체). Tier 2: every word matches by
  // some bigram. Forms that do not match whole (typos, endings) have alternatives of their own.
  const tokensOf = (text: string) => words(text).flatMap((w) => (w.kind === 'hangul' ? bigrams(w.text) : [w.text]));
  const conceptMatch = (c: Concept, joiner: typeof all | typeof any): Match => {
    if (c.kind === 'choseong') return token(c.source, true, ['choseong']);
    return any(
      c.alternatives.map((a) => {
        if (c.kind === 'alnum' && a.why !== 'synonym') return token(a.text, false, TEXT_COLUMNS);
        if (a.text.length === 1) return any([token(a.text, false, ['uni']), token(a.text, true, TEXT_COLUMNS)]);
        return joiner(tokensOf(a.text).map((t) => token(t, false, TEXT_COLUMNS)));
      }),
    );
  };
  const optional = concepts.filter((c) => c.optional);
  const allOf = (required: Concept[], joiner: typeof all | typeof any): Match | null =>
    required.length ? any([all(required.map((c) => conceptMatch(c, joiner))), ...optional.map((c) => conceptMatch(c, joiner))]) : null;
  const required = concepts.filter((c) => !c.optional);
  // Tier 3 leaves out words the index cannot place (솟아요, 시끄러워요: verbs in forms no entry has).
  const anchored = required.filter((c) => c.kind !== 'hangul' || lex.known(c.source) || c.alternatives.some((a) => a.why !== 'typed'));

  const parts: Match[] = [];
  const inText = [...[...text].map((t) => token(t, false, TEXT_COLUMNS)), ...[...prefix].map((p) => token(p, true, TEXT_COLUMNS))];
  if (inText.length) parts.push(any(inText));
  if (uni.size) parts.push(any([...uni].map((u) => token(u, false, ['uni']))));
  if (cho.size) parts.push(any([...cho].map((c) => token(c, true, ['choseong']))));
  const loose = parts.length ? any(parts) : null;
  const tiers = [allOf(required, all), allOf(required, any), anchored.length < required.length ? allOf(anchored, any) : null, loose];
  const keys = tiers.map((t) => JSON.stringify(t));
  return { concepts, tiers: tiers.filter((t, i): t is Match => t !== null && keys.indexOf(keys[i] as string) === i), squashed };
}
