import { bigrams, choseong, stems, words } from '../hangul';
import { SECTION_KEYS, type EntrySections } from '../manual';

/** The FTS5 columns of one entry, as space-separated tokens (see the table in cache/schema.ts). */
export interface IndexText {
  title: string;
  keywords: string;
  body: string;
  choseong: string;
  uni: string;
}

/** Bigrams of Hangul words and whole Latin/digit words: what 2-syllable queries need to match. */
export function tokensOf(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.kind === 'hangul') out.push(...bigrams(w.text));
    else if (w.kind === 'alnum') out.push(w.text);
  }
  return out;
}

function hangulWords(text: string): string[] {
  return words(text)
    .filter((w) => w.kind === 'hangul')
    .map((w) => w.text);
}

/** 초성 of a word and of each of its tails, so ㄷㄹ finds 주민등록 as well as ㅈㅁㄷㄹ does. */
function choseongTokens(word: string): string[] {
  const c = choseong(word);
  const out: string[] = [];
  for (let i = 0; i + 2 <= c.length; i++) out.push(c.slice(i));
  return out;
}

type Indexable = { title: string; keywords: readonly string[]; body: string; sections?: EntrySections | undefined };

/**
 * The text searched as an entry's body: its 업무개요 and then each of its sections (신청방법,
 * 구비서류…), so a question answered only in a section finds the entry, at the body's weight, and
 * its snippet shows where.
 */
export function searchableBody(e: Pick<Indexable, 'body' | 'sections'>): string {
  const s = e.sections;
  if (!s) return e.body;
  return [e.body, ...SECTION_KEYS.map((k) => s[k]).filter((t): t is string => !!t)].join('\n');
}

/** Hangul words of two syllables or more, and their stems: the entry's part of the typo vocabulary. */
export function termsOf(e: Indexable): string[] {
  const terms = new Set<string>();
  for (const w of [...hangulWords(e.title), ...hangulWords(e.keywords.join(' ; ')), ...hangulWords(searchableBody(e))]) {
    if (w.length < 2 || terms.has(w)) continue;
    terms.add(w);
    for (const s of stems(w)) terms.add(s);
  }
  return [...terms];
}

export function entryIndexText(e: Indexable): IndexText {
  const keywordText = e.keywords.join(' ; ');
  const headWords = [...hangulWords(e.title), ...hangulWords(keywordText)];
  // A keyword phrase written with spaces is also one word for 초성 (주민등록 등본 → ㅈㅁㄷㄹㄷㅂ).
  const phrases = e.keywords.map((k) => hangulWords(k).join('')).filter((k) => k.length >= 2);
  return {
    title: tokensOf(e.title).join(' '),
    keywords: tokensOf(keywordText).join(' '),
    // Each body bigram once: term frequency in a long body says little (its weight is lowest),
    // and the repeats cost index time on every sync.
    body: [...new Set(tokensOf(searchableBody(e)))].join(' '),
    choseong: [...new Set([...headWords, ...phrases].filter((w) => w.length >= 2).flatMap(choseongTokens))].join(' '),
    uni: [...new Set(headWords.flatMap((w) => [...w]))].join(' '),
  };
}
