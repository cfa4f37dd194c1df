import { createCoreClient, type CoreClient } from '../../shared/rpc';
import { browserTimers } from './timers';

export interface CoreConnection {
  client: CoreClient;
  /** Resolves when the connection is lost. */
  closed: Promise<void>;
}

/**
 * Connects the page to the agent core: in the desktop app through the preload's bridge (the
 * main process keeps the core running, so that link never closes); in a browser over the
 * browser host's WebSocket, with the token the host put in a meta tag of the page.
 */
export function connectToCore(doc: Document, desktop: CoreClient | null): Promise<CoreConnection> {
  if (desktop) return Promise.resolve({ client: desktop, closed: new Promise<void>(() => {}) });
  const token = doc.querySelector<HTMLMetaElement>('meta[name="minwon-core-token"]')?.content ?? '';
  const url = new URL('/core', doc.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const closed = new Promise<void>((done) => ws.addEventListener('close', () => done()));
    ws.addEventListener('error', () => reject(new Error('cannot reach the desk engine')));
    ws.addEventListener('open', () => {
      const client = createCoreClient(
        {
          send: (t) => ws.send(t),
          onMessage: (l) => ws.addEventListener('message', (e) => l(String(e.data))),
          onClose: (l) => ws.addEventListener('close', l),
        },
        { timeout: { ms: 10_000, timers: browserTimers } },
      );
      resolve({ client, closed });
    });
  });
}
