import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../shared/masking';
import type { MaskResult } from '../../../shared/masking';

const city = { areaCode: '054' };
const mask = (text: string): MaskResult => maskPersonalData(text, city);
const RRN = '******-*******';

describe('maskPersonalData on real notes', () => {
  it.each([
    ['민원인 주민번호 900101-1234567 확인함', `민원인 주민번호 ${RRN} 확인함`, [{ kind: 'rrn', count: 1 }], 0],
    ['카드 4111 1111 1111 1111 분실', '카드 **** **** **** 1111 분실', [{ kind: 'card', count: 1 }], 0],
    ['신한 110-123-456789로 환불 요청', '신한 ***-***-**6789로 환불 요청', [{ kind: 'account', count: 1 }], 0],
    ['연락처 01012345678로 회신', '연락처 010-1234-5678로 회신', [], 1],
    [
      '외국인 민원인(외국인등록번호 850315-5123456) 체류지 변경 문의, 회신 010 9876 5432',
      `외국인 민원인(외국인등록번호 ${RRN}) 체류지 변경 문의, 회신 010-9876-5432`,
      [{ kind: 'rrn', count: 1 }],
      1,
    ],
    [
      '과오납 환급금 30,000원 국민 123456-01-123456 계좌로 이체 예정',
      '과오납 환급금 30,000원 국민 ******-**-**3456 계좌로 이체 예정',
      [{ kind: 'account', count: 1 }],
      0,
    ],
    [
      '2026-11-28 14:30 통화. 카드번호 5555-5555-5555-4444 도용 신고, 경찰(112) 안내',
      '2026-11-28 14:30 통화. 카드번호 ****-****-****-4444 도용 신고, 경찰(112) 안내',
      [{ kind: 'card', count: 1 }],
      0,
    ],
    [
      '포항시 남구 대잠동 123-45 (37673) 불법주차 12가 3456, 사건번호 2026-12345, 담당 054-270-8282',
      '포항시 남구 대잠동 123-45 (37673) 불법주차 12가 3456, 사건번호 2026-12345, 담당 054-270-8282',
      [],
      1,
    ],
    [
      '해외 거주 자녀 +82 10 1234 5678 대리 신청, 본인 주민번호 앞자리만 900101-1******',
      `해외 거주 자녀 010-1234-5678 대리 신청, 본인 주민번호 앞자리만 ${RRN}`,
      [{ kind: 'rrn', count: 1 }],
      1,
    ],
    [
      '1,234,567원 입금 확인. 환불 계좌 카카오뱅크 3333-01-1234567, 문의 1588-1234',
      '1,234,567원 입금 확인. 환불 계좌 카카오뱅크 ****-**-***4567, 문의 1588-1234',
      [{ kind: 'account', count: 1 }],
      1,
    ],
  ] as const)('%s', (input, text, masked, phones) => {
    expect(mask(input)).toEqual({ text, masked, phones });
  });

  it('counts every kind, listed as rrn, card, account', () => {
    const r = mask('110-123-456789 / 4111-1111-1111-1111 / 900101-1234567 / 000229-4123456');
    expect(r.text).toBe(`***-***-**6789 / ****-****-****-1111 / ${RRN} / ${RRN}`);
    expect(r.masked).toEqual([
      { kind: 'rrn', count: 2 },
      { kind: 'card', count: 1 },
      { kind: 'account', count: 1 },
    ]);
    expect(r.phones).toBe(0);
  });

  it('returns an empty list and zero phones for a note without numbers', () => {
    expect(mask('민원인이 소음 민원 재접수 요청함 🙏')).toEqual({ text: '민원인이 소음 민원 재접수 요청함 🙏', masked: [], phones: 0 });
    expect(mask('')).toEqual({ text: '', masked: [], phones: 0 });
  });
});

