// Dates and times as the agent reads them: in the city's zone (whatever the machine's), in the desk's language.
const ZONE = 'Asia/Seoul';
const locale = (language: string) => (language === 'en' ? 'en-GB' : 'ko-KR');

export const formatTime = (at: string | number, language: string) => new Date(at).toLocaleTimeString(locale(language), { timeZone: ZONE });
export const formatDateTime = (at: string | number, language: string) => new Date(at).toLocaleString(locale(language), { timeZone: ZONE });
export const formatDay = (at: string | number, language: string) => new Date(at).toLocaleDateString(locale(language), { timeZone: ZONE });
