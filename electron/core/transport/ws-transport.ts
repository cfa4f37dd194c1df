import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatchCall, encodeEvent, MAX_MESSAGE_BYTES } from '../../../shared/rpc';
import type { DeskSession } from '../session/desk-session';
import type { Logger } from '../sync/sync-engine';
import { hostAllowed } from './host-check';

export interface WsTransportOptions {
  /** The desk's session: its own methods and the signed-in agent's core's. */
  core: Pick<DeskSession, 'handlers' | 'subscribe'>;
  /** The HTTP server to share (the browser host's) and the path to answer upgrades on. */
  server: Server;
  path: string;
  /** A secret the page must present; the browser host hands it to the page it serves. */
  token: string;
  /** Origins a page may connect from; connections with another Origin, or none, are refused. */
  allowedOrigins: readonly string[];
  /** The names the server answers to (see StaticSite.hostNames). */
  hostNames: readonly string[];
  logger: Logger;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serves the core's contract over WebSocket on an HTTP server (the browser host's transport).
 * Every connection must carry the token, an allowed Origin and one of the host's own names.
 */
export function serveOverWebSocket(o: WsTransportOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({
    server: o.server,
    path: o.path,
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req, origin }: { req: IncomingMessage; origin: string }) => {
      const token = new URL(req.url ?? '/', 'ws://x').searchParams.get('token') ?? '';
      if (!sameSecret(token, o.token)) {
        o.logger.warn('core connection refused: bad token');
        return false;
      }
      // Only the page this host served may connect: a browser always sends its Origin, and a
      // local process without one must not get the core (and the phone's secret) for a token.
      if (!o.allowedOrigins.includes(origin)) {
        o.logger.warn(`core connection refused: origin ${JSON.stringify(origin ?? null)}`);
        return false;
      }
      if (!hostAllowed(o.hostNames, req.headers.host, req.socket.localPort)) {
        o.logger.warn(`core connection refused: host ${JSON.stringify(req.headers.host ?? null)}`);
        return false;
      }
      return true;
    },
  });
  const clients = new Set<WebSocket>();
  const unsubscribe = o.core.subscribe((event) => {
    const text = encodeEvent(event);
    for (const c of clients) c.send(text);
  });
  wss.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    // ws reports protocol violations (such as an oversized message) here before closing the
    // socket; unhandled, they would take the whole core down.
    socket.on('error', (e) => o.logger.warn(`core connection closed: ${e.message}`));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.send(JSON.stringify({ type: 'result', id: 0, ok: false, error: { code: 'bad-message', message: 'binary messages are not accepted' } }));
        return;
      }
      void dispatchCall(o.core.handlers, data.toString(), (m) => o.logger.warn(m)).then((reply) => socket.send(reply));
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
