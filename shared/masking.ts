import { normalisePhone } from './phone';
import type { PhoneContext } from './phone';

// Masks personal data that agents type into consultation notes before a note is stored or
// uploaded: resident registration numbers, card numbers and bank accounts. Phone numbers are
// kept (callbacks need them) but rewritten in one national format.
//
// The scanner is hand-written rather than one big regex: it walks the text once, cuts it into
// runs of digit groups, and tries a bounded number of layouts at each group, so the cost stays
// linear whatever the input.

export type MaskedKind = 'rrn' | 'card' | 'account';

export interface MaskResult {
  /** The text with personal data masked and phone numbers in national format. */
  text: string;
  /** How many of each kind were masked, in the order rrn, card, account; kinds with none are left out. */
  masked: { kind: MaskedKind; count: number }[];
  /** Phone numbers found, whether rewritten or already in national format. */
  phones: number;
}

/** A maximal stretch of digits (ASCII or full-width) and mask characters. */
interface Group {
  start: number;
  end: number;
  /** ASCII digits, with '*' standing for any mask character. */
  chars: string;
  /** The separator before this group; null for a run's first group. */
  sep: 'dash' | 'space' | null;
}

/** Digit groups joined by single separators, e.g. "010-1234 5678". */
interface Run {
  groups: Group[];
  /** Index of a '+' right before the first group, or -1. */
  plus: number;
}

interface Match {
  kind: MaskedKind | 'phone';
  start: number;
  end: number;
  /** null when the text stays as it is. */
  replacement: string | null;
  /** Groups consumed. */
  groups: number;
}

const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D']);
const SPACES = new Set([' ', '\u00A0', '\u3000']);
// Characters agents type for the hidden part of "900101-1xxxxxx"; letters and circles are not
// group characters, so they are only read right after an RRN's back half.
const TAIL_MASKS = new Set(['x', 'X', '\u25CF', '\u25CB']);

const RRN_MASK = '******-*******';

// Korean area codes, mobile, VoIP (070), personal (050x), toll-free (080) prefixes. A chain starting
// with one of them is never taken for an account without a keyword, even when it is no valid number.
const KR_PREFIX = /^(?:02|0[3-6][1-5]|0[3-8]0|050\d|01[016789])$/;
const YEAR = /^(?:19|20)\d\d$/;

// Card layouts as printed on cards: Visa/Master/local 4-4-4-4, AmEx 4-6-5, Diners 4-6-4,
// 19-digit cards 4-4-4-4-3 and 15-digit ones 4-4-4-3.
const CARD_LAYOUTS: readonly (readonly number[])[] = [
  [4, 4, 4, 4],
  [4, 6, 5],
  [4, 6, 4],
  [4, 4, 4, 4, 3],
  [4, 4, 4, 3],
];

const ACCOUNT_KEYWORDS = [
  '계좌',
  '통장',
  '입금',
  '이체',
  '송금',
  '예금',
  '은행',
  '뱅크',
  '국민',
  '신한',
  '우리',
  '하나',
  '농협',
  '기업',
  '우체국',
  '카카오',
  '토스',
  '새마을',
  '신협',
  '수협',
  'account',
  'acct',
];
const KEYWORD_WINDOW = 12;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The group character at i as an ASCII digit or '*', or null. */
function unit(text: string, i: number): string | null {
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return text.charAt(i);
  // Full-width digits come from Korean IMEs in full-width mode.
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(c - 0xff10 + 0x30);
  if (c === 0x2a || c === 0xff0a) return '*';
  return null;
}

function isLetter(text: string, i: number): boolean {
  return /[A-Za-z_]/.test(text.charAt(i));
}

function isDigit(text: string, i: number): boolean {
  const u = unit(text, i);
  // Stryker disable next-line ConditionalExpression,StringLiteral: isDigit only serves maskAllButLast4, whose spans digitsOf has already cleared of mask characters.
  return u !== null && u !== '*';
}

/** A group character, or a mask letter that an RRN's tail turns into one. */
function groupLike(text: string, i: number): boolean {
  return unit(text, i) !== null || TAIL_MASKS.has(text.charAt(i));
}

/** Whether a group ends right before pos, directly or across a separator. */
function groupEndsBefore(text: string, pos: number): boolean {
  let j = pos - 1;
  if (SPACES.has(text.charAt(j))) j--;
  if (DASHES.has(text.charAt(j))) {
    j--;
    if (SPACES.has(text.charAt(j))) j--;
  }
  return groupLike(text, j);
}

