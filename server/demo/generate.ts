import type { ManualEntryInput } from '../../shared/manual';
import { normalisePhone } from '../../shared/phone';
import { OUTCOMES, type HistoryItem } from '../../shared/record';

/** mulberry32: small, fast and deterministic, so a seed always yields the same data set. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rand() * 4)] as string;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const DISTRICTS = ['중앙동', '북부동', '해도동', '송도동', '양덕동', '장량동', '두호동', '환호동', '오천읍', '연일읍', '흥해읍', '구룡포읍'];

/**
 * Scales the hand-written manual to `count` entries for benchmarks: each generated entry is a
 * district-specific variant of a real one, its sentences reordered, so text statistics stay Korean.
 */
export function generateEntries(base: readonly ManualEntryInput[], count: number, seed = 1): ManualEntryInput[] {
  const rand = createRandom(seed);
  const out: ManualEntryInput[] = [];
  for (let i = 0; i < count; i++) {
    const src = base[i % base.length] as ManualEntryInput;
    const district = pick(rand, DISTRICTS);
    const sentences = src.body.split('\n');
    for (let j = sentences.length - 1; j > 1; j--) {
      const k = 1 + Math.floor(rand() * j);
      [sentences[j], sentences[k]] = [sentences[k] as string, sentences[j] as string];
    }
    out.push({
      ...src,
      id: `GEN-${String(i + 1).padStart(6, '0')}`,
      title: `${src.title} (${district})`,
      body: `${district} 관련 안내.\n${sentences.join('\n')}`,
      keywords: [...(src.keywords ?? []), district],
      updatedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 600) * 86_400_000).toISOString(),
    });
  }
  return out;
}

export interface HistoryOptions {
  callers: number;
  agents: readonly string[];
  categories: readonly string[];
  manualIds: readonly string[];
  /** Records fall in the `days` days before `until`. */
  until: Date;
  days: number;
}

function candidateNumber(index: number): string {
  // Two in three callers use a mobile phone; the rest a city landline (area code 54).
  return index % 3 === 2
    ? `+8254${String(2000000 + ((index * 7919) % 8000000)).padStart(7, '0')}`
    : `+8210${String(10000000 + ((index * 104729) % 90000000)).padStart(8, '0')}`;
}

/** Caller number `index` of the generated pool: always one the desks can normalise. */
export function callerNumber(index: number): string {
  // Some blocks are not allocated (libphonenumber says invalid); step past them deterministically.
  for (let k = index; ; k += 1_000_003) {
    const n = candidateNumber(k);
    const check = normalisePhone(`0${n.slice(3)}`, { areaCode: '054' });
    if (check.kind === 'e164' && check.e164 === n) return n;
  }
}

const NOTES = [
  '안내 후 종결',
  '담당 부서 연락처 안내',
  '처리 결과 회신 요청',
  '재문의, 이전 상담 내용 확인',
  '민원 접수 번호 안내',
  '현장 확인 요청 접수',
  '온라인 신청 방법 안내',
];

/** Yields `count` consultation records deterministically, without holding them all in memory. */
export function* generateHistory(count: number, seed: number, o: HistoryOptions): Generator<HistoryItem> {
  const rand = createRandom(seed);
  const spanMs = o.days * 86_400_000;
  const numbers = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    // Squaring skews the pick toward low indexes: a few callers call often, as in a real call center.
    const caller = Math.floor(o.callers * rand() ** 2);
    let number = numbers.get(caller);
    if (!number) numbers.set(caller, (number = callerNumber(caller)));
    const started = o.until.getTime() - Math.floor(rand() * spanMs);
    const outcome = rand() < 0.8 ? 'answered' : pick(rand, OUTCOMES);
    yield {
      id: uuidFrom(rand),
      callerE164: number,
      agentId: pick(rand, o.agents),
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + 60_000 + Math.floor(rand() * 300_000)).toISOString(),
      category: pick(rand, o.categories),
      outcome,
      manualIds: rand() < 0.7 ? [pick(rand, o.manualIds)] : [],
      notes: pick(rand, NOTES),
      department: outcome === 'transferred' ? 'water-supply' : null,
    };
  }
}
