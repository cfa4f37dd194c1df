import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { DailySummary, SyncStatus } from '../shared/contract';
import type { Department } from '../shared/directory';
import type { CitySettings, NotReadyReason } from '../shared/settings';
import { ConsultationPanel } from './consult/ConsultationPanel';
import type { ConsultationStore } from './consult/consultation-store';
import { LANGUAGES } from './i18n';
import { AgentStatePanel } from './agent/AgentStatePanel';
import type { AgentStateStoreApi } from './agent/agent-state-store';
import type { LocalPreferencesStore } from './core/local-preferences';
import { DeviceSettings } from './phone/DeviceSettings';
import type { DeviceStore } from './phone/device-store';
import { DirectoryPanel } from './phone/DirectoryPanel';
import type { HeadsetLink } from './phone/headset-link';
import { PhonePanel } from './phone/PhonePanel';
import { PhoneStatus } from './phone/PhoneStatus';
import type { PhoneStore } from './phone/phone-store';
import { SearchPanel } from './search/SearchPanel';
import type { SearchStore } from './search/search-store';
import { SyncStatusBar } from './status/SyncStatusBar';
import type { BoardStore } from './board/board-store';
import { TeamBoard } from './board/TeamBoard';
import type { LeadMonitor } from './board/lead-monitor';

export interface AppProps {
  search: SearchStore;
  phone: PhoneStore;
  agent: AgentStateStoreApi;
  devices: DeviceStore;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  preferences: LocalPreferencesStore;
  headset: HeadsetLink;
  consultation: ConsultationStore;
  settings: CitySettings;
  loadDirectory: () => Promise<Department[]>;
  loadDaily: () => Promise<DailySummary>;
  reasons: readonly NotReadyReason[];
  sync: SyncStatus | null;
  connected: boolean;
  storage: Pick<Storage, 'setItem'>;
  /** The team board and monitoring, for a team lead's desk only. */
  board: { store: BoardStore; monitor: LeadMonitor } | null;
}

export function App(p: AppProps) {
  const { t, i18n } = useTranslation();
  const phone = useStore(p.phone);
  const callSink = useStore(p.devices, (s) => s.choices.call.deviceId);
  const autoAnswer = useStore(p.preferences, (s) => s.autoAnswerSeconds);
  const headset = useStore(p.headset.store);
  const onCall = !!phone.call && phone.call.state !== 'ended';
  const inCall = phone.call?.state === 'connected';
  return (
    <div className="app" lang={i18n.language}>
      <header>
        <h1>{t('app.title')}</h1>
        <PhoneStatus store={p.phone} />
        <label>
          {t('app.language')}{' '}
          <select
            value={i18n.language}
            onChange={(e) => {
              p.storage.setItem('minwon.language', e.target.value);
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
        {p.board && <TeamBoard store={p.board.store} controls={{ monitor: p.board.monitor, sinkId: callSink, applySink: p.applySink }} />}
        <AgentStatePanel store={p.agent} reasons={p.reasons} onCall={onCall} />
        <PhonePanel store={p.phone} callSink={callSink} applySink={p.applySink} />
        <ConsultationPanel
          store={p.consultation}
          sync={p.sync}
          taxonomy={p.settings.taxonomy}
          loadDirectory={p.loadDirectory}
          loadDaily={p.loadDaily}
          openEntry={(id) => p.search.getState().openEntry(id)}
          onSaved={() => p.agent.getState().state.kind === 'wrap-up' && p.agent.getState().setReady()}
        />
        <DeviceSettings
          devices={p.devices}
          autoAnswer={autoAnswer}
          onAutoAnswer={(s) => p.preferences.getState().setAutoAnswer(s)}
          headset={{ name: headset.name, supported: headset.supported, connect: () => void p.headset.connect() }}
          notifications={{
            permission: typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
            request: () => void Notification.requestPermission(),
          }}
        />
        <DirectoryPanel
          load={p.loadDirectory}
          actions={{
            inCall,
            call: (ext) => phone.dial(ext),
            transfer: (ext) => phone.blindTransfer(ext),
            consult: (ext) => phone.startConsult(ext),
          }}
        />
        <SearchPanel store={p.search} />
      </main>
      <SyncStatusBar status={p.sync} connected={p.connected} />
    </div>
  );
}
