import type { Grain } from '../../../shared/analytics';
import type { Channel, Outcome } from '../../../shared/record';
import { formatMonth, formatNumber, formatPercent, formatSeoulDay, formatShortDay } from '../../i18n/format';

/** The words of the one i18n layer, passed in so the tables and charts stay pure (and testable without React). */
export interface Lang {
  t(key: string, params?: Record<string, unknown>): string;
  language: string;
}

/** "1,234건". */
export const cases = (n: number, l: Lang): string => l.t('portal.analytics.cases', { count: formatNumber(n, l.language) });
/** "32.5%", or a dash when there was nothing to share. */
export const percent = (share: number | null, l: Lang): string => (share === null ? '—' : formatPercent(share, l.language));

/** A period of the charts: "11. 3." on an axis, "2026. 11. 3." in a table; a week by its Monday, a month by name. */
export function periodLabel(period: string, grain: Grain, l: Lang, full = false): string {
  if (grain === 'month') return formatMonth(period, l.language);
  const day = full ? formatSeoulDay(period, l.language) : formatShortDay(period, l.language);
  return grain === 'week' ? l.t('portal.analytics.weekOf', { day }) : day;
}

export const hourLabel = (hour: number, l: Lang): string => l.t('portal.analytics.hour', { hour });
// The desk's own words for channels and outcomes, as its agents chose them.
export const channelLabel = (c: Channel, l: Lang): string => l.t(`consult.channels.${c}`);
export const outcomeLabel = (o: Outcome, l: Lang): string => l.t(`consult.outcomes.${o}`);

/** A chart's description for screen readers (ECharts' aria label): its title and its first figures in words. */
export function describe(l: Lang, title: string, items: string[], max = 8): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? l.t('portal.analytics.describeMore', { title, items: shown, count: items.length - max }) : l.t('portal.analytics.describe', { title, items: shown });
}
