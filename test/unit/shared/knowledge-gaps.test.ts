import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapTerms, groupGaps, seoulWeekOf, STOP_WORDS, type MissRow } from '../../../shared/knowledge-gaps';

// Knowledge gaps: searches that found nothing, grouped by wording as the desk's search cuts it.

const row = (query: string, o: Partial<MissRow> = {}): MissRow => ({ query, terms: gapTerms(query).join(' '), category: null, week: '2026-12-07', ...o });

// Two topics the manual lacks, five wordings each, as agents type them (spacing, particles, endings).
const CHARGERS = ['전기차 충전소 설치 문의', '전기차 충전소는 어디', '전기차충전소 위치', '아파트 전기차 충전기 설치', '충전소 설치 신청'];
const DRONES = ['드론 비행 허가', '드론 촬영 허가 신청', '드론 날려도 되나요', '공원에서 드론 비행', '드론비행 허가'];

describe('gapTerms', () => {
  it('keeps the topic words: particles and endings cut as the search stems them, stop words and single syllables dropped', () => {
    expect(gapTerms('전기차 충전소는 어디에 있나요?')).toEqual(['전기차', '충전소']);
    expect(gapTerms('수도요금을 어떻게 감면받나요')).toEqual(['감면받', '수도요금']);
    expect(gapTerms('KTX 예매 문의')).toEqual(['ktx', '예매']);
    expect(gapTerms('ㅈㅁㄷㄹ 좀')).toEqual([]);
    expect(gapTerms('드론 드론을')).toEqual(['드론']);
    expect(gapTerms('2024년 KTX2 예매')).toEqual(['2024', 'ktx2', '예매']);
  });

  it('drops every stop word, as typed and as its stem', () => {
    for (const w of STOP_WORDS) expect(gapTerms(`${w} 드론`), w).toEqual(['드론']);
    expect(gapTerms('있나요 하나요 되나요 궁금해요 드론')).toEqual(['드론']);
  });
});

describe('seoulWeekOf', () => {
  it('names the Monday of the Korean week, across the UTC day boundary', () => {
    // Sunday 23:30 in Seoul is still last week; Monday 00:30 in Seoul (Sunday 15:30 UTC) is this week.
    expect(seoulWeekOf('2026-12-06T14:30:00Z')).toBe('2026-11-30');
    expect(seoulWeekOf('2026-12-06T15:30:00Z')).toBe('2026-12-07');
    expect(seoulWeekOf('2026-12-13T14:59:59Z')).toBe('2026-12-07');
  });
});

describe('groupGaps', () => {
  it('groups 50 searches in 5 wordings of 2 topics into 2 groups', () => {
    const rows = [...CHARGERS, ...DRONES].flatMap((q, i) => Array.from({ length: 5 }, (_, k) => row(q, { category: i < 5 ? '교통/주차' : null, week: k < 2 ? '2026-11-30' : '2026-12-07' })));
    const groups = groupGaps(rows);
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => g.count)).toEqual([25, 25]);
    const chargers = groups.find((g) => g.terms.includes('전기차'));
    expect(new Set(chargers?.wordings.map((w) => w.query))).toEqual(new Set(CHARGERS));
    expect(chargers).toMatchObject({ category: '교통/주차', weeks: [{ week: '2026-11-30', count: 10 }, { week: '2026-12-07', count: 15 }] });
    const drones = groups.find((g) => g.terms.includes('드론'));
    expect(new Set(drones?.wordings.map((w) => w.query))).toEqual(new Set(DRONES));
    expect(drones?.category).toBeNull();
  });

  it('labels a group by its most searched wording and orders groups by size', () => {
    const groups = groupGaps([row('드론 비행 허가'), row('드론비행 허가'), row('드론비행 허가'), row('여권 사진 규격'), row('여권 사진 규격'), row('여권사진 규격'), row('여권 사진 크기')]);
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['여권 사진 규격', 4],
      ['드론비행 허가', 3],
    ]);
  });

  it('compares bigrams, not syllables: the same syllables in another order are another wording', () => {
    expect(groupGaps([row('가나다라'), row('라다나가')])).toHaveLength(2);
  });

  it('breaks ties by wording: the label, the groups and the terms in a fixed order', () => {
    const groups = groupGaps([row('여권 사진'), row('드론 비행'), row('여권사진'), row('드론비행')]);
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['드론 비행', 2],
      ['여권 사진', 2],
    ]);
    expect(groupGaps([row('사진 여권')])[0]?.terms).toEqual(['사진', '여권']);
  });

  it('shows at most 10 wordings and 5 terms, weeks oldest first, and the category most searches had', () => {
    const wordings = Array.from({ length: 12 }, (_, i) => `드론 비행 허가 신청 공원 촬영 ${String.fromCharCode(0xac00 + i * 28)}${String.fromCharCode(0xb000 + i * 28)}`);
    const rows = wordings.map((q, i) => row(q, { week: i % 2 ? '2026-11-30' : '2026-12-07', category: i < 3 ? '교통/드론' : null }));
    const [group] = groupGaps(rows);
    expect(group?.count).toBe(12);
    expect(group?.wordings).toHaveLength(10);
    expect(group?.terms).toHaveLength(5);
    expect(group?.weeks).toEqual([
      { week: '2026-11-30', count: 6 },
      { week: '2026-12-07', count: 6 },
    ]);
    // Nine searches without a category do not outvote the three that had one.
    expect(group?.category).toBe('교통/드론');
  });

  it('keeps apart wordings that share only a common word', () => {
    const groups = groupGaps([row('충전소 설치 신청'), row('드론 촬영 허가 신청'), row('여권 재발급 신청')]);
    expect(groups).toHaveLength(3);
  });

  it('does not link wordings through a bigram too common to say anything', () => {
    const many = Array.from({ length: 30 }, (_, i) => row(`민원 ${String.fromCharCode(0xac00 + i * 37)}${String.fromCharCode(0xb098 + i * 11)}`));
    expect(groupGaps(many, { maxPosting: 10 })).toHaveLength(30);
    // At the bound a bigram still links.
    expect(groupGaps([row('드론 비행'), row('드론 촬영'), row('드론 신고')], { maxPosting: 3 })).toHaveLength(1);
    expect(groupGaps([row('드론 비행'), row('드론 촬영'), row('드론 신고')], { maxPosting: 2 })).toHaveLength(3);
  });

  it('counts every search once whatever the order, and groups identical wordings together', () => {
    const words = ['전기차 충전소', '드론 비행', '여권 사진', '수도 요금 감면', '불법 주차 신고', '가로등 고장'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 60 }), (queries) => {
        const groups = groupGaps(queries.map((q) => row(q)));
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(queries.length);
        for (const q of new Set(queries)) expect(groups.filter((g) => g.wordings.some((w) => w.query === q))).toHaveLength(1);
        expect(groupGaps([...queries].reverse().map((q) => row(q))).map((g) => g.count)).toEqual(groups.map((g) => g.count));
      }),
    );
  });

  it('leaves out a search with no topic word', () => {
    expect(groupGaps([row('어떻게 하나요'), row('드론 비행')])).toMatchObject([{ label: '드론 비행', count: 1 }]);
  });
});
