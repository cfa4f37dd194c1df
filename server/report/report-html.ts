import { BarChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Dashboard } from '../../shared/analytics';
import { seoulClock, seoulDay } from '../../shared/seoul-time';
import { SUPPRESSED, type Cell, type ExportTable } from './tables';

echarts.use([BarChart, HeatmapChart, GridComponent, LegendComponent, VisualMapComponent, SVGRenderer]);

/**
 * The printable report: the export's tables (already suppressed) with three charts drawn from
 * them on the server (ECharts renders SVG without a browser), for Chromium to print as PDF.
 */

const FONT = "'Noto Sans CJK KR', 'Noto Sans KR', sans-serif";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A chart as SVG markup, `width`×`height` CSS pixels. */
function chartSvg(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A number, or nothing where the table suppressed it (a chart must not show what the table hides). */
const plotted = (c: Cell | undefined): number | null => (typeof c === 'number' ? c : null);

function volumeChart(t: ExportTable): string {
  const categories = t.columns.slice(1, -1);
  return chartSvg(
    {
      legend: { top: 0, textStyle: { fontSize: 10 } },
      grid: { top: 50, left: 50, right: 10, bottom: 30 },
      xAxis: { type: 'category', data: t.rows.map((r) => String(r[0])), axisLabel: { fontSize: 9 } },
      yAxis: { type: 'value', name: '건' },
      series: categories.map((name, i) => ({ name, type: 'bar', stack: 'all', data: t.rows.map((r) => plotted(r[i + 1])) })),
    },
    680,
    300,
  );
}

function outcomesChart(t: ExportTable): string {
  const names = ['답변', '이관', '콜백', '민원 접수'];
  return chartSvg(
    {
      legend: { top: 0 },
      grid: { top: 30, left: 80, right: 20, bottom: 20 },
      yAxis: { type: 'category', data: t.rows.map((r) => String(r[0])), inverse: true },
      xAxis: { type: 'value' },
      series: names.map((name, i) => ({ name, type: 'bar', stack: 'all', data: t.rows.map((r) => plotted(r[i + 2])) })),
    },
    680,
    Math.max(160, 40 + t.rows.length * 22),
  );
}

function heatmapChart(t: ExportTable): string {
  const hours = t.columns.slice(1);
  const data = t.rows.flatMap((r, weekday) => hours.map((_, i) => [i, weekday, plotted(r[i + 1])]));
  const max = Math.max(1, ...data.map((d) => d[2] ?? 0));
  return chartSvg(
    {
      grid: { top: 10, left: 40, right: 20, bottom: 60 },
      xAxis: { type: 'category', data: hours, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'category', data: t.rows.map((r) => String(r[0])), inverse: true },
      visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, text: ['많음', '적음'], inRange: { color: ['#f2f6fc', '#0b50d0'] } },
      series: [{ type: 'heatmap', data, label: { show: false } }],
    },
    680,
    260,
  );
}

function tableHtml(t: ExportTable): string {
  const cell = (c: Cell) => (c === null ? '' : escape(String(c)));
  const numeric = (c: Cell) => typeof c === 'number' || c === SUPPRESSED;
  return `<table><caption>${escape(t.title)}</caption>
<thead><tr>${t.columns.map((c) => `<th scope="col">${escape(c)}</th>`).join('')}</tr></thead>
<tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${cell(c)}</th>` : `<td${numeric(c) ? ' class="n"' : ''}>${cell(c)}</td>`)).join('')}</tr>`).join('\n')}</tbody>
</table>${t.note ? `<p class="note">${escape(t.note)}</p>` : ''}`;
}

/** The whole report as one HTML page, A4 portrait. */
export function reportHtml(tables: readonly ExportTable[], d: Dashboard, generatedAt: Date): string {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const figure = (id: string, draw: (t: ExportTable) => string, caption: string) => {
    const t = byId.get(id);
    return t && t.rows.length > 0 ? `<figure>${draw(t)}<figcaption>${escape(caption)}</figcaption></figure>` : '';
  };
  const sections = tables
    .map((t) => {
      const chart =
        t.id === 'volume' ? figure('volume', volumeChart, '기간별 상담 건수 (대분류)') : t.id === 'heatmap' ? figure('heatmap', heatmapChart, '요일·시간대별 상담') : t.id === 'outcomes' ? figure('outcomes', outcomesChart, '대분류별 처리 결과') : '';
      return `<section>${chart}${tableHtml(t)}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>민원 상담 분석 보고서 ${escape(d.query.from)} ~ ${escape(d.query.to)}</title>
<style>
@page { size: A4; margin: 14mm 12mm; }
body { font-family: ${FONT}; font-size: 9pt; color: #1e2124; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
.meta { color: #464c53; margin: 0 0 5mm; }
section { break-inside: auto; margin-bottom: 6mm; }
figure { margin: 0 0 2mm; break-inside: avoid; }
figcaption { font-size: 8pt; color: #464c53; }
table { border-collapse: collapse; width: 100%; break-inside: auto; }
caption { text-align: left; font-weight: 700; font-size: 11pt; padding: 2mm 0; }
th, td { border: 0.5pt solid #b1b8be; padding: 1mm 1.5mm; text-align: left; }
thead th { background: #eef2f7; }
tr { break-inside: avoid; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 8pt; color: #464c53; margin: 1mm 0 0; }
</style></head>
<body>
<h1>민원 상담 분석 보고서</h1>
<p class="meta">기간 ${escape(d.query.from)} ~ ${escape(d.query.to)} (서울 기준, 양 끝 포함) · 작성 ${seoulDay(generatedAt).day} ${seoulClock(generatedAt)} · 시민 5명 미만인 칸은 &lt;5로 가렸습니다.</p>
${sections}
</body></html>`;
}
