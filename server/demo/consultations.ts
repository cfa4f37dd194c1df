import type { RecordDraft } from '../../shared/record';
import { createRandom } from './generate';

/**
 * Consultation records the way a city's call center makes them, from a seed: the demo's months of
 * records for the analysis, the golden data set its tests check, and the benchmark's years. Water
 * and traffic lead (32% and 27% of calls, as in Pohang), most calls in office hours, numbers that
 * call again, transfers to departments, districts on most wrap-ups, notes of a few words, and
 * records on both sides of Seoul midnights, written with Korea's offset or in UTC as desks do.
 */

const CATEGORIES: [string, number, string[]][] = [
  ['상수도', 32, ['요금', '누수', '단수']],
  ['교통', 27, ['주정차', '버스']],
  ['주민등록', 10, ['등초본', '전입']],
  ['여권', 8, ['발급']],
  ['지방세', 8, ['자동차세', '재산세']],
  ['복지', 8, ['기초연금']],
  ['관광', 7, ['축제']],
];
const WORDS: Record<string, string[]> = {
  상수도: ['계량기', '수도요금', '누수', '단수', '검침'],
  교통: ['주차단속', '버스노선', '과태료', '견인'],
  주민등록: ['등본', '전입신고', '인감'],
  여권: ['여권발급', '수수료', '사진'],
  지방세: ['자동차세', '재산세', '납부기한'],
  복지: ['기초연금', '수급자격'],
  관광: ['불꽃축제', '숙박'],
};
/** A word only the last 30 days' notes use (a cold snap's frozen pipes): it rises against the 30 days before. */
export const RISING_WORD = '동파';
// Directory ids, as the desk's wrap-up records them (resources/demo/departments.json).
const DEPARTMENTS = ['water-supply', 'water-billing', 'traffic-admin', 'parking', 'civil-service'];
const DISTRICTS = ['남구', '남구/상대동', '남구/오천읍', '북구', '북구/흥해읍', '북구/양학동', '북구/장량동'];
const SEOUL_OFFSET_MS = 9 * 3_600_000;

export interface GeneratedConsultation {
  draft: RecordDraft;
  agent: string;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function weighted(r: () => number): [string, string[]] {
  const total = CATEGORIES.reduce((a, c) => a + c[1], 0);
  let x = r() * total;
  for (const [name, w, subs] of CATEGORIES) {
    if ((x -= w) < 0) return [name, subs];
  }
  return [CATEGORIES[0]![0], CATEGORIES[0]![2]];
}

/** An instant written the way desks do: Korea's offset, or UTC. */
function written(t: number, seoul: boolean): string {
  if (!seoul) return new Date(t).toISOString();
  return `${new Date(t + SEOUL_OFFSET_MS).toISOString().slice(0, 23)}+09:00`;
}

/**
 * `n` records from Seoul day `from` for `days` days, by 3 agents, from `numbers` numbers (150 by
 * default, so numbers call again about the same thing), and records on both sides of Seoul midnights.
 */
export function generateConsultations(o: { seed: number; from: string; days: number; n: number; numbers?: number }): GeneratedConsultation[] {
  const r = createRandom(o.seed);
  const start = Date.parse(`${o.from}T00:00:00+09:00`);
  const count = o.numbers ?? 150;
  // The i-th number of the pool, made when picked: a pool of 200,000 costs nothing up front.
  const numberOf = (i: number) => `010-${2000 + (Math.floor(i / 9000) % 8000)}-${1000 + (i % 9000)}`;
  const out: GeneratedConsultation[] = [];
  let k = 0;
  const make = (startedAt: number, over: Partial<RecordDraft> = {}): void => {
    const [top, subs] = weighted(r);
    const channel = r() < 0.8 ? 'call' : r() < 0.6 ? 'text' : 'callback';
    const x = r();
    const outcome = x < 0.7 ? 'answered' : x < 0.85 ? 'transferred' : x < 0.93 ? 'callback' : 'complaint';
    const recent = startedAt >= start + (o.days - 30) * 86_400_000;
    const words = [pick(r, WORDS[top]!), pick(r, WORDS[top]!), ...(top === '상수도' && recent && r() < 0.5 ? [RISING_WORD] : [])];
    const id = `00000000-0000-4000-8000-${String(++k).padStart(12, '0')}`;
    out.push({
      agent: pick(r, ['agent1', 'agent2', 'agent3']),
      draft: {
        id,
        // One in 25 withheld: no number, so never a repeat.
        callerNumber: r() < 0.04 ? '' : numberOf(Math.floor(r() * count)),
        startedAt: written(startedAt, r() < 0.5),
        endedAt: written(startedAt + Math.round(60_000 + r() * 540_000), r() < 0.5),
        category: `${top}/${pick(r, subs)}`,
        outcome,
        manualIds: r() < 0.6 ? [pick(r, ['M-WAT-010', 'M-WAT-018', 'M-TRF-003', 'M-RES-001'])] : [],
        notes: `${words.join(' ')} 문의`,
        department: outcome === 'transferred' ? pick(r, DEPARTMENTS) : null,
        smsEntryIds: [],
        channel,
        district: r() < 0.6 ? pick(r, DISTRICTS) : null,
        ...over,
      },
    });
  };
  for (let i = 0; i < o.n; i++) {
    const day = Math.floor(r() * o.days);
    // Office hours mostly, some evenings (texts).
    const hour = 8 + Math.floor(r() * 12);
    make(start + day * 86_400_000 + hour * 3_600_000 + Math.floor(r() * 3_600_000));
  }
  // Both sides of midnight, in both ways of writing the instant: the last moment of a day and the first of the next.
  for (let day = 1; day < o.days; day += 9) {
    const midnight = start + day * 86_400_000;
    make(midnight - 1, { callerNumber: '010-7777-0001', category: '상수도/누수', outcome: 'answered' });
    make(midnight, { callerNumber: '010-7777-0002', category: '교통/버스', outcome: 'answered' });
  }
  return out;
}

