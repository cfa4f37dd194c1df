import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { I18nProvider } from 'react-aria-components';

/** React Aria's own words (a dialog's hidden "dismiss" button, a list's announcements) in the desk's language. */
export function AriaLocale({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <I18nProvider locale={i18n.language === 'en' ? 'en-US' : 'ko-KR'}>{children}</I18nProvider>;
}
