import { OUTCOMES, type Outcome } from '../../../shared/record';
import { shareOf, type AnalyticsQuery, type Dashboard } from '../../../shared/analytics';
import { formatDuration, formatNumber, formatPoints, formatWeekday } from '../../i18n/format';
import { cases, hourLabel, outcomeLabel, percent, periodLabel, type Lang } from './labels';
import { periodRange, type Drill } from './query';

// Every chart's numbers as a table (표 보기): the same figures, for screen readers, for copying, and
// for whoever reads a table better than a chart. The first column heads its row.

export interface Column {
  label: string;
  numeric: boolean;
}

export interface Row {
  key: string;
  header: string;
  cells: string[];
  /** The records behind the row, when the records can be told apart by it. */
  drill: Drill | null;
}

export interface Table {
  columns: Column[];
  rows: Row[];
  foot: Row | null;
}

const col = (label: string, numeric = true): Column => ({ label, numeric });
const k = (l: Lang, key: string) => l.t(`portal.analytics.${key}`);

export type HeatMetric = 'consultations' | 'offered' | 'abandoned';
export const HEAT_METRICS: readonly HeatMetric[] = ['consultations', 'offered', 'abandoned'];

/** Consultations per period (rows) and top category (columns), with the range's totals and shares under them. */
export function volumeTable(d: Dashboard, q: AnalyticsQuery, l: Lang): Table {
  const { periods, series } = d.volume;
  return {
    columns: [col(k(l, 'volume.period'), false), ...series.map((s) => col(s.category)), col(k(l, 'total'))],
    rows: periods.map((p, i) => {
      const counts = series.map((s) => s.counts[i] ?? 0);
      const label = periodLabel(p, q.grain, l, true);
      return { key: p, header: label, cells: [...counts, counts.reduce((a, b) => a + b, 0)].map((n) => cases(n, l)), drill: { label, ...periodRange(p, q.grain, q) } };
    }),
    foot: {
      key: 'total',
      header: k(l, 'total'),
      cells: [...series.map((s) => `${cases(s.n, l)} (${percent(s.share, l)})`), cases(series.reduce((a, s) => a + s.n, 0), l)],
      drill: null,
    },
  };
}

/** Every category (`name/sub`) with its count and share. */
export function subcategoryTable(d: Dashboard, l: Lang): Table {
  return {
    columns: [col(l.t('portal.fields.category'), false), col(k(l, 'heatmap.metrics.consultations')), col(k(l, 'share'))],
    rows: d.subcategories.map((s) => ({ key: s.category, header: s.category, cells: [cases(s.n, l), percent(s.share, l)], drill: { label: s.category, category: s.category } })),
    foot: null,
  };
}