describe('resident registration numbers', () => {
  it.each([
    '900101-1234567',
    '900101 1234567',
    '900101–1234567',
    '900101 - 1234567',
    '9001011234567',
    '020315-4123456',
    '850315-5123456',
    '991231-9123456',
    '000229-3123456',
    '991231-0123456',
  ])('masks %s whole, birth date included', (rrn) => {
    const r = mask(`주민번호 ${rrn} 본인 확인`);
    expect(r.text).toBe(`주민번호 ${RRN} 본인 확인`);
    expect(r.masked).toEqual([{ kind: 'rrn', count: 1 }]);
  });

  it.each(['900101-1******', '900101-1xxxxxx', '900101-1XXXXXX', '900101-1●●●●●●', '9001011******', '900101-*******', '900101-12*****', '******-1234567'])(
    'finishes the partly masked %s',
    (rrn) => {
      expect(mask(`주민번호 ${rrn}`)).toEqual({ text: `주민번호 ${RRN}`, masked: [{ kind: 'rrn', count: 1 }], phones: 0 });
    },
  );

  // The outside test's variants (issue 17): each of these leaked before.
  it.each([
    ['a zero-width space inside', '900101\u200B-1234567', RRN],
    ['a soft hyphen and a word joiner inside', '9001\u00AD01-12345\u206067', RRN],
    ['a dot between the halves', '900101.1234567', RRN],
    ['an underscore between the halves', '900101_1234567', RRN],
    ['a slash between the halves', '900101 / 1234567', RRN],
    ['a middle dot between the halves', '900101·1234567', RRN],
    ['letters glued before it (a serial is masked too: a resident number in it is one)', 'SN9001011234567', `SN${RRN}`],
    ['letters glued after it', '900101-1234567A', `${RRN}A`],
    ['words between the halves', '900101 뒷자리 1234567', '****** 뒷자리 *******'],
    ['words and a colon between the halves', '900101-뒷번호: 1234567', '******-뒷번호: *******'],
    ['a hyphen chain going on after it', '900101-1234567-1', `${RRN}-1`],
  ])('masks one with %s', (_why, text, masked) => {
    const r = mask(`주민번호 ${text} 확인`);
    expect(r.text).toBe(`주민번호 ${masked} 확인`);
    expect(r.masked).toEqual([{ kind: 'rrn', count: 1 }]);
    // And masking it again changes nothing.
    expect(mask(r.text)).toEqual({ text: r.text, masked: [], phones: 0 });
  });

  it.each([
    ['a date that is no date, with a dot', '901301.1234567'],
    ['a version number', '1.2.3'],
    ['a decimal', '3.14'],
    ['a date written with dots', '2026.12.07'],
    ['six digits and words but no back half', '900101 뒷자리 123'],
    ['an emoji sequence kept whole', '👨\u200D👩\u200D👧 가족'],
  ])('still leaves %s alone', (_why, text) => {
    expect(mask(text)).toEqual({ text, masked: [], phones: 0 });
  });

  it('reads full-width digits and dashes but leaves the rest of the note as typed', () => {
    expect(mask('주민 ９００１０１－１２３４５６７ 확인, 동 번호 １０１동').text).toBe(`주민 ${RRN} 확인, 동 번호 １０１동`);
    expect(mask('９００１０１１２３４５６７').masked).toEqual([{ kind: 'rrn', count: 1 }]);
  });

  it.each([
    ['a 13-digit order number whose month is 13', '주문번호 9913451234567'],
    ['a date that does not exist (Feb 30)', '900230-1234567'],
    ['month 00', '900001-1234567'],
    ['day 00', '900100-1234567'],
    ['day 31 in a 30-day month', '900431-1234567'],
    ['a back half one digit too long', '900101-12345678'],
    ['a back half one digit too short', '900101-123456'],
    ['14 digits in a row', '19001011234567'],
    ['12 digits in a row', '900101123456'],
    ['too little of the back half to be one', '900101-1**'],
  ])('leaves %s alone', (_why, text) => {
    expect(mask(text)).toEqual({ text, masked: [], phones: 0 });
  });

  it('leaves an already masked number alone and does not count it', () => {
    expect(mask(`주민번호 ${RRN}`)).toEqual({ text: `주민번호 ${RRN}`, masked: [], phones: 0 });
  });
});

