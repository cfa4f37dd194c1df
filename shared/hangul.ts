import { convertQwertyToHangul, disassemble, getChoseong } from 'es-hangul';

// Text utilities for Korean search, shared by the desk's index and its query planner so both
// cut text the same way.

const SYLLABLE = /^[\uAC00-\uD7A3]+$/;
const CHOSEONG_ONLY = /^[\u3131-\u314E]+$/;
const QWERTY_ONLY = /^[A-Za-z]+$/;

export type WordKind = 'hangul' | 'alnum' | 'choseong';

export interface Word {
  text: string;
  kind: WordKind;
  /** Offset in the normalised (NFC) input. */
  start: number;
}

// Runs of Hangul syllables, of Latin letters and digits, or of compatibility consonants (초성).
const WORD = /[\uAC00-\uD7A3]+|[A-Za-z0-9]+|[\u3131-\u314E]+/g;

/** Splits text into words of one script each; everything else (spaces, punctuation, FTS syntax) separates. */
export function words(text: string): Word[] {
  const s = text.normalize('NFC');
  const out: Word[] = [];
  for (const m of s.matchAll(WORD)) {
    const t = m[0];
    const kind: WordKind = SYLLABLE.test(t) ? 'hangul' : CHOSEONG_ONLY.test(t) ? 'choseong' : 'alnum';
    out.push({ text: kind === 'alnum' ? t.toLowerCase() : t, kind, start: m.index });
  }
  return out;
}

/** Overlapping syllable pairs; a one-syllable word is its own token. */
export function bigrams(word: string): string[] {
  if (word.length < 2) return [word];
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(i, i + 2));
  return out;
}

/** 초성 of a Hangul word: 주민등록 → ㅈㅁㄷㄹ. */
export function choseong(word: string): string {
  return getChoseong(word);
}

export function isChoseongQuery(text: string): boolean {
  return CHOSEONG_ONLY.test(text);
}

/** A word as basic jamo (compound vowels and final clusters split), for edit distances. */
export function jamo(word: string): string {
  return disassemble(word);
}

/**
 * What a Latin word typed with the keyboard in English mode was meant to be, in the 2-set
 * (두벌식) layout: dkswjs → 안전. Null when the keystrokes do not make whole syllables.
 */
export function fromQwerty(word: string): string | null {
  if (!QWERTY_ONLY.test(word)) return null;
  const converted = convertQwertyToHangul(word);
  return SYLLABLE.test(converted) ? converted : null;
}

// Particles and endings agents type with the noun they hear, longest first.
const ENDINGS = [
  '했는데요', '했는데', '하는데요', '하는데', '하려면', '하려고', '했어요', '해야', '해요', '하고', '했고', '돼요', '됐어요', '되나요', '인가요', '나요',
  '에서는', '에서', '에게', '한테', '으로', '이랑', '까지', '부터', '처럼', '보다', '인데', '는데', '이요', '에는', '으론',
  '은', '는', '이', '가', '을', '를', '에', '로', '와', '과', '의', '도', '만', '요', '랑',
] as const;

// Indexed by last syllable: stems() runs for every word of every indexed entry.
const ENDINGS_BY_LAST = new Map<string, string[]>();
for (const e of ENDINGS) ENDINGS_BY_LAST.set(e.at(-1) as string, [...(ENDINGS_BY_LAST.get(e.at(-1) as string) ?? []), e]);

/**
 * The word without a trailing particle or ending, longest ending first, keeping at least two
 * syllables (so 도로 stays 도로); the word itself when none applies. Callers decide with the
 * index whether the stem is a real term.
 */
export function stems(word: string): string[] {
  const out: string[] = [];
  for (const e of ENDINGS_BY_LAST.get(word.at(-1) ?? '') ?? []) {
    if (word.length - e.length >= 2 && word.endsWith(e)) out.push(word.slice(0, -e.length));
  }
  return out;
}