/** Cuts the text into runs of digit groups. */
function scan(text: string): Run[] {
  const runs: Run[] = [];
  const n = text.length;
  let i = 0;
  // Stryker disable next-line EqualityOperator: at i === n unit() reads NaN, no group character, so '<=' only adds an idle step.
  while (i < n) {
    if (unit(text, i) === null) {
      i++;
      continue;
    }
    // A '+' only leads a number that stands on its own: rewriting "9-+8210…" as "9-010…" would
    // join it to the group before, and a second pass would read something else.
    const plus = text.charAt(i - 1) === '+' && !isLetter(text, i - 2) && !groupEndsBefore(text, i - 1) ? i - 1 : -1;
    const groups: Group[] = [];
    let sep: Group['sep'] = null;
    for (;;) {
      const start = i;
      let chars = '';
      for (let u = unit(text, i); u !== null; u = unit(text, ++i)) chars += u;
      groups.push({ start, end: i, chars, sep });
      // One space, one dash, or a dash with a space on either side ("900101 - 1234567").
      let j = i;
      let dash = false;
      if (SPACES.has(text.charAt(j))) j++;
      if (DASHES.has(text.charAt(j))) {
        j++;
        dash = true;
        if (SPACES.has(text.charAt(j))) j++;
      }
      // Stryker disable next-line ConditionalExpression: without a separator j === i, and the character at i ended the group, so unit() is null anyway.
      if (j === i || unit(text, j) === null) break;
      sep = dash ? 'dash' : 'space';
      i = j;
    }
    runs.push({ groups, plus });
  }
  return runs;
}

function validDate(yymmdd: string): boolean {
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const max = DAYS_IN_MONTH[month - 1];
  return max !== undefined && day >= 1 && day <= max;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    if (i % 2 === 1) {
      d *= 2;
      // Stryker disable next-line EqualityOperator: a doubled digit is even, never 9.
      if (d > 9) d -= 9;
    }
    // Stryker disable next-line AssignmentOperator: a negated sum is a multiple of 10 exactly when the sum is.
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether groups i..i+k-1 end where a hyphen chain ends: "352-1234-5678-93" is never cut in two. */
function endsChain(run: Run, end: number): boolean {
  // Stryker disable next-line OptionalChaining: end never passes the run's end, and at the end the first test already answered.
  return end === run.groups.length || run.groups[end]?.sep !== 'dash';
}

function startsChain(run: Run, i: number): boolean {
  // Stryker disable next-line OptionalChaining: startsChain is only asked about groups that exist.
  return run.groups[i]?.sep !== 'dash';
}

function chainLength(run: Run, i: number): number {
  let k = 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,OptionalChaining: the bound and the ?. each stop the loop at the run's end without the other.
  while (i + k < run.groups.length && run.groups[i + k]?.sep === 'dash') k++;
  return k;
}

/** The groups' characters joined, or null if a group is missing or holds a mask character. */
function digitsOf(run: Run, i: number, k: number): string | null {
  let s = '';
  for (let j = i; j < i + k; j++) {
    const g = run.groups[j];
    if (!g || g.chars.includes('*')) return null;
    s += g.chars;
  }
  return s;
}

/** Letters glued to a number make it a code (order, serial, model), not personal data. */
function gluedToLetters(text: string, start: number, end: number): boolean {
  return isLetter(text, start - 1) || isLetter(text, end);
}

/**
 * "3.01012345678" or "1,2026-1234-5678": part of a bigger dotted or comma'd number. Mask
 * characters count as digits here, or masking the neighbour would change the answer next time.
 */
function gluedToNumber(text: string, start: number, end: number): boolean {
  const punct = '.,:/';
  return (
    (punct.includes(text.charAt(start - 1)) && groupLike(text, start - 2)) ||
    (punct.includes(text.charAt(end)) && groupLike(text, end + 1))
  );
}

/**
 * Right after a masked card printed with spaces ("**** **** **** 1111"), the visible last group
 * may not start a new card or phone: on a second pass it would, and masking must be idempotent.
 */
function afterMaskedCardGroup(run: Run, i: number): boolean {
  const g = run.groups[i];
  const prev = run.groups[i - 1];
  return !!g && !!prev && g.sep === 'space' && /^(?:\*{4}|\*{6})$/.test(prev.chars);
}

/** Replaces all digits of text[start, end) but the last four with '*', keeping separators. */
function maskAllButLast4(text: string, start: number, end: number, digits: number): string {
  let out = '';
  let seen = 0;
  for (let i = start; i < end; i++) {
    if (isDigit(text, i)) {
      seen++;
      out += seen <= digits - 4 ? '*' : text.charAt(i);
    } else {
      out += text.charAt(i);
    }
  }
  return out;
}

/** Mask letters ("xxxxxx") making up the rest of an RRN's back half, or 0. */
function tailMask(text: string, at: number, need: number): number {
  for (let j = 0; j < need; j++) if (!TAIL_MASKS.has(text.charAt(at + j))) return 0;
  return need;
}

function rrnParts(front: string, back: string): boolean {
  // Stryker disable next-line ConditionalExpression: an all-mask number fails both checks below as well: its front is no six digits, its back no seven.
  if (!/\d/.test(front + back)) return false;
  // The birth date must be a date so that long order numbers are left alone; the check digit is
  // not checked, numbers issued since October 2020 have none.
  // Stryker disable next-line Regex: front always has six characters, so one anchor does the work of both.
  if (/^\d{6}$/.test(front)) return validDate(front);
  // Front already hidden but the back half in clear ("******-1234567").
  return front === '******' && /^\d{7}$/.test(back);
}

function matchRrn(text: string, run: Run, i: number): Match | null {
  const first = run.groups[i];
  // Stryker disable next-line ConditionalExpression: matchAt only runs for a group that exists; the guard is for the type checker.
  if (!first) return null;
  const second = run.groups[i + 1];
  let front: string;
  let back: string;
  let k: number;
  let last: Group;
  if (first.chars.length === 6 && second && second.chars.length <= 7) {
    front = first.chars;
    back = second.chars;
    k = 2;
    last = second;
  } else if (first.chars.length >= 7 && first.chars.length <= 13) {
    front = first.chars.slice(0, 6);
    back = first.chars.slice(6);
    k = 1;
    last = first;
  } else {
    return null;
  }
  let end = last.end;
  if (back.length < 7) {
    const tail = tailMask(text, end, 7 - back.length);
    // Digits right after the tail would join the mask into one group on the next pass.
    if (tail === 0 || unit(text, end + tail) !== null) return null;
    // Stryker disable next-line AssignmentOperator,StringLiteral: the back only matters behind a masked front, where it must be seven clear digits; a back short of seven never is, padded or not.
    back += '*'.repeat(tail);
    end += tail;
  }
  // A hyphen chain going on ("900101-1234567-1") is some longer code only if its start is no whole
  // resident number: one with a birth date and seven clear digits is masked, the rest left as is.
  const whole = k === 2 && /^\d{6}$/.test(front) && /^\d{7}$/.test(back);
  if ((!whole && !endsChain(run, i + k)) || gluedToLetters(text, first.start, end)) return null;
  if (!rrnParts(front, back)) return null;
  return { kind: 'rrn', start: first.start, end, replacement: RRN_MASK, groups: k };
}

function cardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || digits.startsWith('0')) return false;
  // Only Visa ever issued 13-digit cards; other 13-digit numbers are order or document numbers.
  if (digits.length === 13 && !digits.startsWith('4')) return false;
  return luhn(digits);
}

