import i18next, { type TFunction } from 'i18next';
import { shellStrings } from '../../shared/shell-strings';

/** The shell's translator: Korean unless the OS asks for English. */
export function createShellT(locale: string): TFunction {
  const i18n = i18next.createInstance();
  void i18n.init({
    resources: { ko: { translation: shellStrings.ko }, en: { translation: shellStrings.en } },
    lng: locale.toLowerCase().startsWith('en') ? 'en' : 'ko',
    fallbackLng: 'ko',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}
