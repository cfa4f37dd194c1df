import { describe, expect, it } from 'vitest';
import { createSearchEpisodes, related, type SearchMissReport } from '../../../../renderer/search/search-episodes';
import { manualClock } from '../../../helpers/manual-clock';

/** Episodes on a clock the test moves, with what they report and the consultation's category. */
function setup() {
  const clock = manualClock();
  const reported: SearchMissReport[] = [];
  let category: string | null = null;
  const episodes = createSearchEpisodes({ report: (m) => reported.push(m), category: () => category, timers: clock.timers });
  /** Types `text` a key at a time, 150 ms apart, as an agent does. */
  const type = (text: string) => {
    for (let i = 1; i <= text.length; i++) {
      episodes.typed(text.slice(0, i));
      clock.advance(100);
    }
  };
  // The manual clock fires what is due at the end of each step: small steps keep timers on time.
  const pass = (ms: number) => {
    for (let t = 0; t < ms; t += 100) clock.advance(100);
  };
  return { clock: { advance: pass }, reported, episodes, type, setCategory: (c: string | null) => (category = c) };
}

describe('what counts as the same search', () => {
  it('takes typing on, deleting back, shared words, 초성 and English-mode keys as refinements', () => {
    expect(related('주차', '주차요금')).toBe(true);
    expect(related('주차요금 감면', '주차요금')).toBe(true);
    expect(related('주차 요금', '주차장 요금 감면')).toBe(true);
    expect(related('ㅈㅁㄷㄹ', '주민등록등본')).toBe(true);
    expect(related('주민등록', 'ㅈㅁㄷㄹ')).toBe(true);
    expect(related('durnjs', '여권 재발급')).toBe(true);
    expect(related('passport', 'passport fee')).toBe(true);
  });

  it('tells another question from a refinement', () => {
    expect(related('누수', '여권')).toBe(false);
    expect(related('주차요금', '대형폐기물')).toBe(false);
    expect(related('ㅈㅁㄷㄹ', '여권')).toBe(false);
    expect(related('   ', '여권')).toBe(false);
  });
});

describe('search episodes', () => {
  it('reports nothing for keystrokes: a query typed and cleared before it settled is no search', () => {
    const s = setup();
    s.type('여권');
    s.episodes.typed('');
    s.clock.advance(200_000);
    expect(s.reported).toEqual([]);
  });

  it('reports the last settled query once when the box is cleared without an entry opened', () => {
    const s = setup();
    s.type('주차');
    s.clock.advance(3_000);
    s.type('주차요금 감면');
    s.clock.advance(3_000);
    s.episodes.typed('');
    expect(s.reported).toEqual([{ query: '주차요금 감면', category: null }]);
    s.clock.advance(200_000);
    expect(s.reported).toHaveLength(1);
  });

  it('settles at once on Enter, and an unrelated query that settles ends the first as a miss', () => {
    const s = setup();
    s.type('누수');
    s.episodes.entered();
    s.type('여권');
    // Not settled yet: the first episode is still open.
    expect(s.reported).toEqual([]);
    s.clock.advance(3_000);
    expect(s.reported).toEqual([{ query: '누수', category: null }]);
  });

  it('is a hit once an entry is opened from it, refinements included: nothing is reported', () => {
    const s = setup();
    s.type('ㅈㅁㄷㄹ');
    s.clock.advance(3_000);
    s.type('주민등록');
    s.episodes.opened();
    s.clock.advance(3_000);
    s.type('주민등록 등본');
    s.clock.advance(3_000);
    s.episodes.typed('');
    s.clock.advance(200_000);
    expect(s.reported).toEqual([]);
  });

  it('opening a result of a query still being typed settles it as a hit', () => {
    const s = setup();
    s.type('누수');
    s.episodes.opened();
    s.clock.advance(200_000);
    s.episodes.typed('');
    expect(s.reported).toEqual([]);
  });

  it('ends as a miss after two minutes without an open, counted from the last settled query', () => {
    const s = setup();
    s.type('도로 파손');
    s.clock.advance(60_000);
    s.type('도로 파손 신고');
    s.clock.advance(100_000);
    expect(s.reported).toEqual([]);
    s.clock.advance(30_000);
    expect(s.reported).toEqual([{ query: '도로 파손 신고', category: null }]);
    // The box still holds it: only new typing starts another episode.
    s.clock.advance(300_000);
    expect(s.reported).toHaveLength(1);
  });

  it('ends with the consultation filed, under its category; the query left in the box is not reported again', () => {
    const s = setup();
    s.setCategory('상수도/요금');
    s.type('요금 분할');
    s.clock.advance(3_000);
    s.setCategory(null);
    s.episodes.filed('상수도/요금');
    expect(s.reported).toEqual([{ query: '요금 분할', category: '상수도/요금' }]);
    s.clock.advance(300_000);
    expect(s.reported).toHaveLength(1);
  });

  it('filing drops a query not yet settled, and reports nothing without an episode', () => {
    const s = setup();
    s.type('누수');
    s.episodes.filed('상수도/누수');
    s.clock.advance(300_000);
    expect(s.reported).toEqual([]);
  });

  it('takes the category chosen during the episode, and keeps one chosen earlier', () => {
    const s = setup();
    s.type('과태료');
    s.clock.advance(3_000);
    s.setCategory('교통/주정차');
    s.episodes.typed('');
    expect(s.reported).toEqual([{ query: '과태료', category: '교통/주정차' }]);
    s.type('견인');
    s.clock.advance(3_000);
    s.setCategory(null);
    s.episodes.typed('');
    expect(s.reported.at(-1)).toEqual({ query: '견인', category: '교통/주정차' });
  });

  it('reports a query as the agent settled on it, spaces tidied', () => {
    const s = setup();
    s.episodes.typed('  쓰레기   수거 ');
    s.episodes.entered();
    s.episodes.typed('');
    expect(s.reported).toEqual([{ query: '쓰레기 수거', category: null }]);
  });
});
