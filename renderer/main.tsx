import './core/no-eval';
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { App } from './App';
import { connectToCore } from './core/connect';
import { createConnectionStore } from './core/connection-store';
import { deskBridge, desktopClients, desktopPhoneHooks } from './core/desk-shell';
import { browserTimers } from './core/timers';
import i18next from 'i18next';
import { initI18n } from './i18n';
import { createAgentStateStore } from './agent/agent-state-store';
import { presenceOf } from './agent/presence';
import { createPhone } from './phone/create-phone';
import { createHeadsetLink } from './phone/headset-link';
import { UpdateNotice } from './status/UpdateNotice';
import { createBoardStore } from './board/board-store';
import { createLeadMonitor } from './board/lead-monitor';
import { MonitorIndicator } from './phone/MonitorIndicator';
import { createStore } from 'zustand/vanilla';
import type { MonitorMode } from '../shared/monitoring';
import type { MethodParams } from '../shared/contract';
import { createSearchStore } from './search/search-store';
import { createLocalPreferences } from './core/local-preferences';
import { createConsultationStore } from './consult/consultation-store';
import { followCalls } from './consult/follow-calls';
import './styles.css';

// In the desktop app the preload's bridge reaches the core and the shell; in a browser, the host's WebSocket.
const bridge = deskBridge(window);
const desktop = bridge ? desktopClients(bridge, (why) => console.warn(`desk bridge: ${why}`)) : null;
const connection = createConnectionStore(
  () => connectToCore(document, desktop?.core ?? null),
  (ms) => new Promise((r) => window.setTimeout(r, ms)),
);
const search = createSearchStore(() => connection.store.getState().client);
// The monitoring audit is best effort from the page: the core keeps what it is given until the city has it.
const reportMonitoring = (params: MethodParams<'reportMonitoring'>) => void connection.call('reportMonitoring', params).catch(() => undefined);
const agent = createAgentStateStore({ now: () => Date.now(), timers: browserTimers });
const preferences = createLocalPreferences(window.localStorage);
const { phone, devices, applySink } = createPhone({
  storage: window.localStorage,
  acceptRefer: false,
  dtmfMethod: () => connection.store.getState().settings.dtmfMethod,
  takesCalls: () => agent.getState().takesCalls(),
  onCallEnded: () => agent.getState().startWrapUp(connection.store.getState().settings.wrapUpSeconds),
  autoAnswerSeconds: () => preferences.getState().autoAnswerSeconds,
  notification: (call) => {
    const number = call.remote.user || i18next.t('consult.withheld');
    return { title: i18next.t('phone.incomingNotice'), body: call.remote.displayName ? `${call.remote.displayName} (${number})` : number };
  },
  ...(desktop ? desktopPhoneHooks(desktop.shell) : {}),
  monitoring: {
    admit: (params) => connection.call('admitMonitoring', params),
    report: reportMonitoring,
    onSession: (session) => monitoredBy.setState({ session }),
  },
});
// Who is monitoring this agent's call, for the indicator.
const monitoredBy = createStore<{ session: { lead: string; mode: MonitorMode } | null }>()(() => ({ session: null }));
const headset = createHeadsetLink(phone);
const consultation = createConsultationStore({
  core: () => connection.store.getState().client,
  now: () => new Date(),
  newId: () => crypto.randomUUID(),
  storage: window.localStorage,
  mask: async (notes) => (await connection.call('maskNotes', { notes })).text,
});
followCalls({ phone, search, agent, consultation, core: () => connection.store.getState().client });
const leadMonitor = createLeadMonitor({
  grant: (agentName, modes) => connection.call('requestMonitorGrant', { agent: agentName, modes }),
  call: (target, headers) => phone.getState().sideCall(target, headers),
  report: reportMonitoring,
});
const board = createBoardStore({
  load: () => connection.call('teamBoard', {}),
  timers: browserTimers,
});

// The phone registers with the account the core keeps from the city login, and again when it changes.
connection.store.subscribe((s, previous) => {
  if (!s.client || s.client === previous.client) return;
  s.client.on('phoneAccount', (account) => phone.getState().useAccount(account));
  void s.client.call('phoneAccount', {}).then((account) => phone.getState().useAccount(account));
});

// The city learns the agent's state (for call distribution) whenever it or the phone's business changes.
let reported = '';
function reportPresence(force = false) {
  const call = phone.getState().call;
  const c = consultation.getState().current;
  const about = c?.category ? [c.category, c.subcategory].filter(Boolean).join('/') : null;
  const presence = presenceOf(agent.getState().state, !!call && call.state !== 'ended', about);
  const key = JSON.stringify(presence);
  const client = connection.store.getState().client;
  if (!client || (key === reported && !force)) return;
  reported = key;
  void client.call('setPresence', presence).catch(() => (reported = ''));
}
agent.subscribe(() => reportPresence());
phone.subscribe(() => reportPresence());
consultation.subscribe(() => reportPresence());
connection.store.subscribe((s, previous) => s.client && s.client !== previous.client && reportPresence(true));

function Root() {
  const { client, sync, settings } = useStore(connection.store);
  // Only a team lead's desk shows the board.
  const [isLead, setLead] = useState(false);
  useEffect(() => {
    void client?.call('whoAmI', {}).then((me) => setLead(me?.role === 'lead'), () => undefined);
  }, [client, sync?.lastSyncedAt]);
  const loadDirectory = useCallback(async () => {
    if (!client) throw new Error('not connected');
    return (await client.call('directory', {})).departments;
  }, [client]);
  const loadDaily = useCallback(async () => {
    if (!client) throw new Error('not connected');
    // The agent's day in Seoul, whatever the machine's zone.
    return client.call('dailySummary', { day: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' }) });
  }, [client]);
  return (
    <>
      {desktop && <UpdateNotice shell={desktop.shell} />}
      <MonitorIndicator store={monitoredBy} showListen={settings.listenIndicator} />
      <App
        search={search}
        phone={phone}
        agent={agent}
        devices={devices}
        applySink={applySink}
        preferences={preferences}
        headset={headset}
        consultation={consultation}
        settings={settings}
        loadDirectory={loadDirectory}
        loadDaily={loadDaily}
        reasons={settings.notReadyReasons}
        sync={sync}
        connected={client !== null}
        storage={window.localStorage}
        board={isLead ? { store: board, monitor: leadMonitor } : null}
      />
    </>
  );
}

await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
void connection.keepConnected();
