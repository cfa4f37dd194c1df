import type { BarSeriesOption, HeatmapSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { OUTCOMES } from '../../../shared/record';
import type { AnalyticsQuery, Dashboard } from '../../../shared/analytics';
import { formatNumber, formatPoints, formatWeekday } from '../../i18n/format';
import { cases, describe, hourLabel, outcomeLabel, percent, periodLabel, type Lang } from './labels';
import { periodRange, type Drill } from './query';
import { heatValue, hoursOf, outcomeCount, type HeatMetric, type Ranked } from './tables';

// The charts' ECharts options, built from the dashboard's answer alone: pure, so their Korean labels
// and series are tested without a browser. Colours and the font come from the page's tokens (ChartTheme).

export type ChartOption = ComposeOption<BarSeriesOption | HeatmapSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption | AriaComponentOption>;

/** The page's tokens as ECharts needs them (concrete colours, a px size), read from the chart's box. */
export interface ChartTheme {
  /** --desk-chart-1…8: the series, in order. */
  palette: string[];
  text: string;
  subtle: string;
  border: string;
  surface: string;
  /** The heatmap's scale, from few to many. */
  scale: [string, string];
  font: string;
  fontSize: number;
}

/** A chart's item someone clicked: its series and its place in the series. */
export interface Picked {
  seriesIndex: number;
  dataIndex: number;
}

export interface Chart {
  option: ChartOption;
  /** The records behind a clicked item; absent when the chart's items have none of their own. */
  pick?: (p: Picked) => Drill | null;
}

/** Bars of a ranking shown at most: the table has them all. */
export const TOP = 15;

/** About how wide `text` is drawn (Hangul a full em, the rest about half): room for the labels past the bars' ends, which ECharts does not keep. */
export const textWidth = (text: string, fontSize: number): number => Math.ceil([...text].reduce((w, c) => w + (/[\u3131-\uD7A3]/.test(c) ? 1 : 0.6), 0) * fontSize);
/** The grid's right margin for labels after the bars. */
const roomFor = (labels: string[], theme: ChartTheme): number => Math.max(24, ...labels.map((t) => textWidth(t, theme.fontSize) + 12));

function base(theme: ChartTheme, description: string, l: Lang): ChartOption {
  const label = { fontFamily: theme.font, fontSize: theme.fontSize, color: theme.text };
  return {
    // The description is the chart's accessible name (role img): ECharts' own would be in its words, not ours.
    aria: { enabled: true, label: { enabled: true, description } },
    color: theme.palette,
    textStyle: label,
    // Figures, not motion: nothing moves when the question changes.
    animation: false,
    // Drawn in the chart's own SVG: an HTML tooltip is markup with inline styles, which the page's policy refuses.
    tooltip: { renderMode: 'richText', confine: true, backgroundColor: theme.surface, borderColor: theme.border, textStyle: label, valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, l.language) : String(v)) },
  };
}

const valueAxis = (theme: ChartTheme, l: Lang, format: (v: number) => string = (v) => formatNumber(v, l.language)) => ({
  type: 'value' as const,
  minInterval: 1,
  axisLabel: { color: theme.subtle, formatter: format },
  splitLine: { lineStyle: { color: theme.border } },
});

const categoryAxis = (theme: ChartTheme, data: string[], o: { inverse?: boolean; width?: number } = {}) => ({
  type: 'category' as const,
  data,
  inverse: o.inverse ?? false,
  axisTick: { show: false },
  axisLine: { lineStyle: { color: theme.border } },
  // Long Korean names end in an ellipsis rather than squeezing the bars; the table has them whole.
  axisLabel: { color: theme.text, ...(o.width ? { width: o.width, overflow: 'truncate' as const } : {}) },
});

const legend = (theme: ChartTheme, formatter?: (name: string) => string): LegendComponentOption => ({
  type: 'scroll',
  top: 0,
  left: 0,
  textStyle: { color: theme.text },
  pageTextStyle: { color: theme.text },
  ...(formatter ? { formatter } : {}),
});

/** Top categories the volume chart stacks by name: one colour each; the rest share the last colour as one. */
export const VOLUME_SERIES = 7;

