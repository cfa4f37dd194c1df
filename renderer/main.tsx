import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import type { SyncStatus } from '../shared/contract';
import type { CoreClient } from '../shared/rpc';
import { App } from './App';
import { connectToCore } from './core/connect';
import { initI18n } from './i18n';
import { createSearchStore } from './search/search-store';
import './styles.css';

// The page's link to the core, kept up across core restarts: one connection at a time, retried.
let client: CoreClient | null = null;
let connected = false;
let sync: SyncStatus | null = null;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());
const subscribe = (l: () => void) => (listeners.add(l), () => listeners.delete(l));

async function keepConnected(): Promise<void> {
  for (;;) {
    try {
      client = await connectToCore(document, (up) => {
        connected = up;
        changed();
      });
      client.on('syncStatus', (s) => {
        sync = s;
        changed();
      });
      sync = await client.call('syncStatus', {});
      changed();
      await new Promise<void>((resolve) => {
        const check = window.setInterval(() => {
          if (!connected) {
            window.clearInterval(check);
            resolve();
          }
        }, 500);
      });
    } catch {
      // Not reachable yet: try again shortly.
    }
    client = null;
    await new Promise((r) => window.setTimeout(r, 2000));
  }
}

const search = createSearchStore(() => client);

function Root() {
  const state = useSyncExternalStore(subscribe, () => `${connected}:${sync?.state}:${sync?.lastSyncedAt}:${sync?.offlineSince}`);
  void state;
  return <App search={search} sync={sync} connected={connected} storage={window.localStorage} />;
}

await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
void keepConnected();
