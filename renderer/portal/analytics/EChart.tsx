import { useEffect, useRef, useState } from 'react';
import { BarChart, HeatmapChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Chart, ChartTheme } from './options';
import type { Drill } from './query';
import css from './Analytics.module.css';

// Only what the dashboard draws, in SVG: a small bundle, text the browser renders (Korean in the page's font, found by tests and zoom).
use([BarChart, HeatmapChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent, SVGRenderer]);

const CHART_COLOURS = 8;

/** The page's tokens under `el` (its theme and text size), as concrete values. */
function themeOf(el: HTMLElement): ChartTheme {
  const s = getComputedStyle(el);
  const token = (name: string) => s.getPropertyValue(name).trim();
  return {
    palette: Array.from({ length: CHART_COLOURS }, (_, i) => token(`--desk-chart-${i + 1}`)),
    text: s.color,
    subtle: token('--desk-text-subtle'),
    border: token('--desk-border'),
    surface: token('--desk-surface'),
    scale: [token('--desk-primary-subtle'), token('--desk-primary')],
    font: s.fontFamily,
    fontSize: parseFloat(s.fontSize),
  };
}

/** Counts the page's appearance changes (theme, text size): the chart reads its tokens again. */
function useAppearance(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const watch = new MutationObserver(() => setVersion((v) => v + 1));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'data-text-size'] });
    return () => watch.disconnect();
  }, []);
  return version;
}

/** An ECharts chart in the page's tokens, the size of its box; a click on an item with records of its own opens them. */
export function EChart({ build, onDrill, tall = false }: { build: (theme: ChartTheme) => Chart; onDrill: (d: Drill) => void; tall?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  const current = useRef<Chart | null>(null);
  const drill = useRef(onDrill);
  drill.current = onDrill;
  const appearance = useAppearance();

  useEffect(() => {
    const el = box.current as HTMLDivElement;
    const instance = init(el, null, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (p) => {
      const d = p.componentType === 'series' ? current.current?.pick?.({ seriesIndex: p.seriesIndex ?? 0, dataIndex: p.dataIndex }) : null;
      if (d) drill.current(d);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = build(themeOf(box.current as HTMLDivElement));
    current.current = c;
    chart.current?.setOption(c.option, { notMerge: true });
  }, [build, appearance]);

  return <div ref={box} className={tall ? `${css.chart} ${css.tall}` : css.chart} data-chart-box />;
}
