// Dates and times as the agent reads them: in the city's zone (whatever the machine's), in the desk's language.
const ZONE = 'Asia/Seoul';
const locale = (language: string) => (language === 'en' ? 'en-GB' : 'ko-KR');

export const formatTime = (at: string | number, language: string) => new Date(at).toLocaleTimeString(locale(language), { timeZone: ZONE });
export const formatDateTime = (at: string | number, language: string) => new Date(at).toLocaleString(locale(language), { timeZone: ZONE });
export const formatDay = (at: string | number, language: string) => new Date(at).toLocaleDateString(locale(language), { timeZone: ZONE });
/** "15:00": a due time or a slot's start. */
export const formatClock = (at: string | number, language: string) => new Date(at).toLocaleTimeString(locale(language), { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
/** "12. 8. (화) 15:00": a time that may not be today. */
export const formatWhen = (at: string | number, language: string) =>
  new Date(at).toLocaleString(locale(language), { timeZone: ZONE, month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

const KST_MS = 9 * 3_600_000;
/** The city's calendar day of `at` (YYYY-MM-DD), wherever the desk is. */
export const cityDay = (at: Date) => new Date(at.getTime() + KST_MS).toISOString().slice(0, 10);
/** A date (YYYY-MM-DD) and a time (HH:MM) the agent typed, read in the city's zone; null when not a time. */
export function fromCityInput(date: string, time: string): string | null {
  const at = Date.parse(`${date}T${time}:00+09:00`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
