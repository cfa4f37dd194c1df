import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CP949_BMP_SIZE, CP949_RUNS } from '../../../shared/sms/cp949-repertoire';
import { clipSms, isSendableChar, LMS_MAX_BYTES, measureSms, replacementFor, sendableText, SMS_MAX_BYTES } from '../../../shared/sms/sms-bytes';
import { FUZZ_SEED, hostileText } from '../../helpers/hostile';

// The oracle: iconv-lite's 'euc-kr' is CP949. It encodes what it cannot as '?', which then decodes
// to '?' and not to the character, so a round trip tells what CP949 has.
const encodes = (text: string) => iconv.decode(iconv.encode(text, 'euc-kr'), 'euc-kr') === text;
const cp949Bytes = (text: string) => iconv.encode(text, 'euc-kr').length;

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;
const chars = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

describe('the CP949 repertoire table', () => {
  it('says what iconv-lite says for every BMP code point (surrogate halves aside)', () => {
    const disagree: string[] = [];
    let size = 0;
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (isSurrogate(cp)) continue;
      const expected = encodes(String.fromCharCode(cp));
      if (isSendableChar(cp) !== expected) disagree.push(cp.toString(16));
      if (expected) size++;
    }
    expect(disagree).toEqual([]);
    expect(size).toBe(CP949_BMP_SIZE);
    expect(size).toBe(17_176);
  });

  it('has nothing outside the BMP and no surrogate half', () => {
    for (const cp of [-1, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x10000, 0x1f600, 0x20000, 0x10ffff]) expect(isSendableChar(cp), cp.toString(16)).toBe(false);
  });

  it('is the file the tool generates now', async () => {
    // Imported by path: tools/tsconfig.json type-checks only the tools' .js files.
    const tool = fileURLToPath(new URL('../../../tools/gen-cp949-table.ts', import.meta.url));
    const gen = (await import(/* @vite-ignore */ tool)) as { repertoireModule: () => string; encodeRuns: (cps: readonly number[]) => string; cp949Repertoire: () => number[] };
    const generated = gen.repertoireModule();
    // The module's values, not its text: a mutation tool's sandbox prefixes every source file.
    const repertoire = gen.cp949Repertoire();
    expect(CP949_RUNS).toBe(gen.encodeRuns(repertoire));
    expect(CP949_BMP_SIZE).toBe(repertoire.length);
    expect(generated).toContain('Do not edit');
    expect(Buffer.byteLength(generated)).toBeLessThan(10_000);
  });
});

