import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The one i18n layer: Korean first, English second; the agent's choice is remembered. */
export async function initI18n(storage: Pick<Storage, 'getItem'>): Promise<typeof i18next> {
  const saved = storage.getItem('minwon.language');
  await i18next.use(initReactI18next).init({
    resources: { ko: { translation: ko }, en: { translation: en } },
    lng: saved === 'en' ? 'en' : 'ko',
    fallbackLng: 'ko',
    interpolation: { escapeValue: false },
  });
  return i18next;
}
