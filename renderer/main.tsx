import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { App } from './App';
import { connectToCore } from './core/connect';
import { createConnectionStore } from './core/connection-store';
import { browserTimers } from './core/timers';
import { initI18n } from './i18n';
import { createAgentStateStore } from './agent/agent-state-store';
import { createPhoneStore } from './phone/phone-store';
import { startPhone } from './phone/sip-phone';
import { createSearchStore } from './search/search-store';
import './styles.css';

const connection = createConnectionStore(
  () => connectToCore(document),
  (ms) => new Promise((r) => window.setTimeout(r, ms)),
);
const search = createSearchStore(() => connection.store.getState().client);
const agent = createAgentStateStore({ now: () => Date.now(), timers: browserTimers });
const phone = createPhoneStore({
  startPhone,
  takesCalls: () => agent.getState().takesCalls(),
  onCallEnded: () => agent.getState().startWrapUp(connection.store.getState().settings.wrapUpSeconds),
  now: () => Date.now(),
});

// The phone registers with the account the core keeps from the city login, and again when it changes.
connection.store.subscribe((s, previous) => {
  if (!s.client || s.client === previous.client) return;
  s.client.on('phoneAccount', (account) => phone.getState().useAccount(account));
  void s.client.call('phoneAccount', {}).then((account) => phone.getState().useAccount(account));
});

function Root() {
  const { client, sync, settings } = useStore(connection.store);
  return <App search={search} phone={phone} agent={agent} reasons={settings.notReadyReasons} sync={sync} connected={client !== null} storage={window.localStorage} />;
}

await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
void connection.keepConnected();