describe('card numbers', () => {
  it.each([
    ['4111 1111 1111 1111', '**** **** **** 1111'],
    ['4111-1111-1111-1111', '****-****-****-1111'],
    ['4111111111111111', '************1111'],
    ['5555 5555 5555 4444', '**** **** **** 4444'],
    ['3782 822463 10005', '**** ****** *0005'],
    ['3782-822463-10005', '****-******-*0005'],
    ['3056 930902 5904', '**** ****** 5904'],
    ['6250 9410 0652 8599', '**** **** **** 8599'],
    ['4222222222222', '*********2222'],
    ['４１１１ １１１１ １１１１ １１１１', '**** **** **** １１１１'],
  ])('masks %s as %s, keeping its grouping', (card, masked) => {
    expect(mask(`카드 ${card} 분실 신고`)).toEqual({ text: `카드 ${masked} 분실 신고`, masked: [{ kind: 'card', count: 1 }], phones: 0 });
  });

  it.each([
    ['one digit off (Luhn fails)', '4111 1111 1111 1112'],
    ['one digit off, no spaces', '4111111111111112'],
    ['a grouping no card uses', '4111 1111 1111 111 1'],
    ['a 13-digit number that is no Visa (and no date)', '9913451234567'],
    ['glued to letters', 'TX4111111111111111'],
  ])('leaves %s alone', (_why, text) => {
    expect(mask(text)).toEqual({ text, masked: [], phones: 0 });
  });

  it('masks a card and keeps the phone number right after it', () => {
    expect(mask('4111 1111 1111 1111 010 1234 5678')).toEqual({
      text: '**** **** **** 1111 010-1234-5678',
      masked: [{ kind: 'card', count: 1 }],
      phones: 1,
    });
  });
});

describe('bank account numbers', () => {
  it.each([
    ['110-123-456789', '***-***-**6789'],
    ['1002-123-456789', '****-***-**6789'],
    ['123-456789-01-234', '***-******-*1-234'],
    ['352-1234-5678-93', '***-****-**78-93'],
    ['012-34-567890', '***-**-**7890'],
    ['3333-01-1234567', '****-**-***4567'],
    ['1000-1234-5678', '****-****-5678'],
  ])('masks %s without a keyword: 3+ hyphen groups, 10-14 digits', (account, masked) => {
    expect(mask(`환불 ${account}로 처리`)).toEqual({ text: `환불 ${masked}로 처리`, masked: [{ kind: 'account', count: 1 }], phones: 0 });
  });

  it.each([
    ['우리 1002-123456789', '우리 ****-*****6789'],
    ['계좌 110123456789', '계좌 ********6789'],
    ['통장: 12345678901', '통장: *******8901'],
    ['입금할 곳 3521234567893', '입금할 곳 *********7893'],
    ['이체 110-1234567890', '이체 ***-******7890'],
    ['우체국 12345678901234', '우체국 **********1234'],
    ['토스 100012345678', '토스 ********5678'],
    ['account 110-123456789', 'account ***-*****6789'],
    ['Account no. 11012345678', 'Account no. *******5678'],
    ['농협은행 301012345678', '농협은행 ********5678'],
  ])('masks %s when a keyword says it is an account', (input, text) => {
    expect(mask(input)).toEqual({ text, masked: [{ kind: 'account', count: 1 }], phones: 0 });
  });

  it.each([
    ['two groups without a keyword', '접수번호 1002-123456789'],
    ['digits in a row without a keyword', '주문번호 110123456789'],
    ['a keyword more than 12 characters away', '신한은행 고객센터 안내 후 110123456789'],
    ['a case number led by a year', '사건 2026-12345-001'],
    ['a case number', '사건번호 2026-0012345'],
    ['an amount after a keyword', '입금 1234567890원'],
    ['a date and time after a keyword', '이체 2026-11-28 10:30'],
    ['too few digits', '110-12-3456'],
    ['too many digits', '110-123-456789-123'],
    ['spaces instead of hyphens', '신한 110 123 456789'],
    ['a mistyped mobile number', '010-1234-56789'],
    ['a mobile number with an extension', '010-1234-5678-1'],
    ['a date range', '20261128-20261205'],
  ])('leaves %s alone', (_why, text) => {
    expect(mask(text)).toEqual({ text, masked: [], phones: 0 });
  });
});