function matchCard(text: string, run: Run, i: number): Match | null {
  const first = run.groups[i];
  // Stryker disable next-line ConditionalExpression: matchAt only runs for a group that exists; the guard is for the type checker.
  if (!first) return null;
  const candidates: number[][] = [[first.chars.length], ...CARD_LAYOUTS.map((l) => [...l])];
  for (const layout of candidates) {
    const k = layout.length;
    if (!layout.every((len, j) => run.groups[i + j]?.chars.length === len)) continue;
    const digits = digitsOf(run, i, k);
    const last = run.groups[i + k - 1];
    if (digits === null || !last || !endsChain(run, i + k) || !cardNumber(digits)) continue;
    if (gluedToLetters(text, first.start, last.end)) continue;
    return {
      kind: 'card',
      start: first.start,
      end: last.end,
      replacement: maskAllButLast4(text, first.start, last.end, digits.length),
      groups: k,
    };
  }
  return null;
}

function phoneShape(groups: string[]): boolean {
  // Stryker disable next-line StringLiteral: phoneShape gets one to three parts and reads no more than it gets; the defaults only satisfy the type checker.
  const [a = '', b = '', c = ''] = groups;
  if (groups.length === 1) return /^0\d{8,10}$/.test(a);
  if (groups.length === 2) {
    return (KR_PREFIX.test(a) && /^\d{7,8}$/.test(b)) || (/^1[5-9]\d\d$/.test(a) && /^\d{4}$/.test(b));
  }
  return groups.length === 3 && KR_PREFIX.test(a) && /^\d{3,4}$/.test(b) && /^\d{4}$/.test(c);
}

