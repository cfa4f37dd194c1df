import { diffArrays, diffChars } from 'diff';
import { CONTENT_FIELDS, fieldText, type ContentField, type EntryContent } from './fields';

export type PieceKind = 'same' | 'added' | 'removed';
export interface Piece {
  text: string;
  kind: PieceKind;
}

/** One field of two versions side by side: the older with what went, the newer with what came. */
export interface FieldDiff {
  field: ContentField;
  changed: boolean;
  before: Piece[];
  after: Piece[];
}

// Short fields change a character at a time (a typo in a title); long text by words, which reads
// better than scattered syllables. jsdiff's own word diff knows Latin letters only and cuts Hangul
// into syllables, so long text is cut by the browser's word segmenter (spaces and punctuation their
// own tokens: both sides come back exactly as written) and its tokens compared. The kind is a word
// of its own: it changes whole.
const SHORT: readonly ContentField[] = ['category', 'title', 'keywords'];
const segmenter = new Intl.Segmenter('ko', { granularity: 'word' });
const tokens = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);

function changesOf(field: ContentField, a: string, b: string): { value: string; added: boolean; removed: boolean }[] {
  if (a === b) return [{ value: a, added: false, removed: false }];
  if (field === 'kind') return [{ value: a, added: false, removed: true }, { value: b, added: true, removed: false }].filter((c) => c.value);
  if (SHORT.includes(field)) return diffChars(a, b);
  return diffArrays(tokens(a), tokens(b)).map((c) => ({ value: c.value.join(''), added: c.added, removed: c.removed }));
}

/**
 * The fields of `before` and `after` (either may be missing: a new entry, an archived one), each
 * with its pieces; fields empty on both sides are left out.
 */
export function diffContent(before: EntryContent | null, after: EntryContent | null): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of CONTENT_FIELDS) {
    const a = before ? fieldText(before, field) : '';
    const b = after ? fieldText(after, field) : '';
    if (!a && !b) continue;
    const pieces = changesOf(field, a, b).map((c): Piece => ({ text: c.value, kind: c.added ? 'added' : c.removed ? 'removed' : 'same' }));
    out.push({ field, changed: a !== b, before: pieces.filter((p) => p.kind !== 'added'), after: pieces.filter((p) => p.kind !== 'removed') });
  }
  return out;
}