describe('phone numbers', () => {
  it.each([
    ['010-1234-5678', '010-1234-5678'],
    ['01012345678', '010-1234-5678'],
    ['010 1234 5678', '010-1234-5678'],
    ['010-1234 5678', '010-1234-5678'],
    ['+82 10 1234 5678', '010-1234-5678'],
    ['+82-10-1234-5678', '010-1234-5678'],
    ['+821012345678', '010-1234-5678'],
    ['82-10-1234-5678', '010-1234-5678'],
    ['054-270-8282', '054-270-8282'],
    ['0542708282', '054-270-8282'],
    ['+82 54 270 8282', '054-270-8282'],
    ['02-123-4567', '02-123-4567'],
    ['02 2133 1234', '02-2133-1234'],
    ['+82 2 123 4567', '02-123-4567'],
    ['1588-1234', '1588-1234'],
    ['1588 1234', '1588-1234'],
    ['070-1234-5678', '070-1234-5678'],
    ['０１０－１２３４－５６７８', '010-1234-5678'],
  ])('writes %s as %s', (raw, national) => {
    expect(mask(`회신 ${raw}로 요청`)).toEqual({ text: `회신 ${national}로 요청`, masked: [], phones: 1 });
  });

  it('counts every phone number, rewritten or not', () => {
    const r = mask('자택 054-270-8282, 휴대 01012345678, 직장 02 2133 1234');
    expect(r).toEqual({ text: '자택 054-270-8282, 휴대 010-1234-5678, 직장 02-2133-1234', masked: [], phones: 3 });
  });

  it.each([
    ['입금 010-1234-5678', '입금 010-1234-5678'],
    ['통장 사본 054-270-8282로 팩스', '통장 사본 054-270-8282로 팩스'],
    ['계좌 01012345678', '계좌 010-1234-5678'],
    ['국민 +82 10 1234 5678', '국민 010-1234-5678'],
    ['이체 문의 02 2133 1234', '이체 문의 02-2133-1234'],
  ])('never takes %s for an account, even after a keyword', (input, text) => {
    expect(mask(input)).toEqual({ text, masked: [], phones: 1 });
  });

  it('keeps a foreign number as typed: the national format would drop its country code', () => {
    expect(mask('미국 거주 +1 415-555-2671')).toEqual({ text: '미국 거주 +1 415-555-2671', masked: [], phones: 1 });
  });

  it.each(['112', '119', '120'])('leaves the short code %s as it is and does not count it', (code) => {
    expect(mask(`${code} 신고 안내`)).toEqual({ text: `${code} 신고 안내`, masked: [], phones: 0 });
  });

  it.each([
    ['a local number without area code', '270-8282'],
    ['a rep number without its hyphen (could be an amount)', '15881234'],
    ['a number in parentheses', '(054) 270-8282'],
    ['digits after a decimal point', '좌표 36.01012345678'],
    ['a number glued to letters', 'tel01012345678'],
  ])('leaves %s untouched', (_why, text) => {
    expect(mask(text)).toEqual({ text, masked: [], phones: 0 });
  });
});

