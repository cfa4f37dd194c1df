import { describe, expect, it } from 'vitest';
import { analyticsSearch, defaultQuery, parseAnalyticsQuery, periodRange, pickOf, quickRange } from '../../../../../renderer/portal/analytics/query';

// Seoul is UTC+9: these instants are Seoul mornings and midnights.
const at = (iso: string) => new Date(iso);

describe('the dashboard’s question in its address', () => {
  it('reads a bookmarked question and writes the same address back', () => {
    const q = parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&channels=call,text&grain=week');
    expect(q).toEqual({ from: '2026-11-01', to: '2026-11-30', channels: ['call', 'text'], grain: 'week' });
    expect(analyticsSearch(q!)).toBe('from=2026-11-01&to=2026-11-30&channels=call,text&grain=week');
  });

  it('fills what an address leaves out, orders the channels and ignores what it does not know', () => {
    expect(parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&utm=x')).toEqual({ from: '2026-11-01', to: '2026-11-30', channels: ['call', 'text', 'callback'], grain: 'day' });
    expect(parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&channels=callback%2Ccall%2Ccall')?.channels).toEqual(['call', 'callback']);
  });

  it('names no question when the server would refuse it, so the view asks its default', () => {
    expect(parseAnalyticsQuery('')).toBeNull();
    expect(parseAnalyticsQuery('from=2026-11-30&to=2026-11-01')).toBeNull();
    expect(parseAnalyticsQuery('from=2020-01-01&to=2026-01-01')).toBeNull();
    expect(parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&channels=')).toBeNull();
    expect(parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&channels=fax')).toBeNull();
    expect(parseAnalyticsQuery('from=2026-11-01&to=2026-11-30&grain=year')).toBeNull();
    expect(parseAnalyticsQuery('from=11/01&to=2026-11-30')).toBeNull();
  });
});

describe('quick picks', () => {
  // 2026-12-15 08:00 in Seoul.
  const now = at('2026-12-14T23:00:00Z');

  it('end the rolling ranges yesterday (Seoul), so today’s half day is not a drop', () => {
    expect(quickRange('last7', now)).toEqual({ from: '2026-12-08', to: '2026-12-14', grain: 'day' });
    expect(quickRange('last30', now)).toEqual({ from: '2026-11-15', to: '2026-12-14', grain: 'day' });
    expect(defaultQuery(now)).toEqual({ from: '2026-11-15', to: '2026-12-14', channels: ['call', 'text', 'callback'], grain: 'day' });
  });

  it('take last month whole and this year so far by month', () => {
    expect(quickRange('lastMonth', now)).toEqual({ from: '2026-11-01', to: '2026-11-30', grain: 'day' });
    expect(quickRange('thisYear', now)).toEqual({ from: '2026-01-01', to: '2026-12-15', grain: 'month' });
  });

  it('count Seoul days, not the machine’s: just after midnight in Seoul is already the next day', () => {
    // 2027-01-01 00:30 in Seoul, still 31 December in UTC.
    const newYear = at('2026-12-31T15:30:00Z');
    expect(quickRange('lastMonth', newYear)).toEqual({ from: '2026-12-01', to: '2026-12-31', grain: 'day' });
    expect(quickRange('thisYear', newYear)).toEqual({ from: '2027-01-01', to: '2027-01-01', grain: 'month' });
    expect(quickRange('last7', newYear).to).toBe('2026-12-31');
  });

  it('says which pick a question is', () => {
    expect(pickOf({ from: '2026-12-08', to: '2026-12-14' }, now)).toBe('last7');
    expect(pickOf({ from: '2026-11-01', to: '2026-11-30' }, now)).toBe('lastMonth');
    expect(pickOf({ from: '2026-11-02', to: '2026-11-30' }, now)).toBeNull();
  });
});

describe('a period of the chart as days', () => {
  const q = { from: '2026-11-04', to: '2027-01-10' };
  it('is the day, the week from its Monday, or the month, cut to the question’s range', () => {
    expect(periodRange('2026-11-20', 'day', q)).toEqual({ from: '2026-11-20', to: '2026-11-20' });
    expect(periodRange('2026-11-16', 'week', q)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(periodRange('2026-11-02', 'week', q)).toEqual({ from: '2026-11-04', to: '2026-11-08' });
    expect(periodRange('2026-11', 'month', q)).toEqual({ from: '2026-11-04', to: '2026-11-30' });
    expect(periodRange('2026-12', 'month', q)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodRange('2027-01', 'month', q)).toEqual({ from: '2027-01-01', to: '2027-01-10' });
    expect(periodRange('2026-02', 'month', { from: '2026-01-01', to: '2026-12-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});