/** The hours the heatmap spans: from the first to the last with anything in any of its measures (a call center's day, not midnight to midnight). */
export function hoursOf(d: Dashboard): number[] {
  const busy = d.heatmap.filter((c) => c.consultations + c.offered + c.abandoned > 0).map((c) => c.hour);
  if (busy.length === 0) return [];
  const [first, last] = [Math.min(...busy), Math.max(...busy)];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The heatmap's value of one weekday and hour. */
export const heatValue = (d: Dashboard, metric: HeatMetric, weekday: number, hour: number): number => d.heatmap.find((c) => c.weekday === weekday && c.hour === hour)?.[metric] ?? 0;

/** Weekdays (rows, Monday first) by hours (columns), bare numbers to keep 24 columns narrow (the caption names the measure); a weekday's consultations can be listed. */
export function heatmapTable(d: Dashboard, metric: HeatMetric, l: Lang): Table {
  const hours = hoursOf(d);
  return {
    columns: [col(k(l, 'heatmap.weekday'), false), ...hours.map((h) => col(hourLabel(h, l)))],
    rows: [0, 1, 2, 3, 4, 5, 6].map((w) => {
      const name = formatWeekday(w, l.language);
      const drill = metric === 'consultations' ? { label: l.t('portal.analytics.weekday', { weekday: name }), weekday: w } : null;
      return { key: String(w), header: name, cells: hours.map((h) => formatNumber(heatValue(d, metric, w, h), l.language)), drill };
    }),
    foot: null,
  };
}

const OUTCOME_MEASURE: Record<Outcome, 'answered' | 'transferred' | 'callbacks' | 'complaints'> = { answered: 'answered', transferred: 'transferred', callback: 'callbacks', complaint: 'complaints' };
/** How many of a row's consultations ended in `o`. */
export const outcomeCount = (m: Dashboard['outcomes'][number], o: Outcome): number => m[OUTCOME_MEASURE[o]];

/** Each top category's consultations by outcome, first-contact resolution and average handling time. */
export function outcomesTable(d: Dashboard, l: Lang): Table {
  return {
    columns: [
      col(l.t('portal.fields.category'), false),
      col(k(l, 'outcomes.consultations')),
      ...OUTCOMES.map((o) => col(outcomeLabel(o, l))),
      col(k(l, 'kpi.fcr')),
      col(k(l, 'kpi.aht')),
    ],
    rows: d.outcomes.map((m) => ({
      key: m.category,
      header: m.category,
      cells: [cases(m.consultations, l), ...OUTCOMES.map((o) => cases(outcomeCount(m, o), l)), percent(m.fcr, l), m.averageHandleSeconds === null ? '—' : formatDuration(m.averageHandleSeconds, l.language)],
      drill: { label: m.category, category: m.category },
    })),
    foot: null,
  };
}

/** A ranking's rows (transfers, callbacks, districts…): a name, a count, a share of `of` or the server's own share. */
export interface Ranked {
  key: string;
  label: string;
  n: number;
  share: number | null;
  drill: Drill | null;
}

/** Rows counted against their sum: a share each (callbacks by source or state have none of their own). */
export const sharedOut = (rows: { key: string; label: string; n: number }[]): Ranked[] => {
  const sum = rows.reduce((a, r) => a + r.n, 0);
  return rows.map((r) => ({ ...r, share: shareOf(r.n, sum), drill: null }));
};

export function rankedTable(rows: Ranked[], heading: string, l: Lang): Table {
  return {
    columns: [col(heading, false), col(k(l, 'heatmap.metrics.consultations')), col(k(l, 'share'))],
    rows: rows.map((r) => ({ key: r.key, header: r.label, cells: [cases(r.n, l), percent(r.share, l)], drill: r.drill })),
    foot: null,
  };
}

/** Repeats by category: how many, of how many consultations, and the share. */
export function repeatsTable(d: Dashboard, l: Lang): Table {
  return {
    columns: [col(l.t('portal.fields.category'), false), col(k(l, 'repeats.repeats')), col(k(l, 'repeats.consultations')), col(k(l, 'kpi.repeat'))],
    rows: d.repeats.map((r) => ({ key: r.category, header: r.category, cells: [cases(r.n, l), cases(r.consultations, l), percent(r.share, l)], drill: { label: r.category, category: r.category } })),
    foot: null,
  };
}

type RisingRow = Dashboard['rising']['categories'][number];

/** This period against the previous one: counts, shares and the change in percentage points. */
export function risingTable(rows: RisingRow[], heading: string, l: Lang, drillable: boolean): Table {
  const [now, before] = [k(l, 'current'), k(l, 'previous')];
  return {
    columns: [col(heading, false), col(`${now} ${k(l, 'heatmap.metrics.consultations')}`), col(`${now} ${k(l, 'share')}`), col(`${before} ${k(l, 'heatmap.metrics.consultations')}`), col(`${before} ${k(l, 'share')}`), col(k(l, 'change'))],
    rows: rows.map((r) => ({
      key: r.key,
      header: r.key,
      cells: [cases(r.n, l), percent(r.share, l), cases(r.previousN, l), percent(r.previousShare, l), formatPoints(r.change, l.language)],
      drill: drillable ? { label: r.key, category: r.key } : null,
    })),
    foot: null,
  };
}

/** Districts with their count, share and the category most asked about there. */
export function districtsTable(d: Dashboard, l: Lang): Table {
  return {
    columns: [col(k(l, 'districts.district'), false), col(k(l, 'heatmap.metrics.consultations')), col(k(l, 'share')), col(k(l, 'districts.topCategory'), false)],
    rows: d.districts.rows.map((r) => ({ key: r.district, header: r.district, cells: [cases(r.n, l), percent(r.share, l), r.topCategory ?? '—'], drill: { label: r.district, district: r.district } })),
    foot: null,
  };
}
