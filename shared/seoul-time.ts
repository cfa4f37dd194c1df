// The city's calendar and clock (Asia/Seoul) wherever the code runs: the desk's machine, a server
// in UTC. Korea keeps no daylight saving time, so one fixed offset is the whole zone.

/** Seoul's offset from UTC. */
export const SEOUL_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** An instant as Seoul reads it, in ISO form: `YYYY-MM-DDTHH:MM…` of the city's wall clock. */
const wallClock = (at: Date) => new Date(at.getTime() + SEOUL_OFFSET_MS).toISOString();

/** The Seoul calendar day `day` (YYYY-MM-DD) and the instants it runs between. */
export function seoulDayBounds(day: string): { day: string; from: Date; to: Date } {
  const from = seoulInstant(day, '00:00');
  return { day, from, to: new Date(from.getTime() + DAY_MS) };
}

/** The Seoul calendar day of `now` and its bounds. */
export function seoulDay(now: Date): { day: string; from: Date; to: Date } {
  return seoulDayBounds(wallClock(now).slice(0, 10));
}

/** Seoul's time of day at `at` (HH:MM). */
export const seoulClock = (at: Date): string => wallClock(at).slice(11, 16);

/** A Seoul date (YYYY-MM-DD) and time of day (HH:MM) as an instant; an invalid Date when they are not one. */
export const seoulInstant = (day: string, time: string): Date => new Date(`${day}T${time}:00+09:00`);

/** The Seoul calendar day and hour (0-23) of `at`: the cell a record or a call falls in for the analysis. */
export function seoulDayHour(at: Date): { day: string; hour: number } {
  const wall = wallClock(at);
  return { day: wall.slice(0, 10), hour: Number(wall.slice(11, 13)) };
}
