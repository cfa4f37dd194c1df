import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../shared/contract';
import { LANGUAGES } from './i18n';
import type { NotReadyReason } from '../shared/settings';
import { AgentStatePanel } from './agent/AgentStatePanel';
import type { AgentStateStoreApi } from './agent/agent-state-store';
import { PhonePanel } from './phone/PhonePanel';
import { PhoneStatus } from './phone/PhoneStatus';
import type { PhoneStore } from './phone/phone-store';
import { SearchPanel } from './search/SearchPanel';
import type { SearchStore } from './search/search-store';
import { SyncStatusBar } from './status/SyncStatusBar';

export function App({
  search,
  phone,
  agent,
  reasons,
  sync,
  connected,
  storage,
}: {
  search: SearchStore;
  phone: PhoneStore;
  agent: AgentStateStoreApi;
  reasons: readonly NotReadyReason[];
  sync: SyncStatus | null;
  connected: boolean;
  storage: Pick<Storage, 'setItem'>;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="app" lang={i18n.language}>
      <header>
        <h1>{t('app.title')}</h1>
        <PhoneStatus store={phone} />
        <label>
          {t('app.language')}{' '}
          <select
            value={i18n.language}
            onChange={(e) => {
              storage.setItem('minwon.language', e.target.value);
              void i18n.changeLanguage(e.target.value);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l === 'ko' ? t('app.korean') : t('app.english')}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main>
        <AgentStatePanel store={agent} reasons={reasons} />
        <PhonePanel store={phone} />
        <SearchPanel store={search} />
      </main>
      <SyncStatusBar status={sync} connected={connected} />
    </div>
  );
}
