import { seoulDay } from '../../shared/seoul-time';

const DAY_MS = 86_400_000;

/** The Seoul calendar day `days` after (or before) the day of `now`. */
export const seoulDayAfter = (now: Date, days: number): string => seoulDay(new Date(now.getTime() + days * DAY_MS)).day;

/** The last `weeks` weeks up to today, Seoul days inclusive: the knowledge gaps' default period. */
export function lastWeeks(now: Date, weeks: number): { from: string; to: string } {
  return { from: seoulDayAfter(now, 1 - weeks * 7), to: seoulDayAfter(now, 0) };
}