describe('SMS bytes as carriers count them', () => {
  it('counts every Hangul syllable as iconv-lite encodes it: 2 bytes, sendable', () => {
    const wrong: string[] = [];
    for (const char of chars(0xac00, 0xd7a3)) {
      const m = measureSms(char);
      if (m.bytes !== cp949Bytes(char) || m.bytes !== 2 || m.unsendable.length > 0 || !encodes(char)) wrong.push(char);
    }
    expect(wrong).toEqual([]);
    const all = chars(0xac00, 0xd7a3).join('');
    expect(measureSms(all)).toEqual({ bytes: cp949Bytes(all), kind: 'too-long', unsendable: [] });
    expect(cp949Bytes(all)).toBe(11_172 * 2);
  });

  it('counts every compatibility jamo (ㄱ … ㆎ) as 2 bytes', () => {
    const jamo = chars(0x3131, 0x318e);
    for (const char of jamo) expect(measureSms(char), char).toEqual({ bytes: cp949Bytes(char), kind: 'sms', unsendable: [] });
    expect(measureSms(jamo.join('')).bytes).toBe(94 * 2);
  });

  it('counts ASCII, control characters included, as 1 byte each', () => {
    const ascii = chars(0, 0x7f).join('');
    expect(measureSms(ascii)).toEqual({ bytes: cp949Bytes(ascii), kind: 'lms', unsendable: [] });
    expect(cp949Bytes(ascii)).toBe(128);
  });

  it('counts every other character CP949 has as iconv-lite does (2 bytes), and flags each it lacks once', () => {
    const wrong: string[] = [];
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (isSurrogate(cp)) continue;
      const char = String.fromCharCode(cp);
      const m = measureSms(char);
      const sent = sendableText(char);
      // A character only NFC changes into ones CP949 has (U+037E → ';') goes as those, unflagged.
      const flags = encodes(char) || encodes(char.normalize('NFC')) ? 0 : 1;
      const ok =
        m.unsendable.length === flags &&
        m.bytes === cp949Bytes(sent) &&
        (flags === 0 || (m.unsendable[0]?.index === 0 && m.unsendable[0].char === char && m.unsendable[0].replacement === sent && encodes(sent))) &&
        (!encodes(char) || (m.bytes === 2 && sent === char));
      if (!ok) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('counts the symbols notices use as 2 bytes', () => {
    for (const char of ['※', '☎', '①', '…', '·', '℃', '㈜', '‘', '’', '“', '”', '→', '★', '♥', '▶', '㉠', '€', '―', '\u3000']) {
      expect(measureSms(char), char).toEqual({ bytes: 2, kind: 'sms', unsendable: [] });
      expect(cp949Bytes(char), char).toBe(2);
    }
  });

  it('goes as an SMS up to 90 bytes, an LMS up to 2,000, and no further', () => {
    expect([SMS_MAX_BYTES, LMS_MAX_BYTES]).toEqual([90, 2000]);
    const cases: [string, number, string][] = [
      ['', 0, 'sms'],
      ['가'.repeat(45), 90, 'sms'],
      ['가'.repeat(46), 92, 'lms'],
      ['a'.repeat(90), 90, 'sms'],
      ['a'.repeat(91), 91, 'lms'],
      [`${'가'.repeat(44)}ab`, 90, 'sms'],
      [`${'가'.repeat(45)}a`, 91, 'lms'],
      ['가'.repeat(1000), 2000, 'lms'],
      [`${'가'.repeat(1000)}a`, 2001, 'too-long'],
      ['a'.repeat(2000), 2000, 'lms'],
      ['a'.repeat(2001), 2001, 'too-long'],
    ];
    for (const [text, bytes, kind] of cases) {
      expect(measureSms(text), `${text.length} chars`).toEqual({ bytes, kind, unsendable: [] });
      expect(cp949Bytes(text)).toBe(bytes);
    }
  });

  it('takes a line break as one LF, 1 byte, CRLF too', () => {
    expect(measureSms('a\r\nb').bytes).toBe(3);
    expect(measureSms('a\nb').bytes).toBe(3);
    expect(measureSms('a\rb').bytes).toBe(3);
    expect(measureSms('a\r\r\nb').bytes).toBe(4);
    expect(measureSms(`${'가'.repeat(44)}\r\n`)).toMatchObject({ bytes: 89, kind: 'sms' });
    expect(measureSms(`${'가'.repeat(44)}\r\n\r\n`)).toMatchObject({ bytes: 90, kind: 'sms' });
    expect(sendableText('[안내]\r\n내용\r\n')).toBe('[안내]\n내용\n');
    expect(sendableText('a\rb\r\r\nc')).toBe('a\nb\n\nc');
    expect(sendableText('a\r\u2028b\r\u0301c')).toBe('a\n\nb\nc');
  });
});

describe('characters an SMS cannot carry', () => {
  it('flags conjoining jamo alone, offering compatibility jamo, but composes them into syllables', () => {
    for (const char of chars(0x1100, 0x11ff)) {
      expect(encodes(char), char).toBe(false);
      const m = measureSms(char);
      expect(m.unsendable, char).toEqual([{ index: 0, char, replacement: replacementFor(char) }]);
      expect(encodes(m.unsendable[0]!.replacement), char).toBe(true);
    }
    expect(measureSms('\u1100').unsendable).toEqual([{ index: 0, char: '\u1100', replacement: 'ㄱ' }]);
    expect(replacementFor('\u119e')).toBe('ㆍ');
    // Decomposed Hangul (as macOS writes it) is the same text: composed, nothing flagged.
    expect(measureSms('\u1112\u1161\u11ab\u1100\u1173\u11af')).toEqual({ bytes: 4, kind: 'sms', unsendable: [] });
    expect(sendableText('\u1112\u1161\u11ab\u1100\u1173\u11af')).toBe('한글');
    expect(sendableText('가\u11a8')).toBe('각');
  });

  it('flags an emoji once per code point, at its UTF-16 index, and drops it', () => {
    expect(measureSms('😀')).toEqual({ bytes: 0, kind: 'sms', unsendable: [{ index: 0, char: '😀', replacement: '' }] });
    expect(measureSms('확인😀 감사').unsendable).toEqual([{ index: 2, char: '😀', replacement: '' }]);
    expect(measureSms('확인😀 감사').bytes).toBe(9);
    const flagged = (text: string) => measureSms(text).unsendable.map((u) => [u.index, u.char]);
    expect(flagged('🇰🇷')).toEqual([[0, '🇰'], [2, '🇷']]);
    expect(flagged('👍🏽')).toEqual([[0, '👍'], [2, '🏽']]);
    expect(flagged('a👨‍👩‍👧b')).toEqual([[1, '👨'], [3, '\u200d'], [4, '👩'], [6, '\u200d'], [7, '👧']]);
    expect(flagged('☎️')).toEqual([[1, '\ufe0f']]);
    expect(sendableText('☎️ 문의 👨‍👩‍👧')).toBe('☎ 문의 ');
    for (const char of ['😀', '🇰', '🏽', '𠀀', '\u{1F1F0}']) {
      expect(encodes(char), char).toBe(false);
      expect(measureSms(char).unsendable, char).toHaveLength(1);
    }
  });

  it('flags a lone surrogate and drops it', () => {
    expect(measureSms('a\ud800b')).toEqual({ bytes: 2, kind: 'sms', unsendable: [{ index: 1, char: '\ud800', replacement: '' }] });
  });

  it('offers typographic, compatibility and unaccented stand-ins CP949 has', () => {
    const cases: [string, string][] = [
      ['–', '-'],
      ['—', '-'],
      ['−', '-'],
      ['\u2011', '-'],
      ['\u00a0', ' '],
      ['\u2003', ' '],
      ['\u202f', ' '],
      ['•', '·'],
      ['・', '·'],
      ['〜', '~'],
      ['„', '“'],
      ['«', '《'],
      ['©', '(C)'],
      ['\u2028', '\n'],
      ['₩', '￦'],
      ['¥', '￥'],
      ['\u00c5', '\u212b'], // 'Å' → the angstrom sign
      ['é', 'e'],
      ['ñ', 'n'],
      ['ﬁ', 'fi'],
      ['㉑', '21'],
      ['ｶ', 'カ'],
      ['\uffa1', 'ㄱ'],
      ['\u200b', ''],
      ['\u0301', ''],
      ['😀', ''],
      ['ع', ''],
    ];
    for (const [char, replacement] of cases) {
      expect(replacementFor(char), char).toBe(replacement);
      expect(encodes(replacement), char).toBe(true);
    }
    // Characters CP949 has are their own replacement.
    for (const char of ['‘', '’', '·', '…', 'ø', '\u3000', 'Ａ', '가', 'a']) expect(replacementFor(char), char).toBe(char);
  });

  it('measures what goes: unsendable characters count as their replacements', () => {
    const m = measureSms('₩10,000 – 확인 • café');
    expect(m.unsendable.map((u) => [u.index, u.char, u.replacement])).toEqual([
      [0, '₩', '￦'],
      [8, '–', '-'],
      [13, '•', '·'],
      [18, 'é', 'e'],
    ]);
    expect(sendableText('₩10,000 – 확인 • café')).toBe('￦10,000 - 확인 · cafe');
    expect(m.bytes).toBe(cp949Bytes('￦10,000 - 확인 · cafe'));
  });
});

describe('clipping to a size', () => {
  it('keeps the longest start within the bytes, never cutting a character, its accents or a CRLF', () => {
    expect(clipSms('가'.repeat(1001), LMS_MAX_BYTES)).toBe('가'.repeat(1000));
    expect(clipSms(`a${'가'.repeat(45)}`, SMS_MAX_BYTES)).toBe(`a${'가'.repeat(44)}`);
    expect(clipSms('가나다', 5)).toBe('가나');
    expect(clipSms('가나다', 6)).toBe('가나다');
    expect(clipSms('a\r\nb', 1)).toBe('a');
    expect(clipSms('a\r\nb', 2)).toBe('a\r\n');
    expect(clipSms('abe\u0301f', 2)).toBe('ab');
    expect(clipSms('abe\u0301f', 3)).toBe('abe\u0301');
    expect(clipSms('\u1112\u1161\u11ab\u1100\u1173\u11af', 2)).toBe('\u1112\u1161\u11ab');
    expect(clipSms('a😀b', 1)).toBe('a😀');
    expect(clipSms('©a', 3)).toBe('©');
    expect(clipSms('', 0)).toBe('');
  });
});

describe('sendable text', () => {
  it('leaves text CP949 has as it is, NFC aside', () => {
    // NFC would turn U+F900 into U+8C48 and the angstrom sign into 'Å', which CP949 lacks.
    const text = '[○○구청] 홍길동님, 민원(제2025-0012호)이 접수되었습니다.\n※ 문의: ☎ 02-120 / \uf900 \u212b ‘확인’ ① ㈜ ㄱㅏ 100℃ …';
    expect(encodes(text)).toBe(true);
    expect(sendableText(text)).toBe(text);
    expect(measureSms(text)).toEqual({ bytes: cp949Bytes(text), kind: 'lms', unsendable: [] });
    expect('\uf900\u212b'.normalize('NFC')).toBe('\u8c48\u00c5');
  });

  it('leaves nothing unsendable, counts as iconv-lite encodes it, and is stable', () => {
    const smsText = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\r', '\n', '\r\n', ' ', 'a', '?', '가', '\u1100', '\u1161', '\u11a8', '\u0301', '\ufe0f', '\u200d', '😀', '🏽', '🇰', '–', '\u00a0', '₩', '\u2028', '\ud800', '\udc00', '\uf900', '\u212b', '\u00c5', 'é', 'e\u0301'),
        fc.integer({ min: 0, max: 0xffff }).map((cp) => String.fromCharCode(cp)),
        fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(smsText, hostileText()), fc.integer({ min: 0, max: 100 }), (text, max) => {
        const m = measureSms(text);
        const clipped = clipSms(text, max);
        expect(text.startsWith(clipped)).toBe(true);
        expect(measureSms(clipped).bytes).toBeLessThanOrEqual(max);
        expect(clipSms(text, m.bytes)).toBe(text);
        const sent = sendableText(text);
        expect(measureSms(sent).unsendable).toEqual([]);
        expect(encodes(sent)).toBe(true);
        expect(m.bytes).toBe(cp949Bytes(sent));
        expect(measureSms(sent).bytes).toBe(m.bytes);
        expect(sendableText(sent)).toBe(sent);
        for (const u of m.unsendable) {
          expect(text.slice(u.index, u.index + u.char.length)).toBe(u.char);
          expect([...u.char]).toHaveLength(1);
          expect(encodes(u.char)).toBe(false);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });
});
