import { describe, expect, it } from 'vitest';
import { HANDOFF_HEADER, handoffHeader, MAX_HANDOFF, readHandoff } from '../../../../renderer/phone/handoff';

describe('the transfer hand-off note', () => {
  it('travels as one URI-encoded header line and reads back as the same text, markup included', () => {
    const note = '감면 대상 확인 부탁드립니다 <b>급함</b>\n2줄 & 100%';
    const line = handoffHeader(note);
    expect(line.startsWith(`${HANDOFF_HEADER}: `)).toBe(true);
    expect(line).not.toMatch(/[\r\n<>&]/);
    expect(readHandoff(line.slice(HANDOFF_HEADER.length + 2))).toBe(note);
  });

  it('is cut to its limit and ignored when absent, empty or not decodable', () => {
    expect(readHandoff(handoffHeader('가'.repeat(MAX_HANDOFF + 50)).slice(HANDOFF_HEADER.length + 2))).toHaveLength(MAX_HANDOFF);
    expect(readHandoff(undefined)).toBeNull();
    expect(readHandoff('   ')).toBeNull();
    expect(readHandoff('%E0%A4%A')).toBeNull();
  });

  it('survives an emoji cut at the limit and a lone surrogate typed in (both made encodeURIComponent throw)', () => {
    const note = `${'가'.repeat(MAX_HANDOFF - 1)}😀 뒤`;
    expect(readHandoff(handoffHeader(note).slice(HANDOFF_HEADER.length + 2))).toBe('가'.repeat(MAX_HANDOFF - 1));
    expect(readHandoff(handoffHeader('a\uD800b').slice(HANDOFF_HEADER.length + 2))).toBe('a\uFFFDb');
  });
});