describe('numbers that are not personal data', () => {
  it.each([
    '2026-11-28',
    '2026.11.28',
    '26.11.28',
    '14:30',
    '오후 2시 30분',
    '30,000원',
    '1,234,567원',
    '1,234,567,890원',
    '12345678901234원',
    '포항시 남구 대잠동 123-45',
    '대잠동 123-45번지 101동 1001호',
    '지곡로 80 101-1001',
    '37673',
    '2026-12345',
    '2026가합12345',
    '12가 3456',
    '123가4567',
    '2026-11-28-1234',
  ])('leaves %s unchanged', (text) => {
    expect(mask(`메모: ${text}`)).toEqual({ text: `메모: ${text}`, masked: [], phones: 0 });
  });
});

// Deterministic pseudo-random numbers, so that a failure can be replayed.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ...'0123456789０１９-–－ +*x●.,:/()aZ원가\n\u3000',
  '😀',
  '👩‍👩‍👧',
  '\uD800',
  '계좌 ',
  '신한 ',
  '카드 ',
  '010',
  '82',
  '054',
  '270',
  '8282',
  '1588',
  '900101',
  '1234567',
  '4111',
  '1111',
  '3782',
  '822463',
  '10005',
  '2026',
  '01012345678',
  '9001011234567',
  '4111111111111111',
  '110-123-456789',
  '+82 10 1234 5678',
  '******',
  'xxxxxx',
];

function noise(rand: () => number, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
  return s;
}

describe('idempotence and robustness', () => {
  const notes = [
    '민원인 주민번호 900101-1234567 확인함',
    '카드 4111 1111 1111 1111 분실',
    '신한 110-123-456789로 환불 요청',
    '연락처 01012345678로 회신',
    '+82 10 1234 5678 / 900101-1xxxxxx / 3782 822463 10005 / 우리 1002-123456789 / 070 1234 5678',
    '계좌 +82 10 1234 5678 110123456789',
    '４１１１ １１１１ １１１１ １１１１ ９００１０１－１２３４５６７',
  ];

  it.each(notes)('masking the masked %s changes nothing and finds nothing new', (note) => {
    const once = mask(note);
    expect(once.text).not.toBe(note);
    const twice = mask(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.masked).toEqual([]);
    expect(twice.phones).toBe(once.phones);
  });

  it('never throws and stays idempotent on random notes', () => {
    const rand = mulberry32(20261128);
    for (let i = 0; i < 3000; i++) {
      const input = noise(rand, 1 + Math.floor(rand() * 60));
      const once = mask(input);
      const twice = mask(once.text);
      expect(twice.text, JSON.stringify(input)).toBe(once.text);
      expect(twice.masked, JSON.stringify(input)).toEqual([]);
      expect(twice.phones, JSON.stringify(input)).toBe(once.phones);
    }
  });

  it('finds numbers wherever they sit in random text', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 300; i++) {
      const input = `${noise(rand, 20)} 주민 900101-1234567 확인 ${noise(rand, 20)} 카드 4111-1111-1111-1111 분실 ${noise(rand, 20)}`;
      const { text } = mask(input);
      expect(text, JSON.stringify(input)).toContain(` 주민 ${RRN} 확인 `);
      expect(text, JSON.stringify(input)).toContain(' 카드 ****-****-****-1111 분실 ');
    }
  });

  it.each([
    ['long digit runs', '9'.repeat(4000)],
    ['single digits and spaces', '1 '.repeat(2000)],
    ['hyphen chains', '1-'.repeat(1999) + '1'],
    ['dangling separators', '010-'.repeat(1000)],
    ['plus signs', '+'.repeat(2000) + '8'.repeat(2000)],
    ['mask characters', '*-'.repeat(2000)],
    ['emoji', '😀'.repeat(2000)],
  ])('handles 4000 characters of %s without masking anything', (_what, input) => {
    expect(mask(input)).toEqual({ text: input, masked: [], phones: 0 });
  });

  it('masks every number in a 4000-character note', () => {
    const line = '주민 900101-1234567 연락처 01012345678 계좌 110-123-456789. ';
    const input = line.repeat(Math.floor(4000 / line.length));
    const times = Math.floor(4000 / line.length);
    const r = mask(input);
    expect(r.text).toBe(`주민 ${RRN} 연락처 010-1234-5678 계좌 ***-***-**6789. `.repeat(times));
    expect(r.masked).toEqual([
      { kind: 'rrn', count: times },
      { kind: 'account', count: times },
    ]);
    expect(r.phones).toBe(times);
  });

  it('survives random 4000-character inputs', () => {
    const rand = mulberry32(4000);
    for (let i = 0; i < 20; i++) {
      let input = '';
      while (input.length < 4000) input += noise(rand, 50);
      input = input.slice(0, 4000);
      const once = mask(input);
      expect(mask(once.text).text).toBe(once.text);
    }
  });
});

