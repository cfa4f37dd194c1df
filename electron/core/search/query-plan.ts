import { bigrams, fromQwerty, stems, words } from '../../../shared/hangul';

export type AlternativeWhy = 'typed' | 'stem' | 'synonym' | 'typo' | 'qwerty';

/** One word of the query with the forms that may stand for it in the text. */
export interface Concept {
  source: string;
  kind: 'hangul' | 'alnum' | 'choseong';
  alternatives: { text: string; why: AlternativeWhy }[];
}

export interface QueryPlan {
  concepts: Concept[];
  /** The FTS5 MATCH expression; null when the query has nothing searchable. Built only from our own tokens. */
  match: string | null;
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

// Tokens reach FTS5 only inside double quotes with quotes doubled, and are letters or digits
// anyway: whatever the agent types (", *, NEAR(, OR, ^) cannot become query syntax.
const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

function hangulAlternatives(word: string, lex: Lexicon): Concept['alternatives'] {
  const alts: Concept['alternatives'] = [{ text: word, why: 'typed' }];
  const known = lex.known(word);
  if (!known) {
    const stem = stems(word).find((s) => lex.known(s));
    if (stem) alts.push({ text: stem, why: 'stem' });
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
    if (whole.length) concepts.push({ source: squashed, kind: 'hangul', alternatives: whole.map((text) => ({ text, why: 'synonym' as const })) });
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
  // As the agent types, the last word is often unfinished: its last syllable may start a bigram.
  const last = concepts.at(-1);
  if (last?.kind === 'hangul' && !/\s$/.test(query) && last.source.length >= 2) prefix.add(last.source.at(-1) as string);

  const parts: string[] = [];
  const inText = [...[...text].map(quote), ...[...prefix].map((p) => `${quote(p)}*`)];
  if (inText.length) parts.push(`{title keywords body} : (${inText.join(' OR ')})`);
  if (uni.size) parts.push(`uni : (${[...uni].map(quote).join(' OR ')})`);
  if (cho.size) parts.push(`choseong : (${[...cho].map((c) => `${quote(c)}*`).join(' OR ')})`);
  return { concepts, match: parts.length ? parts.join(' OR ') : null, squashed };
}
