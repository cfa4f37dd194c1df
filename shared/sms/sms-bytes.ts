import { CP949_RUN_DIGITS, CP949_RUNS } from './cp949-repertoire';

// Korean carriers count a message in CP949 bytes (EUC-KR's Windows superset, which has all 11,172
// Hangul syllables): ASCII is one byte, every other character CP949 has is two, and a character it
// lacks (emoji, most other scripts, conjoining jamo) cannot be sent at all.

/** Up to this many bytes a message goes as an SMS… */
export const SMS_MAX_BYTES = 90;
/** …up to this many as an LMS; longer, carriers refuse it. */
export const LMS_MAX_BYTES = 2000;

export type SmsKind = 'sms' | 'lms' | 'too-long';

/** A character CP949 lacks: where it stands in the text (UTF-16 index), and what goes instead. */
export interface Unsendable {
  index: number;
  char: string;
  replacement: string;
}

export interface SmsMeasure {
  /** Bytes of the message as it will go, i.e. of `sendableText`: unsendable characters count as their replacements. */
  bytes: number;
  kind: SmsKind;
  unsendable: Unsendable[];
}

// One bit per BMP code point, decoded once from the generated runs (see cp949-repertoire.ts).
const REPERTOIRE = (() => {
  const bits = new Uint8Array(0x10000 / 8);
  let cp = 0;
  let n = 0;
  let inside = false;
  for (const digit of CP949_RUNS) {
    const d = CP949_RUN_DIGITS.indexOf(digit);
    n = n * 32 + (d & 31);
    if (d >= 32) continue;
    if (inside) for (const end = cp + n; cp < end; cp++) bits[cp >> 3]! |= 1 << (cp & 7);
    else cp += n;
    inside = !inside;
    n = 0;
  }
  return bits;
})();

/** Whether CP949 encodes the code point (nothing outside the BMP, no surrogate half). */
export function isSendableChar(codePoint: number): boolean {
  return codePoint >= 0 && codePoint <= 0xffff && ((REPERTOIRE[codePoint >> 3]! >> (codePoint & 7)) & 1) === 1;
}

function allSendable(text: string): boolean {
  for (const char of text) if (!isSendableChar(char.codePointAt(0)!)) return false;
  return true;
}

// Typographic characters CP949 lacks, as the nearest ones it has. Curly quotes, '…', '·', '―' and
// the ideographic space are in CP949 and stay; NBSP and the other spaces become ' ' through NFKC.
const PUNCTUATION = new Map<string, string>([
  ...[...'\u2010\u2011\u2012\u2013\u2014\u2043\u2212'].map((c) => [c, '-'] as const),
  ...[...'\u2022\u2023\u2027\u2219\u30FB'].map((c) => [c, '·'] as const),
  ['\u201A', '‘'],
  ['\u201E', '“'],
  ['\u2039', '〈'],
  ['\u203A', '〉'],
  ['\u00AB', '《'],
  ['\u00BB', '》'],
  ['\u301C', '~'],
  ['\u3030', '~'],
  ['\u00A9', '(C)'],
  ['\u0085', '\n'],
  ['\u2028', '\n'],
  ['\u2029', '\n'],
]);

// The character CP949 has for one it lacks when NFKC folds the first into the second: conjoining
// jamo → compatibility jamo (ᄀ → ㄱ), '₩' → '￦', '¢' → '￠', 'Å' → the angstrom sign. Built on the
// first need: it takes NFKC of every character in the repertoire.
let compatForms: Map<string, string> | undefined;

function compatForm(char: string): string | undefined {
  if (!compatForms) {
    compatForms = new Map();
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (!isSendableChar(cp)) continue;
      const folded = String.fromCharCode(cp).normalize('NFKC');
      // The lowest code point wins: ㄱ (U+3131) before ㉠ (U+3260) for ᄀ.
      if (folded.length === 1 && !isSendableChar(folded.charCodeAt(0)) && !compatForms.has(folded)) compatForms.set(folded, String.fromCharCode(cp));
    }
  }
  return compatForms.get(char);
}

