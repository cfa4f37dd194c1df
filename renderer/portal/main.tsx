import '../core/no-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n';
import { AriaLocale } from '../i18n/AriaLocale';
import { markPressableStyle } from '../core/aria-press-style';
import { createLocalPreferences } from '../core/local-preferences';
import { followAppearance } from '../theme/appearance';
import { PortalApp } from './PortalApp';
import { createPortalSession } from './session-store';
import '../theme/tokens.css';
import '../styles.css';

followAppearance(document.documentElement, createLocalPreferences(window.localStorage), window);
markPressableStyle(document);
const i18n = await initI18n(window.localStorage);
document.documentElement.lang = i18n.language;
// The token lives as long as the tab: a new tab signs in again, a reload does not.
const session = createPortalSession({ storage: window.sessionStorage, fetch: window.fetch.bind(window) });
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AriaLocale>
      <PortalApp session={session} storage={window.localStorage} />
    </AriaLocale>
  </StrictMode>,
);