/** (a) Consultations per period, stacked by top category; the legend gives each its share of the range. */
export function volumeChart(d: Dashboard, q: AnalyticsQuery, title: string, theme: ChartTheme, l: Lang): Chart {
  const { periods } = d.volume;
  const named = d.volume.series.slice(0, VOLUME_SERIES);
  const rest = d.volume.series.slice(VOLUME_SERIES);
  const series = rest.length
    ? [
        ...named,
        {
          category: l.t('portal.analytics.other', { count: rest.length }),
          counts: periods.map((_, i) => rest.reduce((a, s) => a + (s.counts[i] ?? 0), 0)),
          n: rest.reduce((a, s) => a + s.n, 0),
          share: rest.reduce((a, s) => a + (s.share ?? 0), 0),
        },
      ]
    : named;
  const share = new Map(series.map((s) => [s.category, percent(s.share, l)]));
  return {
    option: {
      ...base(theme, describe(l, title, series.map((s) => `${s.category} ${cases(s.n, l)} (${percent(s.share, l)})`)), l),
      legend: legend(theme, (name) => `${name} ${share.get(name) ?? ''}`),
      tooltip: { ...base(theme, '', l).tooltip, trigger: 'axis' },
      grid: { top: 48, left: 8, right: 16, bottom: 8 },
      xAxis: categoryAxis(theme, periods.map((p) => periodLabel(p, q.grain, l))),
      yAxis: valueAxis(theme, l),
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.category,
        stack: 'volume',
        data: s.counts,
        barMaxWidth: 40,
        emphasis: { focus: 'series' },
        ...(i === VOLUME_SERIES ? { itemStyle: { color: theme.palette[theme.palette.length - 1] } } : {}),
      })),
    },
    pick: ({ seriesIndex, dataIndex }) => {
      // The rest together has no one category to list.
      const s = named[seriesIndex];
      const p = periods[dataIndex];
      return s && p ? { label: `${s.category} · ${periodLabel(p, q.grain, l, true)}`, category: s.category, ...periodRange(p, q.grain, q) } : null;
    },
  };
}

/** A ranking as horizontal bars, the largest on top, each labelled with its count (and share when it has one). */
export function rankedChart(rows: Ranked[], title: string, theme: ChartTheme, l: Lang, colour = 0): Chart {
  const top = rows.slice(0, TOP);
  const label = (r: Ranked) => (r.share === null ? cases(r.n, l) : `${cases(r.n, l)} (${percent(r.share, l)})`);
  return {
    option: {
      ...base(theme, describe(l, title, rows.map((r) => `${r.label} ${label(r)}`)), l),
      grid: { top: 8, left: 8, right: roomFor(top.map(label), theme), bottom: 8 },
      xAxis: valueAxis(theme, l),
      yAxis: categoryAxis(theme, top.map((r) => r.label), { inverse: true, width: 150 }),
      series: [
        {
          type: 'bar',
          name: title,
          data: top.map((r) => r.n),
          itemStyle: { color: theme.palette[colour] },
          barMaxWidth: 24,
          label: { show: true, position: 'right', color: theme.text, formatter: (p) => label(top[p.dataIndex] as Ranked) },
        },
      ],
    },
    pick: ({ dataIndex }) => top[dataIndex]?.drill ?? null,
  };
}

