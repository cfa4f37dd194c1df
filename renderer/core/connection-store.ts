import { createStore } from 'zustand/vanilla';
import type { SyncStatus } from '../../shared/contract';
import type { CoreClient } from '../../shared/rpc';
import type { CoreConnection } from './connect';

export interface ConnectionState {
  client: CoreClient | null;
  sync: SyncStatus | null;
}

/**
 * The page's link to the core, kept up across core restarts: one connection at a time,
 * retried every `retryMs` while it is down.
 */
export function createConnectionStore(connect: () => Promise<CoreConnection>, sleep: (ms: number) => Promise<void>, retryMs = 2000) {
  const store = createStore<ConnectionState>()(() => ({ client: null, sync: null }));
  async function keepConnected(): Promise<never> {
    for (;;) {
      try {
        const { client, closed } = await connect();
        client.on('syncStatus', (sync) => store.setState({ sync }));
        store.setState({ client, sync: await client.call('syncStatus', {}) });
        await closed;
      } catch {
        // Not reachable yet: try again shortly.
      }
      store.setState({ client: null });
      await sleep(retryMs);
    }
  }
  return { store, keepConnected };
}
