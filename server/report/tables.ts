import { MIN_CELL_CITIZENS, type Dashboard } from '../../shared/analytics';
import { cellKey, OUTCOME_MEASURES, type CellKey } from './citizens';

/**
 * The dashboard as tables to publish (CSV, XLSX, the printed report): every count of fewer than
 * MIN_CELL_CITIZENS citizens is suppressed with what would give it away (its shares and averages,
 * and in a row with a total, the next smallest cell), and nothing personal is in any of them:
 * no numbers, no notes, and no word from the notes or a search fewer than five people used.
 */

/** What a suppressed cell reads. */
export const SUPPRESSED = '<5';
export type Cell = string | number | null;

export interface ExportTable {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Under the table: how to read it. */
  note?: string;
}

const WEEKDAYS = ['월', '화', '수', '목', '금', '토', '일'];
const CHANNEL_NAMES: Record<string, string> = { call: '전화', text: '문자', callback: '콜백' };
const SOURCE_NAMES: Record<string, string> = { ivr: 'ARS 예약', abandoned: '포기 호', agent: '상담사 등록', web: '누리집', reservation: '상담 예약' };
const STATE_NAMES: Record<string, string> = { pending: '대기', offered: '배정 중', dialling: '발신 중', connected: '통화 중', completed: '완료', failed: '실패', cancelled: '취소', expired: '만료' };

const pct = (share: number | null): Cell => (share === null ? null : Math.round(share * 1000) / 10);
const round1 = (n: number | null): Cell => (n === null ? null : Math.round(n * 10) / 10);

/** Suppresses cells of too few citizens. `count` cells carry their cell key; others are derived from one. */
class Suppressor {
  constructor(private readonly citizens: ReadonlyMap<CellKey, number>) {}

  /** Whether a count of `n` consultations in `key` must not be published. */
  hides(key: CellKey, n: number): boolean {
    if (n === 0) return false;
    return (this.citizens.get(key) ?? 0) < MIN_CELL_CITIZENS;
  }

  count(key: CellKey, n: number): Cell {
    return this.hides(key, n) ? SUPPRESSED : n;
  }

  /** A count and what derives from it (its share, …): all shown, or all suppressed together. */
  counted(key: CellKey, n: number, ...derived: Cell[]): Cell[] {
    return this.hides(key, n) ? [SUPPRESSED, ...derived.map(() => SUPPRESSED)] : [n, ...derived];
  }
}

/**
 * A row of parts and their total: when exactly one part is suppressed, the total would give it
 * away, so the smallest other part that is not zero goes too.
 */
export function complementRow(row: Cell[], parts: readonly number[], raw: readonly number[]): Cell[] {
  const hidden = parts.filter((i) => row[i] === SUPPRESSED);
  if (hidden.length !== 1) return row;
  const next = parts.filter((i) => row[i] !== SUPPRESSED && raw[i]! > 0).sort((a, b) => raw[a]! - raw[b]! || a - b)[0];
  if (next === undefined) return row;
  const out = [...row];
  out[next] = SUPPRESSED;
  return out;
}

