import { describe, expect, it } from 'vitest';
import { displayNameSchema, plainLine, plainLines } from '../../../shared/plain-text';

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