/** (c) Weekday (Monday on top) by hour, the darker the more; the measure is the switch's. */
export function heatmapChart(d: Dashboard, metric: HeatMetric, title: string, theme: ChartTheme, l: Lang): Chart {
  const hours = hoursOf(d);
  const weekdays = [0, 1, 2, 3, 4, 5, 6];
  const data = weekdays.flatMap((w) => hours.map((h, x) => [x, w, heatValue(d, metric, w, h)]));
  const max = Math.max(1, ...data.map((c) => c[2] as number));
  const busiest = [...data].sort((a, b) => (b[2] as number) - (a[2] as number)).filter((c) => (c[2] as number) > 0);
  const slot = (c: number[]) => l.t('portal.analytics.slot', { weekday: formatWeekday(c[1] as number, l.language), hour: hours[c[0] as number] });
  return {
    option: {
      ...base(theme, describe(l, title, busiest.map((c) => `${slot(c)} ${cases(c[2] as number, l)}`), 5), l),
      grid: { top: 8, left: 8, right: 16, bottom: 56 },
      xAxis: { ...categoryAxis(theme, hours.map((h) => hourLabel(h, l))), splitArea: { show: true } },
      yAxis: { ...categoryAxis(theme, weekdays.map((w) => formatWeekday(w, l.language)), { inverse: true }), splitArea: { show: true } },
      visualMap: {
        type: 'continuous',
        min: 0,
        max,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        text: [l.t('portal.analytics.heatmap.many'), l.t('portal.analytics.heatmap.few')],
        textStyle: { color: theme.text },
        inRange: { color: theme.scale },
      },
      series: [{ type: 'heatmap', name: title, data, itemStyle: { borderColor: theme.surface, borderWidth: 1 }, emphasis: { itemStyle: { borderColor: theme.text, borderWidth: 2 } } }],
    },
    pick:
      metric === 'consultations'
        ? ({ dataIndex }) => {
            const c = data[dataIndex];
            const hour = c ? hours[c[0] as number] : undefined;
            return c && hour !== undefined ? { label: slot(c), weekday: c[1] as number, hour } : null;
          }
        : undefined,
  };
}

/** (d) Each top category's consultations, stacked by how they ended. */
export function outcomesChart(d: Dashboard, title: string, theme: ChartTheme, l: Lang): Chart {
  const rows = d.outcomes.slice(0, TOP);
  return {
    option: {
      ...base(theme, describe(l, title, d.outcomes.map((m) => `${m.category} ${cases(m.consultations, l)}, ${OUTCOMES.map((o) => `${outcomeLabel(o, l)} ${cases(outcomeCount(m, o), l)}`).join(' ')}`), 5), l),
      legend: legend(theme),
      tooltip: { ...base(theme, '', l).tooltip, trigger: 'axis' },
      grid: { top: 48, left: 8, right: 24, bottom: 8 },
      xAxis: valueAxis(theme, l),
      yAxis: categoryAxis(theme, rows.map((m) => m.category), { inverse: true, width: 150 }),
      series: OUTCOMES.map((o) => ({ type: 'bar', name: outcomeLabel(o, l), stack: 'outcomes', data: rows.map((m) => outcomeCount(m, o)), barMaxWidth: 24 })),
    },
    pick: ({ dataIndex }) => {
      const m = rows[dataIndex];
      return m ? { label: m.category, category: m.category } : null;
    },
  };
}

/** (h) What grew and what shrank against the previous period, in percentage points of share. */
export function risingChart(rows: Dashboard['rising']['categories'], title: string, theme: ChartTheme, l: Lang, drillable: boolean): Chart {
  const top = [...rows].sort((a, b) => b.change - a.change).slice(0, TOP);
  const points = (c: number) => formatPoints(c, l.language);
  return {
    option: {
      ...base(theme, describe(l, title, top.map((r) => `${r.key} ${points(r.change)}`)), l),
      grid: { top: 8, left: 8, right: roomFor(top.map((r) => points(r.change)), theme), bottom: 8 },
      xAxis: valueAxis(theme, l, (v) => points(v / 100)),
      yAxis: categoryAxis(theme, top.map((r) => r.key), { inverse: true, width: 150 }),
      series: [
        {
          type: 'bar',
          name: title,
          // In points, so the axis reads as the labels do; rising and falling told apart by colour and sign.
          data: top.map((r) => ({ value: Math.round(r.change * 1000) / 10, itemStyle: { color: theme.palette[r.change >= 0 ? 3 : 0] } })),
          barMaxWidth: 24,
          label: { show: true, position: 'right', color: theme.text, formatter: (p) => points((top[p.dataIndex] as (typeof top)[number]).change) },
        },
      ],
    },
    pick: drillable
      ? ({ dataIndex }) => {
          const r = top[dataIndex];
          return r ? { label: r.key, category: r.key } : null;
        }
      : undefined,
  };
}
