import { createStore } from 'zustand/vanilla';
import type { MethodName, MethodParams, MethodResult, SyncStatus } from '../../shared/contract';
import type { SessionState } from '../../shared/session';
import { DEFAULT_SETTINGS, type CitySettings } from '../../shared/settings';
import type { CoreClient } from '../../shared/rpc';
import type { CoreConnection } from './connect';

export interface ConnectionState {
  /** The core, once an agent is signed in (locked included): what the desk's stores call. */
  client: CoreClient | null;
  /** The connection itself, signed in or not: what the sign-in screen calls. */
  link: CoreClient | null;
  session: SessionState | null;
  sync: SyncStatus | null;
  /** The city's desk settings as the core has them (defaults until first synced). */
  settings: CitySettings;
}

/**
 * The page's link to the core, kept up across core restarts: one connection at a time,
 * retried every `retryMs` while it is down. The desk's client is offered only while an agent
 * is signed in.
 */
export function createConnectionStore(connect: () => Promise<CoreConnection>, sleep: (ms: number) => Promise<void>, retryMs = 2000) {
  const store = createStore<ConnectionState>()(() => ({ client: null, link: null, session: null, sync: null, settings: DEFAULT_SETTINGS }));
  async function keepConnected(): Promise<never> {
    for (;;) {
      try {
        const { client, closed } = await connect();
        client.on('syncStatus', (sync) => store.setState({ sync }));
        client.on('settings', (settings) => store.setState({ settings }));
        const follow = async (session: SessionState) => {
          if (session.state === 'signed-out') return store.setState({ client: null, session });
          if (store.getState().client === client) return store.setState({ session });
          const [sync, settings] = await Promise.all([client.call('syncStatus', {}), client.call('settings', {})]);
          store.setState({ client, sync, settings, session });
        };
        client.on('session', (session) => void follow(session).catch(() => undefined));
        store.setState({ link: client });
        await follow(await client.call('session', {}));
        await closed;
      } catch {
        // Not reachable yet: try again shortly.
      }
      store.setState({ client: null, link: null });
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