/**
 * The scanner's edges, each found by a mutant that the cases above let live: every dash and
 * space a Korean IME or a word processor types, the prefixes and years that keep a chain from
 * being an account, phone layouts one digit off, masks already applied, and the keyword window.
 */
describe('maskPersonalData at the edges of its rules', () => {
  it.each([
    ["주민 900101-1234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u20101234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u20111234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u20121234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u20131234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u20141234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\u22121234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\uFE631234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101\uFF0D1234567 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["카드 4111\u00A01111\u00A01111\u00A01111 분실", "카드 ****\u00A0****\u00A0****\u00A01111 분실", 'card', 0],
    ["카드 4111\u30001111\u30001111\u30001111 분실", "카드 ****\u3000****\u3000****\u30001111 분실", 'card', 0],
    ["0212-3456-7890", "****-****-7890", 'account', 0],
    ["0507-1234-5678", "0507-1234-5678", '', 0],
    ["050-1234-5678", "050-1234-5678", '', 1],
    ["1212-3456-7890", "****-****-7890", 'account', 0],
    ["021-345-6789", "***-***-6789", 'account', 0],
    ["12026-1234-5678", "*****-****-5678", 'account', 0],
    ["2026-1234-5678", "2026-1234-5678", '', 0],
    ["20261-1234-5678", "*****-****-5678", 'account', 0],
    ["1990-1234-5678", "1990-1234-5678", '', 0],
    ["**** **** **** 1111", "**** **** **** 1111", '', 0],
    ["****-******-*1111", "****-******-*1111", '', 0],
    ["**** ****** 11111", "**** ****** 11111", '', 0],
    ["****** 1234 5678", "****** 1234 5678", '', 0],
    ["****-**** 1234", "****-**** 1234", '', 0],
    ["02 12345678", "02-1234-5678", '', 1],
    ["02 123456789", "02 123456789", '', 0],
    ["1588 1234", "1588-1234", '', 1],
    ["1588 12345", "1588 12345", '', 0],
    ["11588 1234", "11588 1234", '', 0],
    ["1500 1234", "1500 1234", '', 0],
    ["1588 123", "1588 123", '', 0],
    ["02 123 4567", "02-123-4567", '', 1],
    ["02 12345 5678", "02 12345 5678", '', 0],
    ["02 1234 56789", "02 1234 56789", '', 0],
    ["031 123 4567", "031-123-4567", '', 1],
    ["+82 10 1234 5678", "010-1234-5678", '', 1],
    ["+8210-1234-5678", "010-1234-5678", '', 1],
    ["계좌 12345678", "계좌 12345678", '', 0],
    ["계좌 123456789", "계좌 123456789", '', 0],
    ["계좌 12345678901234", "계좌 **********1234", 'account', 0],
    ["계좌 123456789012345", "계좌 123456789012345", '', 0],
    ["입금 02-123-4567-89", "입금 **-***-**67-89", 'account', 0],
    ["통장 1234-5678-9012", "통장 ****-****-9012", 'account', 0],
    // The keyword must end within the 12 characters before the number.
    ["은행 가나다라마바사아 123456789012", "은행 가나다라마바사아 ********9012", 'account', 0],
    ["은행가나다라마바사아자 123456789012", "은행가나다라마바사아자 ********9012", 'account', 0],
    ["은행 가나다라마바사아자 123456789012", "은행 가나다라마바사아자 123456789012", '', 0],
    ["계좌: 02 123 4567 이체 1234567890", "계좌: 02-123-4567 이체 ******7890", 'account', 1],
    ["카드 4111 1111 1111 1111 111", "카드 **** **** **** 1111 111", 'card', 0],
    ["카드 4111-1111-1111-1111-110", "카드 ****-****-****-***1-110", 'card', 0],
    ["카드 3782 822463 10005", "카드 **** ****** *0005", 'card', 0],
    ["카드 3056 930902 5904", "카드 **** ****** 5904", 'card', 0],
    ["카드 4111 1111 1111 111", "카드 4111 1111 1111 111", '', 0],
    ["카드 4222222222222", "카드 *********2222", 'card', 0],
    ["카드 5222222222222", "카드 5222222222222", '', 0],
    ["카드 4111 1111 1111 1112", "카드 4111 1111 1111 1112", '', 0],
    ["카드 ４１１１-１１１１-１１１１-１１１１", "카드 ****-****-****-１１１１", 'card', 0],
    ["주민 ９００１０１-１２３４５６７", "주민 ******-*******", 'rrn', 0],
    ["주민 900101-1xxxxxx", "주민 ******-*******", 'rrn', 0],
    ["주민 900101-1XXXXXX 확인", "주민 ******-******* 확인", 'rrn', 0],
    ["주민 900101-1●●●●●●", "주민 ******-*******", 'rrn', 0],
    ["주민 900101-1******", "주민 ******-*******", 'rrn', 0],
    ["주민 901301-1234567", "주민 901301-1234567", '', 0],
    ["주민 900230-1234567", "주민 900230-1234567", '', 0],
    ["주민 900229-1234567", "주민 ******-*******", 'rrn', 0],
    ["주민 000229-3234567", "주민 ******-*******", 'rrn', 0],
    ["주민 900100-1234567", "주민 900100-1234567", '', 0],
    ["주민 ******-1234567", "주민 ******-*******", 'rrn', 0],
    ["주민 ＊＊＊＊＊＊-1234567", "주민 ******-*******", 'rrn', 0],
    ["0212345678", "02-1234-5678", '', 1],
    ["02123456789", "02123456789", '', 0],
    ["0212345", "0212345", '', 0],
    ["연락처 +81 3 1234 5678", "연락처 +81 3 1234 5678", '', 1],
    ["연락처+82 10 1234 5678", "연락처010-1234-5678", '', 1],
    ["계좌 1234567890", "계좌 ******7890", 'account', 0],
    ["계좌 123456789", "계좌 123456789", '', 0],
    ["계좌 AB1234567890", "계좌 AB1234567890", '', 0],
    ["계좌 1234567890CD", "계좌 1234567890CD", '', 0],
    ["계좌 12.1234567890", "계좌 12.1234567890", '', 0],
    ["계좌 1234567890.5", "계좌 1234567890.5", '', 0],
    ["계좌 1234567890123", "계좌 *********0123", 'account', 0],
    ["계좌 12345678901234567", "계좌 12345678901234567", '', 0],
    ["사건 2026-1234 접수", "사건 2026-1234 접수", '', 0],
    ["900101 1234567", "******-*******", 'rrn', 0],
    ["900101-12345678", "900101-12345678", '', 0],
    ["1900101-1234567", "1900101-1234567", '', 0],
    // Full-width punctuation shares the digits' Unicode block but is no digit.
    ["연락처：01012345678", "연락처：010-1234-5678", '', 1],
    // A '+' after a letter or after another group leads nothing; the number after it is read without it.
    ["번호 1 +82 10 1234 5678", "번호 1 +010-1234-5678", '', 1],
    ["tel+82 10 1234 5678", "tel+010-1234-5678", '', 1],
    // Mask letters next to a '/' count as digits, as the '*' they turn into will on the next pass.
    ["900101-1xxxxxx/01012345678", "******-*******/01012345678", 'rrn', 0],
    // A masked card's visible last group starts no phone number on the next pass (4-4-4-4 and 4-6-4
    // cards); after an RRN's mask it may.
    ["카드 4111 1111 1115 1588 1234", "카드 **** **** **** 1588 1234", 'card', 0],
    ["카드 3056 930904 1588 1234", "카드 **** ****** 1588 1234", 'card', 0],
    ["주민 ******-******* 1588 1234", "주민 ******-******* 1588-1234", '', 1],
    // 13 digits in a row are an RRN even with a short group after them; so are 7 and six mask letters.
    ["주민 9001011234567 010 1234 5678", "주민 ******-******* 010-1234-5678", 'rrn', 1],
    ["주민 9001011xxxxxx", "주민 ******-*******", 'rrn', 0],
    // A 15-digit card printed 4-4-4-3; a 13-digit number that passes Luhn but is no Visa.
    ["카드 4111 1111 1111 116", "카드 **** **** ***1 116", 'card', 0],
    ["카드 9913451234566", "카드 9913451234566", '', 0],
    // Groups that libphonenumber would read as a number, but not in a layout agents type: an
    // international prefix in one piece, a mobile number cut in the wrong place, a five-digit last
    // group, and a rep number one digit too long (read as an old 016/018 mobile number).
    ["001821012345678", "001821012345678", '', 0],
    ["0101 2345678", "0101 2345678", '', 0],
    ["02 123 45678", "02 123 45678", '', 0],
    ["1800 12345", "1800 12345", '', 0],
    ["18001 2345", "18001 2345", '', 0],
    // A second number in a run does not inherit the first one's '+'.
    ["+1 415 555 2671 82 10 1234 5678", "+1 415 555 2671 010-1234-5678", '', 2],
    // After '+' at most five groups are read, 8 to 15 digits (E.164), even where libphonenumber
    // would accept a shorter (Niue) or a longer (German) number.
    ["+82 10 12 34 56 78", "+82 10 12 34 56 78", '', 0],
    ["+683 4002", "+683 4002", '', 0],
    ["+500 22334", "+500 22334", '', 1],
    ["+49 30 12345678901", "+49 30 12345678901", '', 1],
    ["+49 30 123456789012", "+49 30 123456789012", '', 0],
    // Numbers libphonenumber rejects are not counted, Korean or foreign.
    ["+82 2 123 45", "+82 2 123 45", '', 0],
    ["+1 123 456 7890", "+1 123 456 7890", '', 0],
    // A '+' number is no account even when mistyped; an account after it in the same run still is.
    ["+44-20-7946-09581", "+44-20-7946-09581", '', 0],
    ["+82 10 1234 5678 110-123-456789", "010-1234-5678 ***-***-**6789", 'account', 1],
    // The keyword window is measured on the output: "계좌+82 1588 1234 " is 16 characters, but
    // "계좌1588-1234 " only 12. A keyword further back in the output does not count.
    ["계좌+82 1588 1234 1234567890", "계좌1588-1234 ******7890", 'account', 1],
    ["신한은행 고객센터 1588 1234 1234567890", "신한은행 고객센터 1588-1234 1234567890", '', 1],
  ])('%j → %j (%s, %i phone)', (input, text, kinds, phones) => {
    const r = mask(input);
    expect([r.text, r.masked.map((m) => m.kind).join(','), r.phones]).toEqual([text, kinds, phones]);
    // Masking twice changes nothing more.
    expect(mask(r.text).text).toBe(r.text);
  });
});
