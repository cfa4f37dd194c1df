import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { App } from './App';
import { connectToCore } from './core/connect';
import { createConnectionStore } from './core/connection-store';
import { initI18n } from './i18n';
import { createSearchStore } from './search/search-store';
import './styles.css';

const connection = createConnectionStore(
  () => connectToCore(document),
  (ms) => new Promise((r) => window.setTimeout(r, ms)),
);
const search = createSearchStore(() => connection.store.getState().client);

function Root() {
  const { client, sync } = useStore(connection.store);
  return <App search={search} sync={sync} connected={client !== null} storage={window.localStorage} />;
}

await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
void connection.keepConnected();