/** The tables of the analysis of one range, suppressed for publication. */
export function exportTables(d: Dashboard, citizens: ReadonlyMap<CellKey, number>, before: ReadonlyMap<CellKey, number>, departmentName: (id: string) => string = (id) => id): ExportTable[] {
  const s = new Suppressor(citizens);
  const p = new Suppressor(before);
  const q = d.query;
  const tables: ExportTable[] = [];

  const t = d.totals;
  const totalHidden = s.hides(cellKey('total'), t.consultations);
  tables.push({
    id: 'summary',
    title: '요약',
    columns: ['항목', '값'],
    rows: [
      ['기간', `${q.from} ~ ${q.to}`],
      ['채널', q.channels.map((c) => CHANNEL_NAMES[c]).join(', ')],
      ['상담 건수', totalHidden ? SUPPRESSED : t.consultations],
      ['첫 통화 해결률(%)', totalHidden ? SUPPRESSED : pct(t.fcr)],
      ['평균 처리 시간(초)', totalHidden ? SUPPRESSED : round1(t.averageHandleSeconds)],
      ['재문의 비율(%)', totalHidden ? SUPPRESSED : pct(t.repeatShare)],
      ['대표번호 인입 호', d.queue.offered < MIN_CELL_CITIZENS && d.queue.offered > 0 ? SUPPRESSED : d.queue.offered],
      ['포기 호', d.queue.abandoned < MIN_CELL_CITIZENS && d.queue.abandoned > 0 ? SUPPRESSED : d.queue.abandoned],
      ['평균 대기 시간(초)', round1(d.queue.averageWaitSeconds)],
    ],
    note: '재문의: 같은 번호가 같은 분류로 7일(168시간) 안에 다시 문의한 상담. 첫 통화 해결: 답변으로 끝났고 재문의가 아닌 상담.',
  });

  const categories = d.volume.series.map((x) => x.category);
  tables.push({
    id: 'volume',
    title: `기간별 상담 건수 (${q.grain === 'day' ? '일' : q.grain === 'week' ? '주, 월요일 시작' : '월'}별, 대분류)`,
    columns: ['기간', ...categories, '합계'],
    rows: d.volume.periods.map((period, i) => {
      const raw = d.volume.series.map((x) => x.counts[i]!);
      const total = raw.reduce((a, b) => a + b, 0);
      const row: Cell[] = [period, ...raw.map((n, j) => s.count(cellKey('volume', period, categories[j]!), n)), s.count(cellKey('volume', period, '*'), total)];
      return complementRow(row, raw.map((_, j) => j + 1), [0, ...raw, total]);
    }),
  });

  tables.push({
    id: 'subcategories',
    title: '세부 분류별 상담',
    columns: ['분류', '건수', '비율(%)'],
    rows: d.subcategories.map((r) => [r.category, ...s.counted(cellKey('subcategory', r.category), r.n, pct(r.share))]),
  });

  // Weekday by hour, one table per measure: the hours anything happened in, as columns.
  const hours = [...new Set(d.heatmap.map((h) => h.hour))].sort((a, b) => a - b);
  const pivot = (id: string, title: string, cell: (h: Dashboard['heatmap'][number]) => Cell, note: string): ExportTable => ({
    id,
    title,
    columns: ['요일', ...hours.map((h) => `${h}시`)],
    rows: WEEKDAYS.map((name, weekday) => [name, ...hours.map((hour) => {
      const h = d.heatmap.find((x) => x.weekday === weekday && x.hour === hour);
      return h ? cell(h) : 0;
    })]),
    note,
  });
  // The queue knows calls, not callers: a count under the threshold is suppressed as such.
  const calls = (n: number): Cell => (n > 0 && n < MIN_CELL_CITIZENS ? SUPPRESSED : n);
  tables.push(pivot('heatmap', '요일·시간대별 상담 건수', (h) => s.count(cellKey('heat', h.weekday, h.hour), h.consultations), '시각은 서울 기준.'));
  if (d.queue.offered > 0) {
    const queueNote = '대표번호로 걸려와 상담사를 기다린 전화(서울 기준 도착 시각).';
    tables.push(pivot('offered', '요일·시간대별 대표번호 인입 호', (h) => calls(h.offered), queueNote));
    tables.push(pivot('abandoned', '요일·시간대별 포기 호', (h) => calls(h.abandoned), queueNote));
  }

  tables.push({
    id: 'outcomes',
    title: '대분류별 처리 결과',
    columns: ['분류', '상담', '답변', '이관', '콜백', '민원 접수', '재문의', '첫 통화 해결', '첫 통화 해결률(%)', '평균 처리(초)'],
    rows: d.outcomes.map((o) => {
      const raw = OUTCOME_MEASURES.map((m) => o[m]);
      const cells = OUTCOME_MEASURES.map((m) => s.count(cellKey('outcome', o.category, m), o[m]));
      // Answered, transferred, callback and complaint add up to the consultations.
      const row = complementRow([o.category, ...cells], [2, 3, 4, 5], [0, ...raw]);
      const whole = row[1] === SUPPRESSED;
      return [...row, whole || row[7] === SUPPRESSED ? SUPPRESSED : pct(o.fcr), whole ? SUPPRESSED : round1(o.averageHandleSeconds)];
    }),
  });

  tables.push({
    id: 'transfers',
    title: '이관 부서',
    columns: ['부서', '이관 건수', '이관 중 비율(%)'],
    rows: d.transfers.map((r) => [departmentName(r.key), ...s.counted(cellKey('transfer', r.key), r.n, pct(r.share))]),
  });

  tables.push({
    id: 'callbacks',
    title: '콜백 요청',
    columns: ['구분', '항목', '건수'],
    rows: [
      ['전체', '요청', s.count(cellKey('callbacks'), d.callbacks.requested)],
      ...d.callbacks.bySource.map((r): Cell[] => ['경로', SOURCE_NAMES[r.key] ?? r.key, s.count(cellKey('callback-source', r.key), r.n)]),
      ...d.callbacks.byState.map((r): Cell[] => ['상태', STATE_NAMES[r.key] ?? r.key, s.count(cellKey('callback-state', r.key), r.n)]),
    ],
  });

  tables.push({
    id: 'repeats',
    title: '재문의가 많은 분류',
    columns: ['분류', '재문의', '상담', '재문의 비율(%)'],
    rows: d.repeats.map((r) => {
      const hidden = s.hides(cellKey('repeat', r.category), r.n);
      return [r.category, hidden ? SUPPRESSED : r.n, s.count(cellKey('subcategory', r.category), r.consultations), hidden ? SUPPRESSED : pct(r.share)];
    }),
  });

  tables.push({
    id: 'rising',
    title: `늘어난 주제 (직전 기간 ${d.previous.from} ~ ${d.previous.to} 대비)`,
    columns: ['종류', '주제', '건수', '직전 건수', '비율(%)', '직전 비율(%)', '증가(%p)'],
    rows: [
      ...d.rising.categories.map((r): Cell[] => {
        const hidden = s.hides(cellKey('rising', r.key), r.n);
        const hiddenBefore = p.hides(cellKey('rising', r.key), r.previousN);
        return ['분류', r.key, hidden ? SUPPRESSED : r.n, hiddenBefore ? SUPPRESSED : r.previousN, hidden ? SUPPRESSED : pct(r.share), hiddenBefore ? SUPPRESSED : pct(r.previousShare), hidden || hiddenBefore ? SUPPRESSED : round1(r.change * 100)];
      }),
      // A word fewer people used may name one of them: it is left out, not just its count.
      ...d.rising.keywords
        .filter((r) => !s.hides(cellKey('keyword', r.key), r.n))
        .map((r): Cell[] => {
          const hiddenBefore = p.hides(cellKey('keyword', r.key), r.previousN);
          return ['메모 단어', r.key, r.n, hiddenBefore ? SUPPRESSED : r.previousN, pct(r.share), hiddenBefore ? SUPPRESSED : pct(r.previousShare), hiddenBefore ? SUPPRESSED : round1(r.change * 100)];
        }),
    ],
  });

  tables.push({
    id: 'districts',
    title: '지역(구·동)별 상담',
    columns: ['지역', '건수', '비율(%)', '가장 많은 분류'],
    rows: d.districts.rows.map((r) => [r.district, ...s.counted(cellKey('district', r.district), r.n, pct(r.share), r.topCategory)]),
    note: `지역을 기록한 상담 ${s.count(cellKey('total'), d.districts.recorded)}건 기준.`,
  });

  tables.push({
    id: 'coverage',
    title: '매뉴얼: 자주 쓰인 항목과 답이 없던 질문',
    columns: ['종류', '항목', '건수'],
    rows: [
      ...d.coverage.entries.map((e): Cell[] => ['많이 쓰인 항목', e.title ?? e.entryId, s.count(cellKey('entry', e.entryId), e.n)]),
      // Searches are the agents', but their words may be a citizen's: only those searched five times or more.
      ...d.coverage.gaps.filter((g) => g.searches >= MIN_CELL_CITIZENS).map((g): Cell[] => ['답이 없던 검색', g.label, g.searches]),
    ],
  });
  return tables;
}