/**
 * The national format of a Korean number, or null. The format must read as a phone number again
 * (012-345-6789 is valid to libphonenumber but not a prefix this scanner knows), or a second pass
 * would take it for an account.
 */
function korean(raw: string, ctx: PhoneContext): string | null {
  const n = normalisePhone(raw, ctx);
  // Stryker disable next-line StringLiteral: only a single group with an international prefix (00…) can parse as another country's number, and the few digits left after the prefix fit no Korean shape.
  if (n.kind !== 'e164' || !n.e164.startsWith('+82')) return null;
  return phoneShape(n.national.split('-')) ? n.national : null;
}

function phoneMatch(text: string, start: number, end: number, k: number, national: string | null): Match {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,MethodExpression: writing a number over itself leaves the output and the keyword window as they were; 'same' only spares a copy.
  const same = national === null || text.slice(start, end) === national;
  return { kind: 'phone', start, end, replacement: same ? null : national, groups: k };
}

function matchPhone(text: string, run: Run, i: number, ctx: PhoneContext): Match | null {
  const first = run.groups[i];
  // Stryker disable next-line ConditionalExpression: matchAt only runs for a group that exists; the guard is for the type checker.
  if (!first) return null;
  for (let k = 3; k >= 1; k--) {
    const last = run.groups[i + k - 1];
    if (!last || !endsChain(run, i + k)) continue;
    const parts = run.groups.slice(i, i + k).map((g) => g.chars);
    if (!phoneShape(parts)) continue;
    if (gluedToLetters(text, first.start, last.end) || gluedToNumber(text, first.start, last.end)) continue;
    const national = korean(parts.join(''), ctx);
    if (national !== null) return phoneMatch(text, first.start, last.end, k, national);
  }
  return null;
}

/** "+82 10 1234 5678", "82-10-1234-5678", or any other country's number after a '+'. */
function matchInternational(text: string, run: Run, i: number, ctx: PhoneContext): Match | null {
  const first = run.groups[i];
  // Stryker disable next-line ConditionalExpression: matchAt only runs for a group that exists; the guard is for the type checker.
  if (!first) return null;
  const plus = i === 0 && run.plus >= 0;
  if (!plus && first.chars !== '82') return null;
  const start = plus ? run.plus : first.start;
  // Stryker disable next-line ArithmeticOperator: a k past the run's end takes a missing group, which digitsOf turns away.
  for (let k = Math.min(5, run.groups.length - i); k >= (plus ? 1 : 2); k--) {
    const digits = digitsOf(run, i, k);
    const last = run.groups[i + k - 1];
    if (digits === null || !last || digits.length < 8 || digits.length > 15 || !endsChain(run, i + k)) continue;
    if (gluedToLetters(text, start, last.end) || gluedToNumber(text, start, last.end)) continue;
    if (digits.startsWith('82')) {
      const national = korean('+' + digits, ctx);
      if (national !== null) return phoneMatch(text, start, last.end, k, national);
    } else if (plus && normalisePhone('+' + digits, ctx).kind === 'e164') {
      // Foreign numbers stay as typed: the national format would drop their country code.
      return phoneMatch(text, start, last.end, k, null);
    }
  }
  return null;
}

function matchAccount(text: string, run: Run, i: number, window: (start: number) => string): Match | null {
  const first = run.groups[i];
  // Accounts are whole hyphen chains; joining over spaces could swallow a phone number next to it.
  const k = chainLength(run, i);
  const last = run.groups[i + k - 1];
  const digits = digitsOf(run, i, k);
  if (!first || !last || digits === null || digits.length < 10 || digits.length > 14) return null;
  if (gluedToLetters(text, first.start, last.end) || gluedToNumber(text, first.start, last.end)) return null;
  if (text.charAt(last.end) === '원') return null;
  const before = window(first.start).toLowerCase();
  if (!ACCOUNT_KEYWORDS.some((w) => before.includes(w))) {
    // Without a keyword only a typical account layout counts; a leading year is a document or
    // case number (2026-12345-001), a leading area or mobile prefix a (mistyped) phone number.
    if (k < 3 || KR_PREFIX.test(first.chars) || YEAR.test(first.chars)) return null;
  }
  return {
    kind: 'account',
    start: first.start,
    end: last.end,
    replacement: maskAllButLast4(text, first.start, last.end, digits.length),
    groups: k,
  };
}

