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

// Figures and Seoul calendar days (YYYY-MM-DD, no instant) as the analysis shows them.
const seoulDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** "1,234": a count. */
export const formatNumber = (n: number, language: string) => n.toLocaleString(locale(language));
/** "32.5%": a share of 0…1, to one decimal. */
export const formatPercent = (share: number, language: string) => share.toLocaleString(locale(language), { style: 'percent', maximumFractionDigits: 1 });
/** "+2.5%p" / "+2.5 pp": a change of shares (0…1 each) in percentage points, always signed. */
export const formatPoints = (change: number, language: string) =>
  `${(change * 100).toLocaleString(locale(language), { maximumFractionDigits: 1, signDisplay: 'exceptZero' })}${language === 'en' ? ' pp' : '%p'}`;
/** "3분 25초" / "3 min 25 sec": a handling or waiting time in seconds. */
export function formatDuration(seconds: number, language: string): string {
  const s = Math.round(seconds);
  const unit = (n: number, u: 'minute' | 'second') => n.toLocaleString(locale(language), { style: 'unit', unit: u, unitDisplay: 'short' });
  if (s < 60) return unit(s, 'second');
  return s % 60 === 0 ? unit(s / 60, 'minute') : `${unit(Math.floor(s / 60), 'minute')} ${unit(s % 60, 'second')}`;
}
/** "월" / "Mon": a weekday, Monday 0 … Sunday 6 (1 January 2024 was a Monday). */
export const formatWeekday = (weekday: number, language: string) => seoulDate(`2024-01-0${weekday + 1}`).toLocaleDateString(locale(language), { timeZone: 'UTC', weekday: 'short' });
/** "11. 3." / "3 Nov": a Seoul day on an axis. */
export const formatShortDay = (day: string, language: string) => seoulDate(day).toLocaleDateString(locale(language), { timeZone: 'UTC', month: 'numeric', day: 'numeric' });
/** "2026. 11. 3." / "03/11/2026": a Seoul day in full. */
export const formatSeoulDay = (day: string, language: string) => seoulDate(day).toLocaleDateString(locale(language), { timeZone: 'UTC' });
/** "2026년 11월" / "November 2026": a month, YYYY-MM. */
export const formatMonth = (month: string, language: string) => seoulDate(`${month}-01`).toLocaleDateString(locale(language), { timeZone: 'UTC', year: 'numeric', month: 'long' });
