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
