import { addDays } from '../../../shared/analytics';
import { seoulDay, seoulInstant } from '../../../shared/seoul-time';

// The recordings' search is by Seoul calendar days, as a team lead names them ("지난 화요일"),
// asked of the server as the instants they run between.

/** A range of Seoul days, both ends included (YYYY-MM-DD). */
export interface DayRange {
  from: string;
  to: string;
}

/** What the search shows first: the last 7 days up to today, in Korea time (today's calls are the ones asked about). */
export function defaultRange(now: Date): DayRange {
  const today = seoulDay(now).day;
  return { from: addDays(today, -6), to: today };
}

const DAY = /^\d{4}-\d\d-\d\d$/;

/** Two days the server can be asked about: both dates, in order. */
export const validRange = (r: DayRange): boolean => DAY.test(r.from) && DAY.test(r.to) && !Number.isNaN(seoulInstant(r.from, '00:00').getTime()) && r.from <= r.to;

/** The instants a range of Seoul days runs between: from its first midnight to the midnight after its last day. */
export const rangeInstants = (r: DayRange): { from: string; to: string } => ({
  from: seoulInstant(r.from, '00:00').toISOString(),
  to: seoulInstant(addDays(r.to, 1), '00:00').toISOString(),
});
