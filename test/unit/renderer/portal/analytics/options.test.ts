import { describe, expect, it } from 'vitest';
import { heatmapChart, outcomesChart, rankedChart, risingChart, textWidth, TOP, volumeChart, VOLUME_SERIES } from '../../../../../renderer/portal/analytics/options';
import type { Ranked } from '../../../../../renderer/portal/analytics/tables';
import { dashboard as d, lang, theme } from './fixture';

const l = await lang('ko');

// What ECharts is given, read back without ECharts.
type Series = { type: string; name?: string; stack?: string; data: unknown[]; itemStyle?: { color?: string } };
const seriesOf = (o: { series?: unknown }) => o.series as Series[];
const axis = (a: unknown) => a as { data: string[] };
const ariaOf = (o: { aria?: unknown }) => (o.aria as { label: { description: string } }).label.description;

describe('the charts’ options', () => {
  it('stack the volume by top category in Korean, the tail as one series in the last colour, each share in the legend', () => {
    const { option, pick } = volumeChart(d, d.query, '기간별 상담 건수', theme, l);
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual(['상수도', '교통', '여권', '지방세', '복지', '관광', '주민등록', '그 밖의 2개']);
    expect(series).toHaveLength(VOLUME_SERIES + 1);
    expect(series.every((s) => s.type === 'bar' && s.stack === 'volume')).toBe(true);
    expect(series[0]?.data).toEqual([20, 15, 5]);
    expect(series[7]?.data).toEqual([1, 1, 0]);
    expect(series[7]?.itemStyle?.color).toBe('#c8');
    expect(axis(option.xAxis).data).toEqual(['11. 2. 주', '11. 9. 주', '11. 16. 주']);
    const legend = option.legend as { formatter: (name: string) => string };
    expect(legend.formatter('상수도')).toBe('상수도 40%');
    expect(ariaOf(option)).toBe('기간별 상담 건수: 상수도 40건 (40%), 교통 30건 (30%), 여권 10건 (10%), 지방세 8건 (8%), 복지 5건 (5%), 관광 3건 (3%), 주민등록 2건 (2%), 그 밖의 2개 2건 (2%)');
    // A bar opens its category's records in its week; the tail has no one category.
    expect(pick?.({ seriesIndex: 1, dataIndex: 2 })).toEqual({ label: '교통 · 2026. 11. 16. 주', category: '교통', from: '2026-11-16', to: '2026-11-22' });
    expect(pick?.({ seriesIndex: VOLUME_SERIES, dataIndex: 0 })).toBeNull();
  });

  it('draw in the page’s tokens and font, with the aria description, and no HTML tooltip', () => {
    const { option } = volumeChart(d, d.query, '기간별 상담 건수', theme, l);
    expect(option.color).toEqual(theme.palette);
    expect(option.textStyle).toMatchObject({ fontFamily: 'Pretendard GOV', fontSize: 13, color: '#text' });
    expect(option.aria).toMatchObject({ enabled: true });
    expect(option.tooltip).toMatchObject({ renderMode: 'richText' });
    expect(option.animation).toBe(false);
  });

  it('rank at most fifteen bars, largest on top, each labelled with its count and share', () => {
    const rows: Ranked[] = d.subcategories.map((s) => ({ key: s.category, label: s.category, n: s.n, share: s.share, drill: { label: s.category, category: s.category } }));
    const { option, pick } = rankedChart(rows, '세부 분류별 비율', theme, l);
    const y = option.yAxis as { data: string[]; inverse: boolean };
    expect(y.data).toHaveLength(TOP);
    expect(y.data[0]).toBe('상수도/요금');
    expect(y.inverse).toBe(true);
    const series = seriesOf(option)[0] as Series & { label: { formatter: (p: { dataIndex: number }) => string } };
    expect(series.data).toEqual(rows.slice(0, TOP).map((r) => r.n));
    expect(series.label.formatter({ dataIndex: 0 })).toBe('18건 (18%)');
    // The description names them all, the first eight and how many more.
    expect(ariaOf(option)).toMatch(/^세부 분류별 비율: 상수도\/요금 18건 \(18%\), .* 외 10개$/);
    expect(pick?.({ seriesIndex: 0, dataIndex: 0 })).toEqual({ label: '상수도/요금', category: '상수도/요금' });
    // Room on the right for the longest label past a bar's end.
    expect((option.grid as { right: number }).right).toBe(textWidth('18건 (18%)', 13) + 12);
  });

  it('measure Korean labels wider than digits', () => {
    expect(textWidth('건', 10)).toBe(10);
    expect(textWidth('18', 10)).toBe(12);
    expect(textWidth('34건 (6.7%)', 13)).toBeGreaterThan(textWidth('34 (6.7%)', 13));
  });

  it('lay the heatmap out by Korean weekday and hour, and open a slot’s consultations but not the queue’s', () => {
    const { option, pick } = heatmapChart(d, 'consultations', '요일·시간대별 분포', theme, l);
    expect(axis(option.yAxis).data).toEqual(['월', '화', '수', '목', '금', '토', '일']);
    expect(axis(option.xAxis).data.slice(0, 2)).toEqual(['9시', '10시']);
    const data = seriesOf(option)[0]?.data as number[][];
    expect(data.find((c) => c[0] === 0 && c[1] === 0)).toEqual([0, 0, 12]);
    expect(option.visualMap).toMatchObject({ max: 12, text: ['많음', '적음'], inRange: { color: ['#low', '#high'] } });
    expect(ariaOf(option)).toBe('요일·시간대별 분포: 월요일 9시 12건, 월요일 10시 8건, 금요일 17시 3건');
    expect(pick?.({ seriesIndex: 0, dataIndex: data.findIndex((c) => c[0] === 1 && c[1] === 0) })).toEqual({ label: '월요일 10시', weekday: 0, hour: 10 });
    const queue = heatmapChart(d, 'abandoned', '요일·시간대별 분포', theme, l);
    expect(queue.option.visualMap).toMatchObject({ max: 2 });
    expect(queue.pick).toBeUndefined();
  });

  it('stack outcomes by the desk’s own words for them', () => {
    const { option, pick } = outcomesChart(d, '분류별 처리 결과', theme, l);
    expect(seriesOf(option).map((s) => [s.name, s.data])).toEqual([
      ['답변 완료', [30, 20]],
      ['호전환', [6, 5]],
      ['회신 필요', [3, 3]],
      ['민원 접수', [1, 2]],
    ]);
    expect(axis(option.yAxis).data).toEqual(['상수도', '교통']);
    expect(pick?.({ seriesIndex: 2, dataIndex: 1 })).toEqual({ label: '교통', category: '교통' });
  });

  it('show what rose in percentage points, on the axis and the bars alike', () => {
    const { option, pick } = risingChart(d.rising.categories, '늘어난 분류', theme, l, true);
    const series = seriesOf(option)[0] as Series & { label: { formatter: (p: { dataIndex: number }) => string } };
    expect(series.data).toEqual([{ value: 9.5, itemStyle: { color: '#c4' } }]);
    expect(series.label.formatter({ dataIndex: 0 })).toBe('+9.5%p');
    expect((option.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter(5)).toBe('+5%p');
    expect(ariaOf(option)).toBe('늘어난 분류: 상수도/동파 +9.5%p');
    expect(pick?.({ seriesIndex: 0, dataIndex: 0 })).toEqual({ label: '상수도/동파', category: '상수도/동파' });
    expect(risingChart(d.rising.keywords, '늘어난 키워드', theme, l, false).pick).toBeUndefined();
  });
});
