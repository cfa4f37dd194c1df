import { describe, expect, it } from 'vitest';
import { clip, displayNameSchema, plainLine, plainLines, wellFormed, wellFormedStrings } from '../../../shared/plain-text';

describe('plain text where it becomes a header or an SMS', () => {
  it('makes one line of a name: CR, LF, NUL, tabs, bidi overrides and zero-width characters go', () => {
    expect(plainLine('김상담\r\nX-Evil: 1')).toBe('김상담 X-Evil: 1');
    expect(plainLine(' 박\u0000팀\u200B장\u202E \t ')).toBe('박 팀 장');
    expect(plainLine('연습 민원인 1')).toBe('연습 민원인 1');
    expect(plainLine('a\u2028b\u2029c\u0085d')).toBe('a b c d');
  });

  it('keeps an SMS’s line breaks (CRLF as LF) and drops every other control character', () => {
    expect(plainLines('[민원 안내] 제목\r\n본문\r둘째 줄\u0007\u200B끝')).toBe('[민원 안내] 제목\n본문\n둘째 줄끝');
  });

  it('takes a display name of one visible line, up to 60 characters', () => {
    expect(displayNameSchema.parse('  김상담 ')).toBe('김상담');
    for (const bad of ['김상담\r\nVia: x', '', ' ', '가'.repeat(61), 'a\u200Bb', '\u202Eevil']) expect(displayNameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('text at the boundary', () => {
  const isWellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

  it('turns lone surrogates into U+FFFD, keeps pairs, and composes Hangul (NFC)', () => {
    expect(wellFormed('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
    expect(wellFormed('\u1100\u1161')).toBe('가');
    expect(JSON.parse('{"n":"\\ud800","k":["\\udfff x"],"o":1}', wellFormedStrings)).toEqual({ n: '\uFFFD', k: ['\uFFFD x'], o: 1 });
  });

  it('clips to a length without cutting a character in two', () => {
    const text = `${'가'.repeat(3999)}😀`;
    expect(clip(text, 4000)).toBe('가'.repeat(3999));
    expect(isWellFormed(clip(text, 4000))).toBe(true);
    expect(clip(text, 4001)).toBe(text);
    expect(clip('abc', 2)).toBe('ab');
  });
});
