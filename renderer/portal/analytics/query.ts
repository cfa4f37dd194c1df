import { addDays, analyticsQuerySchema, type AnalyticsQuery, type Grain } from '../../../shared/analytics';
import { CHANNELS } from '../../../shared/record';
import { seoulDay } from '../../../shared/seoul-time';

// The dashboard's question lives in its address (#/analytics?from=…&to=…&channels=…&grain=…), so a
// view can be bookmarked, sent to a colleague and reloaded.

const KEYS = ['from', 'to', 'channels', 'grain'] as const;

/** The question an address names, or null when it names none or one the server would refuse (the view then asks its default). */
export function parseAnalyticsQuery(search: string): AnalyticsQuery | null {
  const params = new URLSearchParams(search);
  // Only the dashboard's own keys: the schema is strict, and a stray parameter must not void a bookmark.
  const raw = Object.fromEntries(KEYS.flatMap((k) => (params.has(k) ? [[k, params.get(k)]] : [])));
  const r = analyticsQuerySchema.safeParse(raw);
  if (!r.success) return null;
  // One order and no repeats, so the same view has one address.
  return { ...r.data, channels: CHANNELS.filter((c) => r.data.channels.includes(c)) };
}

/** The address' query of a question (its values need no escaping: days, channel and grain names). */
export const analyticsSearch = (q: AnalyticsQuery): string => `from=${q.from}&to=${q.to}&channels=${q.channels.join(',')}&grain=${q.grain}`;

export const QUICK_PICKS = ['last7', 'last30', 'lastMonth', 'thisYear'] as const;
export type QuickPick = (typeof QUICK_PICKS)[number];

/**
 * A range as a team lead names it, in Seoul days. The rolling ones end yesterday, so that today's
 * half day does not read as a drop; a year so far includes today (on 1 January it has nothing else).
 */
export function quickRange(pick: QuickPick, now: Date): { from: string; to: string; grain: Grain } {
  const today = seoulDay(now).day;
  const yesterday = addDays(today, -1);
  switch (pick) {
    case 'last7':
      return { from: addDays(yesterday, -6), to: yesterday, grain: 'day' };
    case 'last30':
      return { from: addDays(yesterday, -29), to: yesterday, grain: 'day' };
    case 'lastMonth': {
      const to = addDays(`${today.slice(0, 7)}-01`, -1);
      return { from: `${to.slice(0, 7)}-01`, to, grain: 'day' };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today, grain: 'month' };
  }
}

/** What `#/analytics` alone shows: the last 30 full days, every channel, by day (still 30 days on the 1st of a month, unlike "this month"). */
export const defaultQuery = (now: Date): AnalyticsQuery => ({ ...quickRange('last30', now), channels: [...CHANNELS] });

/** The quick pick whose range `q` is, if any (shown pressed). */
export function pickOf(q: { from: string; to: string }, now: Date): QuickPick | null {
  return QUICK_PICKS.find((p) => {
    const r = quickRange(p, now);
    return r.from === q.from && r.to === q.to;
  }) ?? null;
}

/** The days of one period of the chart (a day, a week from its Monday, a month), within the question's range. */
export function periodRange(period: string, grain: Grain, q: { from: string; to: string }): { from: string; to: string } {
  const start = grain === 'month' ? `${period}-01` : period;
  const end = grain === 'day' ? period : grain === 'week' ? addDays(period, 6) : addDays(`${nextMonth(period)}-01`, -1);
  return { from: start < q.from ? q.from : start, to: end > q.to ? q.to : end };
}

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** The records behind one figure: the question's range and channels, narrowed to what the figure counts. */
export interface Drill {
  /** What the figure is, for the list's title ("상수도/요금", "월요일 9시"). */
  label: string;
  category?: string;
  district?: string;
  weekday?: number;
  hour?: number;
  /** A period of the chart, within the question's range. */
  from?: string;
  to?: string;
}