function matchAt(text: string, run: Run, i: number, ctx: PhoneContext, window: (start: number) => string): Match | null {
  const plusFirst = i === 0 && run.plus >= 0;
  const afterCard = afterMaskedCardGroup(run, i);
  return (
    matchInternational(text, run, i, ctx) ??
    matchRrn(text, run, i) ??
    (afterCard ? null : matchCard(text, run, i)) ??
    // "+010-…" is no international number, but still a national one.
    (afterCard ? null : matchPhone(text, run, i, ctx)) ??
    (plusFirst ? null : matchAccount(text, run, i, window))
  );
}

// Invisible characters typed or pasted between digits ("900101\u200B-1234567") would split a number
// into groups no layout takes.
const INVISIBLE_BY_DIGIT = /[\u00AD\u200B-\u200D\u2060\uFEFF]+(?=[0-9\uFF10-\uFF19])|(?<=[0-9\uFF10-\uFF19])[\u00AD\u200B-\u200D\u2060\uFEFF]+/g;
const D = '[0-9\\uFF10-\\uFF19]';
// Resident numbers the digit-group scanner does not read as such: halves joined by '.', '/', '_'
// or '·'; a number glued to Latin letters ("RRN9001011234567": codes are, resident numbers are
// still personal data); and halves with words between ("900101 뒷자리 1234567").
const LOOSE_RRN = new RegExp(
  [
    `(?<!${D})(${D}{6}) ?[._/\\u00B7\\uFF0E\\uFF0F] ?(${D}{7})(?!${D})`,
    `(?<=[A-Za-z])(${D}{6})-?(${D}{7})(?!${D})`,
    `(?<!${D})(${D}{6})-?(${D}{7})(?=[A-Za-z])`,
    `(?<!${D})(${D}{6})(\\s{0,3}-?\\s{0,3}(?:뒷자리|뒷번호|뒤\\s?7자리)\\s{0,3}[:은는이가]?\\s{0,3})(${D}{7})(?!${D})`,
  ].join('|'),
  'g',
);

const asciiDigits = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30));

/** The pre-pass for resident numbers written loosely (see LOOSE_RRN); a birth date must be a date. */
function maskLooseRrns(input: string): { text: string; count: number } {
  let count = 0;
  const text = input.replace(INVISIBLE_BY_DIGIT, '').replace(LOOSE_RRN, (whole: string, ...g: (string | undefined)[]) => {
    const front = g[0] ?? g[2] ?? g[4] ?? g[6];
    if (!front || !validDate(asciiDigits(front))) return whole;
    count++;
    // Words between the halves stay: only the digits go.
    return g[6] !== undefined ? `******${g[7] ?? ''}*******` : RRN_MASK;
  });
  return { text, count };
}

/**
 * Masks resident registration numbers (whole, birth date included), card numbers and bank accounts
 * (all but the last four digits) and rewrites phone numbers in national format. Masking masked text
 * changes nothing.
 */
export function maskPersonalData(input: string, phone: PhoneContext): MaskResult {
  const loose = maskLooseRrns(input);
  const text = loose.text;
  const pieces: string[] = [];
  let copied = 0;
  const counts: Record<MaskedKind, number> = { rrn: loose.count, card: 0, account: 0 };
  let phones = 0;

  // The keyword window is read from the output, not the input: a phone number rewritten earlier
  // changes the distance to a keyword, and a second pass must see what the first one saw.
  const window = (start: number): string => {
    let s = text.slice(Math.max(copied, start - KEYWORD_WINDOW), start);
    // Stryker disable next-line ArithmeticOperator,StringLiteral: p past the end only prepends '' before the real pieces; within range every piece exists.
    for (let p = pieces.length - 1; p >= 0 && s.length < KEYWORD_WINDOW; p--) s = (pieces[p] ?? '') + s;
    return s.slice(-KEYWORD_WINDOW);
  };

  for (const run of scan(text)) {
    let i = 0;
    // Stryker disable next-line EqualityOperator: at i === length no matcher finds a group, and all return null.
    while (i < run.groups.length) {
      const m = startsChain(run, i) ? matchAt(text, run, i, phone, window) : null;
      if (!m) {
        i++;
        continue;
      }
      if (m.replacement !== null) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty piece adds nothing to the output or to the keyword window.
        if (m.start > copied) pieces.push(text.slice(copied, m.start));
        pieces.push(m.replacement);
        copied = m.end;
      }
      if (m.kind === 'phone') phones++;
      else counts[m.kind]++;
      i += m.groups;
    }
  }
  pieces.push(text.slice(copied));

  const kinds: MaskedKind[] = ['rrn', 'card', 'account'];
  return {
    text: pieces.join(''),
    masked: kinds.filter((kind) => counts[kind] > 0).map((kind) => ({ kind, count: counts[kind] })),
    phones,
  };
}