/** `text` with each character as itself, its punctuation or compatibility stand-in; undefined if one has none. */
function substitute(text: string): string | undefined {
  let out = '';
  for (const char of text) {
    const s = isSendableChar(char.codePointAt(0)!) ? char : (PUNCTUATION.get(char) ?? compatForm(char));
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

/**
 * What goes instead of `char` (one character): itself if sendable; else a stand-in of the
 * character, of its NFKC form (fullwidth and compatibility forms, other spaces), or of it without
 * its accents ('é' → 'e'); else '' — emoji and other scripts are dropped.
 */
export function replacementFor(char: string): string {
  return substitute(char) ?? substitute(char.normalize('NFKC')) ?? substitute(char.normalize('NFKD').replace(/\p{M}/gu, '')) ?? '';
}

// One unit of text: a CRLF (one line break), or a character with what NFC may compose onto it
// (marks, and the vowel and final conjoining jamo).
const SEGMENT = /\r\n|[^\p{M}\u1160-\u11FF\uD7B0-\uD7FF][\p{M}\u1160-\u11FF\uD7B0-\uD7FF]*|[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]+/gu;

/** What one segment, at `index` in the text, goes as; the characters it lacks are added to `unsendable`. */
function sendSegment(segment: string, index: number, unsendable: Unsendable[]): string {
  // A line break goes as one LF, whatever typed it (CRLF, CR).
  if (segment.includes('\r')) segment = segment.replace(/\r\n?/g, '\n');
  // Sendable text stays as typed: NFC would also rewrite the CJK compatibility ideographs and the
  // angstrom sign CP949 has (U+F900 → U+8C48, U+212B → U+00C5, which CP949 lacks).
  if (allSendable(segment)) return segment;
  // Decomposed Hangul (macOS, some IMEs) composes into syllables: nothing to flag.
  const composed = segment.normalize('NFC');
  if (allSendable(composed)) return composed;
  let sent = '';
  for (const char of segment) {
    if (isSendableChar(char.codePointAt(0)!)) sent += char;
    else {
      const replacement = replacementFor(char);
      unsendable.push({ index, char, replacement });
      sent += replacement;
    }
    index += char.length;
  }
  return sent;
}

/** Bytes of sendable text: ASCII 1, anything else 2. */
function byteCount(sent: string): number {
  let bytes = 0;
  for (const char of sent) bytes += char.charCodeAt(0) < 0x80 ? 1 : 2;
  return bytes;
}

function scan(text: string): { sent: string; unsendable: Unsendable[] } {
  let sent = '';
  const unsendable: Unsendable[] = [];
  for (const match of text.matchAll(SEGMENT)) sent += sendSegment(match[0], match.index, unsendable);
  return { sent, unsendable };
}

/**
 * The message's bytes as carriers count them, whether it goes as an SMS or an LMS, and each
 * character (code point) CP949 lacks with its replacement. `bytes` is that of `sendableText(text)`,
 * what actually goes once the replacements are made.
 */
export function measureSms(text: string): SmsMeasure {
  const { sent, unsendable } = scan(text);
  const bytes = byteCount(sent);
  const kind = bytes <= SMS_MAX_BYTES ? 'sms' : bytes <= LMS_MAX_BYTES ? 'lms' : 'too-long';
  return { bytes, kind, unsendable };
}

/**
 * The text as it can go: decomposed Hangul composed, line breaks as LF, every character CP949 lacks
 * replaced (`replacementFor`); any other text unchanged.
 */
export function sendableText(text: string): string {
  return scan(text).sent;
}

/**
 * The longest start of `text` within `maxBytes` as `measureSms` counts them (an unsendable
 * character as its replacement), never cutting a character, its accents or a CRLF.
 */
export function clipSms(text: string, maxBytes: number): string {
  let bytes = 0;
  for (const match of text.matchAll(SEGMENT)) {
    bytes += byteCount(sendSegment(match[0], match.index, []));
    if (bytes > maxBytes) return text.slice(0, match.index);
  }
  return text;
}
