import '../core/no-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { practiceConfigSchema, type PracticeConfig } from '../../shared/practice';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { initI18n } from '../i18n';
import { createPhone } from '../phone/create-phone';
import { PracticePhone } from './PracticePhone';
import { AriaLocale } from '../i18n/AriaLocale';
import { markPressableStyle } from '../core/aria-press-style';
import { createLocalPreferences } from '../core/local-preferences';
import { followAppearance } from '../theme/appearance';
import '../theme/tokens.css';
import '../styles.css';

/** The account the practice host put in the page; null (and a plain message) when it is missing or malformed. */
function readConfig(): PracticeConfig | null {
  const raw = document.querySelector<HTMLMetaElement>('meta[name="minwon-practice"]')?.content;
  try {
    const r = practiceConfigSchema.safeParse(JSON.parse(raw ?? 'null'));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const config = readConfig();
// A practice phone stands in for a citizen's phone behind the city's PBX: it takes every call and
// follows transfers (REFER), as the phone network would.
const { phone, devices, applySink } = createPhone({
  storage: window.localStorage,
  acceptRefer: true,
  dtmfMethod: () => 'auto',
  takesCalls: () => true,
  onCallEnded: () => undefined,
  autoAnswerSeconds: () => null,
  // A citizen's phone transfers nothing itself.
  transferTimeoutSeconds: () => DEFAULT_SETTINGS.transferTimeoutSeconds,
  notification: null,
});
if (config) phone.getState().useAccount(config.account);

followAppearance(document.documentElement, createLocalPreferences(window.localStorage), window);
markPressableStyle(document);
await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AriaLocale>
      <PracticePhone config={config} phone={phone} devices={devices} applySink={applySink} />
    </AriaLocale>
  </StrictMode>,
);
