import { describe, expect, it } from 'vitest';
import { districtsTable, heatmapTable, hoursOf, outcomesTable, rankedTable, risingTable, sharedOut, subcategoryTable, volumeTable } from '../../../../../renderer/portal/analytics/tables';
import { dashboard as d, lang } from './fixture';

const l = await lang('ko');

describe('the charts’ tables (표 보기)', () => {
  it('lists consultations by period and top category, with each category’s total and share under them', () => {
    const t = volumeTable(d, d.query, l);
    expect(t.columns.map((c) => c.label)).toEqual(['기간', '상수도', '교통', '여권', '지방세', '복지', '관광', '주민등록', '환경', '도로', '합계']);
    expect(t.columns[0]?.numeric).toBe(false);
    expect(t.rows.map((r) => r.header)).toEqual(['2026. 11. 2. 주', '2026. 11. 9. 주', '2026. 11. 16. 주']);
    expect(t.rows[0]?.cells).toEqual(['20건', '10건', '5건', '3건', '2건', '1건', '1건', '1건', '0건', '43건']);
    expect(t.foot?.cells.slice(0, 2)).toEqual(['40건 (40%)', '30건 (30%)']);
    expect(t.foot?.cells.at(-1)).toBe('100건');
    // A week's row opens its records: that week's days.
    expect(t.rows[1]?.drill).toEqual({ label: '2026. 11. 9. 주', from: '2026-11-09', to: '2026-11-15' });
  });

  it('lists every category, not the chart’s fifteen, each opening its records', () => {
    const t = subcategoryTable(d, l);
    expect(t.rows).toHaveLength(18);
    expect(t.rows[0]).toEqual({ key: '상수도/요금', header: '상수도/요금', cells: ['18건', '18%'], drill: { label: '상수도/요금', category: '상수도/요금' } });
  });

  it('spans the heatmap’s hours from the first busy one to the last, weekdays in Korean from Monday', () => {
    expect(hoursOf(d)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const t = heatmapTable(d, 'consultations', l);
    expect(t.columns.slice(0, 3).map((c) => c.label)).toEqual(['요일', '9시', '10시']);
    expect(t.rows.map((r) => r.header)).toEqual(['월', '화', '수', '목', '금', '토', '일']);
    expect(t.rows[0]?.cells.slice(0, 2)).toEqual(['12', '8']);
    expect(t.rows[4]?.cells.at(-1)).toBe('3');
    expect(t.rows[0]?.drill).toEqual({ label: '월요일', weekday: 0 });
    // The queue's calls have no records to open.
    const offered = heatmapTable(d, 'offered', l);
    expect(offered.rows[0]?.cells.slice(0, 2)).toEqual(['15', '9']);
    expect(offered.rows[0]?.drill).toBeNull();
  });

  it('gives each category its outcomes, first-contact resolution and average handling time', () => {
    const t = outcomesTable(d, l);
    expect(t.columns.map((c) => c.label)).toEqual(['분류', '상담 건수', '답변 완료', '호전환', '회신 필요', '민원 접수', '첫 통화 해결률', '평균 처리 시간']);
    expect(t.rows[0]?.cells).toEqual(['40건', '30건', '6건', '3건', '1건', '67.5%', '4분']);
    expect(t.rows[1]?.drill).toEqual({ label: '교통', category: '교통' });
  });

  it('shares callbacks out of their sum, and ranks with the server’s share otherwise', () => {
    const sources = sharedOut(d.callbacks.bySource.map((r) => ({ key: r.key, label: l.t(`work.sources.${r.key}`), n: r.n })));
    expect(rankedTable(sources, '경로', l).rows.map((r) => [r.header, ...r.cells])).toEqual([
      ['ARS 요청', '4건', '66.7%'],
      ['못 받은 전화', '2건', '33.3%'],
    ]);
  });

  it('sets this period against the previous one, the change in percentage points', () => {
    const t = risingTable(d.rising.keywords, '키워드', l, false);
    expect(t.columns.map((c) => c.label)).toEqual(['키워드', '이번 기간 상담 건수', '이번 기간 비율', '이전 기간 상담 건수', '이전 기간 비율', '변화']);
    expect(t.rows[0]?.cells).toEqual(['9건', '9%', '0건', '0%', '+9%p']);
    expect(t.rows[0]?.drill).toBeNull();
    expect(risingTable(d.rising.categories, '분류', l, true).rows[0]?.cells.at(-1)).toBe('+9.5%p');
  });

  it('opens a district’s records and names its top category, or a dash', () => {
    const t = districtsTable(d, l);
    expect(t.rows[0]).toMatchObject({ header: '남구/상대동', cells: ['40건', '66.7%', '상수도'], drill: { label: '남구/상대동', district: '남구/상대동' } });
    expect(t.rows[1]?.cells.at(-1)).toBe('—');
  });

  it('speaks English in the English portal', async () => {
    const en = await lang('en');
    const t = heatmapTable(d, 'consultations', en);
    expect(t.rows[0]?.header).toBe('Mon');
    expect(t.columns[1]?.label).toBe('9:00');
    expect(outcomesTable(d, en).rows[0]?.cells.at(-1)).toBe('4 mins');
  });
});
