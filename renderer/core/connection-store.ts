import { createStore } from 'zustand/vanilla';
import type { MethodName, MethodParams, MethodResult, SyncStatus } from '../../shared/contract';
import { DEFAULT_SETTINGS, type CitySettings } from '../../shared/settings';
import type { CoreClient } from '../../shared/rpc';
import type { CoreConnection } from './connect';

export interface ConnectionState {
  client: CoreClient | null;
  sync: SyncStatus | null;
  /** The city's desk settings as the core has them (defaults until first synced). */
  settings: CitySettings;
}

/**
 * The page's link to the core, kept up across core restarts: one connection at a time,
 * retried every `retryMs` while it is down.
 */
export function createConnectionStore(connect: () => Promise<CoreConnection>, sleep: (ms: number) => Promise<void>, retryMs = 2000) {
  const store = createStore<ConnectionState>()(() => ({ client: null, sync: null, settings: DEFAULT_SETTINGS }));
  async function keepConnected(): Promise<never> {
    for (;;) {
      try {
        const { client, closed } = await connect();
        client.on('syncStatus', (sync) => store.setState({ sync }));
        client.on('settings', (settings) => store.setState({ settings }));
        const [sync, settings] = await Promise.all([client.call('syncStatus', {}), client.call('settings', {})]);
        store.setState({ client, sync, settings });
        await closed;
      } catch {
        // Not reachable yet: try again shortly.
      }
      store.setState({ client: null });
      await sleep(retryMs);
    }
  }
  /** One call on the current connection; fails at once while there is none. */
  const call = <M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> => {
    const client = store.getState().client;
    return client ? client.call(method, params) : Promise.reject(new Error('not connected'));
  };
  return { store, keepConnected, call };
}
